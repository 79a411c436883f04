"""``tanjiliang data`` — metering data (readings) checks and CEMS (docs/data.md).

``data check UNIT READINGS... [--from --to] [--format text|json] [--flagged out.csv|.xlsx]``:
exit 0 nothing to report, 1 findings (out-of-tolerance, unreconciled, missing or flagged
data), 2 bad input (nothing written).
``data cems UNIT FILES...``: CO2 mass from CEMS DAS exports (point, time, co2, flow,
temperature, pressure, moisture).
"""

from __future__ import annotations

import math
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tanjiliang.cli.check import Format, Lang
from tanjiliang.cli.lazy import command_imports
from tanjiliang.i18n import gettext
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.write import json_text

app = typer.Typer(help="计量数据检查与 CEMS 计算 — metering data checks and CEMS.", no_args_is_help=True)


def _fail(issues: list[str], lang: str) -> typer.Exit:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print("[bold red]" + (gettext("输入有误，未写入任何文件：", lang, "cli.data")) + "[/]")
    for m in issues:
        console.print(m, markup=False)
    return typer.Exit(2)


def _date(text: str | None, opt: str, lang: str) -> date | None:
    if text is None:
        return None
    from tanjiliang.cli.check import option_date

    day = option_date(text)  # 2025-03-01, 2025/3/1, 2025年3月1日
    if day is None:
        msg = Issue(opt, None, "", f"“{text}”不是日期（如 2025-03-01、2025/3/1、2025年3月1日）",
                    f'"{text}" is not a date (e.g. 2025-03-01, 2025/3/1)')
        raise _fail([msg.message(lang)], lang)
    return day


def _period(unit: Any, start: date | None, end: date | None, from_: str | None, to: str | None,
            lang: str) -> tuple[Any, Any]:
    """The period [start, end) from ``--from``/``--to`` (else the reporting year); refused (exit
    2) when it is empty, naming both dates as typed (a default as the date it stands for)."""
    from tanjiliang.data.quality import reporting_period

    s, e = reporting_period(unit, start, end)
    if e <= s:
        a = f"--from {from_}" if from_ is not None else f"{s:%Y-%m-%d}"
        b = f"--to {to}" if to is not None else f"{e:%Y-%m-%d}"
        zh_a = a if from_ is not None else f"默认起始日 {a}"
        zh_b = b if to is not None else f"默认截止日 {b}（不含）"
        en_a = a if from_ is not None else f"the default start {a}"
        en_b = b if to is not None else f"the default end {b} (exclusive)"
        raise _fail([Issue("--from/--to", None, "", f"期间为空：{zh_a} 不早于 {zh_b}（--to 为截止日，不含当日）",
                           f"the period is empty: {en_a} is not before {en_b} (--to is exclusive)"
                           ).message(lang)], lang)
    return s, e


#: ``--interval`` in seconds: from one second to one year (a meter read less than once a year
#: has no interval to speak of; below a second no meter in a ledger logs).
INTERVAL_S = (1.0, 366 * 86400.0)


def _interval(interval: float | None, lang: str) -> None:
    lo, hi = INTERVAL_S
    if interval is not None and not (math.isfinite(interval) and lo <= interval <= hi):  # nan, inf, -5, 1e-9
        raise _fail([Issue("--interval", None, "", f"“{interval:g}”应为大于 0 的秒数，{lo:g} 至 {hi:,.0f} 秒（366 天）"
                           "（如 3600 为每小时，900 为每 15 分钟）",
                           f'"{interval:g}" must be a number of seconds above 0, from {lo:g} to {hi:,.0f} (366 days) '
                           "(3600: hourly, 900: every 15 minutes)").message(lang)], lang)


