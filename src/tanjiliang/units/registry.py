"""The pint registry and quantity parsing for the unit file and the rule packs."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import pint

from tanjiliang.i18n import gettext
from tanjiliang.units.cache import Registry
from tanjiliang.units.cache import folder as cache_folder

# pint's definition files parsed once per machine, kept in the user's cache folder (issue 16)
ureg: pint.UnitRegistry = Registry(
    autoconvert_offset_to_baseunit=True, on_redefinition="ignore", cache=cache_folder()
)
ureg.load_definitions(str(resources.files("tanjiliang.units") / "definitions.txt"))
Q_ = ureg.Quantity

_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")
#: Thousands grouped by spaces, as the specification and many reports write them (26 000 t).
_GROUPED = re.compile(r"^(\s*[+-]?\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+)(?=\.\d|\s*[^\d\s.]|\s*$)")

#: Names for the dimensions the unit file uses, in the user's language.
DIMENSION_NAMES: list[tuple[str, str, str]] = [
    ("[mass]", "质量", "mass"),
    ("[length] ** 3", "体积", "volume"),
    ("[standard_gas_volume]", "标准状态气体体积", "standard gas volume"),
    ("[energy]", "能量", "energy"),
    ("[energy] / [mass]", "单位质量的能量", "energy per mass"),
    ("[energy] / [length] ** 3", "单位体积的能量", "energy per volume"),
    ("[energy] / [standard_gas_volume]", "单位标准体积的能量", "energy per standard volume"),
    ("[mass] / [mass]", "质量分数", "mass fraction"),
    ("[mass] / [energy]", "单位能量的质量", "mass per energy"),
    ("[mass] / [standard_gas_volume]", "单位标准体积的质量", "mass per standard volume"),
    ("[mass] / [length] ** 3", "单位体积的质量", "mass per volume"),
    ("[power]", "功率", "power"),
    ("[mass] / [time]", "质量流量", "mass flow"),
    ("[length]", "长度", "length"),
    ("[time]", "时间", "time"),
    ("[temperature]", "温度", "temperature"),
    ("[pressure]", "压力", "pressure"),
]


class QuantityError(ValueError):
    """A string that is not a quantity, or a quantity of the wrong dimension."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@lru_cache(maxsize=64)
def _dims(key: str) -> Any:
    return ureg.get_dimensionality(key)


def dimension_name(dim: Any, lang: str = "en") -> str:
    """A person's name for a dimensionality (``[mass]`` → 质量 / mass)."""
    target = _dims(dim) if isinstance(dim, str) else dim
    if not target:
        return gettext("无量纲", lang, "units")
    for key, zh, en in DIMENSION_NAMES:
        if _dims(key) == target:
            return zh if lang == "zh" else en
    # never pint's own notation ("[mass] / [time] ** 2 / [current]" for "T", the tesla)
    return gettext("其他物理量", lang, "units")


#: Words pint reads otherwise than a person writing a fuel quantity means them. ``bbl`` and
#: ``barrel`` of a fuel are the oil barrel of 42 US gallons (pint's ``barrel`` is the 31.5-gallon
#: one): unit-file.md "any unit a person would write works, including US customary ones".
_FUEL_WORDS = re.compile(r"(?<![\w])(bbl|barrels?)(?![\w])")
#: ``m³`` after N, S, 万 or 亿 is part of a gas-volume name (``Nm³`` normal, ``Sm³`` standard
#: cubic metre, ``万m³``): pint would read the superscript first (``Nm³`` as (N·m)³, ``万Nm³`` as an
#: unknown ``万Nm`` cubed), so these are written with ``m3`` before pint sees them. Other
#: superscripts (``m³``, ``kg·m⁻³``, ``t·h⁻¹``) pint reads itself.
_STD_CUBE = re.compile(r"(?<=[NS万亿])m³")


def named_dimension(dim: Any) -> bool:
    """Whether a dimensionality has a person's name in :data:`DIMENSION_NAMES`."""
    return not dim or any(_dims(key) == dim for key, _, _ in DIMENSION_NAMES)


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """A unit as written in a unit file or an export (``t``, ``万Nm3``, ``%``, ``kg·m⁻³``,
    ``MMBtu``, ``bbl``)."""
    text = text.replace("%", " percent ").replace("‰", " permille ")
    text = _STD_CUBE.sub("m3", text)  # Nm³, 万Nm³, Sm³: the names definitions.txt gives them
    text = text.replace("·", "*").replace("／", "/")
    text = _FUEL_WORDS.sub("oil_barrel", text)
    return ureg.parse_units(text.strip() or "dimensionless")


