"""Flows out, indirect emissions, key-unit basis, PFC from anode effects, stock change and the
justified lower tier — hand-computed (arithmetic in the comments)."""

from __future__ import annotations

import pytest

from tanjiliang.model.errors import LoadError
from unit_builders import base_unit, instrument, load, run, stream


def _elec(sid: str, mwh: float, **kw: object) -> dict[str, object]:
    return {"id": sid, "name": sid, "kind": "electricity", "activity": f"{mwh} MWh",
            "parameters": {"emission_factor": "0.5 t/MWh"}, **kw}


def test_exported_electricity_reported_apart_by_default() -> None:
    # coal 100 000 t × 1 t/t = 100 000 t; exported 10 000 MWh × 0.5 t/MWh = 5 000 t
    # henan pack (no scope.exports): reported apart, not in the total
    unit = base_unit(source_streams=[stream("coal", 100000), _elec("exp", 10000, direction="out")])
    a = run(unit)
    j = a.to_json("en")
    assert j["emissions"]["total_tco2e"] == pytest.approx(100000)
    assert j["emissions"]["by_stream"]["exp"] == 0
    assert j["emissions"]["reported_apart"] == {"exp": pytest.approx(5000)}
    assert j["emissions"]["exported_tco2e"] == pytest.approx(5000)
    exp = next(s for s in j["source_streams"] if s["id"] == "exp")
    assert exp["direction"] == "out" and exp["role"] == "export"
    # the flow out has its own metering point at the boundary
    assert any(p["id"] == "exp@boundary" and p["medium"] == "electricity" for p in j["metering_points"])


def test_steel_products_deducted_indirect_apart_direct_basis() -> None:
    # cn-ets-2024: process 200 000 t; crude steel out 1 000 000 t × 0.0154 t/t = 15 400 t deducted;
    # purchased electricity 100 000 MWh × 0.5 = 50 000 t reported apart;
    # total = 200 000 − 15 400 = 184 600; key basis (direct) = 200 000 − 15 400 = 184 600
    steel = {"id": "steel", "name": "粗钢", "kind": "product", "material": "crude_steel",
             "activity": "1000000 t", "direction": "out"}
    unit = base_unit(unit={"name": "钢厂", "sector": "steel", "year": 2025},
                     source_streams=[stream("proc", 200000), steel, _elec("power", 100000)])
    a = run(unit, pack="cn-ets-2024")
    e = a.to_json("en")["emissions"]
    assert e["total_tco2e"] == pytest.approx(184600)
    assert e["by_stream"]["steel"] == pytest.approx(-15400)
    assert e["direct_tco2e"] == pytest.approx(200000)
    assert e["indirect_tco2e"] == pytest.approx(50000)
    assert e["reported_apart"] == {"power": pytest.approx(50000)}
    assert e["key_unit_basis"] == "direct" and e["key_unit_tco2e"] == pytest.approx(184600)


def test_key_unit_basis_direct_only() -> None:
    # direct 20 000 t + purchased electricity 20 000 MWh × 0.5 = 10 000 t
    # henan (basis total): 30 000 ≥ 26 000 → key unit; cn-ets-2024 (basis direct): 20 000 < 26 000
    unit = base_unit(source_streams=[stream("proc", 20000), _elec("power", 20000)])
    assert run(unit).key_emission_unit is True
    a = run(unit, pack="cn-ets-2024")
    assert a.key_emission_unit is False
    assert any(f.code == "SCOPE-VOLUNTARY" for f in a.findings)


def test_pfc_from_anode_effects() -> None:
    # CWPB, AEM 0.05 min/cell-day, P = 100 000 t Al:
    # CF4 = 0.143 × 0.05 × 100 000 / 1000 = 0.715 t; C2F6 = 0.715 × 0.121 = 0.086515 t
    # AR5: 0.715 × 6630 + 0.086515 × 11100 = 4 740.45 + 960.3165 = 5 700.7665 tCO2e
    pfc = {"id": "pfc", "name": "阳极效应PFCs", "kind": "pfc", "material": "primary_aluminium",
           "activity": "100000 t", "anode_effects": {"minutes_per_cell_day": "0.05 min", "cells": 300}}
    a = run(base_unit(unit={"name": "铝厂", "sector": "aluminium", "year": 2025},
                      source_streams=[stream("anode", 150000), pfc]))
    s = a.stream("pfc")
    assert s.by_gas_t["CF4"] == pytest.approx(0.715)
    assert s.by_gas_t["C2F6"] == pytest.approx(0.086515)
    assert s.emissions_tco2e == pytest.approx(5700.7665)
    assert s.medium == "process_material"
    # the anode-effect minutes are a metering point of their own
    assert any(p.id == "pfc.anode_effects" for p in a.points)


