"""The generated province (docs/review.md "Province"): deterministic, valid unit files,
both conclusions present."""

from __future__ import annotations

import json
from pathlib import Path

from tanjiliang.model.load import load_unit
from tanjiliang.model.uscc import uscc_problem
from tanjiliang.province.generate import (
    CITIES,
    generate_unit,
    read_manifest,
    unit_key,
    write_province,
)


def test_province_same_seed_same_unit():
    assert generate_unit(7, 3, 2025) == generate_unit(7, 3, 2025)
    assert generate_unit(7, 3, 2025) != generate_unit(8, 3, 2025)
    # identity stays across years, the data does not
    a, b = generate_unit(7, 3, 2024), generate_unit(7, 3, 2025)
    assert a["unit"]["credit_code"] == b["unit"]["credit_code"]
    assert a["instruments"] != b["instruments"]


def test_province_units_are_valid_unit_files_with_the_requested_ledger_size():
    for i in range(5):
        data = generate_unit(2025, i, 2025, instruments=120)
        unit = load_unit("gen.json", json.dumps(data, ensure_ascii=False))
        assert len(unit.instruments) == 120
        assert uscc_problem(unit.unit.credit_code or "") is None
        assert unit.unit.region and unit.unit.region.removeprefix("河南省") in {c for c, _ in CITIES}


def test_province_unit_key_spreads_over_cities_and_sectors():
    keys = [unit_key(2025, i) for i in range(300)]
    assert len({k.city for k in keys}) >= 15
    assert len({k.sector for k in keys}) == 8
    assert len({k.credit_code for k in keys}) == 300


def test_province_written_with_manifest(tmp_path: Path):
    m = write_province(tmp_path, seed=1, units=3, instruments=40, years=(2024, 2025))
    assert read_manifest(tmp_path) == m
    assert len(list((tmp_path / "units").rglob("*.json.gz"))) == 6
