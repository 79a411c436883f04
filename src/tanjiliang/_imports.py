"""Two adjustments to how libraries are imported, for a cheap fresh process (issue 16: "a fresh
process — the CLI, a new web worker — costs at most about a second more than a warm one").

**pint without numpy and dask.** When pint is imported it imports numpy (0.06–0.1 s) and dask
(0.08–0.2 s, with yaml, toolz, jinja2, psutil, multiprocessing) if they are installed, to
support quantities whose magnitude is an array. This project gives pint Python floats only — a
quantity read from a unit file, a rule pack or an export, converted and turned back into a
float — so a fresh ``tanjiliang check`` spent a fifth of its time importing libraries it never
used. While the ``pint`` package itself is being imported, numpy and dask look absent to it
when they have not been imported yet; pint then takes its own no-numpy path
(``pint.compat.HAS_NUMPY`` false). Nothing else is affected: both import as usual the moment
pint is done, and a process that already holds numpy (the readings checks import polars first)
gives pint numpy as before. Conversions are the same either way (tests/units/test_pint_import.py).

**Work after a module is imported** (:func:`after_import`): the command line's language is
given to Typer's help and error formatter (``typer.rich_utils``, 0.035 s with rich's Markdown)
when Typer imports it for a help page or an error, not on every command.

:func:`install` (called by ``import tanjiliang``) adds the import hook.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any, cast

#: What pint need not see when it is first imported.
HIDDEN_FROM_PINT = ("numpy", "dask")

_AFTER: dict[str, list[Callable[[ModuleType], None]]] = {}


class _Loader:
    """A module's own loader, run with ``hidden`` absent from ``sys.modules``, then the module's
    :func:`after_import` callbacks; anything else (resources, source for tracebacks) is the
    wrapped loader's."""

    def __init__(self, loader: Loader, hidden: Sequence[str]) -> None:
        self._loader = loader
        self._hidden = hidden

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        hidden = [name for name in self._hidden if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # import and find_spec: "not installed"
        try:
            self._loader.exec_module(module)
        finally:
            for name in hidden:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]
        for callback in _AFTER.pop(module.__name__, []):
            callback(module)


class _Finder(MetaPathFinder):
    """Finds the modules it watches as usual, once each, and hands them :class:`_Loader`."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        hidden = HIDDEN_FROM_PINT if fullname == "pint" else ()
        if not hidden and fullname not in _AFTER:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = cast(Loader, _Loader(spec.loader, hidden))
        return spec


_FINDER = _Finder()


def after_import(name: str, callback: Callable[[ModuleType], None]) -> None:
    """``callback(module)`` once the module ``name`` is imported: now if it is already."""
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    waiting = _AFTER.setdefault(name, [])
    if callback not in waiting:
        waiting.append(callback)
    install()


def install() -> None:
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
