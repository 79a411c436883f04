"""unit-file.md: "Any unit a person would write works, including US customary ones (`scf`,
`gal`, `short_ton`, `Btu`)". Before: ``MMBtu`` (the unit of US fuel factors, EPA 40 CFR 98
Table C-1 in kg CO2/mmBtu) was an unknown unit; ``bbl`` was pint's 31.5-gallon barrel, not the
42-gallon oil barrel a fuel is counted in (25 % low, silently); ``ton`` was silently the short
ton (907.18 kg) where a reader of a Chinese file means a tonne, and ``MBtu`` silently 10⁶ Btu
where US gas practice means 10³ — those two are now refused as ambiguous (bad input, exit 2),
naming the file, line and key path."""

from __future__ import annotations

import pytest
from spec_cli import check, unit


def fuel(activity: str, **params: str) -> dict[str, object]:
    return {"id": "f", "name": "燃料", "kind": "combustion", "material": "natural_gas",
            "activity": activity, "parameters": params}


def test_mmbtu_activity_and_factor(tmp_path):
    # 1 000 000 MMBtu × 53.06 kg/MMBtu = 53 060 000 kg = 53 060 t
    rc, doc, out = check(tmp_path, unit([fuel("1000000 MMBtu", emission_factor="53.06 kg/MMBtu")]))
    assert rc in (0, 1), out
    assert doc is not None and doc["emissions"]["total_tco2e"] == pytest.approx(53060.0, abs=1e-6)


def test_scf_with_btu_ncv_and_factor_per_mmbtu(tmp_path):
    # 1e9 scf × 1026 Btu/scf = 1.026e12 Btu = 1.026e6 MMBtu; × 53.06 kg/MMBtu = 54 439.56 t
    rc, doc, out = check(tmp_path, unit([fuel("1000000000 scf", ncv="1026 Btu/scf",
                                              emission_factor="53.06 kg/MMBtu")]))
    assert rc in (0, 1), out
    assert doc is not None and doc["emissions"]["total_tco2e"] == pytest.approx(54439.56, abs=1e-6)


def test_bbl_is_the_42_gallon_oil_barrel(tmp_path):
    # 100 000 bbl × 42 gal × 3.785411784 L = 15 898.729 m³; factor 2.7 t/m³ → 42 926.57 t
    # (pint's 31.5-gallon barrel would give 32 194.93 t)
    oil = {"id": "o", "name": "原油", "kind": "combustion", "material": "crude_oil",
           "activity": "100000 bbl", "parameters": {"emission_factor": "2.7 t/m3"}}
    rc, doc, out = check(tmp_path, unit([oil]))
    assert rc in (0, 1), out
    assert doc is not None
    assert doc["emissions"]["total_tco2e"] == pytest.approx(100000 * 42 * 3.785411784e-3 * 2.7, rel=1e-9)


def test_short_ton_is_907_kg(tmp_path):
    # 10 000 short_ton × 0.90718474 t × 2 t/t = 18 143.6948 t
    s = {"id": "c", "name": "煤", "kind": "combustion", "material": "coal", "activity": "10000 short_ton",
         "parameters": {"emission_factor": "2 t/t"}}
    rc, doc, out = check(tmp_path, unit([s]))
    assert rc in (0, 1), out
    assert doc is not None and doc["emissions"]["total_tco2e"] == pytest.approx(18143.6948, abs=1e-6)


@pytest.mark.parametrize(("activity", "word"), [("100000 ton", "ton"), ("500 tons", "tons"), ("1000 MBtu", "MBtu")])
def test_ambiguous_unit_is_bad_input(tmp_path, activity, word):
    rc, doc, out = check(tmp_path, unit([fuel(activity, emission_factor="3 t/t")]), "--lang", "en")
    assert rc == 2 and doc is None
    line = next(x for x in out.splitlines() if "source_streams[0].activity:" in x)
    assert "plant.yaml:" in line and f'"{word}"' in line and "ambiguous" in line
    rc, doc, out = check(tmp_path, unit([fuel(activity, emission_factor="3 t/t")]))
    assert rc == 2 and "有歧义" in out


