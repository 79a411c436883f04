"""The ledger's field catalogue: which columns the Excel ledger has, their headers and the
header variants accepted on import.

Columns come from the model (``Instrument.model_fields[...].json_schema_extra`` holds the zh/en
labels, shared with forms and API), ordered like JJF 1356-2012 Annex B (序号, 名称, 型号规格,
准确度等级, 测量范围, 生产厂家, 出厂编号, 管理编号, 安装使用地点, 检定周期/校准间隔, 状态), followed
by the carbon fields of shared/domain.md §7. Derived columns (序号, level, MPE, next due,
metering points) are written on export and never imported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import cast

import yaml
from pydantic import BaseModel

from tanjiliang.i18n import pairs
from tanjiliang.model.names import ENUM_LABELS
from tanjiliang.model.unit import ConfirmationRecord, Instrument


@dataclass(frozen=True, slots=True)
class Column:
    field: str  # model field, or a derived key starting with "_"
    zh: str
    en: str
    kind: str  # text | date | enum_status | enum_kind | enum_result | enum_basis | type | list | place
    derived: bool = False
    synonyms: tuple[str, ...] = ()
    width: int = 14

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"


def _label(model: type[BaseModel], name: str) -> tuple[str, str]:
    extra = model.model_fields[name].json_schema_extra
    assert isinstance(extra, dict)
    return str(extra["zh"]), str(extra["en"])


@lru_cache(maxsize=1)
def header_words() -> dict[str, dict[str, list[str]]]:
    """The header synonyms (``headers.yaml``): sheet → field → words."""
    text = (resources.files("tanjiliang.ledger") / "headers.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, list[str]]] = yaml.safe_load(text)
    return data


def _syn(sheet: str, name: str) -> tuple[str, ...]:
    return tuple(str(w) for w in header_words()[sheet].get(name) or ())


def _ic(name: str, kind: str = "text", width: int = 14) -> Column:
    zh, en = _label(Instrument, name)
    return Column(name, zh, en, kind, False, _syn("instruments", name), width)


#: Headers of the columns that are not model fields (Chinese; the English from the catalogue,
#: context ``ledger.column:<key>``).
DERIVED = cast("dict[str, tuple[str, str]]", pairs("ledger.column", {
    "_no": "序号",
    "_level": "层级",
    "_mpe": "最大允许误差(%)",
    "_next_due": "下次确认日期",
    "_points": "计量点",
    "_valid_until": "有效期至",
    "instrument": "管理编号",
}))


def _dc(name: str, kind: str, width: int, derived: bool = True) -> Column:
    zh, en = DERIVED[name]
    return Column(name, zh, en, kind, derived, _syn("instruments", name), width)


def _cc(name: str, kind: str = "text", width: int = 14) -> Column:
    zh, en = _label(ConfirmationRecord, name)
    return Column(name, zh, en, kind, False, _syn("confirmations", name), width)


#: The instrument sheet, JJF 1356 Annex B order then carbon fields (domain.md §7).
INSTRUMENT_COLUMNS: tuple[Column, ...] = (
    _dc("_no", "text", 6),
    _dc("_level", "text", 8),
    _ic("name", width=22),
    _ic("model"),
    _ic("accuracy", "accuracy", width=10),
    _dc("_mpe", "text", 10),
    _ic("verification_interval", "quantity", width=10),
    _ic("max_capacity", "quantity", width=10),
    _ic("usual_load", "quantity", width=10),
    _ic("range", "range"),
    _ic("manufacturer", width=18),
    _ic("serial"),
    _ic("id", width=12),
    _ic("at", "place"),
    _ic("measures", "measures"),
    _ic("type", "type", width=16),
    _ic("confirmation", "enum_kind", width=10),
    _ic("interval", "interval", width=12),
    _ic("last_confirmed", "date", width=12),
    _dc("_next_due", "date", 12),
    _ic("certificate", width=18),
    _ic("confirmed_by", width=20),
    _ic("status", "enum_status", width=8),
    _dc("_points", "text", 16),
    _ic("basis", "enum_basis", width=10),  # 干湿基准 of a CEMS CO2 analyser (measures <point>.co2); last but
    # one, so that the columns of ledgers written before it keep their letters
    _ic("notes", width=18),
)

#: Read on import, never written: 有效期至 as the certificate states it (issue 12).
IMPORT_ONLY_COLUMNS: tuple[Column, ...] = (
    _dc("_valid_until", "date", 12, derived=False),
)
READ_COLUMNS = INSTRUMENT_COLUMNS + IMPORT_ONLY_COLUMNS

#: The confirmation history sheet (one row per verification or calibration).
CONFIRMATION_COLUMNS: tuple[Column, ...] = (
    Column("instrument", *DERIVED["instrument"], "text", False, _syn("confirmations", "instrument"),
           12),
    _cc("date", "date", width=12),
    _cc("kind", "enum_kind", width=10),
    _cc("result", "enum_result", width=10),
    _cc("as_found", width=12),
    _cc("as_left", width=12),
    _cc("certificate", width=18),
    _cc("body", width=20),
    _cc("standards", "list", width=20),
    _cc("next_due", "date", width=12),
)

SHEET_INSTRUMENTS = "台账 Ledger"
SHEET_CONFIRMATIONS = "确认记录 Confirmations"
SHEET_NOTES = "说明 Notes"
SHEET_LISTS = "_lists"

#: Values of the enumerations: code → (zh, en), the model's words (one source).
STATUS = ENUM_LABELS["status"]
KIND = ENUM_LABELS["confirmation_kind"]
RESULT = ENUM_LABELS["result"]
BASIS = ENUM_LABELS["co2_basis"]
#: An enumeration column's kind → (its values, its kind in model/names.py).
ENUMS = {"enum_kind": (KIND, "confirmation_kind"), "enum_result": (RESULT, "result"),
         "enum_basis": (BASIS, "co2_basis")}
#: Place words accepted for ``at`` besides ids (unit-file.md: boundary | lab).
PLACE_WORDS = {"边界": "boundary", "厂界": "boundary", "核算边界": "boundary", "实验室": "lab",
               "化验室": "lab", "laboratory": "lab"}
#: The level column's words (context ``ledger.level:<level>``).
LEVELS = cast("dict[int | str, tuple[str, str]]", pairs("ledger.level", {
    1: "一级", 2: "二级", 3: "三级",
    "lab": "实验室", "emission_point": "排放口"}))


def norm(text: object) -> str:
    """Loose comparison form: NFKC (全角→半角), lower case, no spaces or underscores (one
    definition: tanjiliang.model.names.norm)."""
    from tanjiliang.model.names import norm as _norm

    return _norm(text)


def header_parts(text: str) -> list[str]:
    """A header cell's candidate texts: the whole, then each line / bracketed part."""
    t = unicodedata.normalize("NFKC", text).strip()
    parts = [t]
    for piece in re.split(r"[\n\r|]+|\(|\)|\[|\]", t):
        piece = piece.strip()
        if piece and piece not in parts:
            parts.append(piece)
    return parts


@dataclass(frozen=True, slots=True)
class Mapped:
    column: Column
    how: str  # exact | variant | synonym


def match_header(text: str, columns: tuple[Column, ...]) -> Mapped | None:
    """The column a header names, and how it was recognised; None if unknown.

    ``exact``: the header as exported (or its zh/en label or field name) character for
    character; ``variant``: the same after folding full-width characters, case and spaces;
    ``synonym``: a listed alternative name (e.g. 精度等级 for 准确度等级)."""
    raw = str(text)
    for c in columns:
        if raw in (c.header, c.zh, c.en, c.field, f"{c.zh} {c.en}", f"{c.zh}({c.en})"):
            return Mapped(c, "exact")
    parts = [norm(p) for p in header_parts(raw)]
    for p in parts:
        for c in columns:
            if p in (norm(c.zh), norm(c.en), norm(c.field), norm(c.header)):
                return Mapped(c, "variant")
    for p in parts:
        for c in columns:
            if p in {norm(s) for s in c.synonyms}:
                return Mapped(c, "synonym")
    return None
