"""The Excel ledger (台账): template, export and import (docs/ledger.md).

One sheet of instruments with a level column, one sheet of confirmation records, a notes
sheet and a hidden sheet holding the drop-down lists. Import reads that layout and also
workbooks split by level (JJF 1356 Annex B.4–B.6: one sheet per level), finds the header row
in the first rows of each sheet, maps every header (reporting how), and is all-or-nothing:
every problem is collected with sheet, row, column, value and reason before anything is
written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from tanjiliang.ledger.catalogue import (
    CONFIRMATION_COLUMNS,
    INSTRUMENT_COLUMNS,
    KIND,
    LEVELS,
    PLACE_WORDS,
    RESULT,
    SHEET_CONFIRMATIONS,
    SHEET_INSTRUMENTS,
    SHEET_LISTS,
    SHEET_NOTES,
    STATUS,
    Column,
    Mapped,
    match_header,
    norm,
)
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import (
    BOUNDARY,
    LAB,
    ConfirmationRecord,
    Instrument,
    UnitFile,
    mpe_percent,
)
from tanjiliang.rules.schema import Pack

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DERIVED_FILL = PatternFill("solid", fgColor="EDEDED")
MAX_HEADER_SCAN = 10


# ------------------------------------------------------------------------------ writing

@dataclass
class Derived:
    """Values shown in derived columns (from the assessment when one could be made)."""

    level: dict[str, str] = field(default_factory=dict)
    next_due: dict[str, date | None] = field(default_factory=dict)
    points: dict[str, str] = field(default_factory=dict)


def place_level(unit: UnitFile | None, ins: Instrument) -> Any:
    """Level of an instrument's place: boundary 1, sub-unit 2, equipment 3, lab, emission point."""
    if ins.at == BOUNDARY:
        return 1
    if ins.at == LAB:
        return "lab"
    if unit is not None:
        if any(s.id == ins.at for s in unit.subunits):
            return 2
        if any(e.id == ins.at for e in unit.equipment):
            return 3
        if any(p.id == ins.at for p in unit.emission_points):
            return "emission_point"
    return None


def derive(unit: UnitFile, pack: Any = None, as_of: date | None = None, lang: str = "zh") -> Derived:
    """Level (the assessment's, which folds equivalent places; lab and emission points by
    place), next due date and metering points; by place only if the unit cannot be assessed."""
    k = 0 if lang == "zh" else 1
    out = Derived()
    result = None
    try:
        from tanjiliang.assess.engine import assess

        result = assess(unit, pack, as_of)
    except LoadError:
        result = None
    by_id = {i.id: i for i in result.instruments} if result is not None else {}
    for ins in unit.instruments:
        lv = place_level(unit, ins)
        r = by_id.get(ins.id)
        if r is not None and lv not in ("lab", "emission_point") and r.level is not None:
            lv = r.level
        out.level[ins.id] = LEVELS[lv][k] if lv in LEVELS else ""
        if r is not None:
            out.next_due[ins.id] = r.next_due
            out.points[ins.id] = ", ".join(r.points)
    return out


def _enum_label(mapping: dict[str, tuple[str, str]], code: str | None, lang: str) -> str | None:
    if code is None:
        return None
    return mapping[code][0 if lang == "zh" else 1] if code in mapping else code


def _type_label(pack: Pack | None, code: str, lang: str) -> str:
    t = pack.instrument_type(code) if pack is not None else None
    return t.name(lang) if t is not None else code


def _cell_value(ins: Instrument, col: Column, pack: Pack | None, lang: str, no: int,
                derived: Derived) -> Any:
    if col.field == "_no":
        return no
    if col.field == "_level":
        return derived.level.get(ins.id)
    if col.field == "_mpe":
        m = mpe_percent(ins.accuracy)
        return None if m is None else f"{m:g}"
    if col.field == "_next_due":
        return derived.next_due.get(ins.id)
    if col.field == "_points":
        return derived.points.get(ins.id)
    v = getattr(ins, col.field)
    if col.kind == "enum_status":
        return _enum_label(STATUS, v, lang)
    if col.kind == "enum_kind":
        return _enum_label(KIND, v, lang)
    if col.kind == "type":
        return _type_label(pack, v, lang)
    return v


