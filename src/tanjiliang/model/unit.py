"""Pydantic models of the unit file ``tanjiliang/unit@1`` (shared/spec/unit-file.md).

Values are kept as the user wrote them (quantities as ``"<number> <unit>"`` strings), so that
writing a file back loses nothing; the parsed form is one call away (:func:`quantity`).
Each field carries its Chinese and English label once (``json_schema_extra``); the Excel
ledger, the API and the web forms read the labels from here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from datetime import date as _date  # the type, where a field named date hides it
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, NamedTuple

import pint
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tanjiliang.model.uscc import uscc_problem
from tanjiliang.units import QuantityError, ambiguous_unit, parse_quantity
from tanjiliang.units import parse_ratio as _ratio

FORMAT = "tanjiliang/unit@1"

Sector = Literal[
    "power", "cement", "steel", "aluminium", "chemical", "petrochemical", "glass", "paper",
    "aviation", "other",
]
StreamKind = Literal["combustion", "process", "electricity", "heat", "product", "pfc"]
#: A stream's direction across the boundary: ``in`` (consumed, the default) or ``out`` (an
#: export: electricity or heat sent out, a product carrying carbon out of the boundary).
Direction = Literal["in", "out"]
Method = Literal["calculation", "measurement"]
ParamSource = Literal["measured", "default", "supplier"]
Gas = Literal["CO2", "CH4", "N2O", "CF4", "C2F6"]
StreamClass = Literal["major", "minor", "de_minimis"]
ConfirmationKind = Literal["verification", "calibration"]
InstrumentStatus = Literal["in_use", "standby", "out_of_service"]
#: The basis of a CEMS CO2 concentration (干基 / 湿基): ``C_dry = C_wet / (1 − Xsw)``
#: (HJ 75-2017 / HJ 1045, shared/domain.md §6).
Co2Basis = Literal["dry", "wet"]
ConfirmationResult = Literal["pass", "fail", "limited"]
GwpSet = Literal["SAR", "AR4", "AR5", "AR6"]

#: Places that are not ids: the boundary and the laboratory.
BOUNDARY = "boundary"
LAB = "lab"
#: Quantities measured at an emission point (measurement method, CEMS).
EMISSION_POINT_QUANTITIES = ("co2", "flow", "temperature", "pressure", "moisture")
STREAM_PARAMETERS = ("ncv", "carbon_content", "oxidation_rate", "emission_factor")
#: What a cement stream's ``clinker`` block measures in the laboratory (CaO, MgO, their
#: non-carbonate parts, the raw meal's organic carbon) and by weighing (raw meal, kiln and
#: bypass dust): CETS-AG-02.01-V01-2024 熟料生产; 2013 cement guideline (issue 17).
CLINKER_LAB = ("cao", "mgo", "cao_non_carbonate", "mgo_non_carbonate", "organic_carbon")
CLINKER_WEIGHED = ("raw_meal", "kiln_dust", "bypass_dust", "substitutes")
#: Further quantities an instrument may measure on a stream: the stock-take (盘库), the
#: anode-effect minutes of a PFC stream (pot-line control system) and a clinker stream's
#: analyses and weighings.
STREAM_QUANTITIES = (*STREAM_PARAMETERS, "stock", "anode_effects", *CLINKER_LAB, *CLINKER_WEIGHED)


def problem(zh: str, en: str, at: str | None = None) -> PydanticCustomError:
    """A validation error carrying both languages (the loader shows the user's). ``at``: the
    key, below the validated object, that the problem is about, so that a model validator's
    error names that key's line and path (``source_streams[0].activity``, not the stream)."""
    ctx = {"zh": zh} if at is None else {"zh": zh, "at": at}
    return PydanticCustomError("tanjiliang", en.replace("{", "{{").replace("}", "}}"), ctx)


def label(zh: str, en: str, **kw: Any) -> Any:
    """A field with its Chinese and English label (the one definition used everywhere)."""
    extra = kw.pop("json_schema_extra", {})
    return Field(json_schema_extra={"zh": zh, "en": en, **extra}, **kw)


# ---------------------------------------------------------------------------- value types


@lru_cache(maxsize=4096)
def _quantity_problem(v: str, dimensions: tuple[str, ...]) -> tuple[str, str] | None:
    """What is wrong with a quantity text (zh, en), if anything: it must parse and, given
    ``dimensions``, have one of them. Cached: a ledger repeats a few capacities and scale sizes
    (1 800 pint parses in a 10 000-instrument file, issue 16)."""
    try:
        q = parse_quantity(v)
    except QuantityError as exc:
        return exc.zh, exc.en
    amb = ambiguous_unit(v)  # "500 ton": a tonne or a short ton? (units/registry.py)
    if amb is not None:
        return amb.zh, amb.en
    if dimensions and not any(q.check(d) for d in dimensions):
        from tanjiliang.units import dimension_name

        want_zh = "或".join(dimension_name(d, "zh") for d in dimensions)
        want_en = " or ".join(dimension_name(d) for d in dimensions)
        tesla = re.search(r"\d\s*T\s*$", str(v)) is not None  # "T" is the tesla; people mean tonnes
        return (f"“{v}”的量纲是{dimension_name(q.dimensionality, 'zh')}，应为{want_zh}"
                + ("（T 是特斯拉；吨请写 t）" if tesla else ""),
                f'"{v}" is a {dimension_name(q.dimensionality)}, expected {want_en}'
                + (' ("T" is the tesla; write tonnes as t)' if tesla else ""))
    return None


def _quantity_checker(*dimensions: str) -> Any:
    def check(v: str) -> str:
        p = _quantity_problem(v, dimensions)
        if p is not None:
            raise problem(*p)
        return v

    return check


def QuantityText(*dimensions: str) -> Any:
    """A quantity string, checked to parse and (optionally) to have one of ``dimensions``."""
    return Annotated[str, AfterValidator(_quantity_checker(*dimensions))]


MASS = "[mass]"
VOLUME = "[length] ** 3"
STD_VOLUME = "[standard_gas_volume]"
ENERGY = "[energy]"
ACTIVITY_DIMS = (MASS, VOLUME, STD_VOLUME, ENERGY)

# Quantity strings, checked to parse and (optionally) to have one of the dimensions.
ActivityText = Annotated[str, AfterValidator(_quantity_checker(*ACTIVITY_DIMS))]
MassText = Annotated[str, AfterValidator(_quantity_checker(MASS))]
AnyQuantityText = Annotated[str, AfterValidator(_quantity_checker())]

Ratio = Annotated[str, AfterValidator(_quantity_checker("[]"))]

#: An MPE may be written without its ± ("0.5 %"), as the ledger reader already reads "1%": an MPE
#: is symmetric, and a class is written without "%". ``±1 %FS`` is an MPE of the full scale (满量程,
#: 引用误差; ``F.S.`` too): at a reading below the upper limit it is a larger share of the reading,
#: so it is kept as written and never read as ``±1 %`` of reading (:func:`full_scale_percent`).
#: Matched against the text as :func:`read_accuracy` tidies it (no spaces, no 级, ± for +-).
_ACCURACY = re.compile(
    r"^(?:(?P<cls>\d+(?:\.\d+)?)(?P<s>[Ss])?|(?P<oiml>I{1,4}|IV)"
    r"|±?(?P<mpe>\d+(?:\.\d+)?)%(?P<fs>FS|F\.S\.?|满量程)?)$",
    re.IGNORECASE,
)
#: Words people write around a class: "0.5级", "精度等级 0.5", "class 0.5".
_CLASS_WORD = r"(?:准确度等级|准确度|精度等级|精度|准确级|等级|级别|级|class)"
_CLASS_WORDS = re.compile(rf"^\s*{_CLASS_WORD}|{_CLASS_WORD}\s*$", re.IGNORECASE)
#: Accuracy classes of the preferred series (GB/T 13283-2008 §4.2 and JJG 596-2012 for the
#: S classes of electricity meters), each as :func:`read_accuracy` writes it (no trailing
#: zeros); any other number is not a class.
ACCURACY_CLASSES = frozenset(
    {"0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.5",
     "1", "1.5", "2", "2.5", "3", "4", "5"}
)
S_CLASSES = frozenset({"0.1", "0.2", "0.5", "1"})


class AccuracyReading(NamedTuple):
    """An accuracy as :func:`read_accuracy` reads it.

    ``tidy``: the number as written, the decoration tidied (what the ledger import stores:
    ``"0.50级"`` → ``"0.50"``, ``"0.5s"`` → ``"0.5S"``, ``"Ⅲ级"`` → ``"III"``, ``"1%"`` → ``"±1 %"``);
    ``canonical``: the value compared with the pack (``"0.5"``, ``"0.5S"``, ``"III"``, ``"±1 %"``,
    ``"±1 %FS"``), trailing zeros dropped; ``kind``: ``class``, ``oiml``, ``mpe`` or ``mpe_fs``."""

    tidy: str
    canonical: str
    kind: Literal["class", "oiml", "mpe", "mpe_fs"]


def _number(text: str) -> str:
    """``"0.50"`` → ``"0.5"``, ``"1.0"`` → ``"1"``, ``"10"`` → ``"10"``."""
    return format(Decimal(text).normalize(), "f")


@lru_cache(maxsize=4096)
def read_accuracy(text: str) -> AccuracyReading | None:
    """The one reader of an accuracy class or MPE, for the unit file and the ledger alike;
    None if ``text`` is neither. A class written with trailing zeros is that class (``"0.50"``,
    ``"1.0"``); ``S``/``s``, with or without a space, is the S class of an electricity meter
    (``"0.2 S"``); a weighing class is written in ASCII Roman numerals or the Unicode number forms
    Ⅰ–Ⅳ (``"Ⅲ"``, ``"III"``, ``"Ⅳ"`` = ``"IIII"``); ``级``/``等级`` around it and full-width
    characters are read too. The caller keeps the text as written."""
    s = unicodedata.normalize("NFKC", str(text))  # Ⅲ → III, ０.５ → 0.5, ％ → %
    s = _CLASS_WORDS.sub("", s)
    s = re.sub(r"\s+", "", s).replace("+/-", "±").replace("+-", "±")
    if s.startswith("满量程"):  # 满量程±1% is ±1 %FS
        s = s[3:] + "FS"
    m = _ACCURACY.match(s)
    if m is None:
        return None
    if m["mpe"] is not None:
        fs = "FS" if m["fs"] else ""
        return AccuracyReading(f"±{m['mpe']} %{fs}", f"±{_number(m['mpe'])} %{fs}",
                               "mpe_fs" if fs else "mpe")
    if m["oiml"] is not None:
        roman = m["oiml"].upper()
        roman = "IIII" if roman == "IV" else roman
        return AccuracyReading(roman, roman, "oiml")
    cls, s_class = _number(m["cls"]), "S" if m["s"] else ""
    if cls not in ACCURACY_CLASSES or (s_class and cls not in S_CLASSES):
        return None
    return AccuracyReading(m["cls"] + s_class, cls + s_class, "class")


def accuracy_canonical(text: str | None) -> str | None:
    """The accuracy compared with the pack (``"0.50级"`` → ``"0.5"``, ``"0.5 s"`` → ``"0.5S"``,
    ``"Ⅲ"`` → ``"III"``), or None where nothing (valid) is stated."""
    if text is None:
        return None
    r = read_accuracy(text)
    return r.canonical if r is not None else None


@lru_cache(maxsize=4096)
def accuracy_problem(text: str) -> tuple[str, str] | None:
    if read_accuracy(text) is not None:
        return None
    return (f"“{text}”不是准确度等级或最大允许误差（如 0.5、0.2S、III、±0.1 %）",
            f'"{text}" is not an accuracy class or MPE (e.g. 0.5, 0.2S, III, ±0.1 %)')


def mpe_percent(accuracy: str | None) -> float | None:
    """MPE in % of reading for an accuracy class or MPE; ``None`` where it cannot be compared
    (an OIML weighing class such as ``III``, a full-scale MPE, or nothing stated). Pack
    default-pack.md: a class maps to ±class % (``"0.5S"`` → 0.5)."""
    r = read_accuracy(accuracy) if accuracy is not None else None
    if r is None or r.kind in ("oiml", "mpe_fs"):
        return None
    return float(r.canonical.removeprefix("±").removesuffix(" %").removesuffix("S"))


def full_scale_percent(accuracy: str | None) -> float | None:
    """The MPE in % of the full scale (``"±1 %FS"`` → 1.0), or None for any other accuracy. At
    the upper range value it equals an MPE of ±1 % of reading and at any lower reading it is
    more (MPE = FS % × upper limit ÷ reading), so it can show that an instrument misses a
    requirement, never that it meets one."""
    r = read_accuracy(accuracy) if accuracy is not None else None
    if r is None or r.kind != "mpe_fs":
        return None
    return float(r.canonical.removeprefix("±").removesuffix(" %FS"))


def _check_accuracy(v: str) -> str:
    p = accuracy_problem(v)
    if p:
        raise problem(*p)
    return v


AccuracyText = Annotated[str, AfterValidator(_check_accuracy)]

_INTERVAL = re.compile(
    r"^\s*(\d+)\s*(months?|mo|个月|月|years?|yr|a|年)\s*$", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def interval_months(text: str) -> int:
    m = _INTERVAL.match(text)
    if not m:
        raise ValueError(text)
    n = int(m[1])
    return n * 12 if m[2].lower() in {"year", "years", "yr", "a", "年"} else n


def _check_interval(v: str) -> str:
    try:
        if interval_months(v) <= 0:
            raise ValueError(v)
    except ValueError:
        raise problem(f"“{v}”不是检定周期/校准间隔（如 12个月、1 年）",
                      f'"{v}" is not an interval (e.g. "12 months", "1 year")') from None
    return v


IntervalText = Annotated[str, AfterValidator(_check_interval)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s.,;:]+$")]
#: Text as written; a number where text is expected (a JSON ``"serial": 20190032``) becomes its
#: text (``Model``'s ``coerce_numbers_to_str``: ``str`` of an int, ``repr`` of a float, done in
#: pydantic-core: a Python validator per text field cost a third of loading a large ledger,
#: issue 16); a boolean stays an error.
Text = str
IsoDate = Annotated[date, PlainSerializer(lambda d: d.isoformat(), return_type=str)]


def quantity(text: str, dimension: str | None = None) -> pint.Quantity:
    """The parsed value of a quantity field."""
    return parse_quantity(text, dimension)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False,
                              str_strip_whitespace=True, coerce_numbers_to_str=True)


class Named(Model):
    """An item of the file with an id and a name (sub-unit, equipment, emission point, stream).
    unit-file.md marks only ``unit.name`` required: an item written without a name is shown by
    its id (an instrument keeps its name required: the ledger's 名称, JJF 1356 Annex B). The
    name is filled in without marking it set, so the file is written back as it was
    (``dump_yaml`` leaves unset keys out)."""

    @model_validator(mode="after")
    def _name_from_id(self) -> Named:
        if "name" not in self.model_fields_set:
            self.__dict__["name"] = self.__dict__.get("id")
        return self


# ---------------------------------------------------------------------------- the unit file

class UnitInfo(Model):
    name: Text = label("单位名称", "Name", min_length=1)
    credit_code: Text | None = label("统一社会信用代码", "Unified social credit code", default=None)
    sector: Sector = label("行业", "Sector", default="other")
    region: Text | None = label("所在地区", "Region", default=None)
    year: int = label("报告年度", "Reporting year", ge=1990, le=2100)

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, v: str | None) -> str | None:
        """At ``unit.credit_code`` (its line and key path), not at ``unit``."""
        if v is not None:
            p = uscc_problem(v)
            if p:
                raise problem(*p)
        return v


