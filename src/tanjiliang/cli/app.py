"""The ``tanjiliang`` command: one Typer app; each command group lives in its own module,
imported only when its command runs or a help page lists it (issue 16: :mod:`tanjiliang.cli.lazy`)."""

from __future__ import annotations

from typing import ClassVar

import typer

from tanjiliang.cli.lazy import REGISTER, LazyGroup


class RootGroup(LazyGroup):
    """The commands, in the order ``tanjiliang --help`` lists them: one line per command,
    its module, and how the module attaches it (``register(app)`` or its sub-Typer ``app``)."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        "check": ("tanjiliang.cli.check", REGISTER),
        "fmt": ("tanjiliang.cli.check", REGISTER),
        "init": ("tanjiliang.cli.init", REGISTER),
        "kpi": ("tanjiliang.cli.kpi", REGISTER),
        "serve": ("tanjiliang.cli.serve", REGISTER),
        "demo": ("tanjiliang.cli.demo", REGISTER),
        "diagram": ("tanjiliang.cli.diagram", REGISTER),
        "plan": ("tanjiliang.cli.plan", REGISTER),
        "remind": ("tanjiliang.cli.remind", REGISTER),
        "packs": ("tanjiliang.cli.packs", "app"),
        "data": ("tanjiliang.cli.data", "app"),
        "ledger": ("tanjiliang.cli.ledger", "app"),
        "month": ("tanjiliang.cli.month", "app"),
        "province": ("tanjiliang.cli.province", "app"),
        "review": ("tanjiliang.cli.review", "app"),
        "audit": ("tanjiliang.cli.audit", "app"),
    }


app = typer.Typer(
    name="tanjiliang",
    help="碳计量器具配备和管理 — carbon metering of key emission units (tanjiliang).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=RootGroup,  # --help in one language (issue 13); commands loaded when used (issue 16)
)


@app.callback()
def _root() -> None:
    # The commands are RootGroup.lazy's; Typer builds a group only around a callback or commands.
    pass


def main() -> None:
    from tanjiliang.cli import safety  # bad input that escaped a command: exit 2, no traceback

    safety.run(app)
