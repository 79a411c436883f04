"""Reading a plant's own ledger (台账) as it keeps it — one reader for the CLI, the web app and
the API (issue 12, docs/ledger.md "Import").

* Every visible sheet: the header row is the row among the first :data:`MAX_HEADER_SCAN` that
  maps most headers (title rows above it are ignored); merged cells are filled from their
  top-left cell; headers are matched by the words of ``headers.yaml`` and every mapping is
  reported.
* Values as people write them: accuracy "1.5级", "0.5S级", "±1%", "III级"; dates 2025.03.02,
  2025/3/2, 2025年3月2日, Excel serials or date cells; status words of JJF 1356 and practice
  (合格/准用/停用/备用/封存); places by their Chinese name; the instrument type inferred from
  the name; what an instrument measures from a stream's name or, failing that, from a unique
  stream of the material or kind the instrument implies. Every rewrite and inference is
  reported; ``strict`` turns every inference into a problem.
* What cannot be determined (which stream an instrument measures) is left out and listed as
  待补充 (``pending``): the instrument is imported incomplete.
* 有效期至 (the validity the certificate states) is kept: it becomes the next due date of the
  latest confirmation record.
* Malformed or contradictory values are problems with sheet, row, column, header, value and
  reason, all collected before anything is applied; file paths are shown by name only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tanjiliang.ledger import values
from tanjiliang.ledger.catalogue import (
    CONFIRMATION_COLUMNS,
    ENUMS,
    KIND,
    READ_COLUMNS,
    RESULT,
    SHEET_LISTS,
    Column,
    Mapped,
    header_parts,
    match_header,
    norm,
)
from tanjiliang.model import names
from tanjiliang.model.errors import Issue, LoadError

MAX_HEADER_SCAN = 20


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
        """The problem as an issue naming the sheet and cell, the column by its name in each
        language (a template header ``中文\nEnglish`` gives each side; a plant's own header is
        shown as written)."""
        where = f"{self.sheet}" + (f"!{self.column}{self.row or ''}" if self.column else "")
        head_zh, _, head_en = (self.header or "").partition("\n")
        head_en = head_en or head_zh
        shown = "" if self.value is None else f"“{self.value}” "
        shown_en = "" if self.value is None else f'"{self.value}": '
        return Issue(file, self.row, where, (f"{head_zh}：" if head_zh else "") + f"{shown}{self.zh}",
                     (f"{head_en}: " if head_en else "") + f"{shown_en}{self.en}")


@dataclass
class MappedHeader:
    sheet: str
    column: str  # letter
    text: str
    field: str | None
    how: str  # exact | variant | synonym | derived | empty | unknown | id_from_no


@dataclass(frozen=True, slots=True)
class Note:
    """A value rewritten or inferred on import (reported; ``inferred`` ones refused by strict)."""

    sheet: str
    row: int
    column: str | None
    field: str
    text: str
    code: str
    how: str  # label | word | code | partial | keyword | unit | date | value | default

    @property
    def inferred(self) -> bool:
        return self.how in ("partial", "keyword", "default", "stream")


@dataclass(frozen=True, slots=True)
class Pending:
    """A field that could not be determined (待补充): the instrument is imported without it."""

    sheet: str
    row: int
    instrument: str
    field: str


@dataclass
class LedgerRead:
    instruments: list[dict[str, Any]]
    headers: list[MappedHeader]
    problems: list[Problem]
    where: dict[tuple[str | int, ...], tuple[str, int, str | None, str | None]]  # model path → cell
    notes: list[Note] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    stated: list[set[str]] = field(default_factory=list)  # per instrument: fields the file states
    bad_cells: set[tuple[int, str]] = field(default_factory=set)  # (instrument, field) reported
    #: (instrument, field) → the cell's text where a word was stored as a code (湿基 → wet), so a
    #: later check on that cell shows what the user wrote, not the code
    written: dict[tuple[int, str], str] = field(default_factory=dict)
    changes: Any = None  # the change set, once computed (tanjiliang.ledger.changes.ChangeSet)
    type_vocab: list[names.Entry] = field(default_factory=list)  # the pack's types (report words)
    place_vocab: list[names.Entry] = field(default_factory=list)  # the unit's places

    def report(self, lang: str = "zh") -> list[str]:
        """What each header was mapped to, every value rewritten or inferred, what is
        pending and which rows were not read as instruments (never a silent guess); fields and
        values by their names in ``lang`` (ledger/words.py), never the model's codes."""
        from tanjiliang.ledger.words import field_label, value_label, word

        zh = lang == "zh"
        q = ("“", "”") if zh else ('"', '"')
        out = []
        for h in self.headers:
            text = h.text.replace("\n", " ")
            how = word("header", h.how, lang)
            out.append(f"{h.sheet}!{h.column} {q[0]}{text}{q[1]} → {field_label(h.field, lang)}"
                       + (f"（{how}）" if zh else f" ({how})"))
        grouped: dict[tuple[str, str, str, str], list[str]] = {}
        for n in self.notes:
            grouped.setdefault((n.field, n.text, n.code, n.how), []).append(f"{n.sheet}!{n.column or ''}{n.row}")
        for (fld, text, code, how), cells in grouped.items():
            at = ", ".join(cells[:6]) + (f" …（共{len(cells)}处）" if zh and len(cells) > 6 else
                                         f" … ({len(cells)} cells)" if len(cells) > 6 else "")
            kind = word("line", "inferred" if how in ("partial", "keyword", "default", "stream") else "read", lang)
            shown = value_label(fld, code, lang, self.type_vocab, self.place_vocab)
            if how == "default" and text == code:  # nothing written: the default, by its name
                text = shown
            how_w = word("how", how, lang)
            out.append(f"{kind} {field_label(fld, lang)}: {q[0]}{text}{q[1]} → {shown}"
                       + (f"（{how_w}）{at}" if zh else f" ({how_w}) {at}"))
        for p in self.pending:
            out.append(f"待补充 {p.instrument}: {field_label(p.field, lang)}（{p.sheet} 第{p.row}行）" if zh else
                       f"to complete {p.instrument}: {field_label(p.field, lang)} ({p.sheet} row {p.row})")
        for sheet, row, text in self.skipped:
            out.append(f"{sheet} 第{row}行 “{text}” 不是器具行（说明/合计行），未导入" if zh else
                       f"{sheet} row {row} \"{text}\" is not an instrument row (a note or total), not imported")
        return out

