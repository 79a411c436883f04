"""The Excel ledger (台账): template, export and import (docs/ledger.md).

One sheet of instruments with a level column, one sheet of confirmation records, a notes
sheet and a hidden sheet holding the drop-down lists. Import reads that layout and also
workbooks split by level (JJF 1356 Annex B.4–B.6: one sheet per level), finds the header row
in the first rows of each sheet, maps every header (reporting how), and is all-or-nothing:
every problem is collected with sheet, row, column, value and reason before anything is
written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from tanjiliang.ledger import changes
from tanjiliang.ledger.catalogue import (
    BASIS,
    CONFIRMATION_COLUMNS,
    INSTRUMENT_COLUMNS,
    KIND,
    LEVELS,
    RESULT,
    SHEET_CONFIRMATIONS,
    SHEET_INSTRUMENTS,
    SHEET_LISTS,
    SHEET_NOTES,
    STATUS,
    Column,
)
from tanjiliang.ledger.changes import ChangeSet
from tanjiliang.ledger.reader import LedgerError, LedgerRead, Problem, read_ledger
from tanjiliang.metrology.weighing import instrument_mpe_percent
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import (
    BOUNDARY,
    LAB,
    ConfirmationRecord,
    Instrument,
    UnitFile,
)
from tanjiliang.rules.schema import Pack

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DERIVED_FILL = PatternFill("solid", fgColor="EDEDED")


# ------------------------------------------------------------------------------ writing

@dataclass
class Derived:
    """Values shown in derived columns (from the assessment when one could be made)."""

    level: dict[str, str] = field(default_factory=dict)
    next_due: dict[str, date | None] = field(default_factory=dict)
    points: dict[str, str] = field(default_factory=dict)
    #: the latest confirmation on or before the as-of date, as the assessment (and the report)
    #: takes it: 最近检定/校准日期 agrees with 下次确认日期 and the report
    last_confirmed: dict[str, date | None] = field(default_factory=dict)


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
        from tanjiliang.check import check  # the one door (issue 11)

        result = check(unit, pack, as_of)
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
            out.last_confirmed[ins.id] = r.last_confirmed
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
        # a weighing class (III) at its usual load too, on the pack's basis, as the assessment
        # judges it (metrology/weighing.py)
        m = instrument_mpe_percent(ins, pack.accuracy.weighing() if pack is not None else "in_service")
        return None if m is None else f"{m:g}"
    if col.field == "_next_due":
        return derived.next_due.get(ins.id)
    if col.field == "_points":
        return derived.points.get(ins.id)
    if col.field == "last_confirmed" and ins.id in derived.last_confirmed:
        return derived.last_confirmed[ins.id]  # the one door: the assessment's latest confirmation
    if col.field == "measures":
        return ins.measures_text() or None  # several targets joined by ", "; empty when 待补充
    v = getattr(ins, col.field)
    if col.kind == "enum_status":
        return _enum_label(STATUS, v, lang)
    if col.kind == "enum_kind":
        return _enum_label(KIND, v, lang)
    if col.kind == "enum_basis":
        return _enum_label(BASIS, v, lang)
    if col.kind == "type":
        return _type_label(pack, v, lang)
    if col.kind == "place":
        return _place_label(v, lang)
    return v


def _place_label(code: str | None, lang: str) -> str | None:
    """边界 / 化验室 (boundary / laboratory) in words, as the report writes them (one table:
    ``reports.i18n`` ``place.*``); the import reads them back to the same codes. A place of the
    file is its id."""
    if code in (BOUNDARY, LAB):
        from tanjiliang.reports.i18n import t

        return t(f"place.{code}", lang)
    return code


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
    places = [_place_label(BOUNDARY, lang) or BOUNDARY, _place_label(LAB, lang) or LAB]
    if unit is not None:
        places += [s.id for s in unit.subunits] + [e.id for e in unit.equipment] + \
            [p.id for p in unit.emission_points]
    lists = {
        "type": [t.name(lang) for t in pack.instrument_types] if pack is not None else [],
        "status": [v[k] for v in STATUS.values()],
        "kind": [v[k] for v in KIND.values()],
        "result": [v[k] for v in RESULT.values()],
        "place": places,
        "basis": [v[k] for v in BASIS.values()],
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
             "place": "place", "enum_basis": "basis"}
    for j, c in enumerate(columns, 1):
        name = which.get(c.kind)
        if name is None or name not in formulas:
            continue
        strict = name in ("status", "kind", "result", "basis")
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
        ("“干湿基准”只填于测量排放口 CO2 浓度的分析仪（测量对象 排放口.co2）：干基或湿基；留空则沿用单位文件中的值。"
         if zh else "Measurement basis is filled in only for an analyser of an emission point's CO2 concentration "
         "(Measures <point>.co2): dry basis or wet basis; an empty cell keeps the unit file's value."),
        ("导入为全部成功或全部不写入；所有问题一次列出（表、行、列、值、原因）。" if zh else
         "Import is all-or-nothing; every problem is listed at once (sheet, row, column, value, reason)."),
    ]
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    for i, line in enumerate(lines, 1):
        ws.cell(i, 1, line)
    r = len(lines) + 2
    ws.cell(r, 1, "栏目" if zh else "Column").font = Font(bold=True)
    ws.cell(r, 2, "字段" if zh else "Field").font = Font(bold=True)
    for c in INSTRUMENT_COLUMNS + CONFIRMATION_COLUMNS:
        r += 1
        ws.cell(r, 1, c.header.replace("\n", " "))  # the header as the ledger writes it
        ws.cell(r, 2, (("（计算列）" if zh else "(computed)") if c.derived else c.field))


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
    from tanjiliang.model.xlsx import save_workbook

    save_workbook(wb, path)  # atomic; formulas from user text stay text


# ------------------------------------------------------------------------------ importing

class _CellSource:
    """Duck-typed source map (model path → sheet/row/column) for the loader's checks."""

    def __init__(self, file: str, where: dict[tuple[str | int, ...], tuple[str, int, str | None, str | None]],
                 problems: list[Problem], values: list[dict[str, Any]],
                 reported: set[tuple[int, str]] | None = None,
                 written: dict[tuple[int, str], str] | None = None) -> None:
        self.reported = reported or set()
        self.written = written or {}
        self.said = {(p.sheet, p.row, p.column) for p in problems if p.column}
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
        if len(path) == 3 and path[0] == "instruments" and isinstance(path[1], int) and isinstance(path[2], str):
            written = self.written.get((path[1], path[2]))
            if written is not None:
                return written  # 湿基 as written, not the code wet
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
        said = letter is not None and (sheet, row, letter) in self.said  # the reader named this cell
        if not said and not (len(path) >= 3 and path[0] == "instruments" and (path[1], path[2]) in self.reported):
            self.problems.append(prob)
        return prob.issue(self.file)


