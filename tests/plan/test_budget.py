"""The uncertainty budget computed by hand for two small units (JJF 1059.1; docs/plan.md)."""

from __future__ import annotations

from datetime import date
from math import sqrt

import pytest
from plan_units import coal_unit

from tanjiliang.plan import make_plan
from unit_builders import base_unit, load

AS_OF = date(2025, 12, 1)


def test_coal_budget_by_hand() -> None:
    p = make_plan(load(coal_unit()), as_of=AS_OF)
    s = p.budget.stream("coal")
    u = {c.name: c.u_percent for c in s.components}
    # activity: the rail scale's MPE, rectangular: 0.1/√3 = 0.057735 %
    assert u["activity"] == pytest.approx(0.1 / sqrt(3))
    # NCV 21.46 GJ/t = 21 460 J/g, 12 samples a year (monthly, power guideline):
    #   repeatability r = 120 J/g (GB/T 213): 120/2.8/21460 = 0.199707 %, /√12 = 0.057650 %
    #   sampling ±2.9 % (95 %): 2.9/2/√12 = 0.418579 %
    #   reproducibility R = 300 J/g: 300/2.8/21460 = 0.499268 %; laboratory bias (not accredited) the same
    assert u["ncv.repeatability"] == pytest.approx(0.057650, abs=1e-6)
    assert u["ncv.sampling"] == pytest.approx(0.418579, abs=1e-6)
    assert u["ncv.reproducibility"] == pytest.approx(0.499268, abs=1e-6)
    assert u["ncv.laboratory_bias"] == pytest.approx(0.499268, abs=1e-6)
    # carbon: mass fraction 0.02632 tC/GJ × 21.46 GJ/t = 56.48272 % (GB/T 476 limits are absolute %C)
    #   r 0.50: 0.5/2.8/56.48272 = 0.316152 %, /√12 = 0.091265 %; sampling 0.5/2/√12 = 0.072169 %
    #   R 1.00: 1.0/2.8/56.48272 = 0.632305 %; bias the same
    assert u["carbon_content.repeatability"] == pytest.approx(0.091265, abs=1e-6)
    assert u["carbon_content.sampling"] == pytest.approx(0.072169, abs=1e-6)
    assert u["carbon_content.reproducibility"] == pytest.approx(0.632305, abs=1e-6)
    # oxidation 0.99 in [0.99, 1], rectangular: 0.01/2/√3/0.99 = 0.291591 %
    assert u["oxidation_rate.default"] == pytest.approx(0.291591, abs=1e-6)
    # Σu² = 0.057735² + 0.057650² + 0.418579² + 2×0.499268² + 0.091265² + 0.072169²
    #       + 2×0.632305² + 0.291591² = 1.578583 → u = 1.256417 %, U = 2u = 2.512834 %
    assert s.u_percent == pytest.approx(1.256417, abs=1e-6)
    assert s.expanded_percent == pytest.approx(2.512834, abs=1e-6)
    # tonnes at risk = U × E, E from the engine (100 000 × 21.46 × 0.02632 × 0.99 × 44/12 = 205 037.6 t)
    assert s.emissions_tco2e == pytest.approx(100000 * 21.46 * 0.02632 * 0.99 * 44 / 12)
    assert s.at_risk_tco2e == pytest.approx(0.02512834 * s.emissions_tco2e, rel=1e-6)
    # the largest contributor is the carbon content's reproducibility or bias (each 0.632305²/1.578583 = 25.3 %)
    assert p.budget.ranked[0].name.startswith("carbon_content.")
    assert p.budget.ranked[0].contribution == pytest.approx(0.632305 ** 2 / 1.578583, rel=1e-5)
    # every component names a document, a clause and a status
    assert all(c.citation.title and c.citation.clause and c.citation.status in "VSI" for c in s.components)


