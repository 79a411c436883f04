"""``tanjiliang check`` and ``tanjiliang fmt`` (shared/spec/unit-file.md, command-line contract).

Exit codes: 0 conforming, 1 non-conformities found, 2 bad input (nothing written).
"""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console
from rich.markup import escape

from tanjiliang.i18n import gettext, pairs, pick
from tanjiliang.model.errors import Issue, LoadError

if TYPE_CHECKING:  # imported where used: `tanjiliang check --help` builds no model (issue 16)
    from tanjiliang.assess.result import Assessment
    from tanjiliang.model.unit import UnitFile
    from tanjiliang.rules.load import LoadedPack
    from tanjiliang.rules.schema import Pack

EXIT_CONFORMING, EXIT_NONCONFORMING, EXIT_BAD_INPUT = 0, 1, 2


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class Format(StrEnum):
    text = "text"
    json = "json"


def fail(err: LoadError, lang: str) -> typer.Exit:
    """Print every problem (file:line key: reason) to stderr; exit 2."""
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    head = gettext("输入有误，未写入任何文件：", lang, "cli.check")
    console.print(f"[bold red]{head}[/]")
    for issue in err.issues:
        console.print(issue.message(lang), markup=False)
    return typer.Exit(EXIT_BAD_INPUT)


def parse_as_of(text: str | None, lang: str) -> date:
    if text is None:
        return date.today()
    day = option_date(text)
    if day is None:
        raise fail(LoadError([_arg_issue("--as-of", f"“{text}”不是日期（如 2025-12-31、2025/12/31、2025年12月31日）",
                                         f'"{text}" is not a date (e.g. 2025-12-31, 2025/12/31)')]), lang)
    return day


def date_option(text: str) -> date:
    """:func:`option_date`, raising ValueError for a text that is no date."""
    day = option_date(text)
    if day is None:
        raise ValueError(text)
    return day


def option_date(text: str) -> date | None:
    """A date given on the command line, written as the unit file and the ledger accept it
    (2025-12-31, 2025/12/31, 2025.12.31, 2025年12月31日); None if it is none (2026-02-30)."""
    from tanjiliang.model.names import parse_date

    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(text) if text.strip() and not text.strip().isdigit() else None
    except ValueError:
        return None


def _arg_issue(arg: str, zh: str, en: str) -> Issue:
    return Issue(arg, None, "", zh, en)


def run_check(file: Path, pack: str | None, as_of: date, lang: str,
              ledger: Path | None = None,
              readings: list[Path] | None = None) -> tuple[Assessment, UnitFile, LoadedPack]:
    """Through the one door (:func:`tanjiliang.check.check_full`): load the unit (and a
    ledger, if given), the pack, and assess; with ``readings`` the metering data are checked
    too and their findings join the assessment's. Raises LoadError. Returns the assessment with
    the unit and pack it was computed from."""
    from tanjiliang.check import check_full

    done = check_full(file, pack, as_of, ledger, readings)
    return done.assessment, done.unit, done.pack


