"""An in-use instrument on an activity point that sent no reading in the period is said
(DATA-MISSING on the instrument), not left out of the tables unsaid: before, a sub-meter with no
readings dropped its reconciliation node and nothing in the report told why."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.data.report import run
from tanjiliang.data.synth import plant_year
from tanjiliang.model.load import load_unit

FIXTURE = Path(__file__).parent / "fixtures" / "plant.yaml"


def _silent(report_findings: list) -> dict[str, object]:
    return {f.subject: f for f in report_findings
            if f.code == "DATA-MISSING" and f.data.get("readings") == 0}


def test_a_sub_meter_without_readings_is_named(tmp_path: Path) -> None:
    df, _ = plant_year()
    path = tmp_path / "r.parquet"
    df.filter(pl.col("instrument") != "W-12").write_parquet(path)
    r = run(load_unit(FIXTURE), [path])
    silent = _silent(r.findings)
    assert list(silent) == ["W-12"]
    f = silent["W-12"]
    assert f.data["points"] == ["coal@G2"]
    text = f.message("zh")
    assert text == "器具 W-12 在 2025-01-01 至 2026-01-01 期间没有读数：入炉烟煤 活动数据（G2）无计量数据支撑"


def test_readings_only_before_the_period_leave_it_silent(tmp_path: Path) -> None:
    df, _ = plant_year()
    path = tmp_path / "r.parquet"
    df.filter((pl.col("instrument") != "W-12") | (pl.col("time") < pl.datetime(2025, 3, 1))).write_parquet(path)
    assert "W-12" not in _silent(run(load_unit(FIXTURE), [path]).findings)  # Jan–Feb in the year
    r = run(load_unit(FIXTURE), [path], start=date(2025, 4, 1), end=date(2025, 5, 1))
    assert "W-12" in _silent(r.findings)


def test_every_meter_reporting_says_nothing_more(tmp_path: Path) -> None:
    df, _ = plant_year()
    path = tmp_path / "r.parquet"
    df.write_parquet(path)
    assert _silent(run(load_unit(FIXTURE), [path]).findings) == {}


def test_a_parameter_instrument_without_readings_is_not_an_activity_gap(tmp_path: Path) -> None:
    df, _ = plant_year()
    path = tmp_path / "r.parquet"
    df.filter(pl.col("instrument") != "T-01").write_parquet(path)  # flue-gas temperature
    assert _silent(run(load_unit(FIXTURE), [path]).findings) == {}


def test_the_cli_exits_1_and_says_it_in_english(tmp_path: Path) -> None:
    df, _ = plant_year()
    path = tmp_path / "r.csv"
    df.filter(pl.col("instrument") != "E-12").write_csv(path)
    r = CliRunner().invoke(app, ["data", "check", str(FIXTURE), str(path), "--format", "json", "--lang", "en"])
    assert r.exit_code == 1, r.output
    [f] = [f for f in json.loads(r.output)["findings"] if f["code"] == "DATA-MISSING" and f["subject"] == "E-12"]
    assert f["message"] == ("instrument E-12 has no readings from 2025-01-01 to 2026-01-01: 外购电力 "
                            "activity data (G2) without metered data")  # the stream's name as written