def gas_unit() -> dict:
    """Two natural-gas streams with factor-library parameters: ng1 metered only at its two
    consumers (±1.5 % at B1 for 60 %, ±2.0 % at B2 for 40 %), ng2 at the boundary (±1.0 %)."""
    return base_unit(
        subunits=[{"id": "U1", "name": "一分厂"}, {"id": "U2", "name": "二分厂"}],
        equipment=[{"id": "B1", "name": "1号锅炉", "subunit": "U1"},
                   {"id": "B2", "name": "2号锅炉", "subunit": "U2"}],
        source_streams=[
            {"id": "ng1", "name": "天然气1", "kind": "combustion", "material": "natural_gas",
             "activity": "1000 万Nm3", "consumers": {"B1": 0.6, "B2": 0.4}},
            {"id": "ng2", "name": "天然气2", "kind": "combustion", "material": "natural_gas",
             "activity": "500 万Nm3", "consumers": ["B1"]}],
        instruments=[
            {"id": "G-1", "name": "流量计1", "type": "gas_flow_meter", "measures": "ng1", "at": "B1",
             "accuracy": "1.5", "last_confirmed": "2025-06-01"},
            {"id": "G-2", "name": "流量计2", "type": "gas_flow_meter", "measures": "ng1", "at": "B2",
             "accuracy": "2.0", "last_confirmed": "2025-06-01"},
            {"id": "G-3", "name": "流量计3", "type": "gas_flow_meter", "measures": "ng2", "at": "boundary",
             "accuracy": "1.0", "last_confirmed": "2025-06-01"}])


def test_gas_budget_by_hand_with_correlation() -> None:
    p = make_plan(load(gas_unit()), as_of=AS_OF)
    b = p.budget
    ng1, ng2 = b.stream("ng1"), b.stream("ng2")
    u1 = {c.name: c.u_percent for c in ng1.components}
    # consumers combined: √((1.5×0.6)² + (2.0×0.4)²) = √1.45 = 1.204159 %, /√3 = 0.695222 %
    assert u1["activity"] == pytest.approx(0.695222, abs=1e-6)
    # IPCC 2006 Table 1.2/1.3 natural gas: NCV ±4.1 % → 2.05 %, carbon ±3.6 % → 1.8 %;
    # oxidation 0.99 → 0.291591 %
    assert u1["ncv.library"] == pytest.approx(2.05)
    assert u1["carbon_content.library"] == pytest.approx(1.8)
    assert u1["oxidation_rate.library"] == pytest.approx(0.291591, abs=1e-6)
    # ng1: √(0.695222² + 2.05² + 1.8² + 0.291591²) = 2.830346 %
    assert ng1.u_percent == pytest.approx(2.830346, abs=1e-6)
    # ng2: activity 1.0/√3 = 0.577350 %: √(0.577350² + 2.05² + 1.8² + 0.291591²) = 2.803722 %
    assert ng2.u_percent == pytest.approx(2.803722, abs=1e-6)
    # unit total: the same default NCV, carbon content and oxidation rate are fully correlated
    # (ρ = 1) between the streams, the meters independent:
    #   u² = (0.0205 E)² + (0.018 E)² + (0.00291591 E)² + (0.00695222 E1)² + (0.00577350 E2)², E = E1 + E2
    e1, e2 = ng1.emissions_tco2e, ng2.emissions_tco2e
    e = e1 + e2
    var = (0.0205 * e) ** 2 + (0.018 * e) ** 2 + (0.00291591 * e) ** 2 + (0.00695222 * e1) ** 2 \
        + (0.0057735 * e2) ** 2
    assert b.u_tco2e == pytest.approx(sqrt(var), rel=1e-6)
    assert b.expanded_tco2e == pytest.approx(2 * sqrt(var), rel=1e-6)
    # independent streams would give less: the correlation is what the declared ρ adds
    indep = sqrt((ng1.u_percent / 100 * e1) ** 2 + (ng2.u_percent / 100 * e2) ** 2)
    assert b.u_tco2e > indep
    # yuan at risk at the dated price (CEA close 2024-12-31, 97.49 元/t)
    assert p.price.value == 97.49 and str(p.price.date) == "2024-12-31"
    assert p.yuan_at_risk == pytest.approx(b.expanded_tco2e * 97.49)


