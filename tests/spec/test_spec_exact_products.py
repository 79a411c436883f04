"""default-pack.md "Exactness": every comparison with a threshold is decided on exact decimal
values — including each stream's emissions, which are products (activity × factor, activity ×
ncv × carbon content × oxidation × 44/12 …), never a product of binary floating-point numbers.

Found from outside (ninth session): 9 901 t × 5.05 t/t gave 50 000.049999999996 t, so category
A; 1 428.5 t × 0.7 t/t gave 999.9499999999999 t, so a de-minimis stream and a sub-unit below
1 000 t; 22 413.75 t × 1.16 t/t gave 25 999.949999999997 t, so not a key emission unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spec_cli import check, tonnes, unit

from tanjiliang.emissions.calc import stream_emissions
from tanjiliang.model.unit import SourceStream
from tanjiliang.rules.factors import bundled_library


def stream(sid: str, activity: str, factor: str, **kw: object) -> dict[str, object]:
    return {"id": sid, "name": sid, "kind": "process", "material": "limestone",
            "activity": activity, "parameters": {"emission_factor": factor}, **kw}


def test_category_b_just_above_50_000_t(tmp_path: Path) -> None:
    _, doc, out = check(tmp_path, unit([stream("s", "9901 t", "5.05 t/t")]))
    assert doc is not None, out
    assert doc["emissions"]["total_tco2e"] == 50000.05
    assert doc["installation_category"] == "B"  # 50 000.05 → 50 000.1 > 50 000 (A ≤ 50 000 t)


def test_key_unit_at_26_000_t_once_rounded(tmp_path: Path) -> None:
    _, _, out = check(tmp_path, unit([stream("s", "22413.75 t", "1.16 t/t")]), "--format", "text")
    assert "26,000.0 tCO₂e，属于重点排放单位" in out, out
    _, doc, out = check(tmp_path, unit([stream("s", "22413.75 t", "1.16 t/t")]))
    assert doc is not None and doc["key_emission_unit"] is True, out
    assert doc["emissions"]["by_stream"]["s"] == 25999.95


def test_a_stream_of_999_95_t_is_not_de_minimis_and_its_sub_unit_is_major(tmp_path: Path) -> None:
    # 1 428.5 × 0.7 = 999.95 → 1 000.0 (one decimal, half up), not below Tdm = 1 000 t
    data = unit([tonnes("big", "40000", consumers=["B1"]),
                 stream("s1", "1428.5 t", "0.7 t/t", consumers=["U2"])],
                subunits=[{"id": "U1", "name": "1号机组"}, {"id": "U2", "name": "2号机组"}])
    code, doc, out = check(tmp_path, data)
    assert doc is not None, out
    classes = {s["id"]: s["class"] for s in doc["source_streams"]}
    assert classes["s1"] == "minor"
    major = {s["id"]: s["major"] for s in doc["subunits"]}
    assert major["U2"] is True
    assert {s["id"]: s["attributed_tco2e"] for s in doc["subunits"]}["U2"] == 999.95
    assert code == 1  # the minor stream's level-1 point has no instrument


def test_the_guideline_form_is_exact_too(tmp_path: Path) -> None:
    # 100 t × 20.908 GJ/t × 0.02618 tC/GJ × 0.93 × 44/12: worked out as fractions
    data = unit([{"id": "c", "name": "c", "kind": "combustion", "material": "bituminous_coal",
                  "activity": "100 t", "parameters": {"ncv": "20.908 GJ/t", "carbon_content": "0.02618 tC/GJ",
                                                      "oxidation_rate": "0.93"}}])
    _, doc, out = check(tmp_path, data)
    assert doc is not None, out
    want = Fraction("100") * Fraction("20.908") * Fraction("0.02618") * Fraction("0.93") * Fraction(44, 12)
    assert doc["emissions"]["by_stream"]["c"] == float(want)


LIB = bundled_library()
DECIMALS = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3)


@settings(max_examples=200, deadline=None)
@given(DECIMALS, DECIMALS)
def test_a_product_is_the_exact_product_of_what_was_written(a: Decimal, f: Decimal) -> None:
    s = SourceStream.model_validate({"id": "s", "name": "s", "kind": "process", "material": "limestone",
                                     "activity": f"{a} t", "parameters": {"emission_factor": f"{f} t/t"}})
    e = stream_emissions(s, 2025, LIB, {"CO2": 1.0})
    assert e.exact_tco2e == a * f
    assert e.counted_tco2e == float(a * f)
