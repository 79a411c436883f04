"""pint's definition files parsed once per machine (``tanjiliang/units/cache.py``, issue 16): a
registry read from the cache is the registry parsed afresh, and a broken or unwritable cache
only means parsing again."""

from __future__ import annotations

import copy
import pickle
from importlib import resources
from pathlib import Path

import pytest
from flexparser import flexparser

from tanjiliang.units import cache
from tanjiliang.units.cache import Registry

DEFINITIONS = str(resources.files("tanjiliang.units") / "definitions.txt")
SAMPLES = ["t", "万Nm3", "Nm3", "tce", "GJ/t", "tC/TJ", "kWh", "MWh", "m3", "scf", "MMBtu", "%",
           "kg/h", "degC", "MPa", "bbl", "gal", "tCO2e", "万tce", "km", "L/min"]


def _registry(folder: Path | None) -> Registry:
    ureg = Registry(autoconvert_offset_to_baseunit=True, on_redefinition="ignore", cache=folder)
    ureg.load_definitions(DEFINITIONS)
    return ureg


def _described(ureg: Registry) -> list[tuple[str, ...]]:
    rows = []
    for text in SAMPLES:
        q = ureg.Quantity(2.5, ureg.parse_units(text))
        base = q.to_base_units()
        rows.append((text, repr(base.magnitude), str(base.units), str(q.dimensionality)))
    eq = ureg._cache.dimensional_equivalents
    rows.append(tuple(sorted(f"{k}:{sorted(v)}" for k, v in eq.items())))
    rows.append(tuple(sorted(ureg._units)))
    return rows


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The definition files actually parsed (not read from the cache)."""
    seen: list[str] = []
    real = flexparser.Parser.parse_file

    def counting(self, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(Path(path).name)
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(flexparser.Parser, "parse_file", counting)
    return seen


def test_a_cached_registry_is_the_registry_parsed_afresh(tmp_path: Path, parses: list[str]) -> None:
    plain = _registry(None)
    tables = copy.deepcopy(plain._cache)  # the derived tables before any use adds to them
    fresh = _described(plain)
    assert "default_en.txt" in parses and "definitions.txt" in parses
    parses.clear()
    first = _described(_registry(tmp_path))  # parses and writes the cache
    assert "default_en.txt" in parses and list(tmp_path.glob("*.pickle"))
    parses.clear()
    kept = _registry(tmp_path)
    assert kept._cache == tables  # the derived tables, as pint builds them
    cached = _described(kept)
    assert parses == []  # nothing parsed: every file came from the cache
    assert fresh == first == cached
    assert len(cached[-2]) > 20  # the units of each dimension were built (pint's cache skips them)


def test_a_broken_cache_is_parsed_again_and_repaired(tmp_path: Path, parses: list[str]) -> None:
    expected = _described(_registry(tmp_path))
    files = sorted(tmp_path.glob("*.pickle"))
    for f in files:
        f.write_bytes(f.read_bytes()[:100])  # as if another process were still writing it
    parses.clear()
    assert _described(_registry(tmp_path)) == expected
    assert "default_en.txt" in parses
    parses.clear()
    assert _described(_registry(tmp_path)) == expected and parses == []  # rewritten whole
    assert not list(tmp_path.glob("*.tmp"))


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert _described(_registry(blocked / "pint")) == _described(_registry(None))


def test_the_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    assert cache.folder() == tmp_path / "pint"
    monkeypatch.setenv(cache.ENV, "")
    assert cache.folder() is None
    monkeypatch.delenv(cache.ENV)
    assert cache.folder() is not None and cache.folder().name == "pint"


def test_the_derived_tables_are_kept_and_put_back_as_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The derived tables and the prefixed units building them defines are read from the cache,
    not built again, and are what building them gives; a damaged file means building them."""
    from pint.facets.plain.registry import GenericPlainRegistry

    plain = _registry(None)
    tables, units = copy.deepcopy(plain._cache), dict(plain._units.maps[0])
    _registry(tmp_path)  # builds the tables and keeps them
    built: list[int] = []
    real = GenericPlainRegistry._build_cache

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(GenericPlainRegistry, "_build_cache", counting)
    kept = _registry(tmp_path)
    assert built == []
    assert kept._cache == tables and kept._caches[()] is kept._cache
    assert list(kept._units.maps[0]) == list(units) and dict(kept._units.maps[0]) == units
    assert _described(kept) == _described(plain)
    for f in tmp_path.glob("*.pickle"):
        with f.open("rb") as fo:
            obj = pickle.load(fo)
        if isinstance(obj, tuple) and obj and obj[0] == cache.DERIVED:
            f.write_bytes(pickle.dumps(("something else", obj[1], obj[2])))
    assert _described(_registry(tmp_path)) == _described(plain) and built == [1]
