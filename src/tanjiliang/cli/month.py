"""``tanjiliang month`` — the monthly close (月度存证, issue 14; docs/month.md).

``month close UNIT --month YYYY-MM (READINGS... | --store ROOT) --records DIR [--lab FILE]
[--evidence F] [--reason TEXT]``: compute the month from the readings (and the month's
laboratory results) and file it, frozen under a hash (a second filing is a correction: a new
version with a reason). ``month close FOLDER --month YYYY-MM --store ROOT --records DIR
[--cluster ADDRESS]``: every unit of the folder (tanjiliang.month.batch; idempotent). ``month status UNIT --records
DIR``: the year's twelve cards. ``month verify --records DIR``: every hash again (exit 1 when
something changed). ``month export UNIT --records DIR -o filing.xlsx [--bundle evidence.zip]``.
Exit 2 on bad input.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.markup import escape
from rich.table import Table

from tanjiliang.cli.check import Format, Lang, date_option, make_console
from tanjiliang.i18n import gettext, pairs, pick
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.write import json_text

app = typer.Typer(help="月度存证 — the monthly close: compute, file, verify, export.",
                  no_args_is_help=True)


def _bad(err: LoadError, lang: str) -> typer.Exit:
    console = make_console()
    console.print(gettext("输入有误，未写入任何文件：", lang, "cli.month"))
    for i in err.issues:
        console.print(i.message(lang), markup=False)
    return typer.Exit(2)


#: The columns of ``month status``.
STATUS_HEADS = cast("dict[str, tuple[str, str]]", pairs("cli.month.head", {
    "month": "月份", "status": "状态", "deadline": "截止日期",
    "version": "版本", "tco2e": "排放 tCO₂e"}))


@app.command("close")
def close(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file, or a folder of unit files 单位文件或目录")],
    month: Annotated[str, typer.Option(help="YYYY-MM 月份")],
    records_dir: Annotated[Path, typer.Option("--records", help="folder of filed months 存证目录")],
    readings: Annotated[list[Path] | None, typer.Argument(metavar="READINGS...", help="readings files 读数文件")] = None,
    store: Annotated[str | None, typer.Option(help="readings store 读数库")] = None,
    evidence: Annotated[list[Path] | None, typer.Option(help="evidence file (repeat) 证据文件")] = None,
    lab: Annotated[Path | None, typer.Option(help="laboratory results CSV/XLSX, reports beside it 化验结果文件（CSV/XLSX，报告文件放在同一目录）")] = None,
    reason: Annotated[str | None, typer.Option(help="reason of a correction 更正原因")] = None,
    activity: Annotated[list[str] | None, typer.Option(
        "--activity", help="STREAM=QUANTITY, activity entered by hand with its --evidence, filed instead of the "
                           "readings' figure and compared with the sum of its days; without readings, filed "
                           "uncompared (repeat) "
                           "手工填报的活动数据（源流=数量，须附 --evidence，与逐日读数之和比对；无读数时不比对直接提交）")] = None,
    filed_at: Annotated[str | None, typer.Option("--filed-at", help="YYYY-MM-DD (default now) 提交日期")] = None,
    workers: Annotated[int, typer.Option(help="processes for a folder (default: all cores) 关闭整个目录时的进程数")] = 0,
    cluster: Annotated[str | None, typer.Option(
        help="Dask scheduler for a folder (tcp://host:8786, or local:N) 关闭整个目录时的计算集群地址")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Compute the month from its readings and file it; a folder: every unit 计算并提交月度存证（目录：其中每个单位）."""
    from tanjiliang.data.readings import ReadingsError
    from tanjiliang.model.load import load_unit
    from tanjiliang.month.close import (
        CHECK_WORDS,
        ZONE,
        close_month,
        parse_entered,
        parse_month,
        record_notes,
    )

    lg = lang.value
    zh = lg == "zh"
    try:
        y, m = parse_month(month)
        unit = None if unit_file.is_dir() else load_unit(unit_file)
        when = None
        if filed_at is not None:
            try:
                d = date_option(filed_at)
            except ValueError:
                from tanjiliang.model.errors import Issue

                raise LoadError([Issue("--filed-at", None, "", f"“{filed_at}”不是日期",
                                       f'"{filed_at}" is not a date')]) from None
            when = datetime(d.year, d.month, d.day, 12, tzinfo=ZONE)
        if unit_file.is_dir():
            return _close_folder(unit_file, y, m, store, records_dir, when, workers, cluster, lg)
        if store is not None:
            from tanjiliang.data.store import ReadingsStore, unit_key

            source: object = ReadingsStore(store).source(unit_key(unit))
        elif readings:
            source = list(readings)
        elif activity:  # every figure of the month entered by hand, with its evidence
            source = []
        else:
            from tanjiliang.model.errors import Issue

            raise LoadError([Issue("tanjiliang month close", None, "", "请给出读数文件、--store 或 --activity",
                                   "give readings files, --store or --activity")])
        assert unit is not None
        entered = parse_entered(list(activity or []), "--activity")
        rec = close_month(unit, y, m, source, records_dir, evidence=list(evidence or []),
                          reason=reason, filed_at=when, lab=lab, entered=entered or None)
    except LoadError as err:
        raise _bad(err, lg) from None
    except ReadingsError as err:
        console = make_console()
        for i in err.issues:
            console.print(i.message(lg), markup=False)
        raise typer.Exit(2) from None
    d = rec.data
    console = make_console()
    late = (gettext("（逾期）", lg, "cli.month")) if d["late"] else ""
    console.print(gettext("已提交 {0} 第 {1} 版{2}：排放 {3:,.1f} tCO₂e，哈希 {4}… → {5}", lg, "cli.month").format(d['month'], d['version'], late, d['emissions_tco2e'], d['sha256'][:16], rec.path))
    from tanjiliang.month.lab import flag_text, lab_lines, lab_word

    for line in lab_lines(d, lg):
        console.print(f"  {gettext('化验', lg, 'cli.month')}: {escape(line)}")
    for note in record_notes(d, lg):  # what was not compared, checked or filed
        console.print(f"  {escape(note)}")
    for c in d["checks"]:
        if c["ok"] is False:
            word = pick(CHECK_WORDS[c["check"]], lg, f"month.check:{c['check']}")
            console.print(f"  [yellow]{gettext('未通过检查', lg, 'cli.month')}: {word}[/]")
            for x in c.get("missing") or []:  # measured parameters without this month's result
                console.print(f"    {escape(str(x['name'] or x['stream']))}: "
                              f"{escape(lab_word(x['parameter'], lg))}")
            for f in c.get("flagged") or []:  # laboratory results: file:row and what is lacking
                why = ("、" if zh else "; ").join(flag_text(x, lg, c["accreditations"]) for x in f["flags"])
                console.print(f"    {escape(str(d['lab']['file']))}:{f['row']} {why}")