class LedgerError(LoadError):
    """A ledger that cannot be imported; ``problems`` has sheet/row/column/value/reason."""

    def __init__(self, file: str, problems: list[Problem], read: LedgerRead | None = None) -> None:
        self.problems = problems
        self.read = read
        super().__init__([p.issue(file) for p in problems])


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


def _enum(mapping: dict[str, tuple[str, str]], text: str) -> str | None:
    n = norm(text)
    for code, (zh, en) in mapping.items():
        if n in (norm(code), norm(zh), norm(en)):
            return code
    return None


def _rows(ws: Worksheet) -> dict[int, list[Any]]:
    """The sheet's rows that hold a cell, by row number, with every merged range filled from its
    top-left cell. Built from the cells the file holds, never from the sheet's last-cell
    address: one stray cell at row 1,048,576 (or column XFD) costs one row, not a grid of a
    million (time and memory follow the data)."""
    cells: dict[int, dict[int, Any]] = {}
    for (r, c), cell in ws._cells.items():  # openpyxl keeps only the cells the file holds
        cells.setdefault(r, {})[c] = cell.value
    for rng in ws.merged_cells.ranges:  # the merged cells are held too (openpyxl's MergedCell)
        top = cells.get(rng.min_row, {}).get(rng.min_col)
        for r in range(rng.min_row, rng.max_row + 1):
            row = cells.get(r)
            if row is None:
                continue
            for c in range(rng.min_col, rng.max_col + 1):
                if c in row:
                    row[c] = top
    out: dict[int, list[Any]] = {}
    for r in sorted(cells):
        held = {c: v for c, v in cells[r].items() if v is not None}
        if not held:
            continue
        row = [None] * max(held, default=0)
        for c, v in held.items():
            row[c - 1] = v
        out[r] = row
    return out


def _find_header(rows: dict[int, list[Any]], columns: tuple[Column, ...]) -> tuple[int, dict[int, Mapped]] | None:
    best: tuple[int, dict[int, Mapped]] | None = None
    for r in range(1, MAX_HEADER_SCAN + 1):
        row = rows.get(r, [])
        mapped: dict[int, Mapped] = {}
        for j, v in enumerate(row, 1):
            if isinstance(v, str) and (m := match_header(v, columns)) is not None:
                mapped[j] = m
        fields = {m.column.field for m in mapped.values()}
        if len(fields) >= 2 and (best is None or len(fields) > len({m.column.field for m in best[1].values()})):
            best = (r, mapped)
    return best


def _is_confirmation_sheet(mapped: dict[int, Mapped]) -> bool:
    fields = {m.column.field for m in mapped.values()}
    return "date" in fields and "instrument" in fields and "name" not in fields


#: What people write in a cell that has nothing to say (read as empty, reported).
PLACEHOLDERS = frozenset({"/", "／", "-", "－", "—", "——", "--", "无", "N/A", "n/a", "NA", "/ ", "\\"})

_NOTE_ROW = re.compile(r"^(注|备注|说明|填表|制表|审核|批准|合计|总计|小计|负责人|编制|日期)")