def test_price_set_by_the_user() -> None:
    p = make_plan(load(gas_unit()), as_of=AS_OF, price=60.0)
    assert p.price.citation is None and p.yuan_at_risk == pytest.approx(p.budget.expanded_tco2e * 60)


def test_out_of_tolerance_and_shorter_interval() -> None:
    """A failed confirmation in the year: its as-found error over the period in doubt
    (12 months of 12) adds 0.8/√3 = 0.461880 %; a 6-month interval halves it."""
    data = coal_unit()
    data["instruments"][0]["confirmations"] = [
        {"date": "2025-03-01", "kind": "verification", "result": "fail", "as_found": "+0.8 %"},
        {"date": "2025-06-01", "kind": "verification", "result": "pass"}]
    p = make_plan(load(data), as_of=AS_OF)
    u = {c.name: c.u_percent for c in p.budget.stream("coal").components}
    assert u["oot.W-01"] == pytest.approx(0.8 / sqrt(3))
    shorter = [v for v in p.actions if v.action.id == "interval:W-01:6"]
    assert shorter and shorter[0].removed_tco2e > 0


def test_stock_change_by_hand() -> None:
    """Limestone from stock: receipts 100 000 t, opening 20 000 t, closing 10 000 t → 110 000 t
    used; receipts weighed at ±0.1 %, each stock-take ±2 % (declared, a 95 % half-width)."""
    data = base_unit(
        source_streams=[{"id": "lime", "name": "石灰石", "kind": "process", "material": "limestone",
                         "stock": {"receipts": "100000 t", "opening": "20000 t", "closing": "10000 t",
                                   "uncertainty": "2 %"},
                         "parameters": {"emission_factor": "0.44 t/t"}, "consumers": ["B1"]}],
        instruments=[{"id": "W-01", "name": "汽车衡", "type": "truck_scale", "measures": "lime",
                      "at": "boundary", "accuracy": "±0.1 %", "last_confirmed": "2025-06-01"}])
    p = make_plan(load(data), as_of=AS_OF)
    u = {c.name: c.u_percent for c in p.budget.stream("lime").components}
    # receipts: 0.1/√3 × 100 000/110 000 = 0.052486 %
    assert u["activity"] == pytest.approx(0.1 / sqrt(3) * 100000 / 110000)
    # stock-takes: 2/2 = 1 % each: √((0.01×20 000)² + (0.01×10 000)²) / 110 000 = 223.607/110 000 = 0.203279 %
    assert u["stock"] == pytest.approx(0.203279, abs=1e-6)
    # the carbonate factor: IPCC 2006 Vol. 3 ±2 % → 1 %;
    # u = √(0.052486² + 0.203279² + 1²) = √(0.0027548 + 0.0413223 + 1) = √1.0440771 = 1.021801 %
    assert u["emission_factor.CO2.default"] == pytest.approx(1.0)
    assert p.budget.stream("lime").u_percent == pytest.approx(1.021801, abs=1e-6)


@pytest.mark.parametrize("example", ["power", "cement", "steel", "chemical"])
def test_activity_component_is_the_engines_route(example: str) -> None:
    """The activity component is the engine's achieved activity uncertainty (its tier rule's
    MPE) taken as rectangular: u = uncertainty_percent/√3 — read, not derived again."""
    from pathlib import Path

    from tanjiliang.model.load import load_unit

    unit = load_unit(Path(__file__).parents[2] / "examples" / example / "unit.yaml")
    p = make_plan(unit, as_of=AS_OF, verify=False)
    assert p.assessment is not None
    for s in p.assessment.streams:
        comps = {c.name: c for c in p.budget.stream(s.id).components}
        if s.method != "calculation" or s.uncertainty_percent is None or "stock" in comps:
            continue
        assert comps["activity"].u_percent == pytest.approx(s.uncertainty_percent / sqrt(3), rel=1e-6)