def _no_folders(paths: list[Path], lang: str) -> None:
    """A month's folder given where files are expected: said, with how to list its files."""
    folders = [p for p in paths if p.is_dir()]
    if folders:
        raise _fail([Issue(str(p), None, "", f"这是文件夹：请列出其中的读数文件，如 {p}/*.csv 或 {p}/*/*.csv",
                           f"this is a folder: list its readings files, e.g. {p}/*.csv or {p}/*/*.csv").message(lang)
                     for p in folders], lang)


def _console() -> Console:
    c = Console(highlight=False)
    return c if c.is_terminal else Console(highlight=False, width=180)


def write_table(df: pl.DataFrame, path: Path, sheet: str = "flagged") -> None:
    """A frame as CSV (polars) or .xlsx (openpyxl)."""
    from tanjiliang.model.write import atomic_path

    if path.suffix.lower() == ".csv":
        with atomic_path(path) as tmp:
            df.write_csv(tmp)
        return
    from openpyxl import Workbook

    from tanjiliang.model.xlsx import safe_row, save_workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(safe_row(ws, df.columns))
    for row in df.iter_rows():  # output only: openpyxl writes cell by cell
        ws.append(safe_row(ws, row))
    save_workbook(wb, path)


#: The flagged-rows file's columns and sheet in each language (probe s9 #14: English in a
#: Chinese run); the flags are the catalogue's words (assess/labels.py ``flag``).
FLAGGED_HEADERS = {"file": ("文件", "file"), "row": ("行号", "row"), "instrument": ("器具", "instrument"),
                   "time": ("时间", "time"), "value": ("数值", "value"), "unit": ("单位", "unit"),
                   "flags": ("标记", "flags"), "as_written": ("文件中的原文", "as written in the file")}
FLAGGED_SHEET = ("异常读数", "flagged")