class _Sheet:
    """Reading one instrument sheet's rows into model data."""

    def __init__(self, reader: _Reader, title: str, hrow: int, use: dict[int, Column],
                 hints: dict[int, str | None], id_from_no: bool, prefix: str) -> None:
        self.r, self.title, self.hrow, self.use, self.hints = reader, title, hrow, use, hints
        self.id_from_no, self.prefix = id_from_no, prefix
        self.id_from_serial = not id_from_no and "id" not in {c.field for c in use.values()}
        self.periods: dict[int, str] = {}  # row → a period written under 有效期 ("1年")
        self.header_row: list[Any] = []

    def problem(self, row: int, j: int | None, value: Any, zh: str, en: str) -> None:
        c = self.use.get(j) if j is not None else None
        letter = get_column_letter(j) if j is not None else None
        self.r.problems.append(Problem(self.title, row, letter, c.header if c else None, value, zh, en))
        if c is not None:  # the loader's later checks do not report this cell again
            self.r.bad_cells.add((len(self.r.instruments), c.field))

    def note(self, row: int, j: int | None, fld: str, text: str, code: str, how: str) -> None:
        n = Note(self.title, row, get_column_letter(j) if j is not None else None, fld, text, code, how)
        if n.inferred and self.r.strict:
            from tanjiliang.ledger.words import value_label

            shown = [value_label(fld, code, lg, self.r.type_vocab, self.r.place_vocab) for lg in ("zh", "en")]
            self.problem(row, j, text, f"须明确填写（--strict 不推断；推断值为 {shown[0]}）",
                         f"must be stated (--strict infers nothing; the inference would be {shown[1]})")
        self.r.notes.append(n)

    def row(self, i: int, raw: list[Any]) -> None:
        vals = {j: (raw[j - 1] if j - 1 < len(raw) else None) for j in self.use}
        filled = {j: v for j, v in vals.items() if _text(v) is not None}
        if not filled:
            return
        by_field = {self.use[j].field: j for j in filled}
        texts = [_text(v) or "" for v in filled.values()]
        footer = ("name" not in by_field and (len(filled) <= 2 or all(_NOTE_ROW.match(t) for t in texts))) or (
            # 合计 / 制表人：… written in the name column: no id, at most two cells
            "id" not in by_field and len(filled) <= 2 and bool(_NOTE_ROW.match(_text(vals[by_field["name"]]) or "")))
        if footer:
            # a total, a signature or a note under the table: reported, not imported
            self.r.skipped.append((self.title, i, " ".join(texts)[:40]))
            return
        for j, v in vals.items():  # a formula the file holds no result of is not "empty"
            if v is None and (self.title, i, j) in self.r.formulas:
                self.problem(i, j, None, FORMULA_ZH, FORMULA_EN)
        rec: dict[str, Any] = {}
        cells: dict[str, tuple[str, str]] = {}
        got: dict[str, Any] = {}
        for j, v in vals.items():
            c = self.use[j]
            cells[c.field] = (get_column_letter(j), c.header)
            if _text(v) is None:
                continue
            if c.kind not in ("text", "list") and isinstance(v, str) and v.strip() in PLACEHOLDERS:
                # "/", "—", "无" where a date, class, place… is expected: nothing stated (text is kept)
                self.note(i, j, c.field, v.strip(), "—", "empty")
                continue
            got[c.field] = self.value(i, j, c, v)
            if c.kind in ENUMS or c.kind == "enum_status":
                self.r.written[(len(self.r.instruments), c.field)] = str(_text(v))
        _unheaded(self.r, self.title, i, raw, self.header_row)
        j_mpe = next((j for j in filled if self.use[j].field == "_mpe"), None)
        if j_mpe is not None:
            self.mpe(i, j_mpe, str(_text(filled[j_mpe])), got.get("accuracy"))
        if i in self.periods and got.get("interval") is None:
            got["interval"] = self.periods[i]
        # the id: 管理编号, else 序号 (when the sheet has no id column)
        if self.id_from_no and got.get("_no") is not None:
            got["id"] = f"{self.prefix}{got['_no']}"
            cells["id"] = cells["_no"]
        elif self.id_from_serial and got.get("serial") is not None:  # neither 管理编号 nor 序号
            got["id"] = str(got["serial"]).replace(" ", "")
            cells["id"] = cells["serial"]
        for k, v in got.items():
            if not k.startswith("_") and v is not None:
                rec[k] = v
        if "name" in rec:
            self.infer_type(i, rec, by_field)
        self.infer_measures(i, rec, by_field)
        self.confirmation(i, rec, got.get("_valid_until"), by_field)
        n = len(self.r.instruments)
        self.r.instruments.append(rec)
        self.r.stated.append(set(rec))
        for f, (letter, header) in cells.items():
            if not f.startswith("_") or f == "_valid_until":
                self.r.where[("instruments", n, f if f != "_valid_until" else "confirmations")] = \
                    (self.title, i, letter, header)
        self.r.where[("instruments", n)] = (self.title, i, None, None)
        if "measures" not in rec and (n, "measures") not in self.r.bad_cells:
            self.r.pending.append(Pending(self.title, i, str(rec.get("id", "?")), "measures"))

    # -- values ----------------------------------------------------------------------------
    def value(self, i: int, j: int, c: Column, v: Any) -> Any:
        t = _text(v)
        assert t is not None
        if c.derived:
            if c.field == "_no":
                return t
            return None  # an MPE typed: judged against the row's accuracy class (mpe())
        if c.kind == "date":
            try:
                d = names.parse_date(v)
            except ValueError:
                if c.field == "_valid_until":  # 有效期 "1年": a period, not a date — the interval
                    try:
                        period, _ = values.interval(t, self.hints.get(j))
                    except values.ValueProblem:
                        period = None
                    if period is not None:
                        self.periods[i] = period
                        self.note(i, j, "interval", t, period, "value")
                        return None
                self.problem(i, j, t, "不是有效日期（如 2025-03-02、2025.03.02、2025/3/2、2025年3月2日）",
                             "not a date (e.g. 2025-03-02, 2025.03.02, 2025/3/2)")
                return None
            if d is not None and (not isinstance(v, date) or isinstance(v, datetime)) and t != d.isoformat():
                # a date cell holding a time too (2024-08-31 13:45): the date is kept, said
                self.note(i, j, c.field, t.replace("T", " "), d.isoformat(), "date")
            return d
        if c.kind == "accuracy":
            try:
                a = values.accuracy(t)
            except values.ValueProblem as e:
                self.problem(i, j, t, e.zh, e.en)
                return None
            if a != t:
                self.note(i, j, c.field, t, a, "value")
            return a
        if c.kind == "interval":
            try:
                s, inferred = values.interval(t, self.hints.get(j))
            except values.ValueProblem as e:
                self.problem(i, j, t, e.zh, e.en)
                return None
            if s != t:
                self.note(i, j, c.field, t, s, "default" if inferred else "value")
            return s
        if c.kind == "quantity":  # "20 kg", "100吨", or 100 under a header "最大秤量(t)"
            hint = self.hints.get(j)
            # full-width digits (１５０) read as digits, as in dates and intervals
            n = re.sub(r"[０-９．]+", lambda m: unicodedata.normalize("NFKC", m[0]), t)
            q = f"{n} {hint}" if hint and re.fullmatch(r"[\d.]+", n) else n
            q, _ = names.quantity_text(q)
            if q != t:
                self.note(i, j, c.field, t, q, "unit")
            return q
        if c.kind == "range":
            hint = self.hints.get(j)
            if hint and not re.search(r"[^\d\s.~\-—–至()（）]", t):
                s = f"{t} {hint}"
                self.note(i, j, c.field, t, s, "unit")
                return s
            return t
        if c.kind == "enum_status":
            sw = names.status_word(t)
            if sw is None:
                allowed = "、".join(names.words()["status"])
                self.problem(i, j, t, f"不是器具状态（应为 {allowed} 或 在用/备用/停用）",
                             "not an instrument status (in use / standby / out of service)")
                return None
            code, result, how = sw
            if how != "label" or t != code:
                self.note(i, j, "status", t, code + (f"（{result}）" if result else ""), "word" if how == "word" else "label")
            if result is not None:
                self.r.status_results[(self.title, i)] = result
            return code
        if c.kind in ENUMS:  # 检定/校准, 结论, 干湿基准 (干基/湿基 and the loader's words)
            mapping, kind = ENUMS[c.kind]
            found = _enum(mapping, t)
            if found is None:
                try:
                    found = names.resolve(kind, t).code
                except names.NameProblem:
                    self.problem(i, j, t, f"应为 {'、'.join(z for z, _ in mapping.values())} 之一",
                                 f"must be one of: {', '.join(e for _, e in mapping.values())}")
                    return None
                self.note(i, j, c.field, t, found, "word")
            return found
        if c.kind in ("type", "place"):
            vocab = self.r.type_vocab if c.kind == "type" else self.r.place_vocab
            kind = "instrument_type" if c.kind == "type" else "place"
            try:
                m = names.resolve_in(vocab, t, kind, strict=self.r.strict)
            except names.NameProblem as e:
                if c.kind == "place" or e.ambiguous:
                    self.problem(i, j, t, e.reason_zh, e.reason_en)
                return t  # a type of one's own is kept as written (the pack check judges it)
            if m.how != "code":
                self.note(i, j, c.field, t, m.code, m.how)
            return m.code
        if c.kind == "measures":
            return self.measures(i, j, t)
        if c.kind == "list":
            return [p.strip() for p in re.split(r"[;；,，\n]", t) if p.strip()]
        return t

    def mpe(self, i: int, j: int, t: str, acc: str | None) -> None:
        """最大允许误差 is computed from the accuracy class (default-pack.md): typed without a
        class it would be lost — an error asking for it in the accuracy column; typed beside a
        class it must be that class's MPE (a weighing class III depends on the load: not judged)."""
        from tanjiliang.metrology.weighing import OIML_CLASSES
        from tanjiliang.model.unit import accuracy_canonical, mpe_percent

        if acc is None:
            self.problem(i, j, t, "最大允许误差为计算列，不导入；请把它填在“准确度等级”列（如 ±0.5 %），否则会丢失",
                         'MPE is computed and not imported; write it in the accuracy column (e.g. "±0.5 %"), '
                         "or it is lost")
            return
        n = unicodedata.normalize("NFKC", t)
        m = re.search(r"\d+(?:\.\d+)?", n)
        if m is None or accuracy_canonical(acc) in OIML_CLASSES:
            return
        try:
            expected = mpe_percent(acc)
        except ValueError:
            return
        if expected is not None and abs(float(m[0]) - expected) > 1e-9:
            self.problem(i, j, t, f"与准确度等级“{acc}”的最大允许误差 ±{expected:g} % 不符；最大允许误差由准确度等级"
                                  "计算，请改正其中之一",
                         f'does not match the MPE ±{expected:g} % of accuracy class "{acc}"; the MPE is computed '
                         "from the class: correct one of the two")

    def measures(self, i: int, j: int, t: str) -> str | list[str] | None:
        parts = [p.strip() for p in re.split(r"[,，、;；]", t) if p.strip()]
        if len(parts) > 1:  # several targets (a weighbridge for coal and limestone)
            got = [self.one_measure(i, j, p) for p in parts]
            return None if any(g is None for g in got) else [g for g in got if g is not None]
        return self.one_measure(i, j, t)

    def one_measure(self, i: int, j: int, t: str) -> str | None:
        target = t.partition(".")[0]
        if target in self.r.stream_ids or target in self.r.point_ids:
            return t
        try:
            m = names.resolve_in(self.r.stream_vocab, t, "stream", strict=self.r.strict)
        except names.NameProblem as e:
            # a material's name (天然气) naming the one stream of that material
            s = self.r.stream_of_material(t)
            if s is not None:
                self.note(i, j, "measures", t, s, "stream")
                return s
            if e.ambiguous:
                self.problem(i, j, t, e.reason_zh, e.reason_en)
                return t
            if re.fullmatch(r"[\x21-\x7e]+", t):
                return t  # a code that names nothing: the reference check reports it
            if self.names_material(t):  # 天然气 with no natural-gas stream: a stream named, not found
                zh = "、".join(f"{n}（{sid}）" for sid, n in self.r.stream_names.items()) or "无"
                en = ", ".join(f"{n} ({sid})" for sid, n in self.r.stream_names.items()) or "none"
                self.problem(i, j, t, f"不是本单位的源流（可选：{zh}）；新的源流请先在单位文件中添加",
                             f"not a source stream of this unit (choices: {en}); add a new stream to the unit "
                             "file first")
                return None
            # a use written in words (生产用电…): which stream is not said — pending
            self.note(i, j, "measures", t, "待补充", "pending")
            return None
        if m.how != "code":
            self.note(i, j, "measures", t, m.code, m.how)
        return m.code

    @staticmethod
    def names_material(t: str) -> bool:
        try:
            names.resolve("material", t)
        except names.NameProblem:
            return False
        return True

    # -- inferences ------------------------------------------------------------------------
    def infer_type(self, i: int, rec: dict[str, Any], by_field: dict[str, int]) -> None:
        if "type" in rec or "type" in by_field:
            return
        known = [e.code for e in self.r.type_vocab] if self.r.type_vocab else None
        code = names.infer_type(str(rec["name"]), known)
        j = by_field.get("name")
        if code is None:
            self.problem(i, by_field.get("type", j), rec["name"],
                         "器具类型无法从名称推断，请填写“器具类型”列（如 电能表、汽车衡、气体流量计）",
                         'the instrument type cannot be inferred from the name; fill a "器具类型/Type" column '
                         "(e.g. 电能表, 汽车衡, 气体流量计)")
            return
        rec["type"] = code
        self.note(i, j, "type", str(rec["name"]), code, "keyword")

    def infer_measures(self, i: int, rec: dict[str, Any], by_field: dict[str, int]) -> None:
        if "measures" in rec or "name" not in rec:
            return
        name = norm(rec["name"])
        j = by_field.get("name")
        # a stream whose name is in the instrument's name
        hits = {s for s, sname in self.r.stream_names.items() if len(norm(sname)) >= 2 and norm(sname) in name}
        if len(hits) != 1:
            hits = {s for s, mat in self.r.stream_material_words.items()
                    if any(len(norm(w)) >= 2 and norm(w) in name for w in mat)}
        if len(hits) != 1 and rec.get("type") in names.words()["type_stream_kind"]:
            kind = names.words()["type_stream_kind"][rec["type"]]
            hits = {s for s, k in self.r.stream_kinds.items() if k == kind}
        if len(hits) == 1:
            s = next(iter(hits))
            rec["measures"] = s
            self.note(i, j, "measures", str(rec["name"]), s, "stream")

    def confirmation(self, i: int, rec: dict[str, Any], valid_until: date | None,
                     by_field: dict[str, int]) -> None:
        """有效期至 (and a status word's result) as the latest confirmation record."""
        result = self.r.status_results.get((self.title, i))
        if valid_until is None and result is None:
            return
        last = rec.get("last_confirmed")
        jv = by_field.get("_valid_until")
        if last is None:
            if valid_until is not None:
                self.problem(i, jv, valid_until.isoformat(),
                             "有效期至须与检定/校准日期一同填写（否则无法形成确认记录）",
                             "a valid-until date needs the date of the verification or calibration")
            return
        if valid_until is not None and valid_until <= last:
            self.problem(i, jv, valid_until.isoformat(), f"有效期至{'早于' if valid_until < last else '等于'}检定/校准日期 {last.isoformat()}，两者矛盾",
                         f"valid-until is not after the confirmation date {last.isoformat()} (contradictory)")
            return
        kind = rec.get("confirmation")
        if kind is None:
            hdr = " ".join(self.r.header_text.get((self.title, f), "") for f in ("confirmed_by", "last_confirmed"))
            kind = "calibration" if "校准" in hdr and "检定" not in hdr else "verification"
            self.note(i, by_field.get("last_confirmed"), "confirmations.kind", kind, kind, "default")
        record: dict[str, Any] = {"date": last, "kind": kind}
        if result is not None:
            record["result"] = result
        if valid_until is not None:
            record["next_due"] = valid_until
        for src, dst in (("certificate", "certificate"), ("confirmed_by", "body")):
            if rec.get(src):
                record[dst] = rec[src]
        rec["confirmations"] = [record]
        self.r.row_records.add(id(record))


