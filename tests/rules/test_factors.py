"""The bundled factor library: every material cited, in the right units, in a known family."""

from __future__ import annotations

import pytest

from tanjiliang.rules import bundled_library, load_pack
from tanjiliang.rules.factors import FactorLibrary, LibraryFile, Material
from tanjiliang.rules.schema import Cited
from tanjiliang.units import parse_quantity

from .dimensions import material_problems

LIB = bundled_library()

#: Keys other parts of the project (spec examples, tests, packs) already use.
REQUIRED_KEYS = {
    "coal", "anthracite", "bituminous_coal", "lignite", "washed_coal", "other_washed_coal",
    "briquette", "coke", "petroleum_coke", "crude_oil", "fuel_oil", "heavy_oil", "residual_oil",
    "gasoline", "diesel", "kerosene", "lpg", "lng", "refinery_gas", "natural_gas",
    "coke_oven_gas", "blast_furnace_gas", "converter_gas", "coal_tar", "coal_power_default",
    "limestone", "dolomite", "magnesite", "soda_ash", "carbon_anode", "electrode",
    "grid_electricity", "grid_electricity_avg", "purchased_heat", "wood", "biomass",
}


def _cited(m: Material) -> list[Cited[object]]:
    out = [c for c in (m.ncv, m.carbon_content, m.oxidation_rate, m.emission_factor) if c is not None]
    return out + list((m.emission_factor_by_year or {}).values())  # type: ignore[arg-type]


def test_required_materials_present() -> None:
    assert set(LIB.materials) >= REQUIRED_KEYS, sorted(REQUIRED_KEYS - set(LIB.materials))


@pytest.mark.parametrize("key", sorted(LIB.materials))
def test_material_dimensions(key: str) -> None:
    assert material_problems(key, LIB.materials[key]) == []


@pytest.mark.parametrize("key", sorted(LIB.materials))
def test_material_citations(key: str) -> None:
    for c in _cited(LIB.materials[key]):
        assert c.source in LIB.sources, f"{key}: unknown source {c.source}"
        assert c.status in ("V", "S", "I")
        assert c.clause, f"{key}: a value without clause"


def test_gwp_sets_cited() -> None:
    assert {"SAR", "AR4", "AR5", "AR6"} <= set(LIB.gwp_sets)
    for name, g in LIB.gwp_sets.items():
        assert g.source in LIB.sources and g.status in ("V", "S", "I"), name
        assert g.value["CO2"] == 1


def test_families_exist_in_default_pack_media() -> None:
    pack = load_pack().pack
    families = {f for row in pack.media.rows for f in row.families}
    used = {m.family for m in LIB.materials.values() if m.family is not None}
    assert used <= families, sorted(used - families)


def test_fuels_have_the_three_guideline_parameters() -> None:
    """Every fossil fuel of the combustion families carries NCV (or is measured by rule),
    carbon content per heat and oxidation rate (E = FC × NCV × CC × OF × 44/12)."""
    fuel_families = {"coal", "coke", "petroleum_coke", "oil", "natural_gas", "lpg", "byproduct_gas"}
    for key, m in LIB.materials.items():
        if m.family in fuel_families:
            assert m.carbon_content is not None and m.oxidation_rate is not None, key
            assert m.ncv is not None or key == "coal_power_default", key


@pytest.mark.parametrize("key", sorted(k for k, m in LIB.materials.items() if m.carbon_content))
def test_carbon_content_plausible(key: str) -> None:
    """tCO2/TJ = CC × 44/12 lies between hydrogen-rich coke-oven gas (~45) and blast-furnace gas (~260)."""
    cc = parse_quantity(LIB.materials[key].carbon_content.value).to("t/TJ").magnitude  # type: ignore[union-attr]
    assert 40 < cc * 44 / 12 < 300, (key, cc)


def test_biomass_is_biogenic_and_fossil_is_not() -> None:
    assert LIB.materials["wood"].biogenic and LIB.materials["biomass"].biogenic
    assert not LIB.materials["bituminous_coal"].biogenic


def test_grid_factor_by_year() -> None:
    grid = LIB.materials["grid_electricity"]
    year, c = grid.emission_factor_for(2025)  # type: ignore[misc]
    assert year == 2022 and c.value == "0.5703 t/MWh"
    avg = LIB.materials["grid_electricity_avg"]
    assert avg.emission_factor_for(2023)[1].value == "0.5306 t/MWh"  # type: ignore[index]
    assert avg.emission_factor_for(2021) is None


def test_seeded_values_kept() -> None:
    """Values other areas rely on (domain.md §6)."""
    ng = LIB.materials["natural_gas"]
    assert (ng.ncv.value, ng.carbon_content.value, ng.oxidation_rate.value) == (  # type: ignore[union-attr]
        "389.31 GJ/万Nm3", "0.0153 tC/GJ", 0.99)
    assert LIB.materials["limestone"].emission_factor.value == "0.440 t/t"  # type: ignore[union-attr]
    assert LIB.materials["purchased_heat"].emission_factor.value == "0.11 t/GJ"  # type: ignore[union-attr]
    assert LIB.materials["coal_power_default"].carbon_content.value == "0.03356 tC/GJ"  # type: ignore[union-attr]


# ---------------------------------------------------------------- the checks can fail

def _material(**kw: object) -> Material:
    base = {"name": {"zh": "测试", "en": "test"}}
    return Material.model_validate(base | kw)


@pytest.mark.parametrize("bad", [
    {"ncv": {"value": "26.18 tC/TJ", "source": "x", "status": "I"}},           # CC given as NCV
    {"carbon_content": {"value": "19.57 GJ/t", "source": "x", "status": "I"}},  # NCV given as CC
    {"emission_factor": {"value": "0.5703 t/h", "source": "x", "status": "I"}},
    {"emission_factor": {"value": {"CO2": "56.1 t/TJ", "CH4": "1 kg/m"}, "source": "x", "status": "I"}},
    {"oxidation_rate": {"value": 93, "source": "x", "status": "I"}},             # percent as a number
    {"ncv": {"value": "19.57 GJ/furlongs", "source": "x", "status": "I"}},
    {},
])
def test_dimension_check_rejects(bad: dict[str, object]) -> None:
    assert material_problems("bad", _material(**bad))


def test_unknown_source_rejected() -> None:
    f = LibraryFile.model_validate({
        "format": "tanjiliang/factors@1", "name": "t", "version": "1", "sources": [],
        "materials": {"x": {"name": {"zh": "x", "en": "x"},
                            "ncv": {"value": "1 GJ/t", "source": "nowhere", "status": "I"}}}})
    with pytest.raises(ValueError, match="nowhere"):
        FactorLibrary([f])


def test_duplicate_material_rejected() -> None:
    with pytest.raises(ValueError, match="defined twice"):
        FactorLibrary([*LIB.files, LIB.files[0]])