class SubUnit(Named):
    id: Id = label("编号", "Id")
    name: Text = label("名称", "Name", default="")
    major: bool | None = label("主要次级单位", "Major sub-unit", default=None)
    #: The process the national market covers (熟料生产 for cement, 铝电解工序 for aluminium;
    #: CETS-AG-02.01/04.01-V01-2024): its emissions are reported as ``covered_tco2e``.
    covered: bool | None = label("纳入核算的工序", "Covered process", default=None)


class Equipment(Named):
    id: Id = label("编号", "Id")
    name: Text = label("名称", "Name", default="")
    subunit: Id | None = label("所属次级单位", "Sub-unit", default=None)
    kind: Text | None = label("设施类型", "Kind", default=None)
    capacity: AnyQuantityText | None = label("容量", "Capacity", default=None)
    major: bool | None = label("主要排放设施", "Major equipment", default=None)


class EmissionPoint(Named):
    id: Id = label("编号", "Id")
    name: Text = label("名称", "Name", default="")
    equipment: Id | None = label("所属设施", "Equipment", default=None)
    subunit: Id | None = label("所属次级单位", "Sub-unit", default=None)


GasMap = dict[Gas, AnyQuantityText]


class Param(Model):
    """A parameter with its source (measured, default value, supplier's data)."""

    value: GasMap | AnyQuantityText
    source: ParamSource


