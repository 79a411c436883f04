"""The default pack's rules, one test (or a few) per rule, with the arithmetic written in."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unit_builders import base_unit, instrument, run, stream


def codes(a):
    return [f.code for f in a.findings]


# -- scope and categories -----------------------------------------------------------------

def test_scope_key_emission_unit_threshold():
    assert run(base_unit(source_streams=[stream("s", 26000)])).key_emission_unit is True
    a = run(base_unit(source_streams=[stream("s", 25999)]))
    assert a.key_emission_unit is False and "SCOPE-VOLUNTARY" in codes(a)


@pytest.mark.parametrize("total,cat", [(50000, "A"), (50001, "B"), (500000, "B"), (500001, "C")])
def test_installation_category(total, cat):
    assert run(base_unit(source_streams=[stream("s", total)])).installation_category == cat


def test_totals_use_absolute_values():
    # +60 000 and −10 000 (e.g. exported heat): T = 70 000
    u = base_unit(source_streams=[stream("a", 60000), stream("b", 10000, parameters={"emission_factor": "-1 t/t"})])
    assert run(u).total_tco2e == 70000


# -- equipping rates ----------------------------------------------------------------------

def _three_boilers(instruments):
    return base_unit(subunits=[{"id": "U1", "name": "1号"}],
                     equipment=[{"id": f"B{i}", "name": f"{i}号炉", "subunit": "U1"} for i in (1, 2, 3)],
                     source_streams=[stream("lime", 90000, {"B1": 0.5, "B2": 0.3, "B3": 0.2})],
                     instruments=instruments)


def test_rate_rounding_half_up_to_0_1():
    # level 3: three points, two equipped: 2/3 × 100 = 66.666… → 66.7 %, below 90 % → EQ-RATE
    a = run(_three_boilers([instrument("W1", "lime", "B1"), instrument("W2", "lime", "B2"),
                            instrument("W0", "lime", "boundary")]))
    row = next(r for r in a.rates if r.level == 3)
    assert (row.required, row.equipped, row.rate_percent, row.required_percent, row.meets) == (3, 2, 66.7, 90, False)
    assert [f.subject for f in a.findings if f.code == "EQ-RATE"] == ["process_material/3"]


def test_rate_counts_only_in_use_instruments_of_an_allowed_type():
    a = run(_three_boilers([instrument("W0", "lime", "boundary", status="standby"),
                            instrument("E0", "lime", "boundary", type="electricity_meter", accuracy="0.5S")]))
    row = next(r for r in a.rates if r.level == 1)
    assert (row.equipped, row.required) == (0, 1)


def test_rate_row_omitted_without_required_points():
    a = run(base_unit(source_streams=[stream("s", 30000)]))
    assert [(r.medium, r.level) for r in a.rates] == [("process_material", 1)]


# -- accuracy ------------------------------------------------------------------------------

def test_accuracy_static_weighing_0_1():
    a = run(base_unit(source_streams=[stream("s", 30000)],
                      instruments=[instrument("W1", "s", "boundary", accuracy="0.2")]))
    assert a.instruments[0].accuracy_ok is False and "ACC-MPE" in codes(a)
    assert a.conclusion == "nonconforming"


def test_accuracy_mpe_form_and_class_form():
    for acc, ok in (("±0.1 %", True), ("0.1", True), ("±0.15 %", False)):
        a = run(base_unit(source_streams=[stream("s", 30000)],
                          instruments=[instrument("W1", "s", "boundary", accuracy=acc)]))
        assert a.instruments[0].accuracy_ok is ok


def test_accuracy_oiml_class_cannot_be_compared():
    a = run(base_unit(source_streams=[stream("s", 30000)],
                      instruments=[instrument("W1", "s", "boundary", accuracy="III")]))
    i = a.instruments[0]
    assert (i.mpe_percent, i.accuracy_ok) == (None, None)
    assert "ACC-UNKNOWN" in codes(a) and "ACC-MPE" not in codes(a)


def _power(at: str, acc: str):
    return base_unit(subunits=[{"id": "U1", "name": "1号"}, {"id": "U2", "name": "2号"}], equipment=[],
                     source_streams=[stream("big", 200000, ["U1"]),
                                     {"id": "p", "name": "电", "kind": "electricity", "material": "grid_electricity",
                                      "activity": "100000 MWh", "consumers": {"U1": 0.5, "U2": 0.5}}],
                     instruments=[instrument("E1", "p", at, type="electricity_meter", accuracy=acc)])


def test_accuracy_electricity_meter_level_dependent():
    # level 1: 0.5 (class 0.5S ok, 1.0 not); level 2: 1.0
    assert run(_power("boundary", "0.5S")).instruments[0].accuracy_ok is True
    assert run(_power("boundary", "1.0")).instruments[0].accuracy_ok is False
    assert run(_power("U1", "1.0")).instruments[0].accuracy_ok is True
    assert run(_power("U1", "2.0")).instruments[0].accuracy_ok is False


def test_accuracy_oil_flow_heavy_oil_1_0():
    fuel_oil = {"id": "fo", "name": "重油", "kind": "combustion", "material": "fuel_oil", "activity": "20000 t"}
    diesel = {"id": "d", "name": "柴油", "kind": "combustion", "material": "diesel", "activity": "20000 t"}
    a = run(base_unit(source_streams=[fuel_oil, diesel],
                      instruments=[instrument("O1", "fo", "boundary", type="oil_flow_meter", accuracy="1.0"),
                                   instrument("O2", "d", "boundary", type="oil_flow_meter", accuracy="1.0")]))
    ok = {i.id: (i.required_mpe_percent, i.accuracy_ok) for i in a.instruments}
    assert ok == {"O1": (1.0, True), "O2": (0.5, False)}


def test_accuracy_transmitters_compensating_gas_flow_vs_cems():
    ng = {"id": "ng", "name": "天然气", "kind": "combustion", "material": "natural_gas", "activity": "2000 万Nm3"}
    u = base_unit(emission_points=[{"id": "S1", "name": "烟囱", "equipment": "B1"}], source_streams=[ng],
                  instruments=[instrument("T1", "ng", "boundary", type="temperature_transmitter", accuracy="1.5"),
                               instrument("T2", "S1.temperature", "S1", type="temperature_transmitter", accuracy="1.5")])
    ok = {i.id: (i.required_mpe_percent, i.accuracy_ok) for i in run(u).instruments}
    assert ok == {"T1": (1.0, False), "T2": (None, None)}


# -- confirmation ----------------------------------------------------------------------------

@pytest.mark.parametrize("last,status", [
    ("2024-12-30", "overdue"),      # due 2025-12-30 < as_of 2025-12-31
    ("2024-12-31", "due_soon"),     # due 2025-12-31: 0 days left
    ("2025-01-30", "due_soon"),     # due 2026-01-30: 30 days ≤ 30
    ("2025-01-31", "valid"),        # due 2026-01-31: 31 days
])
def test_confirmation_status_boundaries(last, status):
    a = run(base_unit(source_streams=[stream("s", 30000)],
                      instruments=[instrument("W1", "s", "boundary", last_confirmed=last)]))
    assert a.instruments[0].calibration_status == status


def test_confirmation_findings():
    ins = [instrument("A", "s", "boundary", last_confirmed="2024-01-01"),
           instrument("B", "s", "boundary", last_confirmed=None),
           instrument("C", "s", "boundary", last_confirmed="2025-01-10"),
           instrument("D", "s", "boundary", last_confirmed="2020-01-01", status="out_of_service"),
           instrument("E", "s", "boundary", last_confirmed="2024-01-01", status="standby")]
    for i in ins:
        if i["last_confirmed"] is None:
            del i["last_confirmed"]
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=ins))
    st_ = {i.id: i.calibration_status for i in a.instruments}
    assert st_ == {"A": "overdue", "B": "unknown", "C": "due_soon", "D": "out_of_service", "E": "overdue"}
    found = sorted((f.code, f.subject) for f in a.findings if f.code.startswith("CAL"))
    # standby E is overdue but not in use: no non-conformity
    assert found == [("CAL-DUE-SOON", "C"), ("CAL-NONE", "B"), ("CAL-OVERDUE", "A")]


def test_confirmation_interval_defaults_by_type_and_class():
    # electricity meters: 0.2S/0.5S 72 months, other classes 96 (JJG 596)
    a = run(_power("boundary", "0.5S"))
    assert (a.instruments[0].interval_months, a.instruments[0].next_due) == (72, date(2031, 6, 1))
    a = run(_power("U1", "1.0"))
    assert a.instruments[0].interval_months == 96


def test_confirmation_calendar_months_clamp():
    a = run(base_unit(source_streams=[stream("s", 30000)],
                      instruments=[instrument("W1", "s", "boundary", last_confirmed="2024-02-29", interval="12 months")]))
    assert a.instruments[0].next_due == date(2025, 2, 28)


def test_confirmation_latest_record_wins_and_states_its_due_date():
    ins = instrument("W1", "s", "boundary", last_confirmed="2024-01-01")
    ins["confirmations"] = [{"date": "2025-03-01", "kind": "verification", "result": "pass", "next_due": "2025-09-01"}]
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=[ins]))
    i = a.instruments[0]
    assert (i.last_confirmed, i.next_due, i.calibration_status) == (date(2025, 3, 1), date(2025, 9, 1), "overdue")


# -- tiers ----------------------------------------------------------------------------------

def test_tier_from_level_1_instrument():
    # category A (30 000 t), process material → tier 1 required; MPE 0.1 % → tier 4 achieved
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")]))
    s = a.stream("s")
    assert (s.tier_required, s.tier_achieved, s.uncertainty_percent) == (1, 4, 0.1)


def test_tier_from_consumer_level_instruments_in_quadrature():
    # shares 0.5/0.3/0.2 with MPE 0.5 % each (belt scales):
    # sqrt((0.5·0.5)² + (0.5·0.3)² + (0.5·0.2)²) / 1 = sqrt(0.0625+0.0225+0.01) = 0.30822 %
    u = _three_boilers([instrument(f"W{i}", "lime", f"B{i}", type="belt_scale", accuracy="0.5") for i in (1, 2, 3)])
    s = run(u).stream("lime")
    assert s.uncertainty_percent == pytest.approx(0.308221, rel=1e-5)
    assert s.tier_achieved == 4  # ≤ 1.5 %


def test_tier_from_consumer_instruments_at_places_no_rule_requires():
    # a minor stream (levels 1, 2) consumed by B1 and B2, each its sub-unit's only consumer of
    # it: the scales at B1 and B2 stand for the level-2 points of U1 and U2 and together cover
    # the whole stream: sqrt((0.5·0.6)² + (0.5·0.4)²) = 0.36056 %
    u = base_unit(subunits=[{"id": "U1", "name": "1号"}, {"id": "U2", "name": "2号"}],
                  equipment=[{"id": "B1", "name": "1", "subunit": "U1"}, {"id": "B2", "name": "2", "subunit": "U2"},
                             {"id": "B3", "name": "3", "subunit": "U2"}],
                  source_streams=[stream("big", 100000, ["B3"]), stream("dolo", 6000, {"B1": 0.6, "B2": 0.4})],
                  instruments=[instrument("W1", "dolo", "B1", type="belt_scale", accuracy="0.5"),
                               instrument("W2", "dolo", "B2", type="belt_scale", accuracy="0.5")])
    a = run(u)
    assert {p.id: (p.places, p.instruments) for p in a.points if p.stream == "dolo"} == {
        "dolo@boundary": (("boundary",), []), "dolo@U1": (("U1", "B1"), ["W1"]), "dolo@U2": (("U2", "B2"), ["W2"])}
    assert a.stream("dolo").uncertainty_percent == pytest.approx(0.360555, rel=1e-5)


def test_optional_point_at_a_folded_place_supports_the_tier():
    # under a pack requiring boundary points only, consumer scales make optional points whose
    # places include the folded consumer (the steel example's dolomite under eu-mrr-2018)
    u = base_unit(subunits=[{"id": "U1", "name": "1号"}, {"id": "U2", "name": "2号"}],
                  equipment=[{"id": "B1", "name": "1", "subunit": "U1"}],
                  source_streams=[stream("big", 100000, ["U2"]), stream("dolo", 6000, {"B1": 0.6, "U2": 0.4})],
                  instruments=[instrument("W1", "dolo", "B1", type="belt_scale", accuracy="0.5"),
                               instrument("W2", "dolo", "U2", type="belt_scale", accuracy="0.5")])
    a = run(u, pack="eu-mrr-2018")
    optional = {p.id: p.places for p in a.points if p.stream == "dolo" and not p.required}
    assert optional == {"dolo@U1": ("U1", "B1"), "dolo@U2": ("U2",)}
    assert a.stream("dolo").uncertainty_percent == pytest.approx(0.360555, rel=1e-5)


def test_tier_short_and_category_b_requires_tier_4():
    # 100 000 t → category B, major → tier 4 (≤ 1.5 %); a 2 % gas meter gives tier 3
    ng = {"id": "ng", "name": "天然气", "kind": "combustion", "material": "natural_gas", "activity": "5000 万Nm3"}
    a = run(base_unit(source_streams=[ng], instruments=[instrument("G", "ng", "boundary", type="gas_flow_meter", accuracy="2.0")]))
    s = a.stream("ng")
    assert (a.installation_category, s.tier_required, s.tier_achieved) == ("B", 4, 3)
    assert "TIER-SHORT" in codes(a)


def test_tier_unknown_without_instrument_or_known_mpe():
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary", accuracy="III")]))
    assert a.stream("s").tier_achieved is None and "TIER-SHORT" in codes(a)


def test_measurement_stream_without_uncertainty():
    u = base_unit(emission_points=[{"id": "S1", "name": "烟囱", "equipment": "B1"}],
                  source_streams=[{"id": "k", "name": "k", "kind": "process", "method": "measurement",
                                   "emission_points": ["S1"], "emissions": "60000 t"}])
    a = run(u)
    assert a.stream("k").tier_achieved is None
    assert "TIER-UNKNOWN" in codes(a) and "TIER-SHORT" not in codes(a)


# -- management ----------------------------------------------------------------------------

def test_management_complete_is_conforming():
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")]))
    assert a.conclusion == "conforming" and codes(a) == []


def test_management_findings():
    u = base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")])
    u["management"] = {"procedures": [{"title": "x", "kind": "metering_management"}],
                       "personnel": [{"name": "李", "role": "计量员"}], "records_retention_years": 3}
    a = run(u)
    assert sorted(codes(a)) == ["DATA-RETENTION", "MGMT-PROCEDURE", "MGMT-PROCEDURE", "MGMT-PROCEDURE",
                                "MGMT-RESPONSIBLE"]


def test_management_unstated_retention_is_a_nonconformity():
    # issue 11, decision 4b: management present, retention not stated → DATA-RETENTION
    # (the reviewer cannot verify the 5 years); was the observation DATA-RETENTION-UNSTATED
    u = base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")])
    del u["management"]["records_retention_years"]
    a = run(u)
    assert codes(a) == ["DATA-RETENTION"] and a.conclusion == "nonconforming"
    assert a.findings[0].data == {"years": None, "minimum": 5}


def test_management_not_assessed_is_an_observation():
    u = base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")])
    del u["management"]
    a = run(u)
    assert codes(a) == ["MGMT-NOT-ASSESSED"] and a.conclusion == "conforming"


# -- properties ------------------------------------------------------------------------------

places = st.sampled_from(["boundary", "U1", "B1", "B2", "B3"])
instr = st.builds(lambda i, at, typ, acc: instrument(f"I{i}", "lime", at, type=typ, accuracy=acc),
                  st.integers(0, 10_000), places, st.sampled_from(["truck_scale", "belt_scale"]),
                  st.sampled_from(["0.1", "0.5", "1.0", "III"]))


@settings(max_examples=30, deadline=None)
@given(st.lists(instr, max_size=6, unique_by=lambda d: d["id"]), instr)
def test_adding_an_in_use_instrument_never_lowers_a_rate(existing, extra):
    if extra["id"] in {e["id"] for e in existing}:
        extra = {**extra, "id": extra["id"] + "x"}
    before = {(r.medium, r.level): r.rate_percent for r in run(_three_boilers(existing)).rates}
    after = {(r.medium, r.level): r.rate_percent for r in run(_three_boilers([*existing, extra])).rates}
    assert all(after[k] >= v for k, v in before.items())


@settings(max_examples=25, deadline=None)
@given(st.lists(instr, max_size=6, unique_by=lambda d: d["id"]), st.randoms())
def test_result_does_not_depend_on_order(ins, rnd):
    u = _three_boilers(ins)
    u["source_streams"].append(stream("tiny", 500, ["B1"]))
    a = run(u).to_json()
    rnd.shuffle(u["instruments"])
    rnd.shuffle(u["source_streams"])
    b = run(u).to_json()
    key = lambda x: x["id"]  # noqa: E731
    assert sorted(a["instruments"], key=key) == sorted(b["instruments"], key=key)
    assert sorted(a["source_streams"], key=key) == sorted(b["source_streams"], key=key)
    assert sorted(a["metering_points"], key=key) == sorted(b["metering_points"], key=key)
    assert a["equipping_rates"] == b["equipping_rates"]
    assert sorted(map(str, a["findings"])) == sorted(map(str, b["findings"]))
    assert a["conclusion"] == b["conclusion"]


# -- issue 11 spec decisions -------------------------------------------------------------------

def test_accuracy_applies_to_standby_not_out_of_service():
    # decision 4a: a standby instrument can replace an in-use one: ACC-MPE / ACC-UNKNOWN apply
    ins = [instrument("W", "s", "boundary"),
           instrument("S", "s", "boundary", status="standby", accuracy="0.5"),   # 0.5 > 0.1
           instrument("U", "s", "boundary", status="standby", accuracy="III"),   # cannot compare
           instrument("X", "s", "boundary", status="out_of_service", accuracy="0.5")]
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=ins))
    found = sorted((f.code, f.subject) for f in a.findings if f.code.startswith("ACC"))
    assert found == [("ACC-MPE", "S"), ("ACC-UNKNOWN", "U")]
    assert a.conclusion == "nonconforming"


def test_instrument_at_a_folded_point_is_judged_at_its_highest_level():
    # decision 4d: U1 takes the whole electricity stream, so its level-2 place folds into the
    # level-1 point; a meter at U1 is held to the level-1 requirement (0.5), not level 2 (1.0)
    u = base_unit(equipment=[], source_streams=[{"id": "p", "name": "外购电", "kind": "electricity", "material": "grid_electricity",
                                   "activity": "100000 MWh", "consumers": ["U1"]}],
                  instruments=[instrument("E1", "p", "U1", type="electricity_meter", accuracy="1.0")])
    a = run(u)
    assert (a.instruments[0].level, a.instruments[0].required_mpe_percent, a.instruments[0].accuracy_ok) == (1, 0.5, False)
    assert [f.subject for f in a.findings if f.code == "ACC-MPE"] == ["E1"]


def test_class_downgrade_observation_stays():
    # decision 4e
    a = run(base_unit(source_streams=[stream("s", 30000, **{"class": "minor"})],
                      instruments=[instrument("W", "s", "boundary")]))
    assert [(f.code, f.severity) for f in a.findings] == [("CLASS-DOWNGRADE", "observation")]


def test_instrument_without_measures_is_incomplete():
    # a ledger row 待补充 (measures not stated): observation INS-INCOMPLETE, no point served
    w = instrument("W9", "s", "boundary")
    del w["measures"]
    a = run(base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary"), w]))
    assert [(f.code, f.subject, f.severity) for f in a.findings] == [("INS-INCOMPLETE", "W9", "observation")]
    assert next(i for i in a.instruments if i.id == "W9").points == []


def test_instrument_whose_type_cannot_measure_its_parameter_is_said():
    """s9 probe finding 7: an electricity meter with ``measures: el.ncv`` was accepted silently,
    covered nothing and reported level null. Now: an observation INS-MEASURES naming it, no
    requirement from what it cannot measure, and its place's level (docs/assessment.md: "an
    instrument covering no point gets its place's level"). A transmitter compensating a gas flow
    (an activity target its type does not cover) keeps that flow's requirement, unflagged."""
    el = {"id": "el", "name": "外购电力", "kind": "electricity", "activity": "60000 MWh",
          "parameters": {"emission_factor": "0.5703 t/MWh"}, "consumers": ["U1"]}
    ng = {"id": "ng", "name": "天然气", "kind": "combustion", "material": "natural_gas", "activity": "2000 万Nm3"}
    a = run(base_unit(source_streams=[stream("s", 30000), el, ng], instruments=[
        instrument("W", "s", "boundary"),
        instrument("E0", "el", "boundary", type="electricity_meter", accuracy="0.5S"),
        instrument("E2", "el.ncv", "U1", type="electricity_meter", accuracy="1"),
        instrument("GC", "s.carbon_content", "lab", type="gas_chromatograph", accuracy="1"),
        instrument("T1", "ng", "boundary", type="temperature_transmitter", accuracy="1.5")]))
    by_code = {(f.code, f.subject): f for f in a.findings}
    e2 = by_code[("INS-MEASURES", "E2")]
    assert e2.severity == "observation" and "el.ncv" in e2.en and "电能表" in e2.zh and e2.data["measures"] == ["el.ncv"]
    assert ("INS-MEASURES", "GC") in by_code  # a gas chromatograph does not analyse limestone
    assert ("INS-MEASURES", "T1") not in by_code and ("INS-MEASURES", "E0") not in by_code
    ins = {i.id: i for i in a.instruments}
    assert (ins["E2"].level, ins["E2"].required_mpe_percent, ins["E2"].accuracy_ok) == (2, None, None)
    assert ins["E2"].points == [] and ins["E0"].points == ["el@boundary"]
    assert (ins["T1"].required_mpe_percent, ins["T1"].accuracy_ok) == (1.0, False)
    assert not [p for p in a.points if p.quantity == "ncv" and p.stream == "el"]