def _conf_value(ins: Instrument, rec: ConfirmationRecord, col: Column, lang: str) -> Any:
    if col.field == "instrument":
        return ins.id
    v = getattr(rec, col.field)
    if col.kind == "enum_kind":
        return _enum_label(KIND, v, lang)
    if col.kind == "enum_result":
        return _enum_label(RESULT, v, lang)
    if col.kind == "list":
        return None if v is None else "; ".join(v)
    return v


def _header(ws: Worksheet, columns: tuple[Column, ...]) -> None:
    for j, c in enumerate(columns, 1):
        cell = ws.cell(1, j, c.header)
        cell.font = Font(bold=True)
        cell.fill = DERIVED_FILL if c.derived else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = c.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _put(ws: Worksheet, row: int, col: int, value: Any, kind: str) -> None:
    cell = ws.cell(row, col, value)
    if kind == "date":
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str) or value is None:
        cell.number_format = "@"  # text: "0.50" stays "0.50", "2019-0032" stays text
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # a text that looks like a formula stays text


def _lists(wb: Workbook, pack: Pack | None, unit: UnitFile | None, lang: str) -> dict[str, str]:
    """The hidden sheet of drop-down values; returns field → list formula."""
    k = 0 if lang == "zh" else 1
    ws = wb.create_sheet(SHEET_LISTS)
    ws.sheet_state = "hidden"
    places = [BOUNDARY, LAB]
    if unit is not None:
        places += [s.id for s in unit.subunits] + [e.id for e in unit.equipment] + \
            [p.id for p in unit.emission_points]
    lists = {
        "type": [t.name(lang) for t in pack.instrument_types] if pack is not None else [],
        "status": [v[k] for v in STATUS.values()],
        "kind": [v[k] for v in KIND.values()],
        "result": [v[k] for v in RESULT.values()],
        "place": places,
    }
    out = {}
    for j, (name, values) in enumerate(lists.items(), 1):
        ws.cell(1, j, name)
        for i, v in enumerate(values, 2):
            ws.cell(i, j, v).number_format = "@"
        if values:
            letter = get_column_letter(j)
            out[name] = f"{quote_sheetname(SHEET_LISTS)}!${letter}$2:${letter}${len(values) + 1}"
    return out


def _validate(ws: Worksheet, columns: tuple[Column, ...], formulas: dict[str, str], rows: int,
              lang: str) -> None:
    which = {"type": "type", "enum_status": "status", "enum_kind": "kind", "enum_result": "result",
             "place": "place"}
    for j, c in enumerate(columns, 1):
        name = which.get(c.kind)
        if name is None or name not in formulas:
            continue
        strict = name in ("status", "kind", "result")
        dv = DataValidation(type="list", formula1=f"={formulas[name]}", allow_blank=True,
                            showErrorMessage=True, errorStyle="stop" if strict else "warning")
        dv.error = ("请从下拉列表选择" if lang == "zh" else "choose from the list")
        letter = get_column_letter(j)
        dv.add(f"{letter}2:{letter}{rows}")
        ws.add_data_validation(dv)


def _notes(wb: Workbook, lang: str) -> None:
    ws = wb.create_sheet(SHEET_NOTES)
    zh = lang == "zh"
    lines = [
        ("碳计量器具台账（JJF 1356-2012 附录B 栏目 + 碳计量字段）" if zh else
         "Carbon metering instrument ledger (JJF 1356-2012 Annex B columns + carbon fields)"),
        ("一张表列出全部器具，“层级”列标明一级/二级/三级/实验室/排放口；灰色列为计算列，导入时不读取。" if zh else
         "One sheet lists every instrument; the Level column tells level 1/2/3, laboratory or emission "
         "point. Grey columns are computed and not imported."),
        ("“确认记录”表每行一次检定/校准；计量标准可填本台账中器具的管理编号，多个用分号分隔。" if zh else
         "The Confirmations sheet holds one verification or calibration per row; reference standards may "
         "name instruments of this ledger, separated by semicolons."),
        ("导入为全部成功或全部不写入；所有问题一次列出（表、行、列、值、原因）。" if zh else
         "Import is all-or-nothing; every problem is listed at once (sheet, row, column, value, reason)."),
    ]
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    for i, line in enumerate(lines, 1):
        ws.cell(i, 1, line)
    r = len(lines) + 2
    ws.cell(r, 1, "栏目 Column").font = Font(bold=True)
    ws.cell(r, 2, "字段 Field").font = Font(bold=True)
    for c in INSTRUMENT_COLUMNS + CONFIRMATION_COLUMNS:
        r += 1
        ws.cell(r, 1, c.header.replace("\n", " "))
        ws.cell(r, 2, ("(计算列 computed)" if c.derived else c.field))