ParamValue = Param | GasMap | AnyQuantityText


#: The dimensions a parameter may have (emissions/calc.py reads them so): unit-file.md "a
#: quantity in a unit of the wrong dimension is an error", also where the parameter goes unused
#: (an NCV beside an emission factor per mass).
_PARAM_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "ncv": ("[energy] / [mass]", "[energy] / [length] ** 3", "[energy] / [standard_gas_volume]"),
    "carbon_content": ("[mass] / [energy]", "[]"),
}


class Parameters(Model):
    ncv: ParamValue | None = label("低位发热量", "Net calorific value", default=None)
    carbon_content: ParamValue | None = label("单位热值含碳量", "Carbon content", default=None)
    oxidation_rate: ParamValue | None = label("碳氧化率", "Oxidation rate", default=None)
    emission_factor: ParamValue | None = label("排放因子", "Emission factor", default=None)

    @field_validator("ncv", "carbon_content", "oxidation_rate")
    @classmethod
    def _in_range(cls, v: Any, info: ValidationInfo) -> Any:
        """A parameter's value must be physically possible (docs/factors.md: oxidation_rate in
        (0, 1]; an NCV above zero; a carbon content not negative): the assessment totals
        absolute values, so such a value would give a plausible number from a typing mistake.
        An emission factor may be negative: it is how a file writes a stream whose emissions
        count negative (default-pack.md: totals and classes use absolute values)."""
        name = info.field_name or ""
        raw = v.value if isinstance(v, Param) else v
        for text in (raw.values() if isinstance(raw, dict) else (raw,)):
            try:
                x = float(quantity(text).magnitude) if name != "oxidation_rate" else _ratio(text)
            except QuantityError as exc:
                if name == "oxidation_rate":  # "5 t": a rate is a plain number or a percentage
                    raise problem(exc.zh, exc.en) from None
                continue  # the stream's own checks report a wrong dimension
            except (pint.errors.PintError, ValueError):
                continue
            dims = _PARAM_DIMENSIONS.get(name)
            if dims and not any(quantity(text).check(d) for d in dims):  # even where it goes unused
                from tanjiliang.units import dimension_name

                have = quantity(text).dimensionality
                raise problem(f"“{text}”的量纲是{dimension_name(have, 'zh')}，应为"
                              + "或".join(dimension_name(d, "zh") for d in dims),
                              f'"{text}" is a {dimension_name(have)}, expected '
                              + " or ".join(dimension_name(d) for d in dims))
            if name == "oxidation_rate" and not 0 < x <= 1:
                raise problem(f"碳氧化率“{text}”应大于0且不大于1（如 0.99 或 99 %）",
                              f'oxidation rate "{text}" must be above 0 and at most 1 (e.g. 0.99 or 99 %)')
            if name == "ncv" and not x > 0:
                raise problem(f"低位发热量“{text}”应大于0", f'net calorific value "{text}" must be above 0')
            if name == "carbon_content" and x < 0:
                raise problem(f"单位热值含碳量“{text}”不能为负", f'carbon content "{text}" cannot be negative')
        return v

    def source_of(self, name: str) -> ParamSource | None:
        """unit-file.md: a bare ncv or carbon_content counts as measured, a bare
        oxidation_rate or emission_factor as a default value."""
        v = getattr(self, name)
        if v is None:
            return None
        if isinstance(v, Param):
            return v.source
        return "measured" if name in ("ncv", "carbon_content") else "default"

    def value_of(self, name: str) -> str | dict[str, str] | None:
        v = getattr(self, name)
        if isinstance(v, Param):
            return v.value  # type: ignore[return-value]
        return v  # type: ignore[no-any-return]


