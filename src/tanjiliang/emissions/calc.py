"""Emissions of one source stream (shared/spec/unit-file.md, "How a stream's emissions follow
from its parameters"; domain.md §6).

* with ``emission_factor``: E = activity × factor when the factor is per unit of the
  activity's own dimension; E = activity × ncv × factor when the factor is per energy and the
  activity is not (IPCC style); a map by gas gives CO2, CH4, N2O weighted by GWP;
* otherwise the Chinese guideline form E = activity × ncv × carbon_content × oxidation_rate
  × 44/12, each missing parameter taken from the factor library for ``material``;
* a biogenic material (or ``biogenic: true``) is reported as biogenic CO2, counted 0.

Exact (default-pack.md "Exactness"): every product is worked out on the exact decimals of its
factors — the numbers as written (or as the factor library holds them) and each unit
conversion's factor — as fractions (44/12 is not a finite decimal), never as a product of
binary floating-point numbers: 9 901 t × 5.05 t/t is 50 000.05 t, not 50 000.049999999996,
and so above the 50 000 t of category A. ``StreamEmission.exact_tco2e`` carries it to the
totals and the classes; the float fields are its nearest floats, for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from typing import Any

import pint

from tanjiliang.model.unit import SourceStream
from tanjiliang.rules.exact import exact
from tanjiliang.rules.factors import FactorLibrary, Material
from tanjiliang.rules.schema import Cited
from tanjiliang.units import QuantityError, parse_quantity, parse_ratio
from tanjiliang.units.registry import Q_, dimension_name, ureg

C_TO_CO2 = 44.0 / 12.0  # molar masses of CO2 and C (IUPAC), GB/T 32150-2015 formula (2)
C_TO_CO2_X = Fraction(44, 12)  # the same, exactly


class CalcProblem(Exception):
    """A stream whose emissions cannot be computed; ``field`` is the key under the stream."""

    def __init__(self, field: tuple[str | int, ...], zh: str, en: str) -> None:
        super().__init__(en)
        self.field = field
        self.zh = zh
        self.en = en


@dataclass(slots=True)
class Parameter:
    """One factor of a stream's calculation, with where its value came from."""

    name: str
    value: float
    unit: str
    source: str  # measured | default | supplier | library
    citation: str | None = None


@dataclass(slots=True)
class StreamEmission:
    counted_tco2e: float  # the nearest float of exact_tco2e
    by_gas_t: dict[str, float]
    biogenic_co2_t: float
    formula: str
    parameters: list[Parameter] = field(default_factory=list)
    exact_tco2e: Decimal = Decimal(0)  # what the stream counts, exact (the module's docstring)


# ------------------------------------------------------------------------- exact products

def _fx(v: float | int) -> Fraction:
    """The exact decimal of a number the engine holds (rules/exact.py), as a fraction."""
    return Fraction(exact(v))


@lru_cache(maxsize=1024)  # a few units recur across streams
def _factor(units: Any, target: Any) -> Fraction:
    """The factor from ``units`` to ``target``, as the exact decimal of pint's factor."""
    return _fx(float(Q_(1.0, units).to(target).magnitude))


def _in(q: pint.Quantity, target: Any) -> Fraction:
    """``q`` in ``target`` units, exactly: its magnitude's decimal × the conversion's."""
    return _fx(q.magnitude) * _factor(q.units, target)


def _decimal(x: Fraction) -> Decimal:
    """A fraction as a decimal of 50 significant digits: exact for every finite decimal the
    products here give; a repeating one (÷ 12) is never within 10⁻⁴⁰ of a rounding boundary."""
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(x.numerator) / Decimal(x.denominator)


def _exact_activity(stream: SourceStream, activity: pint.Quantity) -> Fraction:
    """The activity's magnitude (in ``activity``'s units), exactly: as written, or the stock's
    receipts + opening − closing summed on exact decimals."""
    if stream.activity is None and stream.stock is not None:
        r = parse_quantity(stream.stock.receipts)
        return (_fx(r.magnitude) + _in(parse_quantity(stream.stock.opening), r.units)
                - _in(parse_quantity(stream.stock.closing), r.units)) * _factor(r.units, activity.units)
    return _fx(activity.magnitude)