#: Words that mean two different amounts: refused in a unit file rather than guessed (a guess
#: is silently 10 % or 1 000× off). ``ton`` is 907 kg to pint and 1 000 kg to most readers of a Chinese
#: file; ``MBtu`` is 10⁶ Btu as an SI prefix and 10³ Btu in US gas practice (as in ``Mscf``).
_AMBIGUOUS = re.compile(r"(?<![\w])(tons?|MBtu)(?![\w])")
_AMBIGUOUS_HINT = {
    "ton": ("写 t（吨，1 000 kg）或 short_ton（美吨，907.18 kg）", "write t (tonne, 1 000 kg) or short_ton (907.18 kg)"),
    "MBtu": ("写 MMBtu（10⁶ Btu）或 kBtu（10³ Btu）", "write MMBtu (10⁶ Btu) or kBtu (10³ Btu)"),
}


def ambiguous_unit(text: str) -> QuantityError | None:
    """The error for a quantity a person wrote with an ambiguous unit (``"500 ton"``,
    ``"3 MBtu"``), else ``None``. Only text a user wrote is judged: pint itself writes the short
    ton as ``ton`` when a quantity is shown, and reads it back."""
    amb = _AMBIGUOUS.search(text)
    if not amb:
        return None
    word = "MBtu" if amb[1] == "MBtu" else "ton"
    zh, en = _AMBIGUOUS_HINT[word]
    return QuantityError(f"“{text}” 中的单位“{amb[1]}”有歧义：{zh}",
                         f'the unit "{amb[1]}" in "{text}" is ambiguous: {en}')


def parse_quantity(text: str | float | int, dimension: str | None = None) -> pint.Quantity:
    """Parse ``"<number> <unit>"`` (``"1830000 t"``, ``"3.5 万Nm3"``, ``"99 %"``).

    ``dimension`` is a pint dimensionality string such as ``"[mass]"``; a quantity of another
    dimension raises :class:`QuantityError`. Plain numbers are dimensionless.
    """
    if isinstance(text, bool):
        raise QuantityError(f"{text!r} 不是量值", f"{text!r} is not a quantity")
    if isinstance(text, int | float):
        q = Q_(float(text), ureg.dimensionless)
    else:
        grouped = _GROUPED.match(str(text))
        if grouped:  # "1 830 000 t" is 1830000 t
            text = re.sub(r"[ \u00a0\u2009\u202f]", "", grouped.group(1)) + str(text)[grouped.end():]
        m = _NUMBER.match(str(text))
        if not m:
            raise QuantityError(
                f"“{text}” 不是“数值 单位”形式的量值", f'"{text}" is not a quantity "<number> <unit>"'
            )
        number, unit_text = m.groups()
        if re.match(r",\d", unit_text):  # 21,46: not thousands grouped (names.ungrouped)
            raise QuantityError(
                f"“{text}” 中的逗号不是千位分隔符：小数点请写“.”（如 21.46），千位分隔须每三位一组（如 2,450,000）",
                f'the comma in "{text}" does not separate thousands: write the decimal point as "." '
                "(21.46); thousands are grouped in threes (2,450,000)")
        try:
            unit = parse_unit(unit_text)
        except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, Exception) as exc:
            raise QuantityError(
                f"“{text}” 中的单位“{unit_text}”无法识别", f'unknown unit "{unit_text}" in "{text}"'
            ) from exc
        q = Q_(float(number), unit)
    if not math.isfinite(q.magnitude):  # "1e400 t" reads as infinity; .nan, .inf in YAML
        raise QuantityError(f"“{text}” 不是有限的数值", f'"{text}" is not a finite number')
    if dimension is not None and not q.check(dimension):
        expected_zh, expected_en = dimension_name(dimension, "zh"), dimension_name(dimension)
        hint_zh = hint_en = ""
        if re.search(r"\d\s*T\s*$", str(text)):  # "T" is the tesla; people mean tonnes
            hint_zh, hint_en = "（T 是特斯拉；吨请写 t）", ' ("T" is the tesla; write tonnes as t)'
        if not named_dimension(q.dimensionality):  # never pint's "[mass] / [time] ** 2 / [current]"
            raise QuantityError(f"“{text}” 的单位不是{expected_zh}的单位{hint_zh}",
                                f'"{text}" is not in a unit of {expected_en}{hint_en}')
        raise QuantityError(
            f"“{text}” 的量纲是{dimension_name(q.dimensionality, 'zh')}，应为{expected_zh}{hint_zh}",
            f'"{text}" is a {dimension_name(q.dimensionality)}, expected {expected_en}{hint_en}',
        )
    return q


def parse_ratio(text: str | float | int) -> float:
    """A dimensionless value: ``0.99``, ``"0.99"`` or ``"99 %"`` → 0.99."""
    q = parse_quantity(text, "[]")
    return float(q.to("dimensionless").magnitude)