def _dimension_of(text: str) -> Any:
    return quantity(text).dimensionality


class Stock(Model):
    """Opening and closing stock of a stream and its receipts in the period (盘库).

    Consumption = receipts + opening − closing (CETS-AG guidelines' 消耗量 = 购入量 + 期初库存
    − 期末库存 − 外销量; the export part is a separate ``direction: out`` stream). The stock-take is
    a metering point of its own (quantity ``stock``), with its ``method`` and ``uncertainty``.
    """

    opening: ActivityText = label("期初库存", "Opening stock")
    closing: ActivityText = label("期末库存", "Closing stock")
    receipts: ActivityText = label("购入量", "Receipts")
    method: Text | None = label("盘库方法", "Stock-take method", default=None)
    uncertainty: Ratio | None = label("盘库不确定度", "Stock-take uncertainty", default=None)
    date: IsoDate | None = label("盘库日期", "Stock-take date", default=None)

    @model_validator(mode="after")
    def _same_dimension(self) -> Stock:
        dims = {str(_dimension_of(t)) for t in (self.opening, self.closing, self.receipts)}
        if len(dims) != 1:
            raise problem("期初库存、期末库存和购入量须为同一量纲",
                          "opening, closing and receipts must have the same dimension")
        for name in ("opening", "closing", "receipts"):
            if quantity(getattr(self, name)).magnitude < 0:
                raise problem(f"{name} 不能为负", f"{name} cannot be negative")
        if self.consumption().magnitude < 0:
            raise problem("购入量 + 期初库存 − 期末库存 为负：期末库存大于可用量",
                          "receipts + opening − closing is negative: closing stock exceeds what was available")
        return self

    def consumption(self) -> pint.Quantity:
        r = quantity(self.receipts)
        total: pint.Quantity = r + quantity(self.opening).to(r.units) - quantity(self.closing).to(r.units)
        return total