class _Reader:
    def __init__(self, file: str, pack: Any, unit: Any, strict: bool) -> None:
        self.file, self.strict = file, strict
        self.problems: list[Problem] = []
        self.headers: list[MappedHeader] = []
        self.instruments: list[dict[str, Any]] = []
        self.stated: list[set[str]] = []
        self.where: dict[tuple[str | int, ...], tuple[str, int, str | None, str | None]] = {}
        self.notes: list[Note] = []
        self.pending: list[Pending] = []
        self.skipped: list[tuple[str, int, str]] = []
        self.status_results: dict[tuple[str, int], str] = {}
        self.bad_cells: set[tuple[int, str]] = set()
        self.written: dict[tuple[int, str], str] = {}
        self.row_records: set[int] = set()  # records made from a row's 有效期至 / status word
        self.header_text: dict[tuple[str, str], str] = {}
        self.formulas: set[tuple[str, int, int]] = set()  # formulas without a saved result
        self.unheaded: set[tuple[str, int]] = set()  # (sheet, column) without a header, reported
        self.type_vocab = names.type_entries(pack) if pack is not None else []
        self.place_vocab = names.place_entries(unit)
        self.stream_vocab = names.section_entries(unit, "source_streams")
        streams = list(getattr(unit, "source_streams", []) or [])
        self.stream_ids = {s.id for s in streams}
        self.point_ids = {p.id for p in getattr(unit, "emission_points", []) or []}
        self.stream_names = {s.id: s.name for s in streams}
        self.stream_kinds = {s.id: s.kind for s in streams}
        mats = {e.code: e for e in names.material_entries()} if streams else {}
        self.stream_material_words: dict[str, list[str]] = {}
        for s in streams:
            e = mats.get(s.material or "")
            self.stream_material_words[s.id] = [e.zh, *e.words] if e is not None else []

    def stream_of_material(self, text: str) -> str | None:
        n = norm(text)
        hits = {s for s, ws in self.stream_material_words.items() if any(norm(w) == n for w in ws)}
        return next(iter(hits)) if len(hits) == 1 else None


