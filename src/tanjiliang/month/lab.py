"""Measured parameters of the monthly close (issue 14 §1): laboratory results per batch or
month per stream — 低位发热量 (``ncv``) and 元素碳含量 (``carbon_content``).

A unit-year's results live in one file (CSV or XLSX, first sheet), one row per result, read
all-or-nothing: every problem is reported with the file, the row (as the spreadsheet numbers
it, header = row 1) and the column, in Chinese and English, and nothing is used. Columns
(English or Chinese headers, compared loosely as the readings' are):

======================  =============================  ==========================================
column                  Chinese header                 meaning
======================  =============================  ==========================================
``stream``              源流                            stream id of the unit file (required)
``parameter``           参数 / 检测项目                  ``ncv`` 低位发热量, ``carbon_content`` 元素碳含量
``value``, ``unit``     数值, 单位                      e.g. ``22.35`` ``GJ/t``; ``52.4`` ``%``
``month``               月份                            ``YYYY-MM`` (or taken from ``sampled``)
``sampled``             采样日期                        ``YYYY-MM-DD``
``batch``               批次                            batch id
``quantity``            批次量                          the batch's amount (weights the month)
``laboratory``          检测机构                        required
``method``              方法标准                        e.g. ``GB/T 213-2008``
``accreditation``       资质                            ``CMA``, ``CNAS`` or both
``certificate``         资质证书编号                    e.g. ``CNAS L1234``
``report``              报告编号                        required
``report_file``         报告文件                        the report's file (kept as evidence)
======================  =============================  ==========================================

The month's value of a stream's parameter is the mean of its results in the month weighted
by batch quantity when every result has one, the plain mean when none has (a month with some
results weighted and some not is refused). Following the power guideline (发电设施 2022: coal
analysed monthly by a CMA/CNAS laboratory, shared/domain.md §6), a result is *flagged* — used,
and the month's check ``lab_results`` not passed — when its laboratory holds none of the
pack's ``monthly.lab_accreditations``, no accreditation certificate number is given, or no
method standard is named.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from tanjiliang.i18n import gettext, pairs, pick
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import UnitFile

HEADERS: dict[str, tuple[str, ...]] = {
    "stream": ("stream", "源流", "源流编号", "燃料", "品种"),
    "parameter": ("parameter", "参数", "检测项目", "项目", "化验项目"),
    "value": ("value", "数值", "结果", "检测结果", "化验结果", "值"),
    "unit": ("unit", "单位", "计量单位"),
    "month": ("month", "月份", "所属月份"),
    "sampled": ("sampled", "samplingdate", "采样日期", "取样日期", "采样时间"),
    "batch": ("batch", "批次", "批次号", "样品编号"),
    "quantity": ("quantity", "批次量", "数量", "对应燃料量", "入炉量"),
    "laboratory": ("laboratory", "lab", "检测机构", "实验室", "化验单位", "检测单位"),
    "method": ("method", "方法标准", "检测方法", "检测标准", "方法"),
    "accreditation": ("accreditation", "资质", "资质类型", "认可认定"),
    "certificate": ("certificate", "资质证书编号", "证书编号", "认可证书编号"),
    "report": ("report", "报告编号", "检测报告编号"),
    "report_file": ("reportfile", "报告文件", "报告附件"),
}
REQUIRED = ("stream", "parameter", "value", "unit", "laboratory", "report")

#: Parameter names accepted, each with the dimensions its unit may have.
PARAMETERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ncv": (("ncv", "低位发热量", "收到基低位发热量", "qnet,ar", "qnetar"),
            ("[energy] / [mass]", "[energy] / [length] ** 3", "[energy] / [standard_gas_volume]")),
    "carbon_content": (("carbon_content", "carboncontent", "元素碳含量", "收到基元素碳含量", "碳含量",
                        "car", "单位热值含碳量"),
                       ("[]", "[mass] / [mass]", "[mass] / [energy]")),
}
WORDS = cast("dict[str, tuple[str, str]]", pairs("month.lab.param", {
    "ncv": "低位发热量", "carbon_content": "元素碳含量"}))
FLAG_WORDS = cast("dict[str, tuple[str, str]]", pairs("month.lab.flag", {
    "accreditation": "检测机构无 {acc} 资质",
    "certificate": "未给出资质证书编号",
    "method": "未给出方法标准",
}))
#: How a month's results were averaged (a single result says nothing).
WEIGHTING = cast("dict[str, tuple[str, str]]", pairs("month.lab.weighting", {
    "quantity": "按批次量加权",
    "mean": "算术平均"}))


def _norm(text: object) -> str:
    from tanjiliang.data.readings import norm_header

    return norm_header(text)


@dataclass(frozen=True)
class LabResult:
    """One laboratory result as read (row: the spreadsheet's row number)."""

    row: int
    stream: str
    parameter: str
    value: float
    unit: str
    month: str
    sampled: str | None
    batch: str | None
    quantity: float | None
    laboratory: str
    method: str | None
    accreditation: str | None
    certificate: str | None
    report: str
    report_file: str | None
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "row", "stream", "parameter", "value", "unit", "month", "sampled", "batch",
            "quantity", "laboratory", "method", "accreditation", "certificate", "report",
            "report_file")} | {"flags": list(self.flags)}