class LowerTier(Model):
    """A justified lower tier (EU MRR Art. 26(1) second subparagraph, Art. 18 unreasonable
    costs / technical infeasibility): the tier applied, why, and when it was accepted."""

    tier: int | None = label("采用层级", "Tier applied", default=None, ge=1, le=4)
    reason: Text = label("理由", "Reason", min_length=1)
    date: IsoDate = label("日期", "Date")
    approved_by: Text | None = label("批准机关", "Approved by", default=None)


class AnodeEffects(Model):
    """Data for PFC emissions from anode effects (slope method, IPCC 2006 Vol. 3 §4.4.2.4;
    CETS-AG-04.01-V01-2024 铝冶炼): anode-effect minutes per cell-day, cells in operation and
    the aluminium produced."""

    minutes_per_cell_day: AnyQuantityText = label("阳极效应持续时间（分钟/槽日）", "Anode-effect minutes per cell-day")
    cells: int | None = label("运行槽数", "Cells in operation", default=None, ge=1)
    technology: Literal["CWPB", "SWPB", "VSS", "HSS"] = label("电解槽型", "Cell technology", default="CWPB")
    slope_cf4: AnyQuantityText | None = label("CF4 斜率系数", "CF4 slope coefficient", default=None)
    c2f6_ratio: Ratio | None = label("C2F6/CF4 质量比", "C2F6/CF4 weight fraction", default=None)


FractionValue = Param | Ratio


class Clinker(Model):
    """Process emissions of clinker production (熟料生产过程排放; CETS-AG-02.01-V01-2024; 中国水泥
    生产企业温室气体排放核算方法与报告指南（试行）2013 §原料碳酸盐分解、生料中非燃料碳煅烧):

    * carbonate decomposition: ``(Q_clinker + Q_kiln_dust + Q_bypass_dust) × EF_clinker`` with
      ``EF_clinker = (CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40`` from the clinker's
      analysed CaO and MgO (mass fractions) less their non-carbonate parts; without an analysis,
      the factor library's default clinker factor;
    * organic (non-fuel) carbon in the raw meal: ``Q_raw_meal × C_org × 44/12``, the raw meal
      weighed or, unmeasured, the clinker output × the library's raw-meal-to-clinker ratio.

    The stream's ``activity`` is the clinker output. A bare CaO, MgO, non-carbonate or
    organic-carbon value counts as measured (a laboratory metering point); ``{value, source:
    default}`` does not."""

    cao: FractionValue | None = label("熟料中CaO含量", "CaO content of clinker", default=None)
    mgo: FractionValue | None = label("熟料中MgO含量", "MgO content of clinker", default=None)
    cao_non_carbonate: FractionValue | None = label("熟料中非碳酸盐来源的CaO含量", "Non-carbonate CaO in clinker",
                                                    default=None)
    mgo_non_carbonate: FractionValue | None = label("熟料中非碳酸盐来源的MgO含量", "Non-carbonate MgO in clinker",
                                                    default=None)
    kiln_dust: MassText | None = label("窑头粉尘量", "Kiln dust", default=None)
    bypass_dust: MassText | None = label("旁路放风粉尘量", "Bypass dust", default=None)
    raw_meal: MassText | None = label("生料量", "Raw meal", default=None)
    organic_carbon: FractionValue | None = label("生料中非燃料碳含量", "Organic carbon in raw meal", default=None)
    #: non-carbonate substitute raw materials (电石渣, 钢渣 …) by factor-library material: their
    #: consumption × the library's deduction factor is deducted from the clinker's carbonate CO2
    #: where the default clinker factor is used (the 2024 guideline's 扣减; issue 17)
    substitutes: dict[Id, MassText] | None = label("非碳酸盐替代原料消耗量", "Non-carbonate substitute raw materials",
                                                 default=None)

    def fraction(self, name: str) -> float | None:
        """A fraction field as a number (``"65.2 %"`` → 0.652)."""
        from tanjiliang.units import parse_ratio

        v = getattr(self, name)
        if v is None:
            return None
        text = v.value if isinstance(v, Param) else v
        return parse_ratio(text)  # type: ignore[arg-type]

    def source_of(self, name: str) -> ParamSource | None:
        """A bare value counts as measured; ``{value, source}`` says its source. The weighed
        quantities (raw meal, dust) are measured when stated."""
        v = getattr(self, name)
        if v is None:
            return None
        return v.source if isinstance(v, Param) else "measured"

    @model_validator(mode="after")
    def _fractions(self) -> Clinker:
        for name in CLINKER_LAB:
            v = getattr(self, name)
            if isinstance(v, Param) and not isinstance(v.value, str):
                raise problem(f"{name} 不能按气体分列", f"{name} cannot be a map by gas")
            try:
                f = self.fraction(name)
            except QuantityError:
                raise problem(f"{name} 须为比例（如 65.2 %）", f"{name} must be a fraction (e.g. 65.2 %)") from None
            if f is not None and not 0.0 <= f <= 1.0:
                raise problem(f"{name} 须在 0 与 100 % 之间", f"{name} must lie between 0 and 100 %")
        if (self.cao is None) != (self.mgo is None):
            raise problem("熟料的 CaO 与 MgO 含量须同时给出（或都不给出，采用缺省排放因子）",
                          "give the clinker's CaO and MgO together (or neither, for the default factor)")
        for whole, part in (("cao", "cao_non_carbonate"), ("mgo", "mgo_non_carbonate")):
            w, q = self.fraction(whole), self.fraction(part)
            if q is not None and w is None:
                raise problem(f"给出 {part} 时须给出 {whole}", f"{part} needs {whole}")
            if q is not None and w is not None and q > w:
                raise problem(f"{part} 大于 {whole}", f"{part} exceeds {whole}")
        if self.substitutes and self.cao is not None:
            raise problem("给出熟料 CaO/MgO 分析值时，非碳酸盐来源已由 cao_non_carbonate/mgo_non_carbonate 扣除，"
                          "不再按替代原料扣减（substitutes 只用于缺省排放因子）",
                          "with the clinker's CaO/MgO analysed, non-carbonate sources are taken out by "
                          "cao_non_carbonate/mgo_non_carbonate; substitutes apply to the default factor only")
        return self


