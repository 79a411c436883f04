"""CEMS mass (dry standard conditions, valid hours, conservative substitution), the
measurement stream's emissions from readings, and the out-of-tolerance impact (CAL-OOT)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from tanjiliang.assess.engine import assess
from tanjiliang.cli.app import app
from tanjiliang.data import cems
from tanjiliang.data.oot import oot_findings
from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import scan_many
from tanjiliang.data.synth import cems_minutes, plant_year
from tanjiliang.model.load import load_unit

FIXTURE = Path(__file__).parent / "fixtures" / "plant.yaml"
Y0, Y1 = datetime(2025, 1, 1), datetime(2026, 1, 1)


def _rate(co2=12.0, flow=1.5e6, t=130.0, p=100.5, x=8.0) -> float:
    """t/h by hand: Q_sd = Q·273.15/(273.15+t)·P/101.325·(1−Xsw); C = φ/100·1.964 kg/Nm³."""
    q_sd = flow * 273.15 / (273.15 + t) * p / 101.325 * (1 - x / 100)
    return co2 / 100 * 1.964 * q_sd / 1000


def _constant(hours: int = 48) -> pl.DataFrame:
    minutes = pl.datetime_range(Y0, Y0 + timedelta(hours=hours), "1m", closed="left", eager=True,
                                time_unit="us")
    return pl.DataFrame({"point": "S1", "time": minutes, "co2": 12.0, "flow": 1.5e6,
                         "temperature": 130.0, "pressure": 100.5, "moisture": 8.0})


def test_mass_at_standard_dry_conditions() -> None:
    res = cems.compute(cems.samples_from_wide(_constant().lazy()), Y0, Y0 + timedelta(hours=48))
    assert res.points["valid"][0] == 48
    assert res.total("S1") == pytest.approx(48 * _rate(), rel=1e-12)


def test_mg_per_m3_at_actual_wet_conditions_gives_the_same_mass() -> None:
    # 12 % vol dry → mg/m³ at actual wet conditions: ×1.964e6 × (1 − Xsw) × 273.15/(273.15+t) × P/101.325
    mg = 0.12 * 1.964e6 * (1 - 0.08) * 273.15 / 403.15 * 100.5 / 101.325
    df = _constant().with_columns(pl.lit(mg).alias("co2"))
    res = cems.compute(cems.samples_from_wide(df.lazy(), "mg/m3"), Y0, Y0 + timedelta(hours=48))
    assert res.total("S1") == pytest.approx(48 * _rate(), rel=1e-9)


def test_valid_hour_rule_and_conservative_substitution() -> None:
    df = _constant(72).with_row_index("i")
    hour = (pl.col("time") - Y0).dt.total_minutes() // 60
    minute = (pl.col("time") - Y0).dt.total_minutes() % 60
    flow = (pl.when(hour == 10).then(1.6e6)  # hour 10: higher flow, the neighbour of the gap
            .otherwise(pl.col("flow")))
    df = df.with_columns(flow.alias("flow"))
    keep = ~(((hour >= 11) & (hour <= 13))  # a 3-hour gap → the higher neighbour (hour 10)
             | ((hour == 20) & (minute < 20))  # 40 valid minutes < 45 → invalid hour → neighbour
             | ((hour >= 30) & (hour < 60)))  # 30 hours > 24 → mean + 2σ of the valid hours
    res = cems.compute(cems.samples_from_wide(df.filter(keep).drop("i").lazy()), Y0, Y0 + timedelta(hours=72))
    h = res.hourly.sort("hour")
    src = h["source"].to_list()
    assert src[11:14] == ["neighbour"] * 3 and src[20] == "neighbour" and src[30:60] == ["substitute"] * 30
    base, high = _rate(), _rate(flow=1.6e6)
    assert h["mass_t"][12] == pytest.approx(high)  # max(hour 10, hour 14)
    assert h["mass_t"][20] == pytest.approx(base)
    valid = [high] + [base] * (72 - 1 - 3 - 1 - 30)
    mean = sum(valid) / len(valid)
    sd = math.sqrt(sum((v - mean) ** 2 for v in valid) / (len(valid) - 1))
    assert h["mass_t"][45] == pytest.approx(mean + 2 * sd)
    assert res.points["substitute"][0] == 30 and res.points["neighbour"][0] == 4


def test_measurement_stream_emissions_from_readings(tmp_path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["source_streams"].append({"id": "flue", "name": "1号烟囱CO2", "kind": "combustion",
                                   "method": "measurement", "emission_points": ["S1"],
                                   "emissions": "1 t"})
    for q, t in (("co2", "cems_co2_analyzer"), ("flow", "cems_flow_monitor"),
                 ("pressure", "pressure_transmitter"), ("moisture", "moisture_analyzer")):
        data["instruments"].append({"id": f"C-{q}", "name": q, "type": t, "measures": f"S1.{q}", "at": "S1"})
    p = tmp_path / "u.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    unit = load_unit(p)
    # a year of hourly long-format readings, flow in m³/s (converted to m³/h), temperature via T-01
    hours = pl.datetime_range(Y0, Y1, "1h", closed="left", eager=True, time_unit="us")
    rows = [("C-co2", 12.0, "%"), ("C-flow", 1.5e6 / 3600, "m3/s"), ("T-01", 130.0, "℃"),
            ("C-pressure", 100500.0, "Pa"), ("C-moisture", 8.0, "%")]
    long = pl.concat([pl.DataFrame({"instrument": i, "time": hours, "value": v, "unit": u}) for i, v, u in rows])
    samples, dt = cems.samples_from_readings(long.lazy(), unit)
    assert dt == 3600.0
    res = cems.compute(samples, Y0, Y1, dt)
    assert res.total("S1") == pytest.approx(8760 * _rate(), rel=1e-9)
    filled = cems.with_measured_emissions(unit, res)
    a = assess(filled, None, date(2025, 12, 31))
    assert a.stream("flue").emissions_tco2e == pytest.approx(8760 * _rate(), rel=1e-6)
    cmp = cems.compare_with_calculation(filled, a, res).row(0, named=True)
    assert cmp["streams"] == "coal"  # coal burnt in B1, the equipment behind S1 (share 0.5)
    assert cmp["calculation_t"] == pytest.approx(a.stream("coal").emissions_tco2e * 0.5)


def test_benchmark_shape_cems_minutes() -> None:
    res = cems.compute(cems.samples_from_wide(cems_minutes(2, lazy=True)), Y0, Y1)
    assert res.points["valid"].to_list() == [8760, 8760]
    assert res.points["total_t"][0] == pytest.approx(8760 * _rate(), rel=2e-3)


def test_out_of_tolerance_impact(tmp_path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    for ins in data["instruments"]:
        if ins["id"] == "E-13":
            ins["confirmations"] = [
                {"date": "2025-01-10", "kind": "verification", "result": "pass", "as_found": "+0.1 %"},
                {"date": "2025-08-01", "kind": "verification", "result": "fail", "as_found": "-5 %",
                 "certificate": "豫计2025-0801"}]
    p = tmp_path / "u.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    unit = load_unit(p)
    df, _ = plant_year()
    csv = tmp_path / "r.parquet"
    df.write_parquet(csv)
    q = analyse(scan_many([csv]), unit)
    a = assess(unit, None, date(2025, 12, 31))
    [f] = oot_findings(unit, a, q)
    assert (f.code, f.severity, f.subject) == ("CAL-OOT", "nonconformity", "E-13")
    d = f.data
    assert (d["period_from"], d["period_to"]) == ("2025-01-10", "2025-08-01")
    daily = q.daily.filter((pl.col("instrument") == "E-13") & (pl.col("day") > date(2025, 1, 10))
                           & (pl.col("day") <= date(2025, 8, 1)))
    assert d["readings"] == daily["n"].sum()
    assert d["activity"] == pytest.approx(daily["amount"].sum())
    ef = a.stream("power").emissions_tco2e / 80000  # tCO2e per MWh declared
    assert d["tco2e_carried"] == pytest.approx(ef * d["activity"])
    assert d["tco2e_correction"] == pytest.approx(0.05 * d["tco2e_carried"])  # |−5 %| unfavourably
    assert "tCO₂e" in f.en and not d["estimated"]
    # without readings: pro rata from the declared activity (E-13 feeds one of three consumers)
    [g] = oot_findings(unit, a, None)
    days = (date(2025, 8, 1) - date(2025, 1, 10)).days
    assert g.data["estimated"] and g.data["activity"] == pytest.approx(80000 / 3 * days / 365)


def test_data_check_cli(tmp_path) -> None:
    df, _ = plant_year()
    path = tmp_path / "r.csv"
    df.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).write_csv(path)
    flagged = tmp_path / "flagged.xlsx"
    r = CliRunner().invoke(app, ["data", "check", str(FIXTURE), str(path), "--flagged", str(flagged),
                                 "--format", "json", "--lang", "en", "--as-of", "2025-12-31"])
    assert r.exit_code == 1, r.output
    import json

    out = json.loads(r.output)
    assert out["format"] == "tanjiliang/data-check@1" and out["rows"] == df.height
    codes = {f["code"] for f in out["findings"]}
    assert {"DATA-RECON", "DATA-MISSING", "DATA-QUALITY"} <= codes
    from openpyxl import load_workbook

    assert load_workbook(flagged).active.max_row == 1 + out["flagged_rows"]
    r = CliRunner().invoke(app, ["data", "check", str(FIXTURE), str(path), "--from", "2025-07-01",
                                 "--to", "2025-08-01"])
    assert r.exit_code == 1 and "2025-07-01" in r.output
    bad = CliRunner().invoke(app, ["data", "check", str(FIXTURE), str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2


def test_data_check_fills_measured_emissions_from_cems_readings(tmp_path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["source_streams"].append({"id": "flue", "name": "1号烟囱CO2", "kind": "combustion",
                                   "method": "measurement", "emission_points": ["S1"]})
    for q, t in (("co2", "cems_co2_analyzer"), ("flow", "cems_flow_monitor"),
                 ("pressure", "pressure_transmitter"), ("moisture", "moisture_analyzer")):
        data["instruments"].append({"id": f"C-{q}", "name": q, "type": t, "measures": f"S1.{q}",
                                    "at": "S1", "last_confirmed": "2025-06-01"})
    unit_path = tmp_path / "u.yaml"
    unit_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    hours = pl.datetime_range(Y0, Y1, "1h", closed="left", eager=True, time_unit="us")
    rows = [("C-co2", 12.0, "%"), ("C-flow", 1.5e6, "m3/h"), ("T-01", 130.0, "℃"),
            ("C-pressure", 100.5, "kPa"), ("C-moisture", 8.0, "%")]
    long = pl.concat([pl.DataFrame({"instrument": i, "time": hours, "value": v, "unit": u})
                      for i, v, u in rows])
    # 30 hours of flow missing in May: substituted, marked
    long = long.filter(~((pl.col("instrument") == "C-flow")
                         & pl.col("time").is_between(datetime(2025, 5, 1), datetime(2025, 5, 2, 5, 59))))
    path = tmp_path / "cems.parquet"
    long.write_parquet(path)
    r = CliRunner().invoke(app, ["data", "check", str(unit_path), str(path), "--format", "json",
                                 "--as-of", "2025-12-31"])
    import json

    out = json.loads(r.output)
    [pt] = out["cems"]["points"]
    assert (pt["point"], pt["hours"], pt["substitute"]) == ("S1", 8760, 30)
    assert pt["total_t"] == pytest.approx(8760 * _rate(), rel=1e-6)  # constant data: mean + 2σ = mean
    [cmp] = out["cems"]["comparison"]
    assert cmp["stream"] == "flue" and cmp["cems_t"] == pytest.approx(pt["total_t"])
