"""The ``tanjiliang`` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

from tanjiliang.cli.localise import LocalisedGroup

app = typer.Typer(
    name="tanjiliang",
    help="碳计量器具配备和管理 — carbon metering of key emission units (tanjiliang).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LocalisedGroup,  # --help in one language (issue 13)
)

# Command registrations: one line per module.
from tanjiliang.cli import check as _check  # noqa: E402

_check.register(app)
from tanjiliang.cli import packs as _packs  # noqa: E402

app.add_typer(_packs.app, name="packs")
from tanjiliang.cli import data as _data  # noqa: E402

app.add_typer(_data.app, name="data")
from tanjiliang.cli import ledger as _ledger  # noqa: E402

app.add_typer(_ledger.app, name="ledger")
from tanjiliang.cli import init as _init  # noqa: E402

_init.register(app)
from tanjiliang.cli import kpi as _kpi  # noqa: E402

_kpi.register(app)
from tanjiliang.cli import month as _month  # noqa: E402

app.add_typer(_month.app, name="month")
from tanjiliang.cli import serve as _serve  # noqa: E402

_serve.register(app)
from tanjiliang.cli import demo as _demo  # noqa: E402

_demo.register(app)
from tanjiliang.cli import diagram as _diagram  # noqa: E402

_diagram.register(app)
from tanjiliang.cli import province as _province  # noqa: E402

app.add_typer(_province.app, name="province")
from tanjiliang.cli import review as _review  # noqa: E402

app.add_typer(_review.app, name="review")
from tanjiliang.cli import audit as _audit  # noqa: E402

app.add_typer(_audit.app, name="audit")

from tanjiliang.cli import plan as _plan  # noqa: E402

_plan.register(app)
from tanjiliang.cli import remind as _remind  # noqa: E402

_remind.register(app)


def main() -> None:
    from tanjiliang.cli import safety  # bad input that escaped a command: exit 2, no traceback

    safety.run(app)