def _close_folder(root: Path, y: int, m: int, store: str | None, records_dir: Path,
                  when: datetime | None, workers: int, cluster: str | None, lg: str) -> None:
    """``month close FOLDER``: the month of every unit in the folder (tanjiliang.month.batch);
    exit 1 when a unit could not be filed, 2 on bad input."""
    from tanjiliang.cli.files import unit_files
    from tanjiliang.model.errors import Issue
    from tanjiliang.month.batch import STATUS_WORDS, close_units
    from tanjiliang.province.cluster import ClusterError

    zh = lg == "zh"
    if store is None:
        raise LoadError([Issue("--store", None, "", "关闭整个目录的月份须给出读数库 --store",
                               "closing a folder's month needs the readings store --store")])
    console = make_console()
    try:
        df = close_units(unit_files([root]), store, records_dir, y, m, workers=workers or None,
                         cluster=cluster, filed_at=when)
    except ClusterError as exc:
        console.print(exc.message(lg))
        raise typer.Exit(2) from None
    counts = {k: df.filter(df["status"] == k).height for k in STATUS_WORDS}
    label = f"{y:04d}-{m:02d}"
    console.print(("，".join(f"{STATUS_WORDS[k][0]} {n}" for k, n in counts.items() if n)
                   + f"（{label}，共 {df.height} 个单位）→ {records_dir}") if zh else
                  (", ".join(f"{STATUS_WORDS[k][1]} {n}" for k, n in counts.items() if n)
                   + f" ({label}, {df.height} units) → {records_dir}"))
    for row in df.filter(df["status"] == "error").iter_rows(named=True):
        console.print(f"  [red]{escape(row['unit_file'])}[/]: "
                      f"{escape(row['error_zh'] if zh else row['error_en'])}")
    if counts["error"]:
        raise typer.Exit(1)


