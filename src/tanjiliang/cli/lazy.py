"""Command modules loaded when they are used (issue 16: "a fresh process costs at most about a
second more than a warm one: imports lazy").

The root group knows each command's name, the module that defines it and its help text as
written there (:attr:`LazyGroup.helps`); the module is imported only when the command is
invoked. ``tanjiliang --help`` lists the commands from that table without importing any of
them (a test keeps the table equal to the commands' own help, in every language);
``tanjiliang check FILE`` imports the check command's module and what it needs, not openpyxl
for ``ledger``, polars for ``data`` or Django for ``serve``.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, ClassVar

import typer
from typer import _click as click
from typer.core import TyperCommand
from typer.main import get_group

from tanjiliang.cli.localise import LocalisedGroup, _localise

#: How a module attaches its commands: ``register(app)`` adds them, or ``app`` is a sub-Typer
#: added under the command's name.
REGISTER = "register"
SUBAPP = "app"


def load(name: str, module: str, how: str) -> dict[str, click.Command]:
    """The click commands ``module`` defines, built as ``cli/app.py`` registered them eagerly."""
    mod = importlib.import_module(module)
    host = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    if how == REGISTER:
        mod.register(host)
    else:
        host.add_typer(getattr(mod, how), name=name)
    return dict(get_group(host).commands)


_PAUSED = {"collector": False, "command": False}


def pause_collector() -> None:
    """Pause the cyclic garbage collector until a command is resolved (its module imported):
    importing makes some 10⁵ long-lived objects and no garbage, and collecting while it does
    cost a fresh process ~0.04 s. Called by the ``tanjiliang`` command only."""
    if gc.isenabled():
        gc.disable()
        _PAUSED["collector"] = True
        _PAUSED["command"] = True


@contextmanager
def command_imports() -> Iterator[None]:
    """Around what a command imports only when it runs (``data check``: numba, the readings
    checks): in the ``tanjiliang`` command (:func:`pause_collector`), the collector is paused
    while they are imported and what they made is then left out of collections, as for the
    command's module — 0.07–0.1 s of collections in a fresh ``data check``. Anywhere else (a
    test's runner, a warm process) it changes nothing."""
    if not (_PAUSED["command"] and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def resume_collector() -> None:
    """Collect as usual again, leaving out what the imports made (``gc.freeze``)."""
    if _PAUSED["collector"]:
        _PAUSED["collector"] = False
        gc.freeze()
        gc.enable()


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, in declaration order; a command's module is imported the
    first time the command is looked up (``commands[name]``, ``.get``, ``.values()``)."""

    def __init__(self, table: dict[str, tuple[str, str]],
                 on_load: Callable[[click.Command], None]) -> None:
        self._table = table
        self._on_load = on_load
        self._loaded: dict[str, click.Command] = {}
        self._order: list[str] = list(table)

    def _load(self, name: str) -> None:
        module, how = self._table[name]
        for key, cmd in load(name, module, how).items():
            if key in self._table and key not in self._loaded:
                self._loaded[key] = cmd
                self._on_load(cmd)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded and name in self._table:
            self._load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, cmd: click.Command) -> None:
        if name not in self._order:
            self._order.append(name)
        self._loaded[name] = cmd

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._table.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order

    def loaded(self) -> list[click.Command]:
        """The commands imported so far (localised on the way in; the others when they load)."""
        return list(self._loaded.values())

    def is_loaded(self, name: str) -> bool:
        return name in self._loaded


class LazyGroup(LocalisedGroup):
    """The root command: the commands of :attr:`lazy` are imported when used; each is localised
    for this command line's language as it loads (:mod:`tanjiliang.cli.localise`)."""

    #: command name → (module, ``register`` or the name of the module's sub-Typer)
    lazy: ClassVar[dict[str, tuple[str, str]]] = {}
    #: command name → its help text exactly as the command's module writes it (both languages
    #: in one string, :mod:`tanjiliang.cli.localise`): what a help page lists for a command
    #: not imported yet.
    helps: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        eager = dict(self.commands)
        self.commands = LazyCommands(dict(self.lazy), self._loaded_one)
        for name, cmd in eager.items():
            self.commands[name] = cmd
        self._listing = False
        self._stubs: dict[str, click.Command] = {}

    def _loaded_one(self, cmd: click.Command) -> None:
        if self._done is not None:
            _localise(cmd, self._done)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """This group's help page; the commands not imported yet are listed from :attr:`helps`."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        found = super().resolve_command(ctx, args)
        resume_collector()
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # names, in declaration order (Typer's reads every command)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        commands = self.commands
        if (self._listing and cmd_name in self.helps and isinstance(commands, LazyCommands)
                and not commands.is_loaded(cmd_name)):
            return self.stub(cmd_name)
        return super().get_command(ctx, cmd_name)

    def stub(self, name: str) -> click.Command:
        """A stand-in for the command ``name`` on a help page: its name and help, nothing to run."""
        cmd = self._stubs.get(name)
        if cmd is None:
            cmd = self._stubs[name] = TyperCommand(name, help=self.helps[name])
        if self._done is not None:
            _localise(cmd, self._done)
        return cmd