def _unit_pack(unit: UnitFile, pack: Pack | None) -> Pack | None:
    if pack is not None:
        return pack
    from tanjiliang.rules.load import load_pack

    try:
        return load_pack(unit.pack).pack
    except LoadError:
        return None


def read_changes(unit: UnitFile, path: str | Path, pack: Pack | None = None, *, strict: bool = False,
                 display_name: str | None = None) -> tuple[ChangeSet, LedgerRead]:
    """Read a ledger and compute what importing it into ``unit`` would change (nothing is
    applied). :class:`LedgerError` listing every problem if the file cannot be imported."""
    from tanjiliang.model.load import reference_issues, validation_issues

    pack = _unit_pack(unit, pack)
    read = read_ledger(path, pack, unit, strict=strict, display_name=display_name)
    file = display_name or Path(path).name
    problems = list(read.problems)
    src = _CellSource(file, read.where, problems, read.instruments, read.bad_cells, read.written)
    valid: list[tuple[int, Instrument]] = []
    for k, rec in enumerate(read.instruments):
        try:
            valid.append((k, Instrument.model_validate(rec)))
        except ValidationError as exc:
            validation_issues(exc, rec, _Prefixed(src, ("instruments", k)))  # type: ignore[arg-type]
            if all(isinstance(rec.get(f), str) for f in ("id", "at")):
                valid.append((k, Instrument.model_construct(**rec)))  # still check its references
    ref = unit.model_copy(update={"instruments": [ins for _, ins in valid]})
    reference_issues(ref, _Remapped(src, [k for k, _ in valid]))  # type: ignore[arg-type]
    if pack is not None:  # a type the pack does not define would write a unit file that no longer loads
        from tanjiliang.assess.engine import type_names

        types = {t.id for t in pack.instrument_types}
        for k, ins in valid:
            # a row that failed validation is kept unvalidated for its references; a type it
            # lacks is already reported there
            kind = getattr(ins, "type", None)
            if kind is not None and kind not in types:
                src.issue(("instruments", k, "type"),
                          f"不是规则包 {pack.name} 中的器具类型（可用：{type_names(pack, 'zh')}）",
                          f"not an instrument type of pack {pack.name} (known: {type_names(pack, 'en')})")
    if problems:
        raise LedgerError(file, _dedupe(problems), read)
    cs = changes.compute(unit, read.instruments, read.stated)
    for row, path, zh, en in cs.conflicts:  # the file would rewrite the unit's confirmation history
        src.issue(("instruments", row, *path), zh, en)
    _kept_basis_issues(unit, cs, read, src)
    if problems:
        raise LedgerError(file, _dedupe(problems), read)
    read.changes = cs
    return cs, read