def write_ledger(path: str | Path, unit: UnitFile | None, pack: Pack | None, lang: str = "zh",
                 derived: Derived | None = None) -> None:
    """Write the ledger of ``unit`` (or an empty template when ``unit`` is None)."""
    derived = derived or Derived()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_INSTRUMENTS
    _header(ws, INSTRUMENT_COLUMNS)
    cs = wb.create_sheet(SHEET_CONFIRMATIONS)
    _header(cs, CONFIRMATION_COLUMNS)
    instruments = unit.instruments if unit is not None else []
    r = 1
    for n, ins in enumerate(instruments, 1):
        for j, c in enumerate(INSTRUMENT_COLUMNS, 1):
            _put(ws, n + 1, j, _cell_value(ins, c, pack, lang, n, derived), c.kind)
        for rec in ins.confirmations or []:
            r += 1
            for j, c in enumerate(CONFIRMATION_COLUMNS, 1):
                _put(cs, r, j, _conf_value(ins, rec, c, lang), c.kind)
    _notes(wb, lang)
    formulas = _lists(wb, pack, unit, lang)
    rows = max(1000, len(instruments) + 500)
    _validate(ws, INSTRUMENT_COLUMNS, formulas, rows, lang)
    _validate(cs, CONFIRMATION_COLUMNS, formulas, max(2000, r + 500), lang)
    from tanjiliang.model.write import atomic_path

    with atomic_path(path) as tmp:
        wb.save(tmp)


# ------------------------------------------------------------------------------ reading

