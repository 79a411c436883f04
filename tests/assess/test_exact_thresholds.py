"""Every threshold of the default pack decided exactly (default-pack.md "Exactness").

Hand-computed boundary cases (equal to the threshold, one rounding unit below or above) with
the arithmetic in comments, and property tests that build totals landing exactly on a
threshold from many fractional parts, in any order. The pack's ``rounding_decimals`` is 1:
every compared quantity is rounded half-up to 0.1 before the comparison.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanjiliang.rules.exact import exact, rounded
from unit_builders import base_unit, instrument, run, stream


def cls(a, sid):
    return a.stream(sid).cls


# -- key emission unit: total ≥ 26 000 t --------------------------------------------------

def test_key_unit_exactly_at_26000_from_fractional_parts():
    # 0.1 + 0.2 + 25 999.7 = 26 000.0 exactly (as binary floats 0.1 + 0.2 = 0.30000000000000004)
    a = run(base_unit(source_streams=[stream("a", "0.1"), stream("b", "0.2"), stream("c", "25999.7")]))
    assert a.key_emission_unit is True
    assert a.total_tco2e == 26000.0
    assert "SCOPE-VOLUNTARY" not in [f.code for f in a.findings]


def test_key_unit_one_unit_below():
    # 0.1 + 0.2 + 25 999.6 = 25 999.9 < 26 000 → not a key unit, SCOPE-VOLUNTARY
    a = run(base_unit(source_streams=[stream("a", "0.1"), stream("b", "0.2"), stream("c", "25999.6")]))
    assert a.key_emission_unit is False
    assert "SCOPE-VOLUNTARY" in [f.code for f in a.findings]


def test_key_unit_total_rounded_half_up_before_comparison():
    # 25 999.95 rounds half-up to 26 000.0 (0.1 t) → key unit; 25 999.94 → 25 999.9 → not
    assert run(base_unit(source_streams=[stream("a", "25999.95")])).key_emission_unit is True
    assert run(base_unit(source_streams=[stream("a", "25999.94")])).key_emission_unit is False


# -- installation category: A ≤ 50 000 < B ≤ 500 000 < C ----------------------------------

@pytest.mark.parametrize("parts,cat", [
    (["0.7", "0.6", "49998.7"], "A"),      # 0.7 + 0.6 + 49 998.7 = 50 000.0 → A (≤ 50 000)
    (["0.7", "0.6", "49998.8"], "B"),      # = 50 000.1 → B
    (["0.3", "0.6", "499999.1"], "B"),     # = 500 000.0 → B (≤ 500 000)
    (["0.3", "0.6", "499999.2"], "C"),     # = 500 000.1 → C
])
def test_category_limits_exact(parts, cat):
    a = run(base_unit(source_streams=[stream(f"s{i}", p) for i, p in enumerate(parts)]))
    assert a.installation_category == cat


# -- classes: running sums against Tdm and Tmin --------------------------------------------

def _class_unit(parts: dict[str, str]):
    return base_unit(source_streams=[stream(k, v) for k, v in parts.items()])


def test_de_minimis_running_sum_exactly_tdm_is_not_strictly_below():
    # T = 0.1 + 0.2 + 1 999.7 + 98 000 = 100 000; Tdm = 2000; running sum 0.1 + 0.2 + 1 999.7
    # = 2 000.0 exactly, not strictly below 2000 → c is minor (a float sum gives 1999.9999999999998)
    a = run(_class_unit({"a": "0.1", "b": "0.2", "c": "1999.7", "big": "98000"}))
    assert [cls(a, s) for s in ("a", "b", "c")] == ["de_minimis", "de_minimis", "minor"]


def test_de_minimis_running_sum_one_unit_below_tdm():
    # c = 1 999.6, big = 98 000.1: T = 100 000.0, Tdm = 2000; running 0.3 + 1 999.6 = 1 999.9 < 2000
    a = run(_class_unit({"a": "0.1", "b": "0.2", "c": "1999.6", "big": "98000.1"}))
    assert cls(a, "c") == "de_minimis"


def test_minor_running_sum_exactly_tmin_closes_minor():
    # T = 0.1 + 0.2 + 1 999.7 + 8 000.3 + 89 999.7 = 100 000; Tdm = 2000, Tmin = 10 000
    # de minimis: a, b (0.3); c fails (2 000.0); minor: c 1 999.7, d: 1 999.7 + 8 000.3 = 10 000.0,
    # not strictly below 10 000 → d major
    a = run(_class_unit({"a": "0.1", "b": "0.2", "c": "1999.7", "d": "8000.3", "big": "89999.7"}))
    assert a.threshold_minor == 10000.0
    assert [cls(a, s) for s in ("c", "d", "big")] == ["minor", "major", "major"]


def test_minor_running_sum_one_unit_below_tmin():
    # d = 8 000.2, big = 89 999.8 (T still 100 000): minor running 1 999.7 + 8 000.2 = 9 999.9 < 10 000
    a = run(_class_unit({"a": "0.1", "b": "0.2", "c": "1999.7", "d": "8000.2", "big": "89999.8"}))
    assert cls(a, "d") == "minor"


def test_classes_rank_by_absolute_value_ties_by_id():
    # T = |−1500| + 1500 + 97 000 = 100 000, Tdm = 2000. Ascending |e|, ties by id: m (−1500),
    # n (1500), big. m: 1500 < 2000 de minimis; n: 3000 ≥ 2000 → minor.
    a = run(base_unit(source_streams=[
        stream("n", "1500"), stream("m", "1500", parameters={"emission_factor": "-1 t/t"}),
        stream("big", "97000")]))
    assert (cls(a, "m"), cls(a, "n")) == ("de_minimis", "minor")


# -- major sub-units and equipment: attributed ≥ 1 000 t ----------------------------------

def _places(parts: list[str]):
    return base_unit(source_streams=[stream(f"s{i}", p, ["B1"]) for i, p in enumerate(parts)]
                     + [stream("big", "30000")])


def test_major_equipment_exactly_1000_from_parts():
    # B1 consumes 999.7 + 0.1 + 0.2 = 1 000.0 t → major (≥ 1000)
    a = run(_places(["999.7", "0.1", "0.2"]))
    assert {p.id: p.major for p in a.places}["B1"] is True


def test_major_equipment_one_unit_below():
    # 999.6 + 0.1 + 0.2 = 999.9 t < 1000 → not major (its sub-unit U1 neither)
    a = run(_places(["999.6", "0.1", "0.2"]))
    assert {p.id: p.major for p in a.places} == {"U1": False, "B1": False}


def test_equal_split_among_three_consumers_is_exact():
    # 3 000 t split equally over B1, B2, B3 (a plain list): 1 000 t each, exactly → all major
    u = base_unit(equipment=[{"id": f"B{i}", "name": f"{i}", "subunit": "U1"} for i in (1, 2, 3)],
                  source_streams=[stream("s", "3000", ["B1", "B2", "B3"]), stream("big", "30000")])
    a = run(u)
    assert all(p.major for p in a.places if p.kind == "equipment")


# -- accuracy: MPE ≤ requirement ------------------------------------------------------------

@pytest.mark.parametrize("acc,ok", [
    ("0.1", True),        # 0.1 ≤ 0.1 (static weighing)
    ("±0.1 %", True),
    ("0.2", False),       # one unit (0.1) above
    ("±0.15 %", False),   # rounds half-up to 0.2 > 0.1
])
def test_mpe_limit_exact(acc, ok):
    a = run(base_unit(source_streams=[stream("s", "30000")],
                      instruments=[instrument("W1", "s", "boundary", accuracy=acc)]))
    assert a.instruments[0].accuracy_ok is ok


# -- tiers: uncertainty ≤ threshold (7.5 / 5 / 2.5 / 1.5 %) --------------------------------

@pytest.mark.parametrize("mpe,tier", [("±2.5 %", 3), ("±2.6 %", 2), ("±1.5 %", 4), ("±7.5 %", 1), ("±7.6 %", None)])
def test_tier_threshold_exact(mpe, tier):
    # the level-1 instrument's MPE is the stream's uncertainty; tier = highest with threshold ≥ it
    a = run(base_unit(source_streams=[stream("s", "30000")],
                      instruments=[instrument("W1", "s", "boundary", accuracy=mpe)]))
    assert a.stream("s").tier_achieved == tier


def test_tier_quadrature_lands_on_threshold():
    # consumers B1, B2 at 0.5 each, MPE 3 % and 4 %: sqrt((3·0.5)² + (4·0.5)²) / 1
    # = sqrt(2.25 + 4) = 2.5 → tier 3 exactly at its threshold
    u = base_unit(equipment=[{"id": "B1", "name": "1", "subunit": "U1"}, {"id": "B2", "name": "2", "subunit": "U1"}],
                  source_streams=[stream("s", "30000", {"B1": 0.5, "B2": 0.5})],
                  instruments=[instrument("W1", "s", "B1", accuracy="±3 %"), instrument("W2", "s", "B2", accuracy="±4 %")])
    assert run(u).stream("s").tier_achieved == 3


# -- rates: Rp ≥ requirement ----------------------------------------------------------------

def _ten_boilers(equipped: int):
    eq = [{"id": f"B{i}", "name": f"{i}", "subunit": "U1"} for i in range(10)]
    return base_unit(equipment=eq,
                     source_streams=[stream("s", "100000", [e["id"] for e in eq])],
                     instruments=[instrument("W", "s", "boundary")]
                     + [instrument(f"W{i}", "s", f"B{i}") for i in range(equipped)])


def test_rate_exactly_at_requirement_meets():
    # level 3: 10 boilers of 10 000 t each (major), 9 equipped: 9/10 × 100 = 90.0 % ≥ 90 %
    a = run(_ten_boilers(9))
    row = next(r for r in a.rates if r.level == 3)
    assert (row.rate_percent, row.meets) == (90.0, True)
    assert "EQ-RATE" not in [f.code for f in a.findings]


def test_rate_one_point_below_requirement():
    # 8/10 × 100 = 80.0 % < 90 % → EQ-RATE
    a = run(_ten_boilers(8))
    row = next(r for r in a.rates if r.level == 3)
    assert (row.rate_percent, row.meets) == (80.0, False)


# -- due-soon window: next_due − as_of ≤ 30 days -------------------------------------------

@pytest.mark.parametrize("last,status", [
    ("2025-01-30", "due_soon"),   # + 12 months = 2026-01-30; 2026-01-30 − 2025-12-31 = 30 days ≤ 30
    ("2025-01-31", "valid"),      # next due 2026-01-31: 31 days
    ("2024-12-31", "due_soon"),   # next due 2025-12-31 = as_of: 0 days, not yet overdue
    ("2024-12-30", "overdue"),    # next due 2025-12-30 < as_of
])
def test_due_soon_window_exact(last, status):
    a = run(base_unit(source_streams=[stream("s", "30000")],
                      instruments=[instrument("W1", "s", "boundary", last_confirmed=last)]))
    assert a.instruments[0].calibration_status == status


# -- properties: many fractional parts landing exactly on a threshold -----------------------

def _parts(total_tenths: int, n: int, cuts: list[int]) -> list[Decimal]:
    """``n`` positive parts in tenths of a tonne summing to ``total_tenths``."""
    points = sorted({c % (total_tenths - 1) + 1 for c in cuts})[: n - 1]
    edges = [0, *points, total_tenths]
    return [Decimal(b - a) / 10 for a, b in pairwise(edges) if b > a]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=25), st.randoms())
def test_property_parts_summing_to_26000_make_a_key_unit(cuts, rnd):
    parts = _parts(260000, 26, cuts)
    rnd.shuffle(parts)
    assert sum(parts) == Decimal(26000)
    a = run(base_unit(source_streams=[stream(f"s{i}", str(p)) for i, p in enumerate(parts)]))
    assert a.key_emission_unit is True and a.total_tco2e == 26000.0
    # one tenth less anywhere: 25 999.9 → not a key unit
    parts[0] -= Decimal("0.1")
    if parts[0] > 0:
        b = run(base_unit(source_streams=[stream(f"s{i}", str(p)) for i, p in enumerate(parts)]))
        assert b.key_emission_unit is False


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12), st.randoms())
def test_property_running_sum_exactly_tdm_is_never_de_minimis(cuts, rnd):
    # small streams summing exactly to Tdm = 2000 (T = 100 000): the one that brings the running
    # sum to 2000 is minor, whatever the parts and their order
    parts = _parts(20000, 12, cuts)
    rnd.shuffle(parts)
    streams = [stream(f"p{i:02d}", str(p)) for i, p in enumerate(parts)] + [stream("zbig", "98000")]
    a = run(base_unit(source_streams=streams))
    assert a.threshold_de_minimis == 2000.0
    dm = [s for s in a.streams if s.cls == "de_minimis"]
    assert sum((exact(s.emissions_tco2e) for s in dm), Decimal(0)) < 2000
    assert len(dm) == len(parts) - 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12), st.randoms())
def test_property_equipment_attributed_exactly_1000_is_major(cuts, rnd):
    parts = _parts(10000, 12, cuts)
    rnd.shuffle(parts)
    a = run(base_unit(source_streams=[stream(f"s{i}", str(p), ["B1"]) for i, p in enumerate(parts)]
                      + [stream("big", "30000")]))
    assert {p.id: p.major for p in a.places}["B1"] is True


def test_rounded_is_half_up():
    assert rounded(Decimal("0.05"), 1) == Decimal("0.1")
    assert rounded(Decimal("-0.05"), 1) == Decimal("-0.1")
    assert exact(0.1) + exact(0.2) == Decimal("0.3")
