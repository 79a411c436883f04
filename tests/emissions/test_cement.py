"""Cement: process emissions of clinker production (the ``clinker`` block of a process stream;
CETS-AG-02.01-V01-2024, 2013 cement guideline) and the metering points its items need —
hand-computed (arithmetic in the comments)."""

from __future__ import annotations

import pytest

from tanjiliang.model.errors import LoadError
from unit_builders import base_unit, instrument, load, run


def _clinker(**ck: object) -> dict[str, object]:
    return {"id": "cli", "name": "熟料生产过程", "kind": "process", "material": "clinker",
            "activity": "100000 t", "consumers": ["B1"], "clinker": ck}


def _params(a: object) -> dict[str, tuple[float, str]]:
    s = a.stream("cli")  # type: ignore[attr-defined]
    return {p.name: (p.value, p.source) for p in s.parameters}


def test_clinker_factor_from_cao_and_mgo_with_defaults() -> None:
    # EF = (0.65 − 0) × 44/56 + (0.02 − 0) × 44/40 = 0.510714 + 0.022 = 0.532714 t/t
    #   (non-carbonate CaO and MgO: library default 0, conservative)
    # carbonate: 100 000 t × 0.532714 = 53 271.43 t
    # raw meal unweighed: 100 000 × 1.55 (library) = 155 000 t; organic carbon 0.2 % (library):
    #   155 000 × 0.002 × 44/12 = 1 136.67 t
    # E = 53 271.43 + 1 136.67 = 54 408.10 t
    a = run(base_unit(source_streams=[_clinker(cao="65 %", mgo="2 %")]))
    s = a.stream("cli")
    assert s.emissions_tco2e == pytest.approx(54408.0952, abs=1e-3)
    p = _params(a)
    assert p["emission_factor"][0] == pytest.approx(0.5327142857)
    assert p["cao_non_carbonate"] == (0.0, "library") and p["mgo_non_carbonate"] == (0.0, "library")
    assert p["raw_meal_ratio"] == (1.55, "library") and p["organic_carbon"] == (0.002, "library")
    assert p["carbonate_emissions"][0] == pytest.approx(53271.4286, abs=1e-3)
    assert p["organic_carbon_emissions"][0] == pytest.approx(1136.6667, abs=1e-3)
    assert "44/56" in s.formula and "44/40" in s.formula


def test_clinker_with_dust_non_carbonate_and_weighed_raw_meal() -> None:
    # EF = (0.6550 − 0.0080) × 44/56 + (0.0240 − 0.0030) × 44/40
    #    = 0.6470 × 0.785714 + 0.0210 × 1.1 = 0.508357 + 0.0231 = 0.531457 t/t
    # carbonate: (100 000 + 300 kiln dust + 200 bypass dust) × 0.531457 = 100 500 × 0.531457 = 53 411.44 t
    # organic: raw meal 155 000 t weighed × 0.15 % × 44/12 = 852.50 t
    # E = 53 411.44 + 852.50 = 54 263.94 t
    ck = _clinker(cao="65.50 %", mgo="2.40 %", cao_non_carbonate="0.80 %", mgo_non_carbonate="0.30 %",
                  kiln_dust="300 t", bypass_dust="200 t", raw_meal="155000 t", organic_carbon="0.15 %")
    a = run(base_unit(source_streams=[ck]))
    assert a.stream("cli").emissions_tco2e == pytest.approx(53411.4429 + 852.5, abs=1e-3)
    p = _params(a)
    assert p["emission_factor"][0] == pytest.approx(0.5314571429)
    assert p["raw_meal"] == (155000.0, "measured") and "raw_meal_ratio" not in p


def test_default_clinker_factor_of_the_2024_guideline() -> None:
    # no analyses: the library's 硅酸盐水泥熟料 0.535 t/t (CETS-AG-02.01-V01-2024 as reproduced, S)
    # E = 100 000 × 0.535 + 100 000 × 1.55 × 0.002 × 44/12 = 53 500 + 1 136.67 = 54 636.67 t
    a = run(base_unit(source_streams=[_clinker()]))
    assert a.stream("cli").emissions_tco2e == pytest.approx(54636.6667, abs=1e-3)
    ef = next(p for p in a.stream("cli").parameters if p.name == "emission_factor")
    assert (ef.value, ef.source) == (0.535, "library") and "[S]" in (ef.citation or "")
    # a white clinker: 0.550 → 55 000 + 1 136.67 = 56 136.67 t
    white = {**_clinker(), "material": "white_clinker"}
    assert run(base_unit(source_streams=[white])).stream("cli").emissions_tco2e == pytest.approx(56136.6667, abs=1e-3)


