"""Every bundled rule pack loads, cites declared sources with a status, and is internally
consistent (docs/packs.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tanjiliang.model.errors import LoadError
from tanjiliang.rules import bundled_library, bundled_pack_names, load_pack
from tanjiliang.rules.schema import Pack, citations

PACKS = bundled_pack_names()


def test_expected_packs_bundled() -> None:
    assert set(PACKS) >= {"henan-2025-draft", "eu-mrr-2018", "gb17167-2025-energy"}


@pytest.mark.parametrize("name", PACKS)
def test_pack_loads(name: str) -> None:
    loaded = load_pack(name)
    assert loaded.name == name and loaded.version and len(loaded.sha256) == 64


@pytest.mark.parametrize("name", PACKS)
def test_citations_resolve(name: str) -> None:
    pack = load_pack(name).pack
    ids = {s.id for s in pack.sources}
    cites = citations(pack)
    assert len(cites) > 50
    for c in cites:
        assert c.source in ids
        assert c.status in ("V", "S", "I")
        assert c.clause, f"{name}: citation of {c.source} without clause"


@pytest.mark.parametrize("name", PACKS)
def test_internal_references(name: str) -> None:
    pack = load_pack(name).pack
    media = {m.id for m in pack.media.rows}
    for t in pack.instrument_types:
        for cov in t.covers:
            assert set(cov.media) <= media, (t.id, cov.media)
        assert t.intervals and all(r.months > 0 for r in t.intervals), t.id
        assert any(t.accuracy_group in row.groups for row in pack.accuracy.rows), \
            f"{name}: instrument type {t.id} has no accuracy row"
    for row in pack.tiers.required:
        assert set(row.media or []) <= media
        assert set(row.categories or []) <= {c.name for c in pack.scope.categories}
    for row in pack.accuracy.rows:
        assert set(row.media or []) <= media
    for m in pack.media.rows:
        assert set(m.rates) <= {"1", "2", "3", "null"} and m.rates, m.id
    assert len({t.id for t in pack.instrument_types}) == len(pack.instrument_types)


@pytest.mark.parametrize("name", PACKS)
def test_materials_named_by_pack_exist(name: str) -> None:
    pack = load_pack(name).pack
    lib = bundled_library()
    named = {k for m in pack.media.rows for k in m.materials}
    named |= {k for r in pack.accuracy.rows for k in (r.materials or [])}
    named |= {k for f in pack.points.forced_parameters for k in f.materials}
    assert named <= set(lib.materials), sorted(named - set(lib.materials))
    families = {f for m in pack.media.rows for f in m.families}
    forced = {f for fp in pack.points.forced_parameters for f in fp.families}
    assert forced <= families


@pytest.mark.parametrize("name", PACKS)
def test_categories_ordered(name: str) -> None:
    cats = load_pack(name).pack.scope.categories
    bounds = [c.max_tco2e for c in cats]
    assert bounds[-1] is None and all(b is not None for b in bounds[:-1])
    assert bounds[:-1] == sorted(bounds[:-1])  # type: ignore[type-var]


@pytest.mark.parametrize("name", PACKS)
def test_same_finding_codes_as_default(name: str) -> None:
    """The engine raises the same codes whatever the pack; a pack only sets severity and clause."""
    assert set(load_pack(name).pack.findings) == set(load_pack().pack.findings)


def test_eu_pack_differs_in_substance() -> None:
    eu = load_pack("eu-mrr-2018").pack
    hn = load_pack("henan-2025-draft").pack
    assert eu.points.levels_by_class["major"].value == [1]
    assert hn.points.levels_by_class["major"].value == [1, 2, 3]
    assert eu.management.min_retention_years.value == 10
    assert eu.findings["TIER-SHORT"].severity == "nonconformity"
    assert hn.findings["TIER-SHORT"].severity == "observation"
    assert all(r.max_mpe_percent is None for r in eu.accuracy.rows)
    assert eu.gwp.value == "AR5"
    assert eu.points.emission_point_quantities.value == ["co2", "flow"]


def test_energy_pack_differs_in_substance() -> None:
    """GB 17167: every stream metered at three levels, no classes below major, no tiers."""
    en = load_pack("gb17167-2025-energy").pack
    assert en.classification.de_minimis.of(1e7) == 0 and en.classification.minor.of(1e7) == 0
    assert all(v.value == [1, 2, 3] for v in en.points.levels_by_class.values())
    assert all(r.tier is None for r in en.tiers.required)
    assert en.points.forced_parameters == []
    heavy = en.medium("heavy_oil")
    assert {"heavy_oil", "residual_oil"} <= set(heavy.materials) and heavy.rates["3"] == 90
    assert en.medium("liquid_fuel").rates["3"] == 95


# ---------------------------------------------------------------- the checks can fail

def _pack_data(name: str = "eu-mrr-2018") -> dict:
    res = Path(__file__).parents[2] / "src" / "tanjiliang" / "rules" / "packs" / f"{name}.yaml"
    return yaml.safe_load(res.read_text(encoding="utf-8"))


def test_unknown_source_is_an_error(tmp_path: Path) -> None:
    data = _pack_data()
    data["gwp"]["source"] = "no-such-source"
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_pack(p)
    assert "no-such-source" in err.value.message("en")


def test_missing_status_is_an_error() -> None:
    data = _pack_data()
    del data["scope"]["categories"][0]["status"]
    with pytest.raises(ValueError):
        Pack.model_validate(data)


def test_bad_status_is_an_error() -> None:
    data = _pack_data()
    data["classification"]["mode"]["status"] = "verified"
    with pytest.raises(ValueError):
        Pack.model_validate(data)