@dataclass(frozen=True, slots=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None  # letter
    header: str | None
    value: Any
    zh: str
    en: str

    def issue(self, file: str) -> Issue:
        where = f"{self.sheet}" + (f"!{self.column}{self.row or ''}" if self.column else "")
        where += f" [{self.header.replace(chr(10), ' ')}]" if self.header else ""
        shown = "" if self.value is None else f"“{self.value}” "
        shown_en = "" if self.value is None else f'"{self.value}": '
        return Issue(file, self.row, where, f"{shown}{self.zh}", f"{shown_en}{self.en}")


@dataclass
class MappedHeader:
    sheet: str
    column: str  # letter
    text: str
    field: str | None
    how: str  # exact | variant | synonym | derived | empty | unknown


@dataclass
class LedgerRead:
    instruments: list[dict[str, Any]]
    headers: list[MappedHeader]
    problems: list[Problem]
    where: dict[tuple[str | int, ...], tuple[str, int, str | None, str | None]]  # model path → cell

    def report(self, lang: str = "zh") -> list[str]:
        """What each header was mapped to (never a silent guess)."""
        zh = lang == "zh"
        how_zh = {"exact": "完全一致", "variant": "格式变体（全角/空格/大小写）", "synonym": "同义词",
                  "derived": "计算列，不导入", "empty": "空列，忽略", "unknown": "无法识别"}
        out = []
        for h in self.headers:
            text = h.text.replace("\n", " ")
            if zh:
                out.append(f"{h.sheet}!{h.column} “{text}” → {h.field or '—'}（{how_zh[h.how]}）")
            else:
                out.append(f"{h.sheet}!{h.column} \"{text}\" → {h.field or '—'} ({h.how})")
        return out


class LedgerError(LoadError):
    """A ledger that cannot be imported; ``problems`` has sheet/row/column/value/reason."""

    def __init__(self, file: str, problems: list[Problem], read: LedgerRead | None = None) -> None:
        self.problems = problems
        self.read = read
        super().__init__([p.issue(file) for p in problems])


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def _date(v: Any) -> tuple[date | None, bool]:
    """(date, ok)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, True
    if isinstance(v, datetime):
        return v.date(), True
    if isinstance(v, date):
        return v, True
    m = _DATE_TEXT.match(unicodedata.normalize("NFKC", str(v)))
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])), True
        except ValueError:
            return None, False
    return None, False


def _enum(mapping: dict[str, tuple[str, str]], text: str) -> str | None:
    n = norm(text)
    for code, (zh, en) in mapping.items():
        if n in (norm(code), norm(zh), norm(en)):
            return code
    return None


def _type_code(pack: Pack | None, text: str) -> str:
    if pack is None:
        return text
    n = norm(text)
    for t in pack.instrument_types:
        if n in (norm(t.id), norm(t.name.zh), norm(t.name.en)):
            return t.id
    return text


def _find_header(ws: Worksheet, columns: tuple[Column, ...]) -> tuple[int, dict[int, Mapped]] | None:
    best: tuple[int, dict[int, Mapped]] | None = None
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=MAX_HEADER_SCAN, values_only=True), 1):
        mapped = {j: m for j, v in enumerate(row, 1)
                  if v is not None and (m := match_header(str(v), columns)) is not None}
        if len(mapped) >= 2 and (best is None or len(mapped) > len(best[1])):
            best = (r, mapped)
    return best


def _is_confirmation_sheet(mapped: dict[int, Mapped]) -> bool:
    fields = {m.column.field for m in mapped.values()}
    return "date" in fields and "instrument" in fields


def read_ledger(path: str | Path, pack: Pack | None = None) -> LedgerRead:
    """Read every instrument sheet and the confirmation sheet; collect every problem."""
    file = str(path)
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except FileNotFoundError:
        raise LedgerError(file, [Problem("", None, None, None, None, "文件不存在", "no such file")]) from None
    except Exception as exc:  # openpyxl raises several kinds for a file that is not xlsx
        raise LedgerError(file, [Problem("", None, None, None, None, f"不是有效的 .xlsx 文件（{exc}）",
                                         f"not a valid .xlsx file ({exc})")]) from None
    problems: list[Problem] = []
    headers: list[MappedHeader] = []
    instruments: list[dict[str, Any]] = []
    where: dict[tuple[str | int, ...], tuple[str, int, str | None, str | None]] = {}
    confirmations: list[tuple[str, int, dict[str, Any], dict[str, tuple[str, str]]]] = []
    found_instruments = False
    for ws in wb.worksheets:
        if ws.title == SHEET_LISTS or ws.sheet_state != "visible":
            continue
        conf = _find_header(ws, CONFIRMATION_COLUMNS)
        inst = _find_header(ws, INSTRUMENT_COLUMNS)
        if conf is not None and _is_confirmation_sheet(conf[1]) and (inst is None or len(conf[1]) >= len(inst[1])):
            (hrow, mapped), is_conf = conf, True
        elif inst is not None and {"id", "name"} <= {m.column.field for m in inst[1].values()}:
            (hrow, mapped), is_conf = inst, False
            found_instruments = True
        else:
            continue
        header_row = next(ws.iter_rows(min_row=hrow, max_row=hrow, values_only=True))
        body = list(ws.iter_rows(min_row=hrow + 1, values_only=True))
        seen: dict[str, str] = {}
        use: dict[int, Column] = {}
        for j, text in enumerate(header_row, 1):
            if text is None or str(text).strip() == "":
                continue
            letter = get_column_letter(j)
            m = mapped.get(j)
            has_data = any(j - 1 < len(r) and _text(r[j - 1]) is not None for r in body)
            if m is None:
                headers.append(MappedHeader(ws.title, letter, str(text), None,
                                            "unknown" if has_data else "empty"))
                if has_data:
                    problems.append(Problem(ws.title, hrow, letter, str(text), None,
                                            "无法识别的列（有数据）；请改用台账模板中的列名",
                                            "unknown column with data; use a column name of the ledger template"))
                continue
            c = m.column
            headers.append(MappedHeader(ws.title, letter, str(text), c.field,
                                        "derived" if c.derived else m.how))
            if c.field in seen:
                problems.append(Problem(ws.title, hrow, letter, str(text), None,
                                        f"与 {seen[c.field]} 列是同一字段，列重复",
                                        f"names the same field as column {seen[c.field]}"))
                continue
            seen[c.field] = letter
            use[j] = c
        for i, row in enumerate(body, hrow + 1):
            values = {j: row[j - 1] if j - 1 < len(row) else None for j in use}
            if all(_text(v) is None for v in values.values()):
                continue
            rec: dict[str, Any] = {}
            cells: dict[str, tuple[str, str]] = {}
            for j, c in use.items():
                v = values[j]
                letter = get_column_letter(j)
                header = c.header
                if c.derived:
                    if c.field == "_mpe" and _text(v) is not None:
                        acc_col = next((k for k, cc in use.items() if cc.field == "accuracy"), None)
                        if acc_col is None or _text(values[acc_col]) is None:
                            problems.append(Problem(ws.title, i, letter, header, _text(v),
                                                    "最大允许误差为计算列；请在“准确度等级”列填写（如 ±0.5 %）",
                                                    'MPE is computed; write it in the accuracy column (e.g. "±0.5 %")'))
                    continue
                cells[c.field] = (letter, header)
                if c.kind == "date":
                    d, ok = _date(v)
                    if not ok:
                        problems.append(Problem(ws.title, i, letter, header, _text(v),
                                                "不是有效日期（应为 YYYY-MM-DD）", "not a date (YYYY-MM-DD)"))
                    elif d is not None:
                        rec[c.field] = d
                    continue
                t = _text(v)
                if t is None:
                    continue
                if c.kind in ("enum_status", "enum_kind", "enum_result"):
                    mapping = {"enum_status": STATUS, "enum_kind": KIND, "enum_result": RESULT}[c.kind]
                    code = _enum(mapping, t)
                    if code is None:
                        allowed = "、".join(f"{z}/{e}/{k}" for k, (z, e) in mapping.items())
                        problems.append(Problem(ws.title, i, letter, header, t, f"应为 {allowed} 之一",
                                                f"must be one of {allowed}"))
                        continue
                    rec[c.field] = code
                elif c.kind == "type":
                    rec[c.field] = _type_code(pack, t)
                elif c.kind == "place":
                    rec[c.field] = PLACE_WORDS.get(norm(t), t)
                elif c.kind == "list":
                    rec[c.field] = [p.strip() for p in re.split(r"[;；,，\n]", t) if p.strip()]
                else:
                    rec[c.field] = t
            if is_conf:
                confirmations.append((ws.title, i, rec, cells))
            else:
                k = len(instruments)
                instruments.append(rec)
                for f, (letter, header) in cells.items():
                    where[("instruments", k, f)] = (ws.title, i, letter, header)
                where[("instruments", k)] = (ws.title, i, None, None)
    if not found_instruments:
        problems.append(Problem("", None, None, None, None,
                                "找不到台账表（表头须含“管理编号”和“名称”）",
                                'no ledger sheet (its header needs "管理编号/Management no." and "名称/Name")'))
    # attach confirmation records to their instruments
    index = {rec.get("id"): k for k, rec in enumerate(instruments) if rec.get("id")}
    for sheet, i, rec, cells in confirmations:
        ident = rec.pop("instrument", None)
        letter, header = cells.get("instrument", (None, None))
        if ident is None or ident not in index:
            problems.append(Problem(sheet, i, letter, header, ident,
                                    "不是台账中的管理编号" if ident else "缺少管理编号",
                                    "is not a management no. of the ledger" if ident else "management no. missing"))
            continue
        k = index[ident]
        lst = instruments[k].setdefault("confirmations", [])
        n = len(lst)
        lst.append(rec)
        for f, (lt, hd) in cells.items():
            where[("instruments", k, "confirmations", n, f)] = (sheet, i, lt, hd)
        where[("instruments", k, "confirmations", n)] = (sheet, i, None, None)
    return LedgerRead(instruments, headers, problems, where)


class _CellSource:
    """Duck-typed source map (model path → sheet/row/column) for the loader's checks."""

    def __init__(self, file: str, where: dict[tuple[str | int, ...], tuple[str, int, str | None, str | None]],
                 problems: list[Problem], values: list[dict[str, Any]]) -> None:
        self.file = file
        self.where = where
        self.problems = problems
        self.values = values

    def _cell(self, path: tuple[str | int, ...]) -> tuple[str, int | None, str | None, str | None]:
        p = tuple(path)
        while p:
            if p in self.where:
                return self.where[p]
            p = p[:-1]
        return ("", None, None, None)

    def line(self, path: Any) -> int | None:
        return self._cell(tuple(path))[1]

    def value(self, path: tuple[str | int, ...]) -> Any:
        node: Any = {"instruments": self.values}
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node if not isinstance(node, dict | list) else None

    def issue(self, path: tuple[str | int, ...], zh: str, en: str) -> Issue:
        sheet, row, letter, header = self._cell(path)
        if tuple(path) not in self.where and path and isinstance(path[-1], str):
            cols = CONFIRMATION_COLUMNS if "confirmations" in path else INSTRUMENT_COLUMNS
            col = next((c for c in cols if c.field == path[-1]), None)
            if col is not None:  # a field without a column (or left empty)
                header = col.header
        v = self.value(path)
        prob = Problem(sheet, row, letter, header, v.isoformat() if isinstance(v, date) else v, zh, en)
        self.problems.append(prob)
        return prob.issue(self.file)


def apply_ledger(unit: UnitFile, path: str | Path, pack: Pack | None = None) -> UnitFile:
    """``unit`` with its instruments replaced by the ledger's; :class:`LedgerError` listing
    every problem (nothing is applied) if any."""
    return import_ledger(unit, path, pack)[0]


def import_ledger(unit: UnitFile, path: str | Path, pack: Pack | None = None
                  ) -> tuple[UnitFile, LedgerRead]:
    """:func:`apply_ledger`, also returning what was read (the header mapping report)."""
    from tanjiliang.model.load import reference_issues, validation_issues
    from tanjiliang.model.write import unit_to_data

    if pack is None:
        from tanjiliang.rules.load import load_pack

        try:
            pack = load_pack(unit.pack).pack
        except LoadError:
            pack = None
    read = read_ledger(path, pack)
    file = str(path)
    problems = list(read.problems)
    src = _CellSource(file, read.where, problems, read.instruments)
    # each instrument on its own, so that one bad row does not hide the others' problems
    valid: list[tuple[int, Instrument]] = []
    for k, rec in enumerate(read.instruments):
        try:
            valid.append((k, Instrument.model_validate(rec)))
        except ValidationError as exc:
            validation_issues(exc, rec, _Prefixed(src, ("instruments", k)))  # type: ignore[arg-type]
            if all(isinstance(rec.get(f), str) for f in ("id", "measures", "at")):
                # still check its references (a row can have several problems)
                valid.append((k, Instrument.model_construct(**rec)))
    # references (ids unique, places, streams) of every row that names them
    ref = unit.model_copy(update={"instruments": [ins for _, ins in valid]})
    reference_issues(ref, _Remapped(src, [k for k, _ in valid]))  # type: ignore[arg-type]
    data = unit_to_data(unit)
    data["instruments"] = read.instruments
    new: UnitFile | None = None
    if not problems:
        new = UnitFile.model_validate(data)
    if problems:
        raise LedgerError(file, _dedupe(problems), read)
    assert new is not None
    new._source = unit._source
    return new, read


class _Prefixed:
    """A source whose paths are relative to ``prefix`` (one instrument's dict)."""

    def __init__(self, src: _CellSource, prefix: tuple[str | int, ...]) -> None:
        self.src, self.prefix = src, prefix

    def line(self, path: Any) -> int | None:
        return self.src.line((*self.prefix, *path))

    def issue(self, path: tuple[str | int, ...], zh: str, en: str) -> Issue:
        return self.src.issue((*self.prefix, *path), zh, en)


class _Remapped:
    """A source for a unit holding only the valid rows: ``instruments[j]`` → the row's index."""

    def __init__(self, src: _CellSource, index: list[int]) -> None:
        self.src, self.index = src, index

    def _map(self, path: Any) -> tuple[str | int, ...]:
        p = tuple(path)
        if len(p) >= 2 and p[0] == "instruments" and isinstance(p[1], int) and p[1] < len(self.index):
            return ("instruments", self.index[p[1]], *p[2:])
        return p

    def line(self, path: Any) -> int | None:
        return self.src.line(self._map(path))

    def issue(self, path: tuple[str | int, ...], zh: str, en: str) -> Issue:
        return self.src.issue(self._map(path), zh, en)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    out = []
    for p in problems:
        key = (p.sheet, p.row, p.column, p.zh)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