def read_ledger(path: str | Path, pack: Any = None, unit: Any = None, *, strict: bool = False,
                display_name: str | None = None) -> LedgerRead:
    """Read every instrument sheet and the confirmation sheet of a workbook; collect every
    problem. ``unit`` (a UnitFile) gives places and streams by name; ``pack`` the types."""
    file = display_name or Path(path).name
    from tanjiliang.model.limits import check_workbook

    try:
        check_workbook(Path(path))  # a zip bomb is refused before openpyxl inflates it
    except LoadError as err:
        raise LedgerError(file, [Problem("", None, None, None, None, i.zh, i.en) for i in err.issues]) from None
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except FileNotFoundError:
        raise LedgerError(file, [Problem("", None, None, None, None, "文件不存在", "no such file")]) from None
    except Exception:  # openpyxl raises several kinds for a file that is not xlsx
        raise LedgerError(file, [Problem("", None, None, None, None, "不是有效的 Excel 工作簿（.xlsx）",
                                         "not a valid Excel workbook (.xlsx)")]) from None
    rd = _Reader(file, pack, unit, strict)
    rd.formulas = _uncached_formulas(Path(path), wb)
    confirmations: list[tuple[str, int, dict[str, Any], dict[str, tuple[str, str]]]] = []
    sheets: list[tuple[Worksheet, dict[int, list[Any]], int, dict[int, Mapped], bool]] = []
    for ws in wb.worksheets:
        if ws.title == SHEET_LISTS or ws.sheet_state != "visible":
            continue
        rows = _rows(ws)
        conf = _find_header(rows, CONFIRMATION_COLUMNS)
        inst = _find_header(rows, READ_COLUMNS)
        inst_fields = {m.column.field for m in inst[1].values()} if inst else set()
        if conf is not None and _is_confirmation_sheet(conf[1]) and (inst is None or len(conf[1]) >= len(inst[1])):
            sheets.append((ws, rows, conf[0], conf[1], True))
        elif inst is not None and "name" in inst_fields and ({"id", "_no", "serial"} & inst_fields):
            sheets.append((ws, rows, inst[0], inst[1], False))
    n_inst_sheets = sum(1 for s in sheets if not s[4])
    if not n_inst_sheets:
        rd.problems.append(Problem("", None, None, None, None,
                                   "找不到台账表（表头须含“名称/器具名称”和“管理编号/编号/序号”）",
                                   'no ledger sheet (its header needs a name column and a management-number or row-number column)'))
    for k, (ws, rows, hrow, mapped, is_conf) in enumerate(sheets):
        header_row = rows[hrow]
        body = [(i, row) for i, row in rows.items() if i > hrow]  # rows that hold something
        seen: dict[str, str] = {}
        use: dict[int, Column] = {}
        hints: dict[int, str | None] = {}
        if not is_conf:
            mapped = _one_id_column(mapped)
        fields = {m.column.field for m in mapped.values()}
        id_from_no = not is_conf and "id" not in fields and "_no" in fields
        for j, text in enumerate(header_row, 1):
            if text is None or str(text).strip() == "":
                continue
            letter = get_column_letter(j)
            m = mapped.get(j)
            has_data = any(j - 1 < len(r) and _text(r[j - 1]) is not None for _, r in body)
            if m is None:
                rd.headers.append(MappedHeader(ws.title, letter, str(text), None, "unknown" if has_data else "empty"))
                if has_data:
                    rd.problems.append(Problem(ws.title, hrow, letter, str(text), None,
                                               "无法识别的列（有数据）；请改用台账模板中的列名，或把它并入“备注”",
                                               "unknown column with data; use a column name of the ledger template, or move it to the notes"))
                continue
            c = m.column
            how = "derived" if c.derived else m.how
            if c.field == "_no" and id_from_no:
                how = "id_from_no"
            rd.headers.append(MappedHeader(ws.title, letter, str(text), c.field, how))
            if c.field in seen:
                rd.problems.append(Problem(ws.title, hrow, letter, str(text), None,
                                           f"与 {seen[c.field]} 列是同一字段，列重复",
                                           f"names the same field as column {seen[c.field]}"))
                continue
            seen[c.field] = letter
            use[j] = c
            hints[j] = values.unit_hint(str(text))
            rd.header_text[(ws.title, c.field)] = str(text)
        if is_conf:
            for i, row in body:
                rec, cells = _confirmation_row(rd, ws.title, i, row, use)
                if rec is not None:
                    _unheaded(rd, ws.title, i, row, header_row)
                    confirmations.append((ws.title, i, rec, cells))
            continue
        prefix = f"{k + 1}-" if id_from_no and n_inst_sheets > 1 else ""
        sheet = _Sheet(rd, ws.title, hrow, use, hints, id_from_no, prefix)
        sheet.header_row = header_row
        if id_from_no or sheet.id_from_serial:
            src_field = "_no" if id_from_no else "serial"
            j_no = next(j for j, c in use.items() if c.field == src_field)
            sheet.note(hrow, j_no, "id", str(header_row[j_no - 1]), "id", "default")
        for i, row in body:
            sheet.row(i, row)
    _duplicate_ids(rd)
    _attach(rd, confirmations)
    return LedgerRead(rd.instruments, rd.headers, rd.problems, rd.where, rd.notes, rd.pending,
                      rd.skipped, rd.stated, bad_cells=rd.bad_cells, written=rd.written, type_vocab=rd.type_vocab,
                      place_vocab=rd.place_vocab)