def flagged_table(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The flagged rows as the user reads them: headers and flags (重复、突变 / duplicate,
    spike) in ``lang``, times without microseconds, file names as given."""
    from tanjiliang.assess.labels import label

    k = 0 if lang == "zh" else 1
    sep = "、" if lang == "zh" else ", "
    words = {c: label("flag", c, lang) for c in ("duplicate", "negative", "out_of_range", "reset", "rollover",
                                                  "stuck", "spike", "bad_time", "bad_value", "gap")}
    flags = df["flags"].unique().drop_nulls().to_list()  # few distinct combinations
    said = {f: sep.join(words.get(w, w) for w in f.split(",")) for f in flags}
    out = _as_written(df).with_columns(pl.col("flags").replace_strict(said, default=None, return_dtype=pl.String),
                          pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S") if df.schema["time"] != pl.String
                          else pl.col("time"))
    return out.rename({c: FLAGGED_HEADERS[c][k] for c in out.columns if c in FLAGGED_HEADERS})


def _as_written(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` (flagged rows) with ``as_written``: for a time or value that could not be read
    (``bad_time``, ``bad_value``), the text the file holds there (``故障``, ``NaN``, ``2025-13-45``),
    read again from the file; the checks keep only what they could read (null)."""
    from tanjiliang.data.readings import cells_as_written

    bad = df.filter(pl.col("flags").is_in(["bad_time", "bad_value"]))
    if not bad.height:
        return df.with_columns(pl.lit(None, pl.String).alias("as_written"))
    found = []
    for (file,), part in bad.group_by("file"):
        if file is None or not Path(str(file)).is_file():
            continue
        cells = cells_as_written(str(file), part["row"].unique().to_list())
        found.append(cells.with_columns(pl.lit(file, pl.String).alias("file")))
    if not found:
        return df.with_columns(pl.lit(None, pl.String).alias("as_written"))
    cells = pl.concat(found).unique(["file", "row", "instrument"], keep="first")
    return (df.join(cells, on=["file", "row", "instrument"], how="left", maintain_order="left")
            .with_columns(pl.when(pl.col("flags") == "bad_time").then(pl.col("time_text"))
                          .when(pl.col("flags") == "bad_value").then(pl.col("value_text"))
                          .alias("as_written"))
            .drop("time_text", "value_text"))


def basis_words(basis: str | None, lang: str) -> str:
    """A CEMS point's CO2 basis (``dry``, ``wet``, ``dry, wet``) in words: 干基、湿基 / dry basis."""
    from tanjiliang.model.names import ENUM_LABELS

    words = ENUM_LABELS["co2_basis"]
    parts = [words[b][0 if lang == "zh" else 1] for b in (basis or "").split(", ") if b in words]
    return ("、" if lang == "zh" else ", ").join(parts) or "—"


def _f(x: Any, nd: int = 3) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return str(x)


@lru_cache(maxsize=1024)
def _symbol(unit: str | None) -> str | None:
    """A unit as its symbol (pint's short pretty form), or as written when it cannot be read."""
    if not unit:
        return unit
    from tanjiliang.units import parse_unit

    try:
        return f"{parse_unit(unit):~P}"
    except Exception:  # a unit pint cannot read is shown as it is
        return unit


def render(rep: Any, lang: str, console: Console) -> None:
    from tanjiliang.assess.labels import label

    def t(a: str, context: str = "cli.data") -> str:
        return gettext(a, lang, context)

    q = rep.quality
    console.print(f"[bold]{rep.unit.unit.name}[/]  {t('期间')} {q.start:%Y-%m-%d} – {q.end:%Y-%m-%d}  ·  "
                  f"{t('读数')} {q.rows:,}  ·  " + ", ".join(f"{escape(Path(f).name)} ({label('layout', lay, lang)})"
                                              for f, lay in rep.layouts.items()))
    for i in q.issues:
        console.print("[yellow]" + escape(i.message(lang)) + "[/]")
    it = Table(title=t("计量器具数据质量"), title_justify="left")
    heads = [("instrument", t("器具", context="cli.data:instrument")), ("kind", t("类型")), ("n", t("条数")),
             ("coverage_percent", t("覆盖率%")), ("missing", t("缺失")),
             ("gaps", t("断档")), ("duplicates", t("重复")), ("negative", t("负值")),
             ("out_of_range", t("超量程")), ("resets", t("复位")),
             ("rollovers", t("溢出")), ("stuck", t("冻结")), ("spikes", t("突变")),
             ("amount", t("期间计量量")), ("unit", t("单位"))]
    for _, h in heads:
        it.add_column(h)
    for r in q.summary.to_dicts():
        r["kind"] = label("reading_kind", r["kind"], lang)  # 累计值 / 区间量 / 瞬时值, not the code
        r["unit"] = _symbol(r["unit"])  # %, m³/h, °C — not pint's names (percent, m**3/h, degC)
        it.add_row(*[_f(r[k], 2 if k == "coverage_percent" else 3) for k, _ in heads])
    console.print(it)
    st = Table(title=t("源流活动数据（读数合计与申报值对比）"), title_justify="left")
    for h in (t("源流"), t("器具"), t("读数合计"), t("申报"),
              t("单位"), t("期间申报"), t("差异%"), t("缺失读数"), t("缺失活动数据"),
              "tCO₂e " + t("无数据支撑")):
        st.add_column(h)
    for r in rep.streams.to_dicts():
        st.add_row(r["stream"], _f(r["instruments"]), _f(r["metered"]), _f(r["declared"]), _f(r["declared_unit"]),
                   _f(r["declared_in_period"]), _f(r["difference_percent"], 2), _f(r["missing_readings"]), _f(r["missing_activity"]),
                   _f(r["tco2e_at_stake"], 1))
    console.print(st)
    bad = rep.reconciliation.filter(pl.col("status") != "ok")
    if rep.reconciliation.height:
        console.print(t("主表与分表平衡：{0} 个月次，{1} 个不平衡或无法判定").format(rep.reconciliation.height, bad.height))
    if rep.cems is not None:
        ct = Table(title=t("CEMS 实测 CO2（标准状态干基）"), title_justify="left")
        for h in (t("排放口"), t("干湿基准"), "t CO2", t("有效小时"), t("邻近值补"),
                  t("替代"), t("补遗量 t (I)")):
            ct.add_column(h)
        from tanjiliang.data.cems import shown_points

        for r in shown_points(rep.cems.points).to_dicts():  # no valid hour: no total (DATA-MISSING)
            ct.add_row(r["point"], basis_words(r.get("basis"), lang), _f(r["total_t"], 1), str(r["valid"]),
                       str(r["neighbour"]), str(r["substitute"]), _f(r["filled_t"], 1))
        console.print(ct)
        if rep.cems_comparison is not None:
            for r in rep.cems_comparison.to_dicts():
                console.print(t("源流 {0}：实测 {1} t，计算法 {2} t（{3}），差 {4} %").format(r['stream'], _f(r['cems_t'], 1), _f(r['calculation_t'], 1), r['streams'] or "—", _f(r['difference_percent'], 2)))
    cal = [f for f in rep.assessment.findings if f.code.startswith("CAL-")]
    for sev, colour in (("nonconformity", "red"), ("observation", "yellow")):
        items = [f for f in rep.findings + cal if f.severity == sev]
        if not items:
            continue
        ft = Table(title=f"{t('不符合项') if sev == 'nonconformity' else t('观察项')} ({len(items)})",
                   title_justify="left", title_style=f"bold {colour}")
        ft.add_column(t("代码"))
        ft.add_column(t("对象"))
        ft.add_column(t("说明"), overflow="fold")
        for f in items:
            ft.add_row(f.code, f.subject, escape(f.message(lang)))
        console.print(ft)


@app.command("import")
def import_(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    readings: Annotated[list[Path], typer.Argument(metavar="READINGS...", help="CSV, Excel or Parquet readings files — 读数文件（CSV、Excel 或 Parquet）")],
    store: Annotated[str, typer.Option(help="readings store: a folder or s3://bucket/prefix 读数库")],
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Write readings into the store, month by month (re-importing a file changes nothing).
    将读数按月写入读数库。"""
    from tanjiliang.data.readings import ReadingsError
    from tanjiliang.data.store import ReadingsStore, unit_key
    from tanjiliang.model.load import load_unit

    lg = lang.value
    _no_folders(readings, lg)
    try:
        unit = load_unit(unit_file)
        st = ReadingsStore(store)
        res = st.import_files(unit_key(unit), list(readings), {i.id for i in unit.instruments})
    except LoadError as err:
        raise _fail([i.message(lg) for i in err.issues], lg) from None
    except ReadingsError as err:
        raise _fail([i.message(lg) for i in err.issues], lg) from None
    except (OSError, ValueError) as err:
        raise _fail([f"{store}: {err}"], lg) from None
    console = _console()
    for i in res.issues:
        console.print("[yellow]" + escape(i.message(lg)) + "[/]")
    months = ", ".join(f"{y}-{m:02d}" for y, m in res.months) or "—"
    console.print(gettext("已写入 {0:,} 条读数（{1}）→ {2}", lg, "cli.data").format(res.readings, months, store))


@app.command("check")
def check(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    readings: Annotated[list[Path] | None, typer.Argument(metavar="READINGS...", help="CSV, Excel or Parquet readings files — 读数文件（CSV、Excel 或 Parquet）")] = None,
    store: Annotated[str | None, typer.Option(help="read from the readings store instead of files 读数库")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD (default: 1 Jan of the reporting year)")] = None,
    to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD, exclusive (default: 1 Jan of the next year)")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    flagged: Annotated[Path | None, typer.Option("--flagged", help="write flagged rows to .csv or .xlsx 异常读数")] = None,
    pack: Annotated[str | None, typer.Option(help="rule pack 规则包")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
    ledger: Annotated[Path | None, typer.Option(help="Excel ledger replacing the file's instruments 台账")] = None,
    interval: Annotated[float | None, typer.Option(help="expected interval in seconds (default: per instrument, median step)")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Check readings against the unit: quality, coverage, activity, reconciliation, CEMS,
    out-of-tolerance impact. 检查计量数据。"""
    with command_imports():  # the collector paused while they load (cli/lazy.py)
        from tanjiliang.data.readings import READ_ERRORS, ReadingsError
        from tanjiliang.data.report import run
        from tanjiliang.model.load import load_unit
        from tanjiliang.rules.load import load_pack

    lg = lang.value
    _no_folders(readings or [], lg)
    start, end = _date(from_, "--from", lg), _date(to, "--to", lg)
    day = _date(as_of, "--as-of", lg)
    if flagged is not None and flagged.suffix.lower() not in (".csv", ".xlsx"):
        raise _fail([Issue(str(flagged), None, "", "只能写 .csv 或 .xlsx", "must be .csv or .xlsx").message(lg)], lg)
    _interval(interval, lg)
    try:
        unit = load_unit(unit_file)
        if ledger is not None:
            from tanjiliang.ledger import apply_ledger

            unit = apply_ledger(unit, ledger)
        loaded = load_pack(pack or unit.pack)
        _period(unit, start, end, from_, to, lg)
        if store is not None:
            from tanjiliang.data.store import ReadingsStore, unit_key

            rep = run(unit, ReadingsStore(store).source(unit_key(unit)), loaded, start, end,
                      day, interval)
        elif readings:
            rep = run(unit, list(readings), loaded, start, end, day, interval)
        else:
            raise _fail([Issue("tanjiliang data check", None, "", "请给出读数文件或 --store",
                               "give readings files or --store").message(lg)], lg)
    except LoadError as err:
        raise _fail([i.message(lg) for i in err.issues], lg) from None
    except ReadingsError as err:
        raise _fail([i.message(lg) for i in err.issues], lg) from None
    except READ_ERRORS as exc:  # a large Parquet file found corrupt only while it is read
        files = ", ".join(str(r) for r in readings)
        raise _fail([f"{files}: 无法读取（文件损坏）" if lg == "zh" else f"{files}: cannot be read (corrupt): "
                     + str(exc).splitlines()[0]], lg) from None
    if flagged is not None:
        write_table(flagged_table(rep.quality.flagged, lg), flagged, FLAGGED_SHEET[0 if lg == "zh" else 1])
    if fmt is Format.json:
        sys.stdout.write(json_text(rep.to_json(lg)))  # never NaN or Infinity
    else:
        render(rep, lg, _console())
    cal = [f for f in rep.assessment.findings if f.code.startswith("CAL-") and f.severity == "nonconformity"]
    raise typer.Exit(1 if rep.findings or cal else 0)


def _co2_unit(text: str) -> str | None:
    """``--co2-unit`` as written (``percent``, ``%``, ``mg/m3``, ``mg/m³``, ``mg/Nm3`` is not:
    the DAS value is at actual conditions) → ``percent`` or ``mg/m3``; None if neither."""
    import unicodedata

    t = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    if t in ("percent", "%", "%vol", "vol%", "体积分数", "百分比"):
        return "percent"
    if t in ("mg/m3", "mg/m^3", "mg/m**3", "毫克/立方米"):
        return "mg/m3"
    return None


def _basis(text: str | None) -> str | None:
    """``--basis`` as the unit file takes it (``dry``, ``wet``, 干基, 湿基 and the words of
    model/names.yaml ``co2_basis``) → ``dry`` / ``wet``; None if it names neither."""
    if text is None:
        return None
    from tanjiliang.model.names import NameProblem, resolve

    try:
        return resolve("co2_basis", text, strict=True).code
    except NameProblem:
        return None


@app.command("cems")
def cems(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    files: Annotated[list[Path], typer.Argument(metavar="FILES...", help="DAS exports: point,time,co2,flow,temperature,pressure,moisture")],
    co2_unit: Annotated[str, typer.Option("--co2-unit", help="percent | mg/m3")] = "percent",
    basis: Annotated[str | None, typer.Option(help="dry | wet: CO2 concentration basis (default: the unit file's; else % dry, mg/m3 wet)")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD (default: 1 Jan of the reporting year)")] = None,
    to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD, exclusive (default: 1 Jan of the next year)")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """CO2 mass per hour and per year from CEMS exports. 由 CEMS 数据计算 CO2 排放量。"""
    from tanjiliang.data import cems as cm
    from tanjiliang.model.load import load_unit

    lg = lang.value
    start, end = _date(from_, "--from", lg), _date(to, "--to", lg)
    unit_code, basis_code = _co2_unit(co2_unit), _basis(basis)
    if unit_code is None or (basis is not None and basis_code is None):
        bad = (("--co2-unit", co2_unit, "percent | % | mg/m3 | mg/m³") if unit_code is None
               else ("--basis", basis, "dry | wet | 干基 | 湿基"))
        raise _fail([Issue(bad[0], None, "", f"“{bad[1]}”不是可选值（{bad[2]}）",
                           f'"{bad[1]}" is not one of {bad[2]}').message(lg)], lg)
    co2_unit, basis = unit_code, basis_code
    try:
        unit = load_unit(unit_file)
    except LoadError as err:
        raise _fail([i.message(lg) for i in err.issues], lg) from None
    s, e = _period(unit, start, end, from_, to, lg)
    # --basis for every point; else each point's CO2 analyser's basis as the unit file declares
    # it (``basis: wet`` / 湿基), which a DAS export cannot tell apart when a point has two
    bases, mixed = cm.point_bases(unit, co2_unit) if basis is None else ({}, [])
    if mixed:
        def said(ins: list[Any], lang: str) -> str:  # C1 湿基、C2 干基 / C1 wet basis, C2 dry basis
            return ("、" if lang == "zh" else ", ").join(
                f"{i.id} {basis_words(cm.CO2_COLUMNS[cm.co2_column(co2_unit, i.basis)][1], lang)}"
                for i in ins)

        def where(ins: list[Any]) -> tuple[str | int, ...]:  # the basis that differs from the first's
            first = cm.co2_column(co2_unit, ins[0].basis)
            odd = next(i for i in ins if cm.co2_column(co2_unit, i.basis) != first)
            return ("instruments", next(k for k, i in enumerate(unit.instruments) if i is odd), "basis")

        raise _fail([unit.issue(where(ins),
                                f"排放口 {p} 的 CO2 分析仪干湿基准不同（{said(ins, 'zh')}），无法判断 DAS 导出数据的基准："
                                "请用 --basis dry 或 --basis wet 指明",
                                f"the CO2 analysers of emission point {p} have different measurement bases "
                                f"({said(ins, 'en')}), so the DAS export's cannot be told: give --basis dry or --basis wet"
                                ).message(lg)
                     for p, ins in mixed], lg)
    from tanjiliang.data.readings import READ_ERRORS, ReadingsError, read_error, scan_das_export

    known = [p.id for p in unit.emission_points]
    issues: list[Any] = []
    try:  # encodings, separators, empty or corrupt files as for readings (issue 18)
        parts = []
        for f in files:
            lf = scan_das_export(f)
            issues += _das_set_aside(lf, str(f), known)
            parts.append(lf.filter(pl.col("point").is_in(known) & pl.col("time").is_not_null()).drop("row"))
        samples = cm.samples_from_wide(pl.concat(parts), co2_unit, basis or bases)  # minute or hourly: the samples' own step
        res = cm.compute(samples, s, e, cm.median_step(samples, "point", 60.0))
    except ReadingsError as err:
        raise _fail([i.message(lg) for i in err.issues], lg) from None
    except READ_ERRORS as exc:
        raise _fail([i.message(lg) for i in read_error(list(files), exc).issues], lg) from None
    # what the totals do not rest on: points without a valid hour (no total: never 0 t), hours
    # filled (their share), points and rows set aside — each said, and the exit code is 1
    # (as data check's findings; 0: every hour of every point measured)
    unmeasured = sorted(res.points.filter(pl.col("valid") == 0)["point"].to_list())
    notes = [(p, f"{zh}：排放量无法由 CEMS 数据计算", f"{en}: its emissions cannot be computed from the CEMS data")
             for p in unmeasured for zh, en in [cm.no_valid_hour_text(p, s, e, None)]]
    notes += [(str(r["point"]), *cm.filled_text(r, s, e)) for r in cm.filled(res)]
    lines = [i.message(lg) for i in issues] + [zh if lg == "zh" else en for _, zh, en in notes]
    points = cm.shown_points(res.points)
    if fmt is Format.json:
        out = {"format": "tanjiliang/cems@1", "period": {"from": s.isoformat(), "to": e.isoformat()},
               "points": points.to_dicts(), "rules": res.rules,
               "streams": cm.measured_emissions(unit, res),
               "issues": [{"file": i.file, "row": i.row, "column": i.column, "value": i.value,
                           "message": i.message(lg)} for i in issues],
               "notes": [{"point": p, "message": zh if lg == "zh" else en} for p, zh, en in notes],
               "unmeasured_points": unmeasured}
        sys.stdout.write(json_text(out))
        raise typer.Exit(1 if lines else 0)
    console = _console()
    # the columns as data check shows them, in the command line's language (the rules applied,
    # cited in English, are in the JSON and, with --lang en, below the table)
    table = Table(title=(gettext("CEMS 实测 CO2（标准状态干基）", lg, "cli.data")), title_justify="left")
    cols = (("point", "排放口"), ("basis", "干湿基准"), ("total_t", None), ("valid", "有效小时"),
            ("neighbour", "邻近值补"), ("substitute", "替代"), ("filled_t", "补遗量 t (I)"))
    for _, h in cols:
        table.add_column(gettext(h, lg, "cli.data") if h else "t CO2")
    for r in points.to_dicts():
        table.add_row(*[basis_words(r[k], lg) if k == "basis" else _f(r[k], 1) for k, _ in cols])
    console.print(table)
    for line in lines:
        console.print("[yellow]" + escape(line) + "[/]")
    if lg == "en":
        for k, v in res.rules.items():
            console.print(f"{k}: {escape(v)}")
    raise typer.Exit(1 if lines else 0)


def _das_set_aside(lf: pl.LazyFrame, file: str, known: list[str]) -> list[Any]:
    """Rows of a DAS export not computed, said with the file and the first row: a point the
    unit file does not know (probe s9 #11: computed and reported as if it did), a time that
    cannot be read."""
    from tanjiliang.data.readings import ReadingsIssue

    bad = (lf.filter(~pl.col("point").is_in(known) | pl.col("time").is_null())
           .group_by(pl.col("point").is_in(known).alias("known"), "point")
           .agg(pl.len().alias("n"), pl.col("row").min().alias("row"))
           .sort("row").collect())
    out = []
    for r in bad.to_dicts():
        if not r["known"]:
            out.append(ReadingsIssue(file, r["row"], "point", r["point"] or "",
                                     f"单位文件中没有此排放口，{r['n']} 条数据未计算（此为第一条）",
                                     f"not an emission point of the unit file; {r['n']} rows not computed "
                                     "(this is the first)"))
        else:
            out.append(ReadingsIssue(file, r["row"], "time", None,
                                     f"时间无法识别，排放口 {r['point']} 的 {r['n']} 条数据未计算（此为第一条）",
                                     f"unreadable time; {r['n']} rows of emission point {r['point']} not "
                                     "computed (this is the first)"))
    return out