class SourceStream(Named):
    id: Id = label("编号", "Id")
    name: Text = label("名称", "Name", default="")
    kind: StreamKind = label("类别", "Kind")
    material: Text | None = label("物料", "Material", default=None)
    method: Method = label("方法", "Method", default="calculation")
    activity: ActivityText | None = label("活动数据", "Activity data", default=None)
    parameters: Parameters | None = label("参数", "Parameters", default=None)
    consumers: list[Id] | dict[Id, float] | None = label("使用者", "Consumers", default=None)
    emission_points: list[Id] | None = label("排放口", "Emission points", default=None)
    emissions: MassText | None = label("实测排放量", "Measured emissions", default=None)
    uncertainty: Ratio | None = label("不确定度", "Uncertainty", default=None)
    biogenic: bool | None = label("生物质碳", "Biogenic carbon", default=None)
    medium: Text | None = label("介质", "Medium", default=None)
    declared_class: StreamClass | None = label("声明分类", "Declared class", default=None,
                                               alias="class")
    direction: Direction = label("流向", "Direction", default="in")
    stock: Stock | None = label("库存", "Stock", default=None)
    lower_tier: LowerTier | None = label("降低层级说明", "Justified lower tier", default=None)
    anode_effects: AnodeEffects | None = label("阳极效应", "Anode effects", default=None)
    clinker: Clinker | None = label("熟料生产过程", "Clinker production", default=None)

    def activity_quantity(self) -> pint.Quantity | None:
        """The stream's activity data: ``activity`` as written, else from the stock
        (receipts + opening − closing). An export's amount is its magnitude (the direction,
        not the sign, says it leaves the boundary)."""
        if self.activity is not None:
            q = quantity(self.activity)
            neg = quantity(self.activity.lstrip().removeprefix("-"))
            return neg if self.direction == "out" and q.magnitude < 0 else q
        if self.stock is not None:
            return self.stock.consumption()
        return None

    def is_export(self) -> bool:
        return self.direction == "out"

    @model_validator(mode="after")
    def _method_fields(self) -> SourceStream:
        if self.direction == "out" and self.kind not in ("electricity", "heat", "product"):
            raise problem("只有电力、热力和含碳产品可以输出（direction: out）",
                          "only electricity, heat or a product can flow out (direction: out)")
        if self.direction == "out" and self.method != "calculation":
            raise problem("输出流须用计算法（给出 activity）",
                          "a flow out uses the calculation method (give activity)")
        if self.activity is not None and self.direction == "in" and quantity(self.activity).magnitude < 0:
            raise problem("活动数据不能为负；输出的电力、热力或产品请写 direction: out",
                          "activity cannot be negative; an export is written direction: out", at="activity")
        if self.kind == "pfc" and self.anode_effects is None and (
                self.parameters is None or self.parameters.emission_factor is None):
            raise problem("全氟化碳源流须给出 anode_effects（阳极效应）或 emission_factor",
                          "a PFC stream needs anode_effects or an emission_factor")
        if self.clinker is not None and (self.kind != "process" or self.direction != "in"
                                         or self.method != "calculation"):
            raise problem("clinker（熟料生产过程）只用于计算法的过程排放源流（kind: process）",
                          "clinker belongs to a calculation-method process stream (kind: process)")
        if self.method == "calculation":
            if self.activity is None and self.stock is None:
                raise problem("计算法源流须给出 activity（年活动数据）或 stock（库存与购入量）",
                              "a calculation-method stream needs activity (annual amount) or stock")
            if self.emission_points or self.emissions:
                raise problem("计算法源流不应有 emission_points/emissions；实测法请写 method: measurement",
                              "emission_points/emissions belong to method: measurement")
        else:
            if not self.emission_points:
                raise problem("实测法源流须给出 emission_points（排放口）",
                              "a measurement-method stream needs emission_points")
        return self

    @field_validator("consumers")
    @classmethod
    def _shares(cls, v: list[str] | dict[str, float] | None) -> list[str] | dict[str, float] | None:
        """unit-file.md: consumers with shares summing to 1, or a plain list (split equally);
        a problem is placed at ``consumers`` (file, line and key path)."""
        if isinstance(v, dict):
            shares = list(v.values())
            if any(s <= 0 for s in shares):
                raise problem("consumers 的份额须大于0", "consumer shares must be > 0")
            if abs(sum(shares) - 1.0) > 1e-6:
                raise problem(f"consumers 的份额之和应为1，实为{sum(shares):g}",
                              f"consumer shares must sum to 1, they sum to {sum(shares):g}")
        if isinstance(v, list) and len(set(v)) != len(v):
            raise problem("consumers 中有重复项", "consumers lists an id twice")
        return v

    def consumer_shares(self) -> dict[str, float]:
        """Consumers with their shares; a plain list splits equally (unit-file.md)."""
        if not self.consumers:
            return {}
        if isinstance(self.consumers, dict):
            return dict(self.consumers)
        n = len(self.consumers)
        return dict.fromkeys(self.consumers, 1.0 / n)

    def source_of(self, name: str) -> ParamSource | None:
        return self.parameters.source_of(name) if self.parameters else None