def _cite(c: Cited[Any], lib: FactorLibrary) -> str:
    """The document a value comes from, by its title, with table and status. A value read only
    in a secondary copy names the primary document and says 转引 (quoted through) the copy."""
    src = lib.sources.get(c.source)
    title = src.title if src else c.source
    primary = lib.sources.get(src.reproduces) if src is not None and src.reproduces else None
    if primary is not None:
        return f"{primary.title}，{c.clause or ''} [{c.status}]，转引自：{title}".strip()
    return f"{title}, {c.clause or ''} [{c.status}]".strip()


def _param(name: str, q: pint.Quantity, source: str, citation: str | None = None) -> Parameter:
    return Parameter(name, float(q.magnitude), f"{q.units:~P}" if not q.dimensionless else "",
                     source, citation)


def stream_emissions(
    stream: SourceStream, year: int, lib: FactorLibrary, gwp: dict[str, float]
) -> StreamEmission:
    """Emissions of ``stream`` in tonnes (see the module docstring for the forms)."""
    material = lib.material(stream.material) if stream.material else None
    if stream.material and material is None and not _self_sufficient(stream):
        raise CalcProblem(("material",), f"物料“{stream.material}”不在排放因子库中",
                          f'material "{stream.material}" is not in the factor library')
    biogenic = bool(stream.biogenic) or bool(material and material.biogenic)

    if stream.method == "measurement":
        if stream.emissions is None:
            raise CalcProblem(("emissions",), "实测法源流须给出 emissions（年实测排放量）或提供 CEMS 读数",
                              "a measurement-method stream needs emissions (annual total) or CEMS readings")
        written = parse_quantity(stream.emissions, "[mass]")
        return _finish({"CO2": _in(written, "t")}, gwp, biogenic, "measurement",
                       [_param("emissions", written.to("t"), "measured")])

    activity = stream.activity_quantity()
    assert activity is not None  # the model requires activity or stock
    act = _exact_activity(stream, activity)
    params = [_param("activity", activity, "measured" if stream.activity is not None else "stock")]
    p = stream.parameters
    if stream.anode_effects is not None:
        return _anode_effects(stream, activity, act, lib, gwp, params)
    if stream.clinker is not None:
        return _clinker(stream, activity, act, material, lib, gwp, params)
    if stream.direction == "out" and material is None and (p is None or all(
            getattr(p, n) is None for n in ("emission_factor", "carbon_content"))):
        # a flow out with nothing to weigh its carbon (a power plant's electricity sent out):
        # metered, counted 0
        return StreamEmission(0.0, {}, 0.0, "flow out, metered (no carbon counted)", params)

    def given(name: str) -> tuple[str | dict[str, str], str] | None:
        if p is None or getattr(p, name) is None:
            return None
        value = p.value_of(name)
        source = p.source_of(name)
        assert value is not None and source is not None
        return value, source

    def from_library(name: str) -> tuple[pint.Quantity | float, str, str] | None:
        if material is None:
            return None
        c = getattr(material, name)
        if c is None:
            return None
        v = c.value if isinstance(c.value, float) else parse_quantity(c.value)
        return v, "library", _cite(c, lib)

    def quantity_of(name: str, dims: tuple[str, ...]) -> pint.Quantity | None:
        g = given(name)
        if g is not None:
            value, source = g
            if isinstance(value, dict):
                raise CalcProblem(("parameters", name), f"{name} 不能按气体分列", f"{name} cannot be a map by gas")
            q = parse_quantity(value)
            if not any(q.check(d) for d in dims):
                raise CalcProblem(("parameters", name), f"“{value}”的量纲不适用于{name}",
                                  f'"{value}" has the wrong dimension for {name}')
            params.append(_param(name, q, source))
            return q
        lib_v = from_library(name)
        if lib_v is None:
            return None
        q = lib_v[0] if isinstance(lib_v[0], pint.Quantity) else parse_quantity(lib_v[0])
        params.append(_param(name, q, "library", lib_v[2]))
        return q

    def ncv() -> pint.Quantity:
        q = quantity_of("ncv", ("[energy] / [mass]", "[energy] / [length] ** 3",
                                "[energy] / [standard_gas_volume]"))
        if q is None:
            raise CalcProblem(("parameters", "ncv"), "缺少低位发热量 ncv（文件和排放因子库中均无）",
                              "ncv is missing (neither in the file nor in the factor library)")
        if not (activity * q).check("[energy]"):
            a_zh, a_en = (dimension_name(activity.dimensionality, lg) for lg in ("zh", "en"))
            per_zh, per_en = (dimension_name((ureg.joule / q.units).dimensionality, lg)
                              for lg in ("zh", "en"))
            if given("ncv") is not None:  # the file's own ncv: named there
                raise CalcProblem(("parameters", "ncv"),
                                  f"低位发热量按{per_zh}给出，而活动数据为{a_zh}：两者的量纲不匹配",
                                  f"ncv is per {per_en} while the activity data are a {a_en}: they do not match")
            shown = f"{q.magnitude:g} {q.units:~P}"
            raise CalcProblem(("activity",),
                              f"活动数据为{a_zh}，而排放因子库中“{stream.material}”的低位发热量按{per_zh}给出"
                              f"（{shown}）：请给出按{a_zh}计的低位发热量 parameters.ncv，或改用按{per_zh}计的活动数据",
                              f"the activity data are a {a_en} while the factor library gives the ncv of "
                              f'"{stream.material}" per {per_en} ({shown}): give parameters.ncv per {a_en}, '
                              f"or the activity data as a {per_en}")
        return q

    ef_given = given("emission_factor")
    if ef_given is not None:
        return _factor_form(stream, activity, act, ef_given[0], ef_given[1], None, ncv, params, gwp, biogenic)
    has_cc = (p is not None and p.carbon_content is not None) or (
        material is not None and material.carbon_content is not None)
    if has_cc:
        cc = quantity_of("carbon_content", ("[mass] / [energy]", "[]", "[mass] / [mass]"))
        assert cc is not None
        of_given = given("oxidation_rate")
        if of_given is not None:
            of = parse_ratio(of_given[0])  # type: ignore[arg-type]
            params.append(Parameter("oxidation_rate", of, "", of_given[1]))
        elif material is not None and material.oxidation_rate is not None:
            of = float(material.oxidation_rate.value)
            params.append(Parameter("oxidation_rate", of, "", "library", _cite(material.oxidation_rate, lib)))
        else:
            raise CalcProblem(("parameters", "oxidation_rate"), "缺少碳氧化率 oxidation_rate",
                              "oxidation_rate is missing (neither in the file nor in the factor library)")
        if cc.check("[mass] / [energy]") and activity.check("[energy]"):  # the activity is the heat
            carbon = act * _fx(cc.magnitude) * _factor((activity * cc).units, "t")
            formula = "activity (energy) × carbon_content × oxidation_rate × 44/12"
        elif cc.check("[mass] / [energy]"):
            n = ncv()
            carbon = act * _fx(n.magnitude) * _fx(cc.magnitude) * _factor((activity * n * cc).units, "t")
            formula = "activity × ncv × carbon_content × oxidation_rate × 44/12"
        else:
            if not activity.check("[mass]"):
                raise CalcProblem(("parameters", "carbon_content"), "按质量分数给出含碳量时，活动数据须为质量",
                                  "a carbon content by mass needs activity data in mass")
            carbon = act * _fx(cc.magnitude) * _factor((activity * cc).units, "t")
            formula = "activity × carbon_content × oxidation_rate × 44/12"
        return _finish({"CO2": carbon * _fx(of) * C_TO_CO2_X}, gwp, biogenic, formula, params)
    if material is not None and material.emission_factor is not None:
        c = material.emission_factor
        return _factor_form(stream, activity, act, c.value, "library", _cite(c, lib), ncv, params, gwp, biogenic)
    if material is not None and material.emission_factor_by_year:
        found = material.emission_factor_for(year)
        if found is None:
            years = ", ".join(map(str, sorted(material.emission_factor_by_year)))
            raise CalcProblem(("material",), f"排放因子库中没有 {year} 年或更早的“{stream.material}”因子（有：{years}）",
                              f'the factor library has no factor for "{stream.material}" in {year} or earlier (has: {years})')
        fy, c = found
        note = "" if fy == year else f"（{year} 年采用 {fy} 年因子）"
        return _factor_form(stream, activity, act, c.value, "library", _cite(c, lib) + note, ncv, params, gwp,
                            biogenic)
    raise CalcProblem(("parameters",), "无法计算排放量：请给出 emission_factor，或 carbon_content 与 ncv",
                      "cannot compute emissions: give emission_factor, or carbon_content and ncv")


