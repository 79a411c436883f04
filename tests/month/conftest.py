"""Fixtures of the monthly close tests: the power fixture and a year of its hourly readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanjiliang.model.load import load_unit

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "plant.yaml"


@pytest.fixture(scope="module")
def unit():
    return load_unit(FIXTURE)


@pytest.fixture(scope="module")
def readings(tmp_path_factory) -> Path:
    from tanjiliang.data.synth import plant_year

    df, _ = plant_year(2025)
    path = tmp_path_factory.mktemp("r") / "year.parquet"
    df.write_parquet(path)
    return path