FORMULA_ZH = "此格是公式，但文件中没有保存它的计算结果（请用 Excel 打开并保存后再导入，或填写数值）"
FORMULA_EN = ("this cell is a formula whose result the file does not hold (open and save the file in "
              "Excel before importing, or write the value)")


def _uncached_formulas(path: Path, wb: Any) -> set[tuple[str, int, int]]:
    """Cells (sheet, row, column) holding a formula whose result the file does not hold: a
    workbook written by a program rather than saved by Excel reads them as empty, and an
    empty cell would silently lose what the user entered. Looked for only when a sheet of the
    file has formulas at all."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            if not any(re.search(rb"<f[ >/]", z.read(n)) for n in z.namelist()
                       if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                return set()
        formulas = load_workbook(path, data_only=False)
    except Exception:  # the data workbook was read: no formulas to report, the import goes on
        return set()
    out: set[tuple[str, int, int]] = set()
    for ws in formulas.worksheets:
        if ws.title not in wb.sheetnames:
            continue
        values = wb[ws.title]._cells
        for (r, c), cell in ws._cells.items():  # the cells the file holds, not a grid to its last cell
            v = cell.value
            held = values.get((r, c))
            if isinstance(v, str) and v.startswith("=") and (held is None or held.value is None):
                out.add((ws.title, r, c))
    return out


_RANK = {"exact": 0, "variant": 1, "synonym": 2}


def _one_id_column(mapped: dict[int, Mapped]) -> dict[int, Mapped]:
    """Several columns read as the id (编号 and 管理编号): the best-named one is the id, the others
    are numbering columns like 序号 (reported as such) — plants often number rows 编号."""
    ids = [j for j, m in mapped.items() if m.column.field == "id"]
    if len(ids) < 2 or any(m.column.field == "_no" for m in mapped.values()):
        return mapped
    words = [norm(w) for w in mapped[ids[0]].column.synonyms]

    def rank(j: int) -> tuple[int, int]:
        m = mapped[j]
        parts = [norm(p) for p in header_parts(m.column.header)]
        n = next((words.index(p) for p in parts if p in words), len(words))
        return (_RANK.get(m.how, 3), n)

    best = min(ids, key=rank)
    no = next(c for c in READ_COLUMNS if c.field == "_no")
    out = dict(mapped)
    for j in ids:
        if j != best:
            out[j] = Mapped(no, "synonym")
            break  # one numbering column; a third id column stays a duplicate (an error)
    return out


def _confirmation_row(rd: _Reader, title: str, i: int, row: list[Any], use: dict[int, Column]
                      ) -> tuple[dict[str, Any] | None, dict[str, tuple[str, str]]]:
    values_ = {j: row[j - 1] if j - 1 < len(row) else None for j in use}
    if all(_text(v) is None for v in values_.values()):
        return None, {}
    rec: dict[str, Any] = {}
    cells: dict[str, tuple[str, str]] = {}
    for j, c in use.items():
        v = values_[j]
        letter = get_column_letter(j)
        cells[c.field] = (letter, c.header)
        t = _text(v)
        if t is None:
            if (title, i, j) in rd.formulas:  # a formula the file holds no result of
                rd.problems.append(Problem(title, i, letter, c.header, None, FORMULA_ZH, FORMULA_EN))
            continue
        if c.kind == "date":
            try:
                d = names.parse_date(v)
            except ValueError:
                rd.problems.append(Problem(title, i, letter, c.header, t, "不是有效日期（如 2025-03-02）",
                                           "not a date (e.g. 2025-03-02)"))
                continue
            if d is not None:
                rec[c.field] = d
        elif c.kind in ("enum_kind", "enum_result"):
            mapping = KIND if c.kind == "enum_kind" else RESULT
            code = _enum(mapping, t)
            if code is None:
                try:
                    code = names.resolve("confirmation_kind" if c.kind == "enum_kind" else "result", t).code
                except names.NameProblem:  # the choices by name, one language each
                    rd.problems.append(Problem(title, i, letter, c.header, t,
                                               f"应为 {'、'.join(z for z, _ in mapping.values())} 之一",
                                               f"must be one of: {', '.join(e for _, e in mapping.values())}"))
                    continue
            rec[c.field] = code
        elif c.kind == "list":
            rec[c.field] = [p.strip() for p in re.split(r"[;；,，\n]", t) if p.strip()]
        else:
            rec[c.field] = t
    nd, d = rec.get("next_due"), rec.get("date")
    if isinstance(nd, date) and isinstance(d, date) and nd <= d:  # as on the ledger row (reader §6)
        letter, header = cells["next_due"]
        rd.problems.append(Problem(title, i, letter, header, nd.isoformat(),
                                   f"证书有效期至{'早于' if nd < d else '等于'}确认日期 {d.isoformat()}，两者矛盾",
                                   f"the certificate's next due date is not after the confirmation date "
                                   f"{d.isoformat()} (contradictory)"))
    return rec, cells


def _unheaded(rd: _Reader, title: str, i: int, row: list[Any], header_row: list[Any]) -> None:
    """Data in a column without a header on a row that is read would be lost: an error at the
    column's first such cell (docs/ledger.md "Import" §2)."""
    for j, v in enumerate(row, 1):
        if (_text(v) is None or (j <= len(header_row) and _text(header_row[j - 1]) is not None)
                or (title, j) in rd.unheaded):
            continue
        rd.unheaded.add((title, j))
        rd.problems.append(Problem(title, i, get_column_letter(j), None, _text(v),
                                   "此列没有表头，但有数据（不会导入）；请填写表头（台账模板中的列名），或把内容移到“备注”列",
                                   "this column has no header but holds data (it would not be imported); give it a "
                                   "header (a column name of the ledger template), or move the text to the notes"))


