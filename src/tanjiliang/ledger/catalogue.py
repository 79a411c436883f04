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

from tanjiliang.model.unit import ConfirmationRecord, Instrument


@dataclass(frozen=True, slots=True)
class Column:
    field: str  # model field, or a derived key starting with "_"
    zh: str
    en: str
    kind: str  # text | date | enum_status | enum_kind | enum_result | type | list | place
    derived: bool = False
    synonyms: tuple[str, ...] = ()
    width: int = 14

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"


def _label(model: type, name: str) -> tuple[str, str]:
    extra = model.model_fields[name].json_schema_extra
    assert isinstance(extra, dict)
    return str(extra["zh"]), str(extra["en"])


def _col(model: type, name: str, kind: str = "text", synonyms: tuple[str, ...] = (),
         width: int = 14) -> Column:
    zh, en = _label(model, name)
    return Column(name, zh, en, kind, False, synonyms, width)


#: The instrument sheet, JJF 1356 Annex B order then carbon fields (domain.md §7).
INSTRUMENT_COLUMNS: tuple[Column, ...] = (
    Column("_no", "序号", "No.", "text", True, ("序", "编号序号"), 6),
    Column("_level", "层级", "Level", "text", True, ("级别", "配备级别", "计量级别"), 8),
    _col(Instrument, "name", synonyms=("器具名称", "计量器具名称", "设备名称", "仪表名称"), width=22),
    _col(Instrument, "model", synonyms=("型号", "规格型号", "规格", "型号规格"), width=14),
    _col(Instrument, "accuracy", synonyms=("精度等级", "准确度", "精度", "准确级", "准确度级别",
                                           "准确度等级/最大允许误差", "accuracy"), width=10),
    Column("_mpe", "最大允许误差(%)", "MPE (%)", "text", True, ("最大允许误差", "MPE", "允许误差"), 10),
    _col(Instrument, "range", synonyms=("量程", "测量范围", "测量区间"), width=14),
    _col(Instrument, "manufacturer", synonyms=("生产厂家", "制造厂", "制造单位", "厂家", "生产厂商"), width=18),
    _col(Instrument, "serial", synonyms=("出厂编号", "出厂号", "序列号", "serial number"), width=14),
    _col(Instrument, "id", synonyms=("管理编号", "器具编号", "内部编号", "计量器具编号", "id"), width=12),
    _col(Instrument, "at", "place", synonyms=("安装使用地点", "安装地点", "使用地点", "安装使用地点及用途",
                                              "安装位置", "location", "place"), width=14),
    _col(Instrument, "measures", synonyms=("测量对象", "计量对象", "测量参数", "源流", "用途"), width=14),
    _col(Instrument, "type", "type", synonyms=("器具类型", "类型", "器具类别", "类别"), width=16),
    _col(Instrument, "confirmation", "enum_kind", synonyms=("检定/校准", "确认方式", "检定或校准",
                                                            "溯源方式"), width=10),
    _col(Instrument, "interval", synonyms=("检定周期", "校准间隔", "检定周期/校准间隔", "检定/校准周期",
                                           "周期", "确认间隔"), width=12),
    _col(Instrument, "last_confirmed", "date", synonyms=("最近检定/校准日期", "检定日期", "校准日期",
                                                         "最近检定日期", "上次检定日期", "确认日期"), width=12),
    Column("_next_due", "下次确认日期", "Next due", "date", True, ("有效期至", "下次检定日期",
                                                                "下次校准日期", "到期日期"), 12),
    _col(Instrument, "certificate", synonyms=("证书号", "证书编号", "检定证书编号"), width=18),
    _col(Instrument, "confirmed_by", synonyms=("检定/校准机构", "检定单位", "校准单位", "检定机构",
                                               "校准机构", "溯源单位"), width=20),
    _col(Instrument, "status", "enum_status", synonyms=("状态", "使用状态", "器具状态"), width=8),
    Column("_points", "计量点", "Metering points", "text", True, ("计量点位",), 16),
    _col(Instrument, "notes", synonyms=("备注", "说明", "remarks"), width=18),
)

#: The confirmation history sheet (one row per verification or calibration).
CONFIRMATION_COLUMNS: tuple[Column, ...] = (
    Column("instrument", "管理编号", "Management no.", "text", False,
           ("器具编号", "计量器具编号", "instrument"), 12),
    _col(ConfirmationRecord, "date", "date", synonyms=("日期", "检定日期", "校准日期"), width=12),
    _col(ConfirmationRecord, "kind", "enum_kind", synonyms=("检定/校准", "方式"), width=10),
    _col(ConfirmationRecord, "result", "enum_result", synonyms=("结果", "检定结论", "校准结论"), width=10),
    _col(ConfirmationRecord, "as_found", synonyms=("示值误差", "调整前示值误差", "as found"), width=12),
    _col(ConfirmationRecord, "as_left", synonyms=("调整后示值误差", "as left"), width=12),
    _col(ConfirmationRecord, "certificate", synonyms=("证书号", "证书编号"), width=18),
    _col(ConfirmationRecord, "body", synonyms=("检定单位", "校准单位", "检定/校准机构", "机构"), width=20),
    _col(ConfirmationRecord, "standards", "list", synonyms=("标准器", "计量标准器", "所用计量标准",
                                                            "standards"), width=20),
    _col(ConfirmationRecord, "next_due", "date", synonyms=("有效期至", "下次检定日期", "证书有效期"),
         width=12),
)

SHEET_INSTRUMENTS = "台账 Ledger"
SHEET_CONFIRMATIONS = "确认记录 Confirmations"
SHEET_NOTES = "说明 Notes"
SHEET_LISTS = "_lists"

#: Values of the enumerations: code → (zh, en).
STATUS = {"in_use": ("在用", "In use"), "standby": ("备用", "Standby"),
          "out_of_service": ("停用", "Out of service")}
KIND = {"verification": ("检定", "Verification"), "calibration": ("校准", "Calibration")}
RESULT = {"pass": ("合格", "Pass"), "fail": ("不合格", "Fail"), "limited": ("准用", "Limited use")}
#: Place words accepted for ``at`` besides ids (unit-file.md: boundary | lab).
PLACE_WORDS = {"边界": "boundary", "厂界": "boundary", "核算边界": "boundary", "实验室": "lab",
               "化验室": "lab", "laboratory": "lab"}
LEVELS = {1: ("一级", "Level 1"), 2: ("二级", "Level 2"), 3: ("三级", "Level 3"),
          "lab": ("实验室", "Laboratory"), "emission_point": ("排放口", "Emission point")}


def norm(text: object) -> str:
    """Loose comparison form: NFKC (全角→半角), lower case, no spaces or underscores."""
    s = unicodedata.normalize("NFKC", str(text if text is not None else "")).lower()
    return re.sub(r"[\s_]+", "", s)


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