class ConfirmationRecord(Model):
    """One verification or calibration (JJF 1356 Annex B; certificate data)."""

    date: IsoDate = label("确认日期", "Date")
    kind: ConfirmationKind = label("确认方式", "Kind")
    result: ConfirmationResult = label("结论", "Result", default="pass")
    as_found: Text | None = label("调整前误差", "As-found error", default=None)
    as_left: Text | None = label("调整后误差", "As-left error", default=None)
    certificate: Text | None = label("证书编号", "Certificate no.", default=None)
    body: Text | None = label("检定/校准机构", "Issuing body", default=None)
    standards: list[Text] | None = label("计量标准", "Reference standards", default=None)
    next_due: IsoDate | None = label("证书有效期至", "Next due (per certificate)", default=None)

    @field_validator("next_due")
    @classmethod
    def _after_its_date(cls, v: _date | None, info: ValidationInfo) -> _date | None:
        """A certificate's next due date after the confirmation's own (docs/ledger.md §6), at
        ``next_due`` whatever the door — file, ledger sheet, page or API (probe s10: a record
        valid until a date before it was accepted, and the report then called an instrument
        calibrated two weeks earlier overdue)."""
        d = info.data.get("date")
        if v is not None and isinstance(d, _date) and v <= d:
            raise problem(f"证书有效期至 {v} 不晚于确认日期 {d}，两者矛盾",
                          f"the certificate's next due date {v} is not after the confirmation date {d}")
        return v