@pytest.mark.parametrize(("activity", "ncv"), [("1000 万Nm³", "389.31 GJ/万Nm³"), ("10000000 Nm³", "38.931 GJ/kNm³"),
                                               ("1000 万标准立方米", "389.31 吉焦/万标准立方米")])
def test_superscript_and_chinese_gas_volumes(tmp_path, activity, ncv):
    """unit-file.md writes "3.5 万Nm3"; the same unit written as Chinese documents write it.
    1000 万Nm³ × 389.31 GJ/万Nm³ = 389 310 GJ × 56.1 t/TJ = 21 840.291 t. (In a unit file these
    were already read through the names table, model/names.yaml.)"""
    rc, doc, out = check(tmp_path, unit([fuel(activity, ncv=ncv, emission_factor="56.1 t/TJ")]))
    assert rc in (0, 1), out
    assert doc is not None and doc["emissions"]["total_tco2e"] == pytest.approx(21840.291, abs=1e-6)


def test_units_the_product_prints_read_back(tmp_path):
    """The JSON gives a parameter's unit as pint prints it ("GJ/万Nm³"); the month export and
    the plan read such text back with the same parser. Before, the parser turned "³" into "**3"
    before pint saw the definitions' names: "GJ/万Nm³" was an unknown unit and "Nm³" a cube of
    newton-metres; "kg·m⁻³" failed too."""
    from tanjiliang.units import parse_quantity

    _, doc, out = check(tmp_path, unit([fuel("1000 万Nm3")]))   # NCV from the library: 389.31 GJ/万Nm3
    assert doc is not None, out
    ncv = next(p for p in doc["source_streams"][0]["parameters"] if p["name"] == "ncv")
    back = parse_quantity(f"{ncv['value']} {ncv['unit']}")
    assert back.to("GJ/万Nm3").magnitude == pytest.approx(389.31)
    assert parse_quantity("1 Nm³").to("Nm3").magnitude == 1.0
    assert parse_quantity("1 Sm³").to("Nm3").magnitude == pytest.approx(0.9479437792816242)
    assert parse_quantity("2 kg·m⁻³").to("kg/m3").magnitude == 2.0


def test_an_activity_in_energy_needs_no_ncv(tmp_path):
    # 500 000 GJ of natural gas, carbon content and oxidation from the file: E = 500 000 GJ ×
    # 0.0153 tC/GJ × 0.99 × 44/12 = 27 769.5 t (unit-file.md: ncv turns an amount into energy;
    # an amount already in energy has none to turn)
    rc, doc, out = check(tmp_path, unit([fuel("500000 GJ", carbon_content="0.0153 tC/GJ",
                                              oxidation_rate="0.99")]))
    assert rc in (0, 1), out
    assert doc is not None and doc["emissions"]["total_tco2e"] == 27769.5
    rc, doc, out = check(tmp_path, unit([fuel("500000 GJ")]))  # the library's carbon content
    assert rc in (0, 1), out


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "source_streams[0].activity: 活动数据为体积，而排放因子库中“diesel”的低位发热量按质量给出"),
    ("en", 'source_streams[0].activity: the activity data are a volume while the factor library gives the ncv '
           'of "diesel" per mass')])
def test_gallons_of_a_fuel_whose_library_ncv_is_per_mass_name_the_activity(tmp_path, lang, words):
    diesel = {"id": "d", "name": "柴油", "kind": "combustion", "material": "diesel", "activity": "10000 gal"}
    rc, doc, out = check(tmp_path, unit([diesel]), "--lang", lang)
    assert rc == 2 and words in out, out
    diesel["parameters"] = {"ncv": "0.1385 GJ/gal"}  # the ncv per volume: computed
    rc, doc, out = check(tmp_path, unit([diesel]))
    assert rc in (0, 1) and doc is not None and doc["emissions"]["total_tco2e"] > 0, out