def _duplicate_ids(rd: _Reader) -> None:
    """Two rows with one management no. — compared as every name is, full-width, case and spaces
    folded (``Ｗ－１１`` is ``W-11``) — are refused at the second, naming the first by its sheet
    and row (two rows claiming one instrument; docs/ledger.md "Change sets")."""
    first: dict[str, int] = {}
    for k, rec in enumerate(rd.instruments):
        ident = rec.get("id")
        if not isinstance(ident, str) or not ident:
            continue
        k0 = first.setdefault(norm(ident), k)
        if k0 == k:
            continue
        sheet, row, letter, header = rd.where.get(("instruments", k, "id"), ("", None, None, None))
        sheet0, row0, _, _ = rd.where.get(("instruments", k0, "id"), ("", None, None, None))
        same = rd.instruments[k0]["id"]
        zh, en = ("", "") if same == ident else ("（全角/半角、大小写和空格不计）",
                                                 " (full-width/half-width, case and spaces are not told apart)")
        rd.problems.append(Problem(sheet, row, letter, header, ident,
                                   f"与 {sheet0} 表第{row0}行的“{same}”重复{zh}；一台器具只能占一行",
                                   f'duplicates "{same}" on sheet {sheet0}, row {row0}{en}; one instrument '
                                   "takes one row"))
        rd.bad_cells.add((k, "id"))