def test_stock_change_gives_activity_and_uncertainty() -> None:
    # receipts 100 000 t + opening 5 000 − closing 8 000 = 97 000 t × 1 t/t = 97 000 t
    # truck scale ±0.1 % on receipts, stock-take ±3 %:
    # sqrt((0.1·100 000)² + (3·5 000)² + (3·8 000)²) / 97 000
    #   = sqrt(1e8 + 2.25e8 + 5.76e8) / 97 000 = 30 016.66 / 97 000 = 0.30945 % → tier 4 (≤ 1.5 %)
    coal = stream("coal", 0)
    del coal["activity"]
    coal["stock"] = {"receipts": "100000 t", "opening": "5000 t", "closing": "8000 t",
                     "method": "激光盘煤仪", "uncertainty": "3 %", "date": "2025-12-31"}
    ins = [instrument("W1", "coal", "boundary"),
           instrument("K1", "coal.stock", "boundary", type="stock_take", accuracy=None)]
    a = run(base_unit(source_streams=[coal], instruments=ins))
    s = a.stream("coal")
    assert s.emissions_tco2e == pytest.approx(97000)
    assert s.uncertainty_percent == pytest.approx(0.30945, abs=1e-5)
    assert s.tier_achieved == 4
    assert s.stock is not None and s.stock["consumption"] == "97000 t"
    pt = next(p for p in a.points if p.id == "coal.stock")
    assert pt.instruments == ["K1"] and pt.status == "conforming"


def test_stock_reconciliation() -> None:
    # stated 99 000 t vs 97 000 t from stock: |99 000 − 97 000| / 97 000 = 2.0619 % > 0.309 %
    coal = stream("coal", 99000)
    coal["stock"] = {"receipts": "100000 t", "opening": "5000 t", "closing": "8000 t", "uncertainty": "3 %"}
    a = run(base_unit(source_streams=[coal], instruments=[instrument("W1", "coal", "boundary")]))
    f = next(f for f in a.findings if f.code == "STOCK-RECONCILE")
    assert f.data["difference_percent"] == pytest.approx(2.0619, abs=1e-4)


def test_closing_above_available_is_refused() -> None:
    coal = stream("coal", 1)
    coal["stock"] = {"receipts": "100 t", "opening": "5 t", "closing": "200 t"}
    with pytest.raises(LoadError):
        load(base_unit(source_streams=[coal]))


def test_negative_activity_only_for_exports() -> None:
    with pytest.raises(LoadError) as exc:
        load(base_unit(source_streams=[stream("coal", -5)]))
    assert "direction: out" in exc.value.message("en")
    # an export written negative means the same amount out: −10 000 MWh × 0.5 = 5 000 t apart
    a = run(base_unit(source_streams=[stream("coal", 100000), _elec("exp", -10000, direction="out")]))
    assert a.to_json("en")["emissions"]["reported_apart"]["exp"] == pytest.approx(5000)


@pytest.mark.parametrize(("justified", "code"), [(2, "TIER-JUSTIFIED"), (3, "TIER-SHORT")])
def test_justified_lower_tier(justified: int, code: str) -> None:
    # 600 000 t → category C; the major stream needs tier 4; the scale's MPE ±4 % → tier 2
    # (thresholds 7.5/5/2.5/1.5: 4 ≤ 5). Justified tier 2 is reached → TIER-JUSTIFIED; 3 is not → TIER-SHORT
    coal = stream("coal", 600000, lower_tier={"tier": justified, "reason": "入厂煤无轨道衡，改造成本过高",
                                              "date": "2025-03-01"})
    a = run(base_unit(source_streams=[coal],
                      instruments=[instrument("W1", "coal", "boundary", accuracy="±4 %")]))
    codes = {f.code for f in a.findings if f.subject == "coal"}
    assert code in codes and ({"TIER-JUSTIFIED", "TIER-SHORT"} - {code}).isdisjoint(codes)
    assert a.stream("coal").lower_tier == {"tier": justified, "reason": "入厂煤无轨道衡，改造成本过高",
                                           "date": "2025-03-01", "approved_by": None}