def _anode_effects(stream: SourceStream, activity: pint.Quantity, act: Fraction, lib: FactorLibrary,
                   gwp: dict[str, float], params: list[Parameter]) -> StreamEmission:
    """PFC from anode effects, slope method (IPCC 2006 Vol. 3 §4.4.2.4 equation 4.27; the
    aluminium guidelines' 阳极效应 PFC): ``E_CF4 = S_CF4 × AEM × P``, ``E_C2F6 = E_CF4 ×
    F_C2F6/CF4`` with P the primary aluminium produced (the activity), AEM the anode-effect
    minutes per cell-day, S_CF4 and F from the file or the factor library by cell technology."""
    ae = stream.anode_effects
    assert ae is not None
    if not activity.check("[mass]"):
        raise CalcProblem(("activity",), "阳极效应排放的活动数据应为原铝产量（质量）",
                          "the activity of an anode-effect PFC stream is the primary aluminium produced (a mass)")
    aem = parse_quantity(ae.minutes_per_cell_day)
    aem_min = float(aem.to("min").magnitude) if not aem.dimensionless else float(aem.magnitude)
    params.append(Parameter("anode_effect_minutes_per_cell_day", aem_min, "min", "measured"))
    slope = lib.pfc_slope(ae.technology)
    if ae.slope_cf4 is not None:
        s_cf4 = float(parse_quantity(ae.slope_cf4).magnitude)
        params.append(Parameter("slope_cf4", s_cf4, "kg/t/(min/cell-day)", "measured"))
    elif slope is not None:
        s_cf4 = slope.slope_cf4.value
        params.append(Parameter("slope_cf4", s_cf4, "kg/t/(min/cell-day)", "library", _cite(slope.slope_cf4, lib)))
    else:
        raise CalcProblem(("anode_effects", "slope_cf4"), f"排放因子库中没有 {ae.technology} 槽型的 CF4 斜率系数",
                          f"the factor library has no CF4 slope coefficient for {ae.technology} cells")
    if ae.c2f6_ratio is not None:
        ratio = parse_ratio(ae.c2f6_ratio)
        params.append(Parameter("c2f6_to_cf4", ratio, "", "measured"))
    elif slope is not None:
        ratio = slope.c2f6_to_cf4.value
        params.append(Parameter("c2f6_to_cf4", ratio, "", "library", _cite(slope.c2f6_to_cf4, lib)))
    else:
        raise CalcProblem(("anode_effects", "c2f6_ratio"), f"排放因子库中没有 {ae.technology} 槽型的 C2F6/CF4 比",
                          f"the factor library has no C2F6/CF4 ratio for {ae.technology} cells")
    aem_x = _fx(aem.magnitude) if aem.dimensionless else _in(aem, "min")
    cf4 = _fx(s_cf4) * aem_x * act * _factor(activity.units, "t") / 1000  # kg → t
    for gas in ("CF4", "C2F6"):
        if gas not in gwp:
            raise CalcProblem(("anode_effects",), f"所用 GWP 集中没有 {gas}", f"the GWP set in use has no {gas}")
    return _finish({"CF4": cf4, "C2F6": cf4 * _fx(ratio)}, gwp, False,
                   "CF4 = S_CF4 × AEM × P; C2F6 = CF4 × F_C2F6/CF4", params)