def test_substitute_raw_materials_deducted_from_the_default_factor() -> None:
    # the 2024 guideline's 扣减 (deduction factors as reproduced, S): carbide slag 5 000 t × 0.480
    # = 2 400 t, steel slag 10 000 t × 0.215 = 2 150 t → 4 550 t off the carbonate part:
    # E = 100 000 × 0.535 − 4 550 + 1 136.67 = 53 500 − 4 550 + 1 136.67 = 50 086.67 t
    ck = _clinker(substitutes={"carbide_slag": "5000 t", "steel_slag": "10000 t"})
    ins = [instrument("W1", "cli", "B1", type="belt_scale", accuracy="0.5"),
           instrument("W3", "cli.substitutes", "B1", type="belt_scale", accuracy="0.5")]
    a = run(base_unit(source_streams=[ck], instruments=ins))
    s = a.stream("cli")
    assert s.emissions_tco2e == pytest.approx(50086.6667, abs=1e-3)
    p = _params(a)
    assert p["substitute_deductions"][0] == pytest.approx(4550.0)
    assert "Q_sub" in s.formula
    # the substitutes' weighing is a point of its own, served by W3
    assert next(q for q in a.points if q.id == "cli.substitutes").instruments == ["W3"]


def test_substitutes_need_the_default_factor_and_a_known_material() -> None:
    with pytest.raises(LoadError) as exc:  # the analyses already take out non-carbonate CaO/MgO
        load(base_unit(source_streams=[_clinker(cao="65 %", mgo="2 %", substitutes={"carbide_slag": "5 t"})]))
    assert "default factor only" in exc.value.message("en")
    a_unit = base_unit(source_streams=[_clinker(substitutes={"limestone": "5 t"})])
    with pytest.raises(LoadError) as exc2:
        run(a_unit)
    assert "clinker.substitutes.limestone" in exc2.value.message("en")


def test_no_organic_carbon_where_the_file_says_zero() -> None:
    # organic_carbon: 0 → only the carbonate part: 100 000 × 0.535 = 53 500 t
    a = run(base_unit(source_streams=[_clinker(organic_carbon="0 %")]))
    assert a.stream("cli").emissions_tco2e == pytest.approx(53500.0)


def test_clinker_metering_points() -> None:
    # measured (bare) CaO, MgO and organic carbon → three laboratory points; the weighed raw meal
    # and bypass dust → two points of process_material level 1 beside the clinker output point
    ck = _clinker(cao="65 %", mgo="2 %", organic_carbon="0.15 %", raw_meal="155000 t", bypass_dust="200 t",
                  cao_non_carbonate={"value": "0.5 %", "source": "default"})
    ins = [instrument("W1", "cli", "B1", type="belt_scale", accuracy="0.5"),
           instrument("W2", "cli.raw_meal", "B1", type="belt_scale", accuracy="1"),
           instrument("L1", ["cli.cao", "cli.mgo"], "lab", type="xrf_analyzer", accuracy=None),
           instrument("L2", "cli.organic_carbon", "lab", type="carbon_analyzer", accuracy=None)]
    a = run(base_unit(source_streams=[ck], instruments=ins))
    pts = {p.id: p for p in a.points}
    assert {"cli.cao", "cli.mgo", "cli.organic_carbon"} <= set(pts)
    assert "cli.cao_non_carbonate" not in pts  # a default value needs no analysis
    assert pts["cli.cao"].instruments == ["L1"] and pts["cli.mgo"].instruments == ["L1"]
    assert pts["cli.raw_meal"].instruments == ["W2"] and pts["cli.raw_meal"].level == 1
    assert pts["cli.bypass_dust"].status == "missing"
    rates = {(r.medium, r.level): r for r in a.rates}
    # process_material level 1: clinker output, raw meal, bypass dust → 2 of 3 = 66.7 %
    r = rates[("process_material", 1)]
    assert (r.required, r.equipped, r.rate_percent) == (3, 2, 66.7)
    # laboratory: 3 of 3 = 100 %
    assert (rates[("laboratory", None)].required, rates[("laboratory", None)].equipped) == (3, 3)
    # the raw-meal feed scale ±1 % exceeds the dynamic-weighing requirement 0.5 % → ACC-MPE
    assert any(f.code == "ACC-MPE" and f.subject == "W2" for f in a.findings)


@pytest.mark.parametrize(("ck", "word"), [
    ({"cao": "65 %"}, "MgO"),
    ({"cao": "65 %", "mgo": "2 %", "cao_non_carbonate": "70 %"}, "exceeds"),
    ({"cao": "165 %", "mgo": "2 %"}, "between"),
    ({"cao": "65 t", "mgo": "2 %"}, "dimensionless"),
    ({"cao": {"value": "65 t", "source": "measured"}, "mgo": "2 %"}, "fraction"),
])
def test_bad_clinker_values_are_refused(ck: dict[str, object], word: str) -> None:
    with pytest.raises(LoadError) as exc:
        load(base_unit(source_streams=[_clinker(**ck)]))
    assert word in exc.value.message("en")


def test_clinker_only_on_a_process_stream() -> None:
    with pytest.raises(LoadError):
        load(base_unit(source_streams=[{**_clinker(cao="65 %", mgo="2 %"), "kind": "combustion"}]))
