"""The bundled examples (examples/<name>/unit.yaml) load, use only known materials and instrument
types, and find what their README.md says they find."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tanjiliang.assess.engine import assess
from tanjiliang.model.load import load_unit
from tanjiliang.rules import bundled_library, load_pack

EXAMPLES = Path(__file__).parents[2] / "examples"
AS_OF = date(2025, 12, 31)

#: What each README documents: (category, {stream: class}, {(code, subject)}).
EXPECTED: dict[str, tuple[str, dict[str, str], set[tuple[str, str]]]] = {
    "lime": ("B", {"limestone": "major", "coal": "major", "grid": "minor", "diesel": "de_minimis"},
             {("EQ-RATE", "solid_fuel/3"), ("CAL-OVERDUE", "W-12"), ("TIER-JUSTIFIED", "coal")}),
    "aluminium": ("C", {"anode": "major", "pfc": "minor", "lng": "minor", "grid": "major"},
                  {("EQ-RATE", "process_material/3"), ("ACC-MPE", "W-03")}),
    "power": ("C", {"coal": "major", "lime": "minor", "grid": "de_minimis", "oil": "de_minimis",
                    "power_out": "de_minimis", "heat_out": "de_minimis"},
              {("EQ-RATE", "process_material/2"), ("ACC-MPE", "W-12"), ("CAL-DUE-SOON", "L-01")}),
    "cement": ("C", {"clinker": "major", "kiln_coal": "major", "grid": "minor", "dryer_coal": "minor",
                     "mine_diesel": "de_minimis"},
               {("CAL-OVERDUE", "W-01"), ("ACC-MPE", "W-22"), ("CAL-DUE-SOON", "C-01")}),
    "steel": ("C", {"bfg": "major", "breeze": "major", "ldg": "major", "grid": "major", "limestone": "major",
                    "cog": "major", "dolomite": "major", "electrode": "de_minimis", "crude_steel": "minor"},
              {("EQ-RATE", "byproduct_gas/3"), ("ACC-MPE", "W-601")}),
    "chemical": ("C", {"ng_feed": "major", "coal": "major", "ng_fuel": "major", "grid": "minor", "steam": "minor"},
                 {("MGMT-PROCEDURE", "data_management"), ("DATA-RETENTION", "unit")}),
}


def test_every_example_is_listed() -> None:
    assert {p.parent.name for p in EXAMPLES.glob("*/unit.yaml")} == set(EXPECTED)
    for name in EXPECTED:
        assert (EXAMPLES / name / "README.md").is_file(), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_loads_and_references_known_data(name: str) -> None:
    unit = load_unit(EXAMPLES / name / "unit.yaml")
    assert unit.unit.credit_code and unit.unit.region and unit.unit.region.startswith("河南省")
    pack = load_pack(unit.pack).pack
    lib = bundled_library()
    for s in unit.source_streams:
        assert s.method == "measurement" or s.direction == "out" or s.material in lib.materials, (name, s.id)
    for i in unit.instruments:
        assert pack.instrument_type(i.type) is not None, (name, i.id, i.type)
        assert i.last_confirmed is None or date(2020, 1, 1) <= i.last_confirmed <= AS_OF
    assert unit.management is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings_as_documented(name: str) -> None:
    category, classes, findings = EXPECTED[name]
    result = assess(load_unit(EXAMPLES / name / "unit.yaml"), as_of=AS_OF)
    assert result.installation_category == category
    assert {s.id: s.cls for s in result.streams} == classes
    assert {(f.code, f.subject) for f in result.findings} == findings
    assert result.conclusion == "nonconforming"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_assessable_with_eu_pack(name: str) -> None:
    unit = load_unit(EXAMPLES / name / "unit.yaml")
    result = assess(unit, pack=load_pack("eu-mrr-2018"), as_of=AS_OF)
    assert result.pack_name == "eu-mrr-2018"
    assert {r.level for r in result.rates} <= {1, None}
    # the MRR keeps records 10 years (Art. 67(1)); only the aluminium smelter keeps them that long
    years = unit.management.records_retention_years if unit.management else None
    short = ("DATA-RETENTION", "unit") in {(f.code, f.subject) for f in result.findings}
    assert short == (years is None or years < 10)