#: Molar-mass ratios as the cement guidelines write them (CO2/CaO 44/56, CO2/MgO 44/40).
CAO_TO_CO2 = 44.0 / 56.0
MGO_TO_CO2 = 44.0 / 40.0
CAO_TO_CO2_X, MGO_TO_CO2_X = Fraction(44, 56), Fraction(44, 40)  # the same, exactly
CLINKER_FORMULA = ("E = (Q + Q_ckd + Q_bpd) × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]"
                   " + Q_rm × FR0 × 44/12")
CLINKER_DEFAULT_FORMULA = "E = (Q + Q_ckd + Q_bpd) × EF + Q_rm × FR0 × 44/12"
CLINKER_SUBSTITUTES_FORMULA = "E = (Q + Q_ckd + Q_bpd) × EF − Σ Q_sub × D + Q_rm × FR0 × 44/12"


def _clinker(stream: SourceStream, activity: pint.Quantity, act: Fraction, material: Material | None,
             lib: FactorLibrary, gwp: dict[str, float], params: list[Parameter]) -> StreamEmission:
    """Process emissions of clinker production (model/unit.py ``Clinker``; CETS-AG-02.01-V01-2024
    熟料生产; 2013 cement guideline 原料碳酸盐分解 and 生料中非燃料碳煅烧):

    ``E = (Q + Q_ckd + Q_bpd) × EF_cli + Q_rm × FR0 × 44/12`` with Q the clinker output, Q_ckd
    and Q_bpd the kiln and bypass dust, ``EF_cli = (CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) ×
    44/40`` from the clinker analyses (without them: the stream's ``emission_factor`` or the
    library's default factor of its material), Q_rm the raw meal (weighed, else Q × the
    library's raw-meal-to-clinker ratio) and FR0 its organic carbon (analysed, else the
    library's default). Each value used is listed with its source."""
    ck = stream.clinker
    assert ck is not None
    if not activity.check("[mass]"):
        raise CalcProblem(("activity",), "熟料生产过程排放的活动数据应为熟料产量（质量）",
                          "the activity of a clinker stream is the clinker output (a mass)")
    q = act * _factor(activity.units, "t")
    dust = Fraction(0)
    for name in ("kiln_dust", "bypass_dust"):
        text = getattr(ck, name)
        if text is not None:
            d = parse_quantity(text, "[mass]")
            dust += _in(d, "t")
            params.append(_param(name, d.to("t"), "measured"))

    def fraction(name: str) -> tuple[float, str, str | None]:
        """A fraction from the file (its source), else the library's default (cited)."""
        v = ck.fraction(name) if name in type(ck).model_fields else None
        if v is not None:
            return v, ck.source_of(name) or "measured", None
        c = lib.clinker_default(name)
        if c is None:
            raise CalcProblem(("clinker", name), f"缺少 {name}（文件和排放因子库中均无）",
                              f"{name} is missing (neither in the file nor in the factor library)")
        return c.value, "library", _cite(c, lib)

    if ck.cao is not None:
        parts = {n: fraction(n) for n in ("cao", "cao_non_carbonate", "mgo", "mgo_non_carbonate")}
        for n, (v, src, cite) in parts.items():
            params.append(Parameter(n, v, "", src, cite))
        x = {n: _fx(v) for n, (v, _, _) in parts.items()}
        ef = ((x["cao"] - x["cao_non_carbonate"]) * CAO_TO_CO2_X
              + (x["mgo"] - x["mgo_non_carbonate"]) * MGO_TO_CO2_X)
        params.append(Parameter("emission_factor", float(ef), "t/t", "measured"))
        formula = CLINKER_FORMULA
    else:
        p = stream.parameters
        ef_src: str | None
        if p is not None and p.emission_factor is not None:
            text, ef_src, cite = p.value_of("emission_factor"), p.source_of("emission_factor"), None
        elif material is not None and isinstance(material.emission_factor, Cited) and isinstance(
                material.emission_factor.value, str):
            text, ef_src, cite = material.emission_factor.value, "library", _cite(material.emission_factor, lib)
        else:
            raise CalcProblem(("clinker", "cao"), "无熟料 CaO/MgO 分析值，也无熟料排放因子（文件或排放因子库）",
                              "no clinker CaO/MgO analysis and no clinker emission factor (file or library)")
        if not isinstance(text, str):
            raise CalcProblem(("parameters", "emission_factor"), "熟料排放因子不能按气体分列",
                              "the clinker emission factor cannot be a map by gas")
        f = parse_quantity(text)
        if not f.check("[]") and not f.check("[mass] / [mass]"):
            raise CalcProblem(("parameters", "emission_factor"), "熟料排放因子应为 t/t（每吨熟料的 CO2）",
                              "the clinker emission factor is per tonne of clinker (t/t)")
        ef = _in(f, "dimensionless")
        params.append(Parameter("emission_factor", float(ef), "t/t", ef_src or "default", cite))
        formula = CLINKER_DEFAULT_FORMULA
    carbonate = (q + dust) * ef
    deducted = Fraction(0)
    for key, text in (ck.substitutes or {}).items():  # the 2024 guideline's 非碳酸盐替代原料扣减
        sub = lib.material(key)
        if sub is None or sub.family != "clinker_substitute" or not isinstance(sub.emission_factor, Cited) \
                or not isinstance(sub.emission_factor.value, str):
            raise CalcProblem(("clinker", "substitutes", key), f"“{key}”不是排放因子库中的非碳酸盐替代原料",
                              f'"{key}" is not a non-carbonate substitute raw material of the factor library')
        amount = parse_quantity(text, "[mass]")
        deduction = _in(parse_quantity(sub.emission_factor.value), "dimensionless")
        params.append(_param("substitutes", amount.to("t"), "measured"))
        params.append(Parameter("substitute_deduction", float(deduction), "t/t", "library",
                                _cite(sub.emission_factor, lib)))
        deducted += _in(amount, "t") * deduction
    if ck.substitutes:
        params.append(Parameter("substitute_deductions", float(deducted), "t", "calculated"))
        carbonate = max(carbonate - deducted, Fraction(0))
        formula = CLINKER_SUBSTITUTES_FORMULA
    if ck.raw_meal is not None:
        rm_q = parse_quantity(ck.raw_meal, "[mass]")
        rm = _in(rm_q, "t")
        params.append(_param("raw_meal", rm_q.to("t"), "measured"))
    else:
        ratio, src, cite = fraction("raw_meal_ratio")
        rm = q * _fx(ratio)
        params.append(Parameter("raw_meal_ratio", ratio, "t/t", src, cite))
    toc, src, cite = fraction("organic_carbon")
    params.append(Parameter("organic_carbon", toc, "", src, cite))
    organic = rm * _fx(toc) * C_TO_CO2_X
    params.append(Parameter("carbonate_emissions", float(carbonate), "t", "calculated"))
    params.append(Parameter("organic_carbon_emissions", float(organic), "t", "calculated"))
    return _finish({"CO2": carbonate + organic}, gwp, False, formula, params)