def check(
    file: Annotated[Path, typer.Argument(help="unit file (YAML or JSON) 单位文件")],
    pack: Annotated[str | None, typer.Option(help="rule pack name or path 规则包名称或路径")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="assess as of YYYY-MM-DD (default today) 评价日期")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write a report: .html, .pdf or .xlsx 输出报告")] = None,
    ledger: Annotated[Path | None, typer.Option(help="Excel ledger replacing the file's instruments 台账")] = None,
    readings: Annotated[list[Path] | None, typer.Option("--readings", help="metering data (CSV/Excel/Parquet; repeat the option) 计量数据")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Assess a unit against a rule pack: exit 0 conforming, 1 non-conforming, 2 bad input.
    按规则包评价重点排放单位碳计量器具配备和管理。"""
    day = parse_as_of(as_of, lang.value)
    if output is not None and output.suffix.lower() not in (".html", ".pdf", ".xlsx"):
        raise fail(LoadError([_arg_issue(str(output), "报告只能是 .html、.pdf 或 .xlsx",
                                         "a report must be .html, .pdf or .xlsx")]), lang.value)
    try:
        result, unit, loaded = run_check(file, pack, day, lang.value, ledger, readings)
    except LoadError as err:
        raise fail(err, lang.value) from None
    from tanjiliang.model.load import name_mappings

    notes = Console(stderr=True, highlight=False, soft_wrap=True)
    for line in name_mappings(unit, lang.value):  # names written where codes go (issue 12), as read
        notes.print(line, markup=False)
    if output is not None:
        from tanjiliang.reports import write_report

        write_report(result, unit, output, lang.value, loaded.pack)
    if fmt is Format.json:
        from tanjiliang.model.write import json_text

        sys.stdout.write(json_text(result.to_json(lang.value)))  # never NaN or Infinity
    else:
        render(result, lang.value, make_console(), loaded.pack)
    raise typer.Exit(EXIT_NONCONFORMING if result.conclusion == "nonconforming" else EXIT_CONFORMING)


def make_console() -> Console:
    """Rich console; when piped, wide enough that tables do not wrap every cell."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=160)
    return console


def _n(x: float) -> str:
    """One decimal, rounded half-up on the number's decimal as the pack rounds (40 999.95 →
    41,000.0; a float's own formatting gives 40,999.9)."""
    from tanjiliang.reports.fmt import num

    return num(x, 1)


#: Kinds of records dated after the as-of date (listed, not counted: issue 11).
AFTER_KINDS = cast("dict[str, tuple[str, str]]", pairs("cli.check.after", {
    "confirmation": "检定/校准记录",
    "last_confirmed": "最近检定/校准日期",
    "procedure": "管理制度", "person": "人员培训"}))


def render(a: Assessment, lang: str, console: Console, pack: Pack) -> None:
    """The terminal report: streams and classes, the equipping-rate table laid out like
    GB 17167's, findings grouped by severity, and the conclusion."""
    from rich.table import Table

    from tanjiliang.assess.labels import label, point_name
    from tanjiliang.reports.i18n import clause_ref, finding_subject

    zh = lang == "zh"
    t = (lambda z, context="cli.check": gettext(z, lang, context))  # noqa: E731
    console.print(f"[bold]{a.unit_name}[/]  {a.unit_year}  ·  "
                  f"{t('规则包')} {a.pack_name} {a.pack_version}  ·  {t('评价日期')} {a.as_of}")
    cat = t("排放总量 {0} tCO₂e，{1}重点排放单位，类别 {2}").format(_n(a.total_tco2e), '属于' if a.key_emission_unit else '不属于', a.installation_category, 'a' if a.key_emission_unit else 'not a')
    console.print(cat)
    if a.totals.get("key_unit_basis") == "direct":  # the pack's scope.key_unit_basis (#17)
        console.print(t("重点排放单位判定口径：直接排放 {0} tCO₂e").format(_n(a.totals['key_unit_tco2e'])))
    apart = a.totals.get("reported_apart") or {}
    if apart:
        console.print(t("单独报告（不计入总量）：")
                      + ", ".join(f"{escape(sid)} {_n(v)} t" for sid, v in apart.items()))
    if a.biogenic_tco2:
        console.print(t("生物质 CO2（不计入总量）{0} t").format(_n(a.biogenic_tco2)))
    console.print(t("微量源流阈值 {0} t，次要源流阈值 {1} t").format(_n(a.threshold_de_minimis), _n(a.threshold_minor)))

    st = Table(title=t("源流与分类"), title_justify="left")
    for col in (t("源流"), t("名称"), t("方法"), "tCO₂e", t("占比"),
                t("分类"), t("要求层级"), t("达到层级"), t("不确定度")):
        st.add_column(col, justify="right" if col in ("tCO₂e",) else "left")
    for s in sorted(a.streams, key=lambda s: -abs(s.emissions_tco2e)):
        st.add_row(s.id, s.name, label("method", s.method, lang), _n(s.emissions_tco2e), f"{s.share:.2%}",
                   label("class", s.cls, lang), str(s.tier_required or "-"), str(s.tier_achieved or "-"),
                   "-" if s.uncertainty_percent is None else f"{s.uncertainty_percent:.3g} %")
    console.print(st)

    if a.rates:  # no required point, no rates table (default-pack.md: a row with none is omitted)
        levels: list[int | None] = sorted({r.level for r in a.rates}, key=lambda v: 9 if v is None else v)
        rt = Table(title=t("计量器具配备率（实配/应配 = 配备率，要求）"),
                   title_justify="left")
        rt.add_column(t("介质"))
        for lv in levels:
            rt.add_column(label("level", lv, lang))
        media_order = [r.medium for r in a.rates]
        for medium in dict.fromkeys(media_order):
            name = medium
            with contextlib.suppress(KeyError):
                name = pack.medium(medium).name(lang)
            cells = []
            for lv in levels:
                row = next((r for r in a.rates if r.medium == medium and r.level == lv), None)
                if row is None:
                    cells.append("")
                else:
                    colour = "green" if row.meets else "red"
                    cells.append(f"[{colour}]{row.equipped}/{row.required} = {row.rate_percent:g} %[/] ({row.required_percent:g} %)")
            rt.add_row(name, *cells)
        console.print(rt)

    missing = [p for p in a.points if p.required and p.status == "missing"]
    if missing:
        names = {s.id: s.name for s in a.streams}

        console.print(t("未配备的计量点：") + ("、" if zh else ", ").join(
            escape(point_name(p, names, lang)) for p in missing))
    for sev, colour in (("nonconformity", "red"), ("observation", "yellow")):
        items = [f for f in a.findings if f.severity == sev]
        if not items:
            continue
        ft = Table(title=f"{label('severity', sev, lang)} ({len(items)})", title_justify="left",
                   title_style=f"bold {colour}")
        ft.add_column(t("代码"))
        ft.add_column(t("条款"))
        ft.add_column(t("对象"))
        ft.add_column(t("说明"), overflow="fold")
        for f in items:
            ft.add_row(f.code, clause_ref(f.clause, lang), escape(finding_subject(f.subject, pack, lang)),
                       escape(f.message(lang)))
        console.print(ft)
    if a.after_as_of:  # records dated after the as-of date: listed, not counted (issue 11)
        console.print(t("评价日期 {0} 之后的记录（未计入）：").format(a.as_of)
                      + "; ".join(f"{pick(AFTER_KINDS[r.kind], lang, f'cli.check.after:{r.kind}')} {escape(r.subject)} {r.date}" for r in a.after_as_of))
    colour = "green" if a.conclusion == "conforming" else "red"
    console.print(f"[bold]{t('结论')}：[{colour}]{label('conclusion', a.conclusion, lang)}[/][/]"
                  if zh else f"[bold]Conclusion: [{colour}]{label('conclusion', a.conclusion, lang)}[/][/]")


def fmt_command(
    file: Annotated[Path, typer.Argument(help="unit file to rewrite canonically 单位文件")],
    check_only: Annotated[bool, typer.Option("--check", help="exit 1 if the file is not canonical; write nothing")] = False,
    stdout: Annotated[bool, typer.Option("--stdout", help="print instead of rewriting the file")] = False,
    drop_comments: Annotated[bool, typer.Option("--drop-comments", help="allow losing the file's comments")] = False,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Rewrite a unit file canonically (key order, layout) without losing any value.
    规范化改写单位文件。Comments cannot be kept: a file with comments is refused unless
    --drop-comments is given."""
    from tanjiliang.model.limits import read_user_text
    from tanjiliang.model.load import has_comments, load_unit
    from tanjiliang.model.write import dump_json, dump_yaml, without_comments

    try:
        text = read_user_text(file)  # missing, folder, unreadable, too large, not UTF-8
        unit = load_unit(file, text)
    except LoadError as err:
        raise fail(err, lang.value) from None
    is_yaml = file.suffix.lower() != ".json"
    out = dump_yaml(unit) if is_yaml else dump_json(unit)
    # The file apart from its comments (docs/unit-file.md, "Canonical form"): what --check
    # judges, and how many comment lines the canonical form does not carry.
    bare, commented = without_comments(text) if is_yaml else (text, 0)
    err_console = Console(stderr=True, highlight=False, soft_wrap=True)
    if check_only:  # said, not only an exit status
        canonical = out in (text, bare)
        if not canonical:
            err_console.print(
                (gettext("{0}：不是规范格式（运行 tanjiliang fmt 改写）", lang.value, "cli.check").format(file)), markup=False)
        raise typer.Exit(0 if canonical else 1)
    if stdout:
        sys.stdout.write(out)
        if commented:  # never silent about what the output leaves out
            err_console.print(gettext("{0}：规范格式不含注释，文件中的 {1} 行注释未输出；改写文件须加 --drop-comments",
                                      lang.value, "cli.check").format(file, commented), markup=False)
        return
    if is_yaml and has_comments(text) and not drop_comments:
        raise fail(LoadError([_arg_issue(str(file), "文件含注释，规范化改写会丢失注释；确认请加 --drop-comments（或用 --stdout 查看）",
                                         "the file has comments, which rewriting would lose; pass --drop-comments to accept (or --stdout to preview)")]),
                   lang.value)
    if out != text:
        from tanjiliang.model.write import atomic_write

        atomic_write(file, out)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("fmt")(fmt_command)