class Instrument(Model):
    """A measuring instrument in the ledger (台账), JJF 1356-2012 Annex B plus carbon fields
    (domain.md §7)."""

    id: Id = label("管理编号", "Management no.")
    name: Text = label("名称", "Name")  # a ledger row needs its 名称 (JJF 1356 Annex B)
    type: Id = label("器具类型", "Type")
    measures: Text | list[Text] | None = label("测量对象", "Measures", default=None)
    at: Id = label("安装使用地点", "Location")
    accuracy: AccuracyText | None = label("准确度等级", "Accuracy class", default=None)
    verification_interval: MassText | None = label("检定分度值 e", "Verification interval e",
                                                   default=None)
    max_capacity: MassText | None = label("最大秤量 Max", "Maximum capacity Max", default=None)
    usual_load: MassText | None = label("常用称量", "Usual load", default=None)
    range: Text | None = label("测量范围", "Measuring range", default=None)
    model: Text | None = label("型号规格", "Model", default=None)
    manufacturer: Text | None = label("生产厂家", "Manufacturer", default=None)
    serial: Text | None = label("出厂编号", "Serial no.", default=None)
    confirmation: ConfirmationKind | None = label("检定/校准", "Verification/calibration",
                                                  default=None)
    interval: IntervalText | None = label("检定周期/校准间隔", "Interval", default=None)
    last_confirmed: IsoDate | None = label("最近检定/校准日期", "Last confirmed", default=None)
    certificate: Text | None = label("证书编号", "Certificate no.", default=None)
    confirmed_by: Text | None = label("检定/校准机构", "Confirmed by", default=None)
    status: InstrumentStatus = label("状态", "Status", default="in_use")
    confirmations: list[ConfirmationRecord] | None = label("确认记录", "Confirmations",
                                                           default=None)
    #: How the readings of an instrument that measures several streams' activity are
    #: attributed when the readings do not name the target row by row (a ``target`` column):
    #: each target's share of every reading (issue 17; docs/data.md "Several targets").
    split: dict[Text, float] | None = label("分配比例", "Split between targets", default=None)
    #: The basis of a CEMS CO2 analyser's concentration (``measures: S1.co2``): ``dry`` (干基)
    #: or ``wet`` (湿基, divided by 1 − Xsw to give the dry concentration; HJ 75-2017, shared/
    #: domain.md §6). Absent: % vol readings are dry, mg/m³ at actual conditions wet (docs/data.md).
    basis: Co2Basis | None = label("干湿基准", "Measurement basis", default=None)
    notes: Text | None = label("备注", "Notes", default=None)

    @model_validator(mode="after")
    def _measures_and_weighing(self) -> Instrument:
        m = self.measures
        if (isinstance(m, str) and m and self.usual_load is None and self.verification_interval is None
                and self.split is None):
            return self  # one target, no weighing fields: nothing below applies (most ledger rows)
        items = self.measures_list()
        if self.measures is not None and (not items or any(not m for m in items)):
            raise problem("measures 不能为空", "measures cannot be empty")
        if len(set(items)) != len(items):
            raise problem("measures 中有重复项", "measures lists a target twice")
        if (self.usual_load is not None and self.max_capacity is not None
                and _exceeds(self.usual_load, self.max_capacity)):
            raise problem("常用称量大于最大秤量 Max", "the usual load exceeds the maximum capacity Max")
        if self.verification_interval is not None and not _positive(self.verification_interval):
            raise problem("检定分度值 e 须大于0", "the verification interval e must be > 0")
        if self.split is not None:
            unknown = sorted(set(self.split) - set(items))
            if unknown:
                raise problem(f"split 中的 {', '.join(unknown)} 不在 measures 中",
                              f"split names {', '.join(unknown)}, not in measures")
            if len(self.split) < 2 or any(v <= 0 for v in self.split.values()):
                raise problem("split 须给出至少两个对象，份额均大于0",
                              "split needs at least two targets, each share > 0")
            if abs(sum(self.split.values()) - 1.0) > 1e-6:
                raise problem(f"split 的份额之和应为1，实为{sum(self.split.values()):g}",
                              f"split shares must sum to 1, they sum to {sum(self.split.values()):g}")
        return self

    def measures_list(self) -> list[str]:
        """``measures`` as a list (a single target is a list of one)."""
        if self.measures is None:  # not yet known (待补充): a plant ledger seldom says (issue 12)
            return []
        return list(self.measures) if isinstance(self.measures, list) else [self.measures]

    def measures_text(self) -> str:
        """``measures`` as one text (several targets joined by ", "), for a ledger cell."""
        m = self.measures
        return m if isinstance(m, str) else ", ".join(m or ())

    def targets(self) -> list[tuple[str, str]]:
        """Each (stream or emission point id, quantity) measured; quantity ``activity`` for a
        bare stream id, else the part after the dot (``ncv``, ``co2``, ``stock``…)."""
        m = self.measures
        if isinstance(m, str):
            return [_target(m)]
        return [_target(x) for x in m or ()]

    def activity_targets(self) -> list[str]:
        """The targets measured as a stream's activity (a bare stream id), in the order written."""
        return [t for t, q in self.targets() if q == "activity"]

    def measured_stream(self) -> str:
        """The stream or emission point id of the first target."""
        t = self.targets()
        return t[0][0] if t else ""

    def measured_quantity(self) -> str:
        """The quantity of the first target (``activity`` for a bare stream id)."""
        t = self.targets()
        return t[0][1] if t else "activity"


@lru_cache(maxsize=4096)
def _positive(a: str) -> bool:
    """Whether quantity ``a`` is above zero (cached, as :func:`_exceeds`)."""
    return bool(quantity(a).magnitude > 0)


@lru_cache(maxsize=4096)
def _exceeds(a: str, b: str) -> bool:
    """Whether quantity ``a`` is more than ``b`` (cached: a ledger repeats a few scale sizes)."""
    return bool(quantity(a) > quantity(b))


def _target(text: str) -> tuple[str, str]:
    head, dot, tail = text.partition(".")
    return (head, tail) if dot else (head, "activity")


class Procedure(Model):
    title: Text = label("名称", "Title")
    kind: Id = label("类别", "Kind")
    issued: IsoDate | None = label("发布日期", "Issued", default=None)
    number: Text | None = label("文件编号", "Document no.", default=None)


class Person(Model):
    name: Text = label("姓名", "Name")
    role: Text = label("岗位", "Role")
    trained: IsoDate | None = label("培训日期", "Trained", default=None)
    certificate: Text | None = label("证书", "Certificate", default=None)


class Management(Model):
    procedures: list[Procedure] = label("管理制度", "Procedures", default_factory=list)
    personnel: list[Person] = label("计量人员", "Personnel", default_factory=list)
    records_retention_years: float | None = label("记录保存年限", "Records retention (years)",
                                                  default=None, ge=0)


class UnitFile(Model):
    """The whole unit file."""

    format: Literal["tanjiliang/unit@1"] = "tanjiliang/unit@1"
    unit: UnitInfo
    pack: Text | None = None
    gwp: GwpSet | None = None
    subunits: list[SubUnit] = Field(default_factory=list)
    equipment: list[Equipment] = Field(default_factory=list)
    emission_points: list[EmissionPoint] = Field(default_factory=list)
    source_streams: list[SourceStream] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    management: Management | None = None

    _source: Any = PrivateAttr(default=None)

    def issue(self, path: tuple[str | int, ...], zh: str, en: str) -> Any:
        """An :class:`~tanjiliang.model.errors.Issue` at ``path`` of the file this came from."""
        from tanjiliang.model.errors import Issue, format_path

        if self._source is None:
            return Issue("<unit>", None, format_path(path), zh, en)
        return self._source.issue(path, zh, en)
