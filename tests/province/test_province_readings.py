"""Readings checks over many units (issue 16 §3): the same rows in one process, on a local
pool and on a local Dask cluster, from a readings store."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from tanjiliang.data.store import ReadingsStore
from tanjiliang.data.synth import plant_year
from tanjiliang.model.load import load_unit
from tanjiliang.province.readings import check_units, unit_key

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "plant.yaml"


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> tuple[Path, Path]:
    """Three units (the data fixture under three names), each with its readings in the store;
    the third has none (a "no data" row, not an error)."""
    root = tmp_path_factory.mktemp("units")
    store = tmp_path_factory.mktemp("store")
    text = FIXTURE.read_text(encoding="utf-8")
    df, _ = plant_year(2025)
    spring = df.filter(pl.col("time").dt.month() <= 4)
    for k in range(3):
        path = root / f"unit{k}.yaml"
        path.write_text(text.replace("数据测试热电厂", f"数据测试热电厂{k}"), encoding="utf-8")
        if k < 2:
            src = root.parent / f"r{k}.parquet"
            (spring if k == 0 else df).write_parquet(src)
            ReadingsStore(store).import_file(unit_key(load_unit(path)), src)
    return root, store


def test_same_rows_in_process_pool_and_cluster(province) -> None:
    root, store = province
    paths = sorted(root.glob("*.yaml"))
    one = check_units(paths, str(store), workers=1)
    assert one.height == 3 and one["error"].is_null().all()
    assert one["readings"].to_list()[2] == 0  # no readings: a row with none, not an error
    assert one["readings"].to_list()[1] > one["readings"].to_list()[0]
    assert_frame_equal(check_units(paths, str(store), workers=2), one)
    assert_frame_equal(check_units(paths, str(store), cluster="local:2"), one)


def test_cli_province_readings(province, tmp_path) -> None:
    from tanjiliang.cli.app import app

    root, store = province
    out = tmp_path / "rows.parquet"
    r = CliRunner().invoke(app, ["province", "readings", str(root), "--store", str(store),
                                 "--workers", "1", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "已检查 3 个单位" in r.output
    assert pl.read_parquet(out).height == 3
