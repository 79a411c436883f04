"""The ``tanjiliang`` command: one Typer app; each command group lives in its own module,
imported only when its command runs (issue 16: :mod:`tanjiliang.cli.lazy`)."""

from __future__ import annotations

from typing import ClassVar

import typer

from tanjiliang.cli.lazy import REGISTER, LazyGroup, pause_collector


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

    #: Each command's help exactly as its module writes it, so that ``tanjiliang --help`` lists
    #: the commands without importing them (a fresh ``--help`` took 1 s importing them all).
    #: tests/cli/test_lazy_imports.py fails when one differs from the command's own.
    helps: ClassVar[dict[str, str]] = {
        "check": "Assess a unit against a rule pack: exit 0 conforming, 1 non-conforming, 2 bad input.\n"
                 "按规则包评价重点排放单位碳计量器具配备和管理。",
        "fmt": "Rewrite a unit file canonically (key order, layout) without losing any value.\n"
               "规范化改写单位文件。Comments cannot be kept: a file with comments is refused unless\n"
               "--drop-comments is given.",
        "init": "Write a commented starting unit file for a kind of plant and its Excel ledger beside it.\n"
                "生成某类企业的单位文件模板（含注释）及配套台账。",
        "kpi": "Indicators per unit and the units worth a visit 监管指标与现场检查建议名单.",
        "serve": "启动网页应用 / Run the web application.",
        "demo": "检查示例单位并启动演示网页 / Check the examples and start the demo web app.",
        "diagram": "Draw the GHG flow diagram: boundary, sub-units, equipment, streams and metering points\n"
                   "coloured by status. 绘制温室气体流向图（计量点按符合/不符合/未配备着色）。",
        "plan": "What metering is worth: uncertainty budget, tonnes and yuan at risk, least-cost plan.\n"
                "计量的价值：不确定度预算、风险排放量与金额、最低成本整改方案。",
        "remind": "E-mail reminders of confirmations and monthly filings 发送到期与存证提醒邮件.",
        "packs": "Rule packs 规则包: list the bundled ones, show one with its citations, diff two.",
        "data": "计量数据检查与 CEMS 计算 — metering data checks and CEMS.",
        "ledger": "计量器具台账（Excel）— the Excel instrument ledger.",
        "month": "月度存证 — the monthly close: compute, file, verify, export.",
        "province": "Province 全省: generate a province, reassess every unit, publish the overview rows.",
        "review": "Review 审查: checklist, automatic items, signed reports.",
        "audit": "Audit 审计: verify the history chain and the signatures.",
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

    pause_collector()  # while the command is imported (cli/lazy.py)
    safety.run(app)