def _attach(rd: _Reader, confirmations: list[tuple[str, int, dict[str, Any], dict[str, tuple[str, str]]]]) -> None:
    """Confirmation-sheet records to their instruments; a record of the same date as one made
    from a row's 有效期至 is merged with it (a contradiction is a problem)."""
    index: dict[str, int] = {}
    for k, rec in enumerate(rd.instruments):
        if rec.get("id"):
            index.setdefault(norm(rec["id"]), k)
    for sheet, i, rec, cells in confirmations:
        ident = rec.pop("instrument", None)
        letter, header = cells.get("instrument", (None, None))
        if ident is None or norm(ident) not in index:
            rd.problems.append(Problem(sheet, i, letter, header, ident,
                                       "不是台账中的管理编号" if ident else "缺少管理编号",
                                       "is not a management no. of the ledger" if ident else "management no. missing"))
            continue
        k = index[norm(ident)]
        lst = rd.instruments[k].setdefault("confirmations", [])
        rd.stated[k].add("confirmations")
        same = next((r for r in lst if r.get("date") == rec.get("date") and id(r) in rd.row_records), None)
        if same is not None:
            rd.row_records.discard(id(same))  # a second record of that date is a record of its own
            for f, v in rec.items():
                if same.get(f) is not None and f != "kind" and same[f] != v:
                    lt, hd = cells.get(f, (None, None))
                    was = same[f].isoformat() if isinstance(same[f], date) else same[f]
                    rd.problems.append(Problem(sheet, i, lt, hd, v if not isinstance(v, date) else v.isoformat(),
                                               f"与台账行中同日记录的值（{was}）矛盾",
                                               f"contradicts the value ({was}) of the ledger row's record of the same date"))
                else:
                    same[f] = v
            continue
        n = len(lst)
        lst.append(rec)
        for f, (lt, hd) in cells.items():
            rd.where[("instruments", k, "confirmations", n, f)] = (sheet, i, lt, hd)
        rd.where[("instruments", k, "confirmations", n)] = (sheet, i, None, None)