def test_only_electricity_heat_or_products_flow_out() -> None:
    with pytest.raises(LoadError):
        load(base_unit(source_streams=[stream("coal", 100, direction="out")]))


def test_justified_tier_in_report_and_review() -> None:
    from tanjiliang.reports.context import build_context
    from tanjiliang.review.auto import figures

    coal = stream("coal", 600000, lower_tier={"tier": 2, "reason": "改造成本过高", "date": "2025-03-01"})
    unit = base_unit(source_streams=[coal], instruments=[instrument("W1", "coal", "boundary", accuracy="±4 %")])
    a = run(unit)
    assert figures(a, "tiers")[0]["lower_tier"]["reason"] == "改造成本过高"
    ctx = build_context(a, load(unit), None, "zh")
    assert "改造成本过高" in str(ctx)


def test_process_level_totals() -> None:
    # 工序 totals: sintering SJ 50 000 t; iron-making LT 150 000 t; steel-making LG gives the
    # crude steel out (1 000 000 t × 0.0154 = 15 400 t deducted under cn-ets-2024)
    # → SJ 50 000, LT 150 000, LG −15 400 (sum 184 600 = the total)
    unit = base_unit(unit={"name": "钢厂", "sector": "steel", "year": 2025},
                     subunits=[{"id": "SJ", "name": "烧结"}, {"id": "LT", "name": "炼铁"},
                               {"id": "LG", "name": "炼钢"}], equipment=[],
                     source_streams=[stream("s1", 50000, consumers=["SJ"]), stream("s2", 150000, consumers=["LT"]),
                                     {"id": "steel", "name": "粗钢", "kind": "product", "material": "crude_steel",
                                      "activity": "1000000 t", "direction": "out", "consumers": ["LG"]}])
    e = run(unit, pack="cn-ets-2024").to_json("en")["emissions"]
    assert e["by_subunit"] == {"SJ": pytest.approx(50000), "LT": pytest.approx(150000), "LG": pytest.approx(-15400)}
    assert e["covered_tco2e"] is None  # no sub-unit marked covered
    # the covered process (e.g. 铝电解工序, 熟料生产) marked: iron-making and steel-making →
    # 150 000 − 15 400 = 134 600
    unit["subunits"][1]["covered"] = True
    unit["subunits"][2]["covered"] = True
    assert run(unit, pack="cn-ets-2024").to_json("en")["emissions"]["covered_tco2e"] == pytest.approx(134600)


def test_flow_out_without_factor_is_metered_and_counted_zero() -> None:
    # a power plant's electricity sent out: no material or factor → 0 t, de-minimis, yet its
    # level-1 point at the boundary is required (de-minimis streams otherwise need none)
    out = {"id": "out", "name": "上网电量", "kind": "electricity", "activity": "6000000 MWh",
           "direction": "out", "consumers": ["U1"]}
    a = run(base_unit(source_streams=[stream("coal", 100000), out]))
    s = a.stream("out")
    assert (s.emissions_tco2e, s.cls) == (0.0, "de_minimis")
    pt = next(p for p in a.points if p.stream == "out")
    assert (pt.id, pt.required, pt.status) == ("out@boundary", True, "missing")
    assert any(f.code == "EQ-RATE" and f.subject == "electricity/1" for f in a.findings)


def test_pfc_by_default_factors_per_tonne() -> None:
    # without anode-effect data: factors per t Al by gas, e.g. CF4 0.034 kg/t and C2F6 0.0034 kg/t
    # (the 2013 aluminium guideline's defaults, as the file states them):
    # 100 000 t × 0.034 kg/t = 3.4 t CF4; × 0.0034 kg/t = 0.34 t C2F6;
    # AR5: 3.4 × 6 630 + 0.34 × 11 100 = 22 542 + 3 774 = 26 316 tCO2e
    pfc = {"id": "pfc", "name": "PFCs", "kind": "pfc", "material": "primary_aluminium", "activity": "100000 t",
           "parameters": {"emission_factor": {"CF4": "0.034 kg/t", "C2F6": "0.0034 kg/t"}}}
    s = run(base_unit(source_streams=[stream("anode", 150000), pfc])).stream("pfc")
    assert s.emissions_tco2e == pytest.approx(26316)
    with pytest.raises(LoadError):  # a PFC stream needs anode effects or a factor
        load(base_unit(source_streams=[{"id": "p", "name": "p", "kind": "pfc", "activity": "1 t"}]))
