"""Dimension checks for factor-library values (docs/factors.md "Units and dimensions").

Kept apart from the tests so that the tests can show the checks reject wrong data.
"""

from __future__ import annotations

from tanjiliang.rules.factors import Material
from tanjiliang.units import QuantityError, parse_quantity

ENERGY = "[energy]"
#: ncv: energy per activity unit (mass, standard gas volume, geometric volume).
NCV_DIMS = ("[energy] / [mass]", "[energy] / [standard_gas_volume]", "[energy] / [length] ** 3")
#: carbon content per unit heat: mass of carbon per energy.
CC_DIMS = ("[mass] / [energy]",)
#: emission factor: mass per activity unit or per energy (t/t is dimensionless).
EF_DIMS = ("[]", "[mass] / [energy]", "[mass] / [standard_gas_volume]", "[mass] / [length] ** 3")


def _check(text: str, dims: tuple[str, ...], what: str) -> str | None:
    try:
        q = parse_quantity(text)
    except QuantityError as exc:
        return f"{what}: {exc.en}"
    if not any(q.check(d) for d in dims):
        return f"{what}: {text!r} has dimension {q.dimensionality}, expected one of {dims}"
    return None


def material_problems(key: str, m: Material) -> list[str]:
    """Every parameter of ``m`` whose value does not parse or has the wrong dimension."""
    out: list[str] = []
    if m.ncv is not None:
        out.append(_check(m.ncv.value, NCV_DIMS, f"{key}.ncv") or "")
    if m.carbon_content is not None:
        out.append(_check(m.carbon_content.value, CC_DIMS, f"{key}.carbon_content") or "")
    if m.oxidation_rate is not None and not 0 < m.oxidation_rate.value <= 1:
        out.append(f"{key}.oxidation_rate: {m.oxidation_rate.value} is not in (0, 1]")
    factors: list[tuple[str, str]] = []
    if m.emission_factor is not None:
        v = m.emission_factor.value
        factors += [(f"{key}.emission_factor.{g}", t) for g, t in v.items()] if isinstance(v, dict) \
            else [(f"{key}.emission_factor", v)]
    for year, c in (m.emission_factor_by_year or {}).items():
        factors.append((f"{key}.emission_factor_by_year.{year}", c.value))
    for what, text in factors:
        out.append(_check(text, EF_DIMS, what) or "")
    if not any((m.ncv, m.carbon_content, m.emission_factor, m.emission_factor_by_year)):
        out.append(f"{key}: no parameter at all")
    return [p for p in out if p]