def _self_sufficient(stream: SourceStream) -> bool:
    p = stream.parameters
    return p is not None and (p.emission_factor is not None or (
        p.carbon_content is not None and p.oxidation_rate is not None))


def _factor_form(stream: SourceStream, activity: pint.Quantity, act: Fraction,
                 value: str | dict[Any, str], source: str, citation: str | None, ncv: object,
                 params: list[Parameter], gwp: dict[str, float], biogenic: bool) -> StreamEmission:
    factors = value if isinstance(value, dict) else {"CO2": value}
    gases: dict[str, Fraction] = {}
    formula = "activity × emission_factor"
    energy: pint.Quantity | None = None
    energy_x = Fraction(0)
    for gas, text in factors.items():
        try:
            f = parse_quantity(text)
        except QuantityError as exc:
            raise CalcProblem(("parameters", "emission_factor"), exc.zh, exc.en) from None
        params.append(_param(f"emission_factor.{gas}", f, source, citation))
        direct = activity * f
        if direct.check("[mass]"):
            gases[gas] = act * _fx(f.magnitude) * _factor(direct.units, "t")
        elif f.check("[mass] / [energy]") and not activity.check("[energy]"):
            if energy is None:
                n = ncv()  # type: ignore[operator]
                energy, energy_x = activity * n, act * _fx(n.magnitude)
            gases[gas] = energy_x * _fx(f.magnitude) * _factor((energy * f).units, "t")
            formula = "activity × ncv × emission_factor"
        else:
            raise CalcProblem(("parameters", "emission_factor"),
                              f"排放因子“{text}”既不是按活动数据单位，也不是按能量给出",
                              f'emission factor "{text}" is neither per unit of the activity data nor per energy')
    return _finish(gases, gwp, biogenic, formula, params)


def _finish(gases: dict[str, Fraction], gwp: dict[str, float], biogenic: bool, formula: str,
            params: list[Parameter]) -> StreamEmission:
    """The stream's emission from its gases' masses (exact), weighted by GWP (each GWP the
    exact decimal of the library's value); biogenic CO2 counts 0."""
    by_gas = {g: float(v) for g, v in gases.items()}
    if biogenic:
        return StreamEmission(0.0, by_gas, by_gas.get("CO2", 0.0), formula, params, Decimal(0))
    co2e = sum((v * _fx(gwp[g]) for g, v in gases.items()), Fraction(0))
    return StreamEmission(float(co2e), by_gas, 0.0, formula, params, _decimal(co2e))


__all__ = ["C_TO_CO2", "CalcProblem", "Material", "Parameter", "StreamEmission", "stream_emissions"]
