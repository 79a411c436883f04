"""The readings store (issue 16 §2): a partitioned Parquet dataset (unit / year / month) on
local disk and on S3-compatible object storage (moto's server), read by the checks with the
same answers as the source file; re-importing a file is idempotent."""

from __future__ import annotations

import socket
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tanjiliang.data.report import run
from tanjiliang.data.store import ReadingsStore
from tanjiliang.data.synth import plant_year
from tanjiliang.model.load import load_unit

FIXTURE = Path(__file__).parent / "fixtures" / "plant.yaml"


@pytest.fixture(scope="module")
def unit():
    return load_unit(FIXTURE)


@pytest.fixture(scope="module")
def csv(tmp_path_factory) -> Path:
    df, _ = plant_year(2025)
    path = tmp_path_factory.mktemp("src") / "plant.csv"
    df.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).write_csv(path)
    return path


@pytest.fixture(scope="module")
def from_file(unit, csv):
    return run(unit, [csv])


def _same(a, b) -> None:
    for name in ("summary", "monthly", "flagged", "gaps"):
        assert_frame_equal(getattr(a.quality, name), getattr(b.quality, name), check_exact=False)
    assert_frame_equal(a.stream_monthly, b.stream_monthly, check_exact=False)
    assert_frame_equal(a.streams, b.streams, check_exact=False)
    assert_frame_equal(a.reconciliation, b.reconciliation, check_exact=False)
    assert [f.code for f in a.findings] == [f.code for f in b.findings]


def test_store_gives_the_answers_of_the_file(unit, csv, from_file, tmp_path) -> None:
    store = ReadingsStore(tmp_path / "store")
    res = store.import_files("91410100MA44ABCD1F", [csv], {i.id for i in unit.instruments})
    # the year's hourly readings and the closing register at 2026-01-01 00:00
    assert res.months == [(2025, m) for m in range(1, 13)] + [(2026, 1)]
    assert store.months("91410100MA44ABCD1F") == res.months
    objects = sorted(p.relative_to(tmp_path / "store").as_posix()
                     for p in (tmp_path / "store").rglob("*.parquet"))
    assert objects[0].startswith("unit=91410100MA44ABCD1F/year=2025/month=01/")
    first = pl.read_parquet(tmp_path / "store" / objects[0])
    assert first.equals(first.sort("instrument", "time", "row"))  # sorted within each object
    _same(run(unit, store.source("91410100MA44ABCD1F")), from_file)


def test_reimport_is_idempotent(unit, csv, tmp_path) -> None:
    store = ReadingsStore(tmp_path / "store")
    a = store.import_files("U1", [csv])
    before = {p: p.read_bytes() for p in (tmp_path / "store").rglob("*.parquet")}
    b = store.import_files("U1", [csv])
    after = {p: p.read_bytes() for p in (tmp_path / "store").rglob("*.parquet")}
    assert a.objects == b.objects and before == after
    assert not list((tmp_path / "store").rglob("*.tmp"))


def test_a_month_is_read_alone(unit, csv, tmp_path) -> None:
    from datetime import datetime

    store = ReadingsStore(tmp_path / "store")
    store.import_files("U1", [csv])
    march = store.readings("U1", datetime(2025, 3, 1), datetime(2025, 4, 1)).frame.collect()
    assert march["time"].min() >= datetime(2025, 3, 1)
    assert march["time"].max() < datetime(2025, 4, 1)
    assert march.height > 0
    assert store.readings("U2").frame.collect().height == 0  # an unknown unit: no data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_store_on_s3_compatible_object_storage(unit, csv, from_file) -> None:
    """The same store on S3 (moto's server on the loopback interface)."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        creds = {"aws_access_key_id": "test", "aws_secret_access_key": "test",
                 "region_name": "us-east-1"}
        boto3.client("s3", endpoint_url=endpoint, **creds).create_bucket(Bucket="readings")
        options = {"key": "test", "secret": "test",
                   "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"}}
        store = ReadingsStore("s3://readings/henan", options)
        store.import_files("U1", [csv])
        store.import_files("U1", [csv])  # idempotent on object storage too
        assert store.months("U1")[0] == (2025, 1)
        _same(run(unit, store.source("U1")), from_file)
    finally:
        server.stop()


def test_cli_import_then_check_from_the_store(csv, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from tanjiliang.cli.app import app

    r = CliRunner().invoke(app, ["data", "import", str(FIXTURE), str(csv), "--store",
                                 str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    assert "已写入" in r.output and "2025-03" in r.output
    r = CliRunner().invoke(app, ["data", "check", str(FIXTURE), "--store", str(tmp_path / "s"),
                                 "--from", "2025-03-01", "--to", "2025-04-01", "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    out = json.loads(r.stdout)
    assert out["period"]["from"] == "2025-03-01T00:00:00"
    r = CliRunner().invoke(app, ["data", "check", str(FIXTURE)])
    assert r.exit_code == 2