def _kept_basis_issues(unit: UnitFile, cs: ChangeSet, read: LedgerRead, src: _CellSource) -> None:
    """A basis (干湿基准) the file leaves empty is kept from the unit file; if the file's row
    makes that instrument anything but an emission point's CO2 analyser, the merged unit would
    not load (model/load.py refuses a basis there): refused at the row's 测量对象 cell, saying
    where the basis comes from (the ledger cannot clear a field: an empty cell keeps it)."""
    points = {p.id for p in unit.emission_points}
    for ch in cs.changed:
        basis = ch.merged.get("basis")
        if basis is None or ch.row is None or "basis" in read.stated[ch.row]:
            continue
        merged = Instrument.model_construct(measures=ch.merged.get("measures"))
        if any(q == "co2" and t in points for t, q in merged.targets()):
            continue
        zh, en = BASIS.get(basis, (basis, basis))
        src.issue(("instruments", ch.row, "measures"),
                  f"单位文件中器具 {ch.id} 的干湿基准为{zh}，只适用于测量排放口 CO2 浓度的分析仪（排放口.co2）；"
                  "台账空格不会清除单位文件的值，请先在单位文件（或器具表单）中删去干湿基准",
                  f"the unit file gives instrument {ch.id} a measurement basis ({en}), which applies only to "
                  "an analyser of an emission point's CO2 (<point>.co2); an empty ledger cell does not clear "
                  "the unit file's value: remove the basis from the unit file (or the instrument form) first")


def import_ledger(unit: UnitFile, path: str | Path, pack: Pack | None = None, *, strict: bool = False,
                  remove: bool | Iterable[str] = False, display_name: str | None = None
                  ) -> tuple[UnitFile, LedgerRead]:
    """Merge a ledger into ``unit`` (:mod:`tanjiliang.ledger.changes`): instruments absent from
    the file are removed only as ``remove`` says. Returns the new unit and what was read
    (``read.changes`` is the change set)."""
    cs, read = read_changes(unit, path, pack, strict=strict, display_name=display_name)
    return changes.apply(unit, cs, remove), read


def apply_ledger(unit: UnitFile, path: str | Path, pack: Pack | None = None, *, strict: bool = False) -> UnitFile:
    """``unit`` as the ledger describes it, in memory (``check --ledger``): the ledger's
    instruments, each keeping what the file does not state from the unit's matching
    instrument; :class:`LedgerError` listing every problem if any."""
    return import_ledger(unit, path, pack, strict=strict, remove=True)[0]


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