@dataclass
class LabResults:
    """A unit-year's laboratory results (``file``: the name errors and records give)."""

    file: str
    results: list[LabResult] = field(default_factory=list)
    accreditations: tuple[str, ...] = ("CMA", "CNAS")

    def of_month(self, label: str) -> list[LabResult]:
        return [r for r in self.results if r.month == label]

    def month_values(self, label: str) -> dict[str, dict[str, dict[str, Any]]]:
        """stream → parameter → the month's value (see the module docstring)."""
        groups: dict[tuple[str, str], list[LabResult]] = {}
        for r in self.of_month(label):
            groups.setdefault((r.stream, r.parameter), []).append(r)
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for (sid, name), rows in groups.items():
            out.setdefault(sid, {})[name] = month_value(rows)
        return out


def month_value(rows: list[LabResult]) -> dict[str, Any]:
    """The month's value of one stream's parameter from its results, in the first result's
    unit: Σ vᵢ·qᵢ / Σ qᵢ when every result carries a batch quantity, else Σ vᵢ / n."""
    from tanjiliang.units import parse_quantity

    unit = rows[0].unit
    values = [float(parse_quantity(f"{r.value} {r.unit}").to(parse_quantity(f"1 {unit}").units)
                    .magnitude) if r.unit != unit else r.value for r in rows]
    weighted = all(r.quantity is not None for r in rows)
    if weighted:
        qs = [float(r.quantity or 0.0) for r in rows]
        value = sum(v * q for v, q in zip(values, qs, strict=True)) / sum(qs)
    else:
        value = sum(values) / len(values)
    return {"value": value, "unit": unit, "results": len(rows),
            "weighting": "quantity" if weighted and len(rows) > 1 else ("mean" if len(rows) > 1 else "single"),
            "rows": [r.row for r in rows], "flagged": [r.row for r in rows if r.flags]}


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    s = str(v).strip()
    return s or None


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """(header, [(row number, cells)]) of a CSV or the first sheet of an XLSX."""
    from tanjiliang.data.readings import ReadingsError, read_excel_text, sniff_csv

    name = str(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise LoadError([Issue(name, None, "", "文件不存在", "no such file")])
    if suffix in (".xlsx", ".xlsm"):
        from tanjiliang.model.limits import check_workbook

        check_workbook(path)
        try:
            df = read_excel_text(path, headers=HEADERS["stream"])  # the sheet naming streams
        except (ReadingsError, Exception):  # fastexcel has its own error types
            raise LoadError([Issue(name, None, "", "无法读取：文件损坏或不是 Excel 工作簿（.xlsx）",
                                   "cannot read it: a damaged file or not an Excel workbook (.xlsx)")]) from None
        header = [str(c) for c in df.columns]
        body = [(i + 2, [_text(v) for v in row]) for i, row in enumerate(df.iter_rows())]
        return header, body
    if suffix in (".csv", ".txt"):
        from tanjiliang.model.limits import current_limits

        if path.stat().st_size > current_limits().max_file_bytes:
            raise LoadError([Issue(name, None, "", "文件过大", "the file is too large")])
        d = sniff_csv(path)
        with open(path, encoding=d.encoding, errors="replace", newline="") as f:
            lines = list(csv.reader(f, delimiter=d.separator))
        if not lines:
            return [], []
        header = [c.lstrip("\ufeff") for c in lines[0]]
        body = []
        for i, cells in enumerate(lines[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            texts: list[str | None] = [_text(c) for c in cells]
            if d.decimal_comma:
                texts = [t.replace(",", ".") if t and re.fullmatch(r"-?\d+,\d+", t) else t for t in texts]
            body.append((i, texts))
        return header, body
    raise LoadError([Issue(name, None, "", f"不支持的文件类型“{suffix}”（应为 .csv 或 .xlsx）",
                           f'unsupported file type "{suffix}" (use .csv or .xlsx)')])


def _header_zh(key: str) -> str:
    """A column's Chinese header (the first Chinese synonym): 检测机构 for ``laboratory``."""
    return next(a for a in HEADERS[key] if re.search(r"[\u4e00-\u9fff]", a))


def _header_en(key: str) -> str:
    return key.replace("_", " ")


def _columns(name: str, header: list[str]) -> dict[str, int]:
    """The columns by their meaning; an unknown or missing column named with the headers
    accepted, in the user's language (never the program's keys in Chinese)."""
    known = {_norm(a): key for key, names in HEADERS.items() for a in names}
    cols: dict[str, int] = {}
    problems = []
    zh_all, en_all = "、".join(_header_zh(k) for k in HEADERS), ", ".join(_header_en(k) for k in HEADERS)
    for i, h in enumerate(header):
        key = known.get(_norm(h))
        if key is None:
            problems.append(Issue(name, 1, h, f"不认识的列“{h}”（可用：{zh_all}）",
                                  f'unknown column "{h}" (known: {en_all})'))
        elif key in cols:
            problems.append(Issue(name, 1, h, f"列“{h}”重复", f'column "{h}" appears twice'))
        else:
            cols[key] = i
    missing = [k for k in REQUIRED if k not in cols]
    if "month" not in cols and "sampled" not in cols:
        missing.append("month")
    for k in missing:
        problems.append(Issue(name, 1, "", f"缺少“{_header_zh(k)}”列", f'the column "{_header_en(k)}" is missing'))
    if problems:
        raise LoadError(problems)
    return cols


def read_lab(path: Path, unit: UnitFile, *, name: str | None = None,
             accreditations: Iterable[str] = ("CMA", "CNAS")) -> LabResults:
    """Read and check a laboratory results file for ``unit``'s year (all-or-nothing:
    :class:`LoadError` listing every problem)."""
    from tanjiliang.model.names import parse_date
    from tanjiliang.units import QuantityError, parse_quantity

    fname = name or path.name
    try:
        header, body = _rows(path)
    except LoadError as err:  # named as the user knows the file (an upload is kept under another)
        raise LoadError([Issue(fname, i.line, i.path, i.zh, i.en) for i in err.issues]) from None
    if not header:
        raise LoadError([Issue(fname, None, "", "文件为空", "the file is empty")])
    try:
        cols = _columns(fname, header)
    except LoadError as err:
        raise LoadError([Issue(fname, i.line, i.path, i.zh, i.en) for i in err.issues]) from None
    shown = {k: header[i] for k, i in cols.items()}  # a problem names the column as the file heads it
    streams = {s.id: s for s in unit.source_streams}
    names = {_norm(a): key for key, (aliases, _) in PARAMETERS.items() for a in aliases}
    accepted = tuple(accreditations)
    year = unit.unit.year
    problems: list[Issue] = []
    out: list[LabResult] = []
    for rownum, cells in body:
        def cell(key: str, cells: list[str | None] = cells) -> str | None:
            i = cols.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        def bad(key: str, zh: str, en: str, rownum: int = rownum) -> None:
            problems.append(Issue(fname, rownum, shown.get(key, key), zh, en))

        for key in REQUIRED:
            if cell(key) is None:
                bad(key, "不能为空", "is empty")
        sid = cell("stream")
        if sid is not None and sid not in streams:
            bad("stream", f"单位文件中没有源流“{sid}”", f'no stream "{sid}" in the unit file')
        elif sid is not None and streams[sid].kind not in ("combustion", "process"):
            bad("stream", f"源流“{sid}”（{streams[sid].kind}）没有化验参数",
                f'stream "{sid}" ({streams[sid].kind}) has no laboratory parameters')
        pname = cell("parameter")
        param = names.get(_norm(pname)) if pname is not None else None
        if pname is not None and param is None:
            bad("parameter", f"不认识的参数“{pname}”（应为 ncv 低位发热量 或 carbon_content 元素碳含量）",
                f'unknown parameter "{pname}" (use ncv or carbon_content)')
        value: float | None = None
        text = cell("value")
        if text is not None:
            try:
                value = float(text)
            except ValueError:
                bad("value", f"“{text}”不是数值", f'"{text}" is not a number')
            else:
                if not math.isfinite(value) or value <= 0:
                    bad("value", f"“{text}”应为正数", f'"{text}" must be a positive number')
                    value = None
        unit_text = cell("unit")
        if value is not None and unit_text is not None and param is not None:
            try:
                q = parse_quantity(f"{value} {unit_text}")
            except QuantityError:
                bad("unit", f"不认识的单位“{unit_text}”", f'unknown unit "{unit_text}"')
            else:
                if not any(q.check(d) for d in PARAMETERS[param][1]):
                    bad("unit", f"“{unit_text}”不是{WORDS[param][0]}的单位",
                        f'"{unit_text}" is not a unit of {WORDS[param][1]}')
                elif q.dimensionless and float(q.to("").magnitude) > 1:
                    bad("value", f"“{value} {unit_text}”超过 100 %", f'"{value} {unit_text}" is over 100 %')
        sampled = cell("sampled")
        sampled_day: date | None = None
        if sampled is not None:
            try:  # as the ledger and the unit file read dates: 2025/3/5, 2025年3月5日, 2025.03.05
                sampled_day = parse_date(sampled)
            except ValueError:
                try:  # a time of day too: 2025-03-05 08:00
                    sampled_day = datetime.fromisoformat(sampled.replace("/", "-")).date()
                except ValueError:
                    bad("sampled", f"“{sampled}”不是日期（如 2025-03-05、2025/3/5、2025年3月5日）",
                        f'"{sampled}" is not a date (e.g. 2025-03-05, 2025/3/5)')
        month = cell("month")
        label: str | None = None
        if month is not None:
            m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", month)
            if m is None or not 1 <= int(m.group(2)) <= 12:
                bad("month", f"“{month}”不是月份 YYYY-MM", f'"{month}" is not a month YYYY-MM')
            else:
                label = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
        if label is None and sampled_day is not None and month is None:
            label = f"{sampled_day.year:04d}-{sampled_day.month:02d}"
        elif label is not None and sampled_day is not None and label != f"{sampled_day:%Y-%m}":
            bad("sampled", f"采样日期 {sampled_day} 不在月份 {label} 内",
                f"the sampling date {sampled_day} is not in the month {label}")
        if label is None and month is None and sampled is None:
            bad("month", "须给出月份或采样日期", "give the month or the sampling date")
        if label is not None and int(label[:4]) != year:
            bad("month", f"{label} 不在报告年度 {year} 内", f"{label} is not in the reporting year {year}")
        quantity: float | None = None
        qtext = cell("quantity")
        if qtext is not None:
            try:
                quantity = float(qtext)
                if not math.isfinite(quantity) or quantity <= 0:
                    raise ValueError
            except ValueError:
                bad("quantity", f"“{qtext}”应为正数", f'"{qtext}" must be a positive number')
                quantity = None
        acc = cell("accreditation")
        flags = []
        if acc is None or not any(a.lower() in acc.lower() for a in accepted):
            flags.append("accreditation")
        if cell("certificate") is None:
            flags.append("certificate")
        if cell("method") is None:
            flags.append("method")
        if (sid in streams and param is not None and value is not None and unit_text is not None
                and label is not None and cell("laboratory") and cell("report")):
            out.append(LabResult(rownum, sid, param, value, unit_text, label,
                                 sampled_day.isoformat() if sampled_day else None, cell("batch"),
                                 quantity, cell("laboratory") or "", cell("method"), acc,
                                 cell("certificate"), cell("report") or "", cell("report_file"),
                                 tuple(flags)))
    groups: dict[tuple[str, str, str], list[LabResult]] = {}
    for r in out:
        groups.setdefault((r.stream, r.parameter, r.month), []).append(r)
    for (sid, param, label), rows in groups.items():
        with_q = [r for r in rows if r.quantity is not None]
        if with_q and len(with_q) != len(rows):
            for r in rows:
                if r.quantity is None:
                    problems.append(Issue(fname, r.row, shown.get("quantity", "quantity"),
                                          f"{sid} {WORDS[param][0]} {label} 的其他结果给出了批次量，此行也须给出",
                                          f"the other results of {sid} {WORDS[param][1]} {label} give a batch quantity; so must this row"))
        dims = {_dimension(r) for r in rows}
        if len(dims) > 1:
            for r in rows[1:]:
                if _dimension(r) != _dimension(rows[0]):
                    problems.append(Issue(fname, r.row, shown.get("unit", "unit"),
                                          f"与第 {rows[0].row} 行的单位“{rows[0].unit}”量纲不同，不能合并为月值",
                                          f'a different dimension from row {rows[0].row}\'s "{rows[0].unit}": cannot make one monthly value'))
    if problems:
        raise LoadError(problems)
    return LabResults(fname, out, accepted)


def _dimension(r: LabResult) -> str:
    from tanjiliang.units import parse_quantity

    return str(parse_quantity(f"{r.value} {r.unit}").dimensionality)


def flag_text(flag: str, lang: str, accreditations: Iterable[str] = ("CMA", "CNAS")) -> str:
    acc = "/".join(accreditations)
    return pick(FLAG_WORDS[flag], lang, f"month.lab.flag:{flag}").format(acc=acc)


def lab_word(param: str, lang: str) -> str:
    """A measured parameter's name (低位发热量, 元素碳含量) in ``lang``."""
    if param not in WORDS:
        return param
    return pick(WORDS[param], lang, f"month.lab.param:{param}")


def _per_energy(unit: str | None) -> bool:
    """Whether a carbon content's unit is per energy (tC/GJ: 单位热值含碳量)."""
    from tanjiliang.units import QuantityError, parse_quantity

    try:
        return bool(unit) and bool(parse_quantity(f"1 {unit}").check("[mass] / [energy]"))
    except QuantityError:
        return False


def lab_lines(data: dict[str, Any], lang: str) -> list[str]:
    """The month's measured parameters as filed: stream, parameter, value, how averaged."""
    zh = lang == "zh"
    out = []
    for s in data.get("streams", []):
        for p in s.get("parameters") or []:
            if p.get("source") != "lab":
                continue
            lab = p["lab"]
            how = lab["weighting"]
            how_text = pick(WEIGHTING[how], lang, f"month.lab.weighting:{how}") \
                if how in WEIGHTING else ""
            word = lab_word(p["name"], lang)
            if p["name"] == "carbon_content" and _per_energy(p.get("unit")):
                # per energy (tC/GJ) it is the guideline's 单位热值含碳量, not 元素碳含量 (by mass)
                word = pick(("单位热值含碳量", gettext("单位热值含碳量", "en", "label:quantity.carbon_content")),
                            lang, "label:quantity.carbon_content")
            text = (f"{s['name']} {word} {p['value']:.4g} {p['unit']}"
                    + (f"（{lab['results']} 个结果，{how_text}）" if zh and how_text else "")
                    + (f" ({lab['results']} results, {how_text})" if not zh and how_text else ""))
            out.append(text)
    return out