@app.command("status")
def status(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    records_dir: Annotated[Path, typer.Option("--records", help="folder of filed months 存证目录")],
    today: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today) 今日")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """The year's twelve month cards 全年十二个月的存证状态."""
    from tanjiliang.check import check
    from tanjiliang.model.load import load_unit
    from tanjiliang.month.close import STATUS_WORDS, month_status, unit_pack, year_total

    lg = lang.value
    try:
        unit = load_unit(unit_file)
        pack = unit_pack(unit)  # a relative pack path read beside the unit file, as check does
        day = date_option(today) if today else date.today()
    except LoadError as err:
        raise _bad(err, lg) from None
    except ValueError:
        make_console().print(gettext("--today: “{0}”不是日期", lg, "cli.month").format(today))
        raise typer.Exit(2) from None
    year = unit.unit.year
    cards = month_status(year, records_dir, day, pack)  # deadlines of the unit's pack
    total = year_total(records_dir)
    annual = check(unit, as_of=min(day, date(year, 12, 31))).total_tco2e
    if fmt is Format.json:
        sys.stdout.write(json_text({"format": "tanjiliang/month-status@1", "year": year,
                                    "months": [{**c, "status_text": pick(STATUS_WORDS[c["status"]], lg,
                                                                        f"month.status:{c['status']}")}
                                               for c in cards],
                                    "filed_total_tco2e": total, "annual_assessment_tco2e": annual}))
        return
    table = Table(title=f"{unit.unit.name} {year}", title_justify="left")
    for key, h in STATUS_HEADS.items():
        table.add_column(pick(h, lg, f"cli.month.head:{key}"))
    for c in cards:
        word = pick(STATUS_WORDS[c["status"]], lg, f"month.status:{c['status']}")
        if c["late"]:
            word += gettext("（逾期提交）", lg, "cli.month")
        table.add_row(c["month"], word, c["deadline"], str(c["version"] or "—"),
                      "—" if c["emissions_tco2e"] is None else f"{c['emissions_tco2e']:,.1f}")
    console = make_console()
    console.print(table)
    console.print(gettext("已提交月份合计 {0:,.1f} tCO₂e；年度评价 {1:,.1f} tCO₂e", lg, "cli.month").format(total, annual))


@app.command("verify")
def verify(
    records_dir: Annotated[Path, typer.Option("--records", help="folder of filed months 存证目录")],
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Recompute every record's and evidence file's hash 校验存证哈希."""
    from tanjiliang.month.close import records, verify_records

    zh = lang is Lang.zh
    problems = verify_records(records_dir)
    console = make_console()
    for name, z, e in problems:
        console.print(f"[red]{escape(name)}: {z if zh else e}[/]")
    if problems:
        raise typer.Exit(1)
    n = len(records(records_dir))
    console.print(gettext("{0} 份存证记录全部一致", lang, "cli.month").format(n))


@app.command("export")
def export(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    records_dir: Annotated[Path, typer.Option("--records", help="folder of filed months 存证目录")],
    output: Annotated[Path, typer.Option("-o", "--output", help="filing workbook .xlsx 存证表")],
    bundle: Annotated[Path | None, typer.Option(help="evidence bundle .zip 证据包")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """The monthly filing workbook and the evidence bundle 导出月度存证表与证据包."""
    from tanjiliang.model.load import load_unit
    from tanjiliang.month.export import write_bundle, write_workbook

    lg = lang.value
    try:
        unit = load_unit(unit_file)
    except LoadError as err:
        raise _bad(err, lg) from None
    for p, suffix in ((output, ".xlsx"), (bundle, ".zip")):  # a workbook named .txt is not written
        if p is not None and p.suffix.lower() != suffix:
            raise _bad(LoadError([Issue(str(p), None, "", f"文件须为 {suffix}", f"the file must be {suffix}")]), lg)
    for p in (output, bundle):
        if p is not None and not p.resolve().parent.is_dir():
            make_console().print(f"{p}: {gettext('目录不存在', lg, 'cli.month')}")
            raise typer.Exit(2)
    rows = write_workbook(unit, records_dir, output, lg)
    console = make_console()
    console.print(f"{gettext('已写入', lg, 'cli.month')} {output} ({rows} {gettext('个月', lg, 'cli.month')})")
    if bundle is not None:
        n = write_bundle(records_dir, bundle)
        console.print(f"{gettext('已写入', lg, 'cli.month')} {bundle} ({n} {gettext('个文件', lg, 'cli.month')})")
