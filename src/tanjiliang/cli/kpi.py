"""``tanjiliang kpi UNIT_OR_FOLDER`` — the regulator's indicators (issue 14 §4): 配备率, 受检率,
检定合格率, instruments in confirmation, with ``--records`` the filed months' completeness and
timeliness, the composite index and the reasons to visit, per unit, ranked with the units most
worth a visit first. Exit 0, or 2 on bad input."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.markup import escape
from rich.table import Table

from tanjiliang.cli.check import Format, Lang, date_option, make_console
from tanjiliang.cli.files import unit_files
from tanjiliang.i18n import pairs, pick
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.write import json_text

#: The table's words (Chinese; the English from the catalogue, context ``cli.kpi:<key>``).
WORDS = cast("dict[str, tuple[str, str]]", pairs("cli.kpi", {
    "title": "监管指标（指数最低者优先）",
    "unit": "单位", "conclusion": "结论",
    "equipping": "配备率%", "inspection": "受检率%",
    "pass": "合格率%", "in_confirmation": "有效期内%",
    "index": "指数", "reasons": "现场检查理由",
    "unreadable": "无法读取 {n} 个文件",
}))


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"cli.kpi:{key}")


def kpi(
    target: Annotated[Path, typer.Argument(metavar="UNIT_OR_FOLDER",
                                           help="unit file or folder of unit files 单位文件或目录")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD 评价日期")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    top: Annotated[int, typer.Option(help="rows shown in the text table 显示行数")] = 30,
    records: Annotated[Path | None, typer.Option(
        "--records", help="monthly records (month close --records): completeness and timeliness "
        "月度存证目录（计算数据完整率与存证及时率）")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Indicators per unit and the units worth a visit 监管指标与现场检查建议名单."""
    from tanjiliang.assess.labels import label
    from tanjiliang.check import check, default_as_of
    from tanjiliang.kpi import indicators, rank
    from tanjiliang.province.batch import read_unit

    lg = lang.value
    zh = lg == "zh"
    day: date | None = None
    if as_of is not None:
        try:
            day = date_option(as_of)
        except ValueError:
            make_console().print(Issue("--as-of", None, "", f"“{as_of}”不是 YYYY-MM-DD 日期",
                                       f'"{as_of}" is not a date YYYY-MM-DD').message(lg))
            raise typer.Exit(2) from None
    if top < 0:  # ranked[:-1] would drop the last unit, not show "no rows"
        make_console().print(Issue("--top", None, "", f"“{top}”应为不小于 0 的整数",
                                   f'"{top}" must be a whole number of at least 0').message(lg))
        raise typer.Exit(2)
    if not target.exists():
        make_console().print(Issue(str(target), None, "", "文件或目录不存在",
                                   "no such file or folder").message(lg))
        raise typer.Exit(2)
    rows = []
    problems: list[str] = []
    for path in unit_files([target]):
        try:
            unit = read_unit(path)
            when = day or default_as_of(unit.unit.year, date.today())
            a = check(unit, as_of=when)
        except LoadError as err:
            problems += [i.message(lg) for i in err.issues]
            continue
        year = unit.unit.year
        filed: tuple[float | None, float | None] = (None, None)
        consistent: float | None = None
        if records is not None:
            from tanjiliang.data.store import unit_key
            from tanjiliang.month.close import consistency_indicator, filing_indicators, unit_pack

            # one unit: its records folder; a folder of units: <records>/<unit key>/ as
            # `month close FOLDER --records` writes them
            folder = records / unit_key(unit) if target.is_dir() else records
            filed = filing_indicators(year, folder, when, unit_pack(unit))
            consistent = consistency_indicator(year, folder, when)
        rows.append(indicators(unit, a, date(year, 1, 1), date(year + 1, 1, 1),
                               completeness=filed[0], timeliness=filed[1], consistency=consistent))
    if problems and not target.is_dir():
        console = make_console()
        for m in problems:
            console.print(m, markup=False)
        raise typer.Exit(2)
    ranked = rank(rows)
    if fmt is Format.json:
        sys.stdout.write(json_text({"format": "tanjiliang/kpi@1",
                                    "units": [r.to_json(lg) for r in ranked],
                                    "unreadable": problems}))
        return
    console = make_console()
    table = Table(title=_w("title", lg), title_justify="left")
    for key in ("unit", "conclusion", "equipping", "inspection", "pass", "in_confirmation"):
        table.add_column(_w(key, lg))
    if records is not None:  # the filed months' indicators, named as in the reasons
        from tanjiliang.kpi.indicators import NAMES

        for key in ("completeness", "timeliness", "consistency"):
            table.add_column(pick(NAMES[key], lg, f"kpi:{key}") + "%")
    table.add_column(_w("index", lg))
    table.add_column("tCO₂e")
    table.add_column(_w("reasons", lg))

    def f(x: float | None) -> str:
        return "—" if x is None else f"{x:.1f}"

    for r in ranked[:top]:
        reason = "；".join(z for z, _ in r.reasons) if zh else "; ".join(e for _, e in r.reasons)
        filed = [f(r.completeness), f(r.timeliness), f(r.consistency)] if records is not None else []
        table.add_row(escape(r.name), label("conclusion", r.conclusion, lg), f(r.equipping_rate),
                      f(r.inspection_rate), f(r.pass_rate), f(r.in_confirmation), *filed,
                      f(r.index), f"{r.total_tco2e:,.0f}", escape(reason or "—"))
    console.print(table)
    if problems:
        console.print(_w("unreadable", lg).format(n=len(problems)))
        for m in problems[:20]:
            console.print("  " + escape(m))


def register(app: typer.Typer) -> None:
    app.command("kpi")(kpi)
