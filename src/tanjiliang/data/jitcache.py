"""The readings kernel's compiled code loaded from numba's disk cache without numba's compiler
(issue 16: "a fresh process costs at most about a second more than a warm one … the compiled
kernel cached at install time").

Before loading a cached function, numba "refreshes" its compiler: it imports and registers the
typing and lowering declarations of everything it can compile (math, cmath, cffi with its C
parser, typed lists and dicts, random, linalg, …) — 0.15–0.3 s of a fresh ``tanjiliang data
check``, though loading compiled code needs none of it, only the runtime that code calls
(numba's NRT). :func:`lean_loading` gives a module's cached dispatchers a cache that loads
with just that runtime; when there is nothing to load (a new signature, a changed source, a
first run) or the lean load fails, it falls back to numba's own path — refresh, load, else
compile and save — so what runs is always the same compiled code.
"""

from __future__ import annotations

from typing import Any

from numba.core.caching import FunctionCache
from numba.core.dispatcher import Dispatcher
from numba.core.runtime import rtsys


class LeanCache(FunctionCache):  # type: ignore[misc]  # numba is untyped
    """numba's cache of one function, loading without a compiler refresh when it can."""

    def load_overload(self, sig: Any, target_context: Any) -> Any:
        try:
            rtsys.initialize(target_context)  # the runtime the compiled code calls
            with self._guard_against_spurious_io_errors():
                data = self._load_overload(sig, target_context)
        except Exception:  # anything numba's own path would have prepared: take that path
            data = None
        if data is not None:
            return data
        return super().load_overload(sig, target_context)


def lean_loading(namespace: dict[str, Any]) -> None:
    """Give every disk-cached numba dispatcher in ``namespace`` (a module's globals) a
    :class:`LeanCache`."""
    for value in namespace.values():
        if isinstance(value, Dispatcher) and type(value._cache) is FunctionCache:
            value._cache.__class__ = LeanCache
