"""The measurement method (CEMS) and the out-of-tolerance impact, black-box, against the written
contracts: shared/domain.md §6 (``E[t] = Σ_hours conc[g/Nm³] × flow[Nm³/h] × 10⁻⁶``, actual →
standard dry conditions, % vol → mass by M/22.4, missing hours) and §7 (an instrument out of
tolerance casts doubt on everything since its last good confirmation), shared/spec/unit-file.md
(readings files, ``time`` local unless an offset is given), shared/spec/default-pack.md (records
dated after the as-of date do not exist) and docs/data.md (CEMS, CAL-OOT). Unit files and
readings are written here by hand, the installed command line is run on them, and every figure
is checked against the hand arithmetic in the comments.

Base stack S1 (used unless a test says otherwise): CO2 10 % vol dry, flow 100 000 m³/h at actual
wet conditions, 273.15 °C, 101.325 kPa absolute, moisture Xsw 10 %:

    flow at standard dry conditions  Q_sd = 100 000 × 273.15/(273.15+273.15) × 101.325/101.325 × (1 − 0.10)
                                          = 100 000 × 0.5 × 0.9 = 45 000 Nm³/h
    concentration                    C    = 10 % × 1.964 kg/Nm³ = 0.1964 kg/Nm³ = 196.4 g/Nm³
    hourly mass                      E_h  = 196.4 g/Nm³ × 45 000 Nm³/h × 10⁻⁶ = 8.838 t

Disagreements found (docs/… and the report /work/notes/s7-cems.md): a flow reading in a unit of
another dimension stopped ``data check``/``check`` with a traceback; an emission point without a
flow meter (no valid hour) made the measurement stream's emissions 0 t (the unit dropped out of
scope); without a passing confirmation the affected period "from the first reading" left the
first reading's day out.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from spec_cli import unit
from typer.testing import CliRunner

from tanjiliang.cli.app import app

E_H = 196.4 * 45_000 * 1e-6  # 8.838 t per hour (module docstring)
BASE = {"co2": (10, "%"), "flow": (100_000, "m3/h"), "temperature": (273.15, "degC"),
        "pressure": (101.325, "kPa"), "moisture": (10, "%")}
IDS = {"co2": "C1", "flow": "F1", "temperature": "T1", "pressure": "P1", "moisture": "M1"}
TYPES = {"co2": "cems_co2_analyzer", "flow": "cems_flow_monitor", "temperature": "temperature_transmitter",
         "pressure": "pressure_transmitter", "moisture": "moisture_analyzer"}
T0 = datetime(2025, 1, 1)
USER_DATA = ("规范测试单位", "1号机组", "1号锅炉", "1号烟囱", "烟气CO2", "入炉煤", "皮带秤", "轨道衡")


def stack_unit(quantities: tuple[str, ...] = tuple(IDS), **over: Any) -> dict[str, Any]:
    """Stack S1 at boiler B1 carrying a measurement stream ``flue`` (declared 300 000 t, 4 %)
    and one CEMS instrument per quantity (all confirmed 2025-06-01)."""
    stream = {"id": "flue", "name": "烟气CO2", "kind": "combustion", "method": "measurement",
              "emission_points": ["S1"], "emissions": "300000 t", "uncertainty": "4 %"}
    instruments = [{"id": IDS[q], "name": IDS[q], "type": TYPES[q], "measures": f"S1.{q}", "at": "S1",
                    "last_confirmed": "2025-06-01"} for q in quantities]
    return unit([stream], instruments, emission_points=[{"id": "S1", "name": "1号烟囱", "equipment": "B1"}],
                **over)


def rows(hours: range | list[int], start: datetime = T0, fmt: str = "%Y-%m-%dT%H:%M:%S", step_min: int = 60,
         minutes: range | None = None, **values: tuple[float, str]) -> list[str]:
    """Long rows ``instrument,time,value,unit`` for each hour (and minute) and quantity."""
    vals = {**BASE, **values}
    out = []
    for h in hours:
        for m in (minutes if minutes is not None else range(0, 60, step_min)):
            t = (start + timedelta(hours=h, minutes=m)).strftime(fmt)
            out += [f"{IDS[q]},{t},{v},{u}" for q, (v, u) in vals.items() if q in IDS and v is not None]
    return out


def write(tmp_path: Path, name: str, lines: list[str], header: str = "instrument,time,value,unit") -> str:
    p = tmp_path / name
    p.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return str(p)


def run(tmp_path: Path, data: dict[str, Any], *args: str, cmd: str = "data check",
        lang: str | None = None, fmt: str = "json") -> tuple[int, dict[str, Any] | None, str]:
    f = tmp_path / "plant.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    argv = [*cmd.split(), str(f), *args, "--format", fmt]
    if "--as-of" not in args and cmd != "data cems":
        argv += ["--as-of", "2025-12-31"]
    if lang:
        argv += ["--lang", lang]
    r = CliRunner().invoke(app, argv)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    doc = json.loads(r.stdout) if fmt == "json" and r.exit_code in (0, 1) else None
    return r.exit_code, doc, r.output


def two_days(tmp_path: Path, files: list[str], data: dict[str, Any] | None = None, *args: str
             ) -> tuple[int, dict[str, Any], str]:
    code, doc, out = run(tmp_path, data or stack_unit(), *files, "--from", "2025-01-01", "--to", "2025-01-03", *args)
    assert doc is not None, out
    return code, doc, out


def point(doc: dict[str, Any], p: str = "S1") -> dict[str, Any]:
    return next(r for r in doc["cems"]["points"] if r["point"] == p)


def findings(doc: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in [*doc["findings"], *doc.get("assessment_findings", [])] if f["code"] == code]


# ------------------------------------------------------------------ hourly mass, annual tonnes

def test_hourly_mass_and_period_total(tmp_path):
    # 48 valid hours × 8.838 t = 424.224 t
    f = write(tmp_path, "r.csv", rows(range(48)))
    _, doc, _ = two_days(tmp_path, [f])
    p = point(doc)
    assert (p["hours"], p["valid"], p["neighbour"], p["substitute"]) == (48, 48, 0, 0)
    assert p["total_t"] == pytest.approx(48 * 8.838, rel=1e-9)
    assert p["filled_t"] == 0


def test_annual_tonnes_in_check(tmp_path):
    # check --readings: the year 2025 = 8 760 h; 48 measured at 8.838 t, the other 8 712 are one
    # gap > 24 h → mean + 2σ of the valid hours = 8.838 + 2 × 0 → 8 760 × 8.838 = 77 420.88 t,
    # replacing the declared 300 000 t in the total
    f = write(tmp_path, "r.csv", rows(range(48)))
    code, doc, out = run(tmp_path, stack_unit(), "--readings", f, cmd="check")
    assert doc is not None, out
    assert doc["emissions"]["by_stream"]["flue"] == pytest.approx(77_420.88, abs=0.01)
    assert doc["emissions"]["total_tco2e"] == pytest.approx(77_420.88, abs=0.01)
    assert doc["key_emission_unit"] is True and doc["installation_category"] == "B"
    # TIER-SHORT (4 % declared, tier 4 required) and the stuck readings are observations only
    assert {f["severity"] for f in doc["findings"]} == {"observation"}
    assert (code, doc["conclusion"]) == (0, "conforming")


def test_actual_to_standard_and_wet_to_dry(tmp_path):
    # CO2 12 % dry, flow 1 500 000 m³/h, 130 °C, 100.5 kPa, Xsw 8 %:
    #   Q_sd = 1.5e6 × 273.15/403.15 × 100.5/101.325 × 0.92 = 927 387.7… Nm³/h
    #   C = 0.12 × 1 964 g/Nm³ = 235.68 g/Nm³;  E_h = 235.68 × 927 387.7 × 10⁻⁶ = 218.57 t
    # domain.md writes (273 + ts)/273 (HJ 75's rounding of the 273.15 K it names as the standard
    # state): 0.018 % apart at 130 °C; the product uses 273.15 K throughout (docs/data.md).
    vals = {"co2": (12, "%"), "flow": (1.5e6, "m3/h"), "temperature": (130, "degC"),
            "pressure": (100.5, "kPa"), "moisture": (8, "%")}
    q_sd = 1.5e6 * 273.15 / 403.15 * 100.5 / 101.325 * 0.92
    e_h = 0.12 * 1964 * q_sd * 1e-6
    assert e_h == pytest.approx(218.57, abs=0.01)
    f = write(tmp_path, "r.csv", rows(range(48), **vals))
    _, doc, _ = two_days(tmp_path, [f])
    assert point(doc)["total_t"] == pytest.approx(48 * e_h, rel=1e-9)
    literal = 0.12 * 1964 * 1.5e6 * 273 / 403 * 100.5 / 101.325 * 0.92 * 1e-6
    assert point(doc)["total_t"] == pytest.approx(48 * literal, rel=3e-4)


def test_readings_in_other_units_are_converted(tmp_path):
    # flow 27.777… m³/s = 100 000 m³/h; 546.3 K = 273.15 °C; 101 325 Pa = 101.325 kPa → base
    vals = {"flow": (100_000 / 3600, "m3/s"), "temperature": (546.3, "K"), "pressure": (101_325, "Pa")}
    f = write(tmp_path, "r.csv", rows(range(48), **vals))
    _, doc, _ = two_days(tmp_path, [f])
    assert point(doc)["total_t"] == pytest.approx(48 * E_H, rel=1e-9)


def test_mg_per_m3_at_actual_wet_conditions(tmp_path):
    # 10 % dry at standard conditions = 196 400 mg/Nm³ dry; at actual wet conditions
    #   196 400 × (1 − 0.10) × 273.15/546.3 × 101.325/101.325 = 88 380 mg/m³
    # and back: C_std = 88 380 × 101.325/101.325 × 546.3/273.15 = 176 760; C_dry = 176 760/0.9 = 196 400
    f = write(tmp_path, "r.csv", rows(range(48), co2=(88_380, "mg/m3")))
    _, doc, _ = two_days(tmp_path, [f])
    assert point(doc)["total_t"] == pytest.approx(48 * E_H, rel=1e-9)


def test_percent_volume_to_mass_concentration(tmp_path):
    # at 0 °C, 101.325 kPa, dry (Xsw 0): actual = standard dry; 10 % vol = 0.10 × 1.964 kg/m³
    # = 196 400 mg/m³; flow 100 000 Nm³/h → E_h = 196.4 × 100 000 × 10⁻⁶ = 19.64 t either way
    dry0 = {"temperature": (0, "degC"), "moisture": (0, "%")}
    a = write(tmp_path, "a.csv", rows(range(48), **dry0))
    b = write(tmp_path, "b.csv", rows(range(48), co2=(196_400, "mg/m3"), **dry0))
    for f in (a, b):
        _, doc, _ = two_days(tmp_path, [f])
        assert point(doc)["total_t"] == pytest.approx(48 * 19.64, rel=1e-9)


def test_das_export_hourly_wet_basis(tmp_path):
    # tanjiliang data cems: a DAS export (point, time, co2, flow, temperature, pressure, moisture)
    # of hourly values with a wet-basis analyser: 9 % wet / (1 − 0.10) = 10 % dry → the base
    # 8.838 t/h; read as dry the same 9 % gives 9/10 of it. An hourly value covers its hour (≥ 45
    # min): 24 valid hours, and the rest of the year (8 736 h > 24) mean + 2σ = the same mass:
    # 8 760 × 8.838 = 77 420.88 t. Before: each hourly value counted as one minute, no hour was
    # valid and the point's total was 0 t.
    lines = [f"S1,{(T0 + timedelta(hours=h)):%Y-%m-%d %H:%M:%S},9,100000,273.15,101.325,10" for h in range(24)]
    f = write(tmp_path, "das.csv", lines, header="point,time,co2,flow,temperature,pressure,moisture")
    for basis, per_hour in (("wet", E_H), ("dry", 0.9 * E_H)):
        code, doc, out = run(tmp_path, stack_unit(), f, "--basis", basis, cmd="data cems")
        # exit 1 since probe s9 #6: 8 736 of the year's hours substituted, the share said
        assert code == 1 and doc is not None, out
        assert "8,736 of its 8,760 hours" in doc["notes"][0]["message"] or "8,736 小时" in doc["notes"][0]["message"]
        [p] = doc["points"]
        assert (p["point"], p["valid"], p["substitute"]) == ("S1", 24, 8736)
        assert p["total_t"] == pytest.approx(8760 * per_hour, rel=1e-9)
        assert doc["streams"]["flue"] == pytest.approx(8760 * per_hour, rel=1e-9)


def test_das_export_text_in_both_languages(tmp_path):
    # the table in the command line's language; before, its headers were the JSON keys (point,
    # total_t, …) and the rules' English citations followed in Chinese output too
    lines = [f"S1,{(T0 + timedelta(hours=h)):%Y-%m-%d %H:%M:%S},9,100000,273.15,101.325,10" for h in range(24)]
    f = write(tmp_path, "das.csv", lines, header="point,time,co2,flow,temperature,pressure,moisture")
    code, _, out = run(tmp_path, stack_unit(), f, "--basis", "wet", cmd="data cems", fmt="text")
    assert code == 1 and "77,420.9" in out and "有效小时" in out and "8,736 小时（99.73 %）无有效测量" in out
    assert not re.findall(r"[A-Za-z]{3,}", out.replace("CEMS", "")), out  # Chinese: no English words
    _, _, out = run(tmp_path, stack_unit(), f, cmd="data cems", fmt="text", lang="en")
    assert "valid h" in out and not re.search(r"[\u4e00-\u9fff]", out), out


# ------------------------------------------------------------------ missing hours

def test_gap_up_to_24_hours_takes_the_higher_neighbour(tmp_path):
    # hour 9 at 120 000 m³/h (10.6056 t), hours 10–12 missing (3 h ≤ 24) → each = max(hour 9,
    # hour 13) = 10.6056 t; total = 44 × 8.838 + 10.6056 + 3 × 10.6056 = 431.2944 t
    hi = 1.2 * E_H
    lines = rows([h for h in range(48) if h not in (9, 10, 11, 12)]) + rows([9], flow=(120_000, "m3/h"))
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", lines)])
    p = point(doc)
    assert (p["valid"], p["neighbour"], p["substitute"]) == (45, 3, 0)
    assert p["total_t"] == pytest.approx(44 * E_H + 4 * hi, rel=1e-9)
    assert p["filled_t"] == pytest.approx(3 * hi, rel=1e-9)


def test_gap_over_24_hours_takes_mean_plus_two_sigma(tmp_path):
    # hours 10–34 missing (25 h > 24): mean + 2σ of the 23 valid hours (22 × 8.838 and hour 9 at
    # 1.2 × 8.838), σ the sample standard deviation
    hi = 1.2 * E_H
    lines = rows([h for h in range(48) if not 9 <= h <= 34]) + rows([9], flow=(120_000, "m3/h"))
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", lines)])
    valid = [E_H] * 22 + [hi]
    mean = sum(valid) / 23
    sd = math.sqrt(sum((v - mean) ** 2 for v in valid) / 22)
    p = point(doc)
    assert (p["valid"], p["neighbour"], p["substitute"]) == (23, 0, 25)
    assert p["total_t"] == pytest.approx(sum(valid) + 25 * (mean + 2 * sd), rel=1e-9)


def test_valid_hour_needs_45_minutes(tmp_path):
    # minute samples: hour 0 full (60 min, 10 %), hour 1 only minutes 0–39 (40 < 45 → invalid),
    # hour 2 minutes 0–44 (45 → valid, 11 %): hour 1 = max(hour 0, hour 2) = hour 2 = 1.1 × 8.838;
    # hours 3–47 full minutes at 10 %.
    lines = (rows([0], minutes=range(60)) + rows([1], minutes=range(40))
             + rows([2], minutes=range(45), co2=(11, "%")) + rows(range(3, 48), minutes=range(60)))
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", lines)])
    p = point(doc)
    assert (p["valid"], p["neighbour"]) == (47, 1)
    assert p["total_t"] == pytest.approx(46 * E_H + 2 * 1.1 * E_H, rel=1e-9)


# ------------------------------------------------------------------ boundaries and time

def test_period_boundaries(tmp_path):
    # --from 2025-01-01 --to 2025-01-03: [01-01 00:00, 01-03 00:00). A reading at exactly 00:00 on
    # 01-01 is in (its hour 0), one at exactly 01-03 00:00 or at 12-31 23:00 is not: 50 % CO2
    # there would add 5 × 8.838 t per hour.
    inside = rows(range(48))
    outside = rows([-1, 48], co2=(50, "%"))
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", inside + outside)])
    assert point(doc)["total_t"] == pytest.approx(48 * E_H, rel=1e-9)
    # without hour 0 the first hour is a gap with one neighbour (hour 1) → filled, not measured
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", rows(range(1, 48)))])
    assert (point(doc)["valid"], point(doc)["neighbour"]) == (47, 1)


@pytest.mark.parametrize(("fmt", "shift"), [
    ("%Y-%m-%dT%H:%M:%SZ", -8),           # UTC: 2024-12-31T16:00Z is 2025-01-01 00:00 local
    ("%Y-%m-%dT%H:%M:%S+00:00", -8),
    ("%Y-%m-%dT%H:%M+08:00", 0),
    ("%Y-%m-%d %H:%M:%S", 0),
])
def test_offsets_are_converted_to_local_time(tmp_path, fmt, shift):
    # the same 48 local hours written with offsets: all inside the period; and a 49th hour written
    # at local 2025-01-03 00:00 (in that notation) falls outside it
    start = T0 + timedelta(hours=shift)
    lines = rows(range(48), start=start, fmt=fmt) + rows([48], start=start, fmt=fmt, co2=(50, "%"))
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", lines)])
    assert point(doc)["valid"] == 48
    assert point(doc)["total_t"] == pytest.approx(48 * E_H, rel=1e-9)


def test_no_daylight_saving_in_asia_shanghai(tmp_path):
    # 2025-03-09 (US) and 2025-03-30 / 10-26 (EU) change their clocks; China does not: 24 local
    # hours on each day, each an hour of 8.838 t
    for day in ("2025-03-09", "2025-03-30", "2025-10-26"):
        d0 = datetime.fromisoformat(day)
        f = write(tmp_path, "r.csv", rows(range(24), start=d0, fmt="%Y-%m-%dT%H:%M:%S+08:00"))
        nxt = f"{d0 + timedelta(days=1):%Y-%m-%d}"
        _, doc, out = run(tmp_path, stack_unit(), f, "--from", day, "--to", nxt)
        assert doc is not None, out
        assert (point(doc)["hours"], point(doc)["valid"]) == (24, 24)
        assert point(doc)["total_t"] == pytest.approx(24 * E_H, rel=1e-9)


def test_readings_after_as_of_do_not_change_that_dates_result(tmp_path):
    # as of 2025-01-02, readings of 01-03…01-05 (CO2 20 %) do not exist: data check and check give
    # the same figures with and without them
    base = rows(range(48))
    later = rows(range(48, 120), co2=(20, "%"))
    a = write(tmp_path, "a.csv", base)
    b = write(tmp_path, "b.csv", base + later)
    for cmd, opts in (("data check", []), ("check", ["--readings"])):
        docs = []
        for f in (a, b):
            _, doc, out = run(tmp_path, stack_unit(), *opts, f, "--as-of", "2025-01-02", cmd=cmd)
            assert doc is not None, out
            docs.append(doc)
        if cmd == "data check":
            assert point(docs[0]) == point(docs[1])
            assert (point(docs[0])["valid"], point(docs[0])["substitute"]) == (48, 8712)
            assert point(docs[0])["total_t"] == pytest.approx(8760 * E_H, rel=1e-9)
        else:
            assert docs[0]["emissions"] == docs[1]["emissions"]
            # and the measured total is still the year's (hours after the as-of date are a gap,
            # mean + 2σ), as with --as-of 2025-12-31: 8 760 × 8.838 = 77 420.88 t. Before: 48 h
            # = 424.224 t, and a 300 000 t unit was no key emission unit as of 2 January.
            assert docs[0]["emissions"]["by_stream"]["flue"] == pytest.approx(77_420.88, abs=0.01)
            assert docs[0]["key_emission_unit"] is True


# ------------------------------------------------------------------ bad input on these paths

def test_flow_in_a_unit_of_another_dimension(tmp_path):
    # flow written in t: the readings say the unit cannot be converted (with the count), the flow
    # has no sample, S1 has no valid hour: the declared emissions stand and DATA-MISSING names S1
    # and the flow. Before: a ValueError traceback from the CEMS conversion.
    f = write(tmp_path, "r.csv", rows(range(48), flow=(100, "t")))
    code, doc, out = two_days(tmp_path, [f])
    assert code == 1
    assert any(i["value"] == "t" and "F1" in i["message"] and "48" in i["message"] for i in doc["issues"])
    miss = findings(doc, "DATA-MISSING")
    assert miss and miss[0]["data"]["emission_point"] == "S1" and miss[0]["data"]["missing_quantities"] == ["flow"]
    code, doc, out = run(tmp_path, stack_unit(), "--readings", f, cmd="check")
    assert doc is not None, out
    assert doc["emissions"]["by_stream"]["flue"] == pytest.approx(300_000)


def test_stack_without_flow_meter(tmp_path):
    # no flow instrument: E = Σ conc × flow cannot be computed. Before: 0 t for the stream (the unit
    # fell below 26 000 t, SCOPE-VOLUNTARY); now the declared 300 000 t stand, EQ-RATE names the
    # missing point (4/5) and DATA-MISSING says why the CEMS total is not used.
    data = stack_unit(("co2", "temperature", "pressure", "moisture"))
    f = write(tmp_path, "r.csv", rows(range(48), flow=(None, "")))
    code, doc, out = run(tmp_path, data, "--readings", f, cmd="check")
    assert doc is not None, out
    assert doc["emissions"]["by_stream"]["flue"] == pytest.approx(300_000)
    assert doc["key_emission_unit"] is True
    got = {f["code"] for f in doc["findings"]}
    assert {"EQ-RATE", "DATA-MISSING"} <= got and "SCOPE-VOLUNTARY" not in got
    miss = next(f for f in doc["findings"] if f["code"] == "DATA-MISSING")
    assert miss["subject"] == "flue" and "S1" in miss["message"] and "流量" in miss["message"]
    assert code == 1
    _, en, _ = run(tmp_path, data, "--readings", f, cmd="check", lang="en")
    assert en is not None
    m = next(f for f in en["findings"] if f["code"] == "DATA-MISSING")["message"]
    assert "S1" in m and "flow" in m and not re.search(r"[\u4e00-\u9fff]", m)


def test_negative_concentration(tmp_path):
    # CO2 −10 % at hour 5: flagged negative (DATA-QUALITY), not a sample: hour 5 is filled from its
    # neighbours (8.838 t), never a negative mass
    lines = rows([h for h in range(48) if h != 5]) + rows([5], co2=(-10, "%"))
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", lines)])
    p = point(doc)
    assert (p["valid"], p["neighbour"]) == (47, 1)
    assert p["total_t"] == pytest.approx(48 * E_H, rel=1e-9)
    q = next(f for f in findings(doc, "DATA-QUALITY") if f["subject"] == "C1")
    assert q["data"]["negative"] == 1


def test_missing_columns_are_named(tmp_path):
    # a long file without its time column: exit 2, the file and the missing column named
    f = write(tmp_path, "r.csv", [",".join(r.split(",")[i] for i in (0, 2, 3)) for r in rows(range(2))],
              header="instrument,value,unit")
    code, _, out = run(tmp_path, stack_unit(), f, fmt="text", lang="en")
    assert code == 2 and "r.csv" in out and "time" in out and "Traceback" not in out
    code, _, out = run(tmp_path, stack_unit(), "--readings", f, cmd="check", fmt="text")
    assert code == 2 and "r.csv" in out and "时间" in out


def test_a_long_file_without_its_value_column_is_refused(tmp_path):
    # unit-file.md: long format instrument, time, value[, unit][, kind]. Before: read as a wide
    # file ("instrument", "unit" not ledger ids, not analysed), no readings, exit 0.
    f = write(tmp_path, "r.csv", [",".join(r.split(",")[i] for i in (0, 1, 3)) for r in rows(range(2))],
              header="instrument,time,unit")
    code, _, out = run(tmp_path, stack_unit(), f, fmt="text", lang="en")
    assert code == 2 and "r.csv:1" in out and "value column" in out, out
    code, _, out = run(tmp_path, stack_unit(), "--readings", f, cmd="check", fmt="text")
    assert code == 2 and "r.csv:1" in out and "数值列" in out, out


def test_bad_value_and_bad_time_are_flagged_with_file_and_row(tmp_path):
    # row 2 not a number, row 7 not a date: flagged with file and row (--flagged), never dropped
    # silently; the hours they leave are filled from their neighbours
    lines = rows(range(48))
    lines[0] = "C1,2025-01-01T00:00:00,abc,%"
    lines[5] = "C1,2025-13-45T00:00:00,10,%"
    flagged = tmp_path / "flagged.csv"
    _, doc, _ = two_days(tmp_path, [write(tmp_path, "r.csv", lines)], None, "--flagged", str(flagged),
                         "--lang", "en")
    got = {(Path(r[0]).name, *r[1:3], r[6], r[7]) for r in
           (x.split(",") for x in flagged.read_text(encoding="utf-8").splitlines()[1:])}
    assert {("r.csv", "2", "C1", "unreadable value", "abc"),
            ("r.csv", "7", "C1", "unreadable time", "2025-13-45T00:00:00")} <= got, got
    assert (point(doc)["valid"], point(doc)["neighbour"]) == (46, 2)
    assert point(doc)["total_t"] == pytest.approx(48 * E_H, rel=1e-9)


# ------------------------------------------------------------------ out-of-tolerance impact

def belt_unit(confirmations: list[dict[str, Any]], **ins: Any) -> dict[str, Any]:
    """Coal 36 500 t at 2 t/t (73 000 tCO2e) burnt in B1; a rail scale at the boundary; belt scale
    W-11 (class 0.5) at B1 with the given confirmation records."""
    coal = {"id": "coal", "name": "入炉煤", "kind": "combustion", "material": "bituminous_coal",
            "activity": "36500 t", "parameters": {"emission_factor": "2 t/t"}, "consumers": ["B1"]}
    belt = {"id": "W-11", "name": "皮带秤", "type": "belt_scale", "measures": "coal", "at": "B1",
            "accuracy": "0.5", "confirmation": "calibration", "last_confirmed": "2025-01-10",
            "confirmations": confirmations, **ins}
    rail = {"id": "W-01", "name": "轨道衡", "type": "rail_scale", "measures": "coal", "at": "boundary",
            "accuracy": "0.1", "last_confirmed": "2025-03-01"}
    return unit([coal], [rail, belt])


PASS = {"date": "2025-01-10", "kind": "calibration", "result": "pass", "as_found": "+0.1 %"}
FAIL = {"date": "2025-07-01", "kind": "calibration", "result": "fail", "as_found": "-1.2 %",
        "certificate": "校准2025-0701"}


def daily_belt(tmp_path: Path) -> str:
    """100 t a day (amount at noon) on every day of 2025: 36 500 t."""
    days = [T0 + timedelta(days=i) for i in range(365)]
    return write(tmp_path, "belt.csv", [f"W-11,{d:%Y-%m-%d}T12:00:00,100,t,amount" for d in days],
                 header="instrument,time,value,unit,kind")


def oot(doc: dict[str, Any]) -> dict[str, Any]:
    [f] = [f for f in doc["findings"] if f["code"] == "CAL-OOT"]
    return f


def test_affected_period_from_the_last_passing_confirmation(tmp_path):
    # last pass 2025-01-10, fail 2025-07-01: the days after 01-10 up to 07-01 =
    # 21 + 28 + 31 + 30 + 31 + 30 + 1 = 172 readings × 100 t = 17 200 t × 2 t/t = 34 400 tCO2e;
    # correction |−1.2 %| × 34 400 = +412.8 tCO2e
    code, doc, out = run(tmp_path, belt_unit([PASS, FAIL]), "--readings", daily_belt(tmp_path), cmd="check")
    assert doc is not None and code == 1, out
    f = oot(doc)
    assert (f["severity"], f["subject"], f["clause"]) == ("nonconformity", "W-11", "HN 6.3 碳计量器具管理")
    d = f["data"]
    assert (d["period_from"], d["period_to"], d["readings"]) == ("2025-01-10", "2025-07-01", 172)
    assert (d["activity"], d["tco2e_carried"]) == (pytest.approx(17_200), pytest.approx(34_400))
    assert d["tco2e_correction"] == pytest.approx(412.8)
    assert (d["as_found_percent"], d["mpe_percent"], d["estimated"]) == (-1.2, 0.5, False)
    assert "412.8" in f["message"] and "2025-01-10 至 2025-07-01" in f["message"]
    assert doc["conclusion"] == "nonconforming"


def test_affected_period_without_a_passing_confirmation_starts_at_the_first_reading(tmp_path):
    # no passing record: from the first reading (2025-01-01, its own day included) to 07-01 =
    # 31 + 28 + 31 + 30 + 31 + 30 + 1 = 182 readings = 18 200 t = 36 400 tCO2e; +1.2 % = +436.8.
    # Before: 181 readings (the first reading's day was left out).
    code, doc, out = run(tmp_path, belt_unit([FAIL]), "--readings", daily_belt(tmp_path), cmd="check")
    assert doc is not None and code == 1, out
    d = oot(doc)["data"]
    assert (d["period_from"], d["readings"]) == ("2025-01-01", 182)
    assert (d["activity"], d["tco2e_correction"]) == (pytest.approx(18_200), pytest.approx(436.8))


def test_affected_period_without_readings_is_estimated_pro_rata(tmp_path):
    # no readings: 36 500 t × share under B1 (1) × 172/365 days = 17 200 t; the same tonnes, said
    # to be an estimate
    code, doc, out = run(tmp_path, belt_unit([PASS, FAIL]), cmd="check")
    assert doc is not None and code == 1 and doc["conclusion"] == "nonconforming", out
    d = oot(doc)["data"]
    assert d["estimated"] is True
    assert (d["activity"], d["tco2e_correction"]) == (pytest.approx(17_200), pytest.approx(412.8))


@pytest.mark.parametrize(("rec", "fails", "correction"), [
    ({"result": "pass", "as_found": "+0.8 %"}, True, 0.008 * 34_400),   # |0.8| > MPE 0.5: fails
    ({"result": "pass", "as_found": "+0.5 %"}, False, None),            # = MPE: conforming
    ({"result": "fail", "as_found": "-0.3 %"}, True, 0.003 * 34_400),   # said to fail: fails
])
def test_what_fails(tmp_path, rec, fails, correction):
    code, doc, out = run(tmp_path, belt_unit([PASS, {**FAIL, **rec}]), "--readings", daily_belt(tmp_path),
                         cmd="check")
    assert doc is not None and code == (1 if fails else 0), out
    got = [f for f in doc["findings"] if f["code"] == "CAL-OOT"]
    assert bool(got) is fails
    if fails:
        assert got[0]["data"]["tco2e_correction"] == pytest.approx(correction)


def test_a_failure_after_the_as_of_date_does_not_exist_yet(tmp_path):
    # as of 2025-06-30 the 07-01 failure is not on record: no CAL-OOT; readings after 06-30 are
    # ignored too (data check: 181 days × 100 t = 18 100 t metered)
    f = daily_belt(tmp_path)
    code, doc, out = run(tmp_path, belt_unit([PASS, FAIL]), "--readings", f, "--as-of", "2025-06-30", cmd="check")
    assert doc is not None and code == 0 and not [x for x in doc["findings"] if x["code"] == "CAL-OOT"], out
    _, doc, out = run(tmp_path, belt_unit([PASS, FAIL]), f, "--as-of", "2025-06-30")
    assert doc is not None and not findings(doc, "CAL-OOT"), out
    assert doc["streams"][0]["metered"] == pytest.approx(18_100)


def test_cems_instrument_out_of_tolerance_carries_the_stream_pro_rata(tmp_path):
    # CO2 analyser C1: pass 2025-01-01, fail 2025-04-02 (as found +3 %): 91 days of the declared
    # 300 000 t = 74 794.52 t carried, +3 % = +2 243.84 tCO2e (an estimate: docs/data.md)
    data = stack_unit()
    data["instruments"][0]["confirmations"] = [
        {"date": "2025-01-01", "kind": "calibration", "result": "pass"},
        {"date": "2025-04-02", "kind": "calibration", "result": "fail", "as_found": "+3 %"}]
    code, doc, out = run(tmp_path, data, cmd="check")
    assert doc is not None and code == 1, out
    d = oot(doc)["data"]
    assert (d["stream"], d["period_from"], d["period_to"]) == ("flue", "2025-01-01", "2025-04-02")
    assert d["tco2e_carried"] == pytest.approx(300_000 * 91 / 365)
    assert d["tco2e_correction"] == pytest.approx(300_000 * 91 / 365 * 0.03)


# ------------------------------------------------------------------ both languages

HAN = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _without_user_data(text: str) -> str:
    for name in USER_DATA:
        text = text.replace(name, "")
    return text


def _language_case(tmp_path, case):
    """(unit data, readings files) of the language tests: a stack, a belt scale that failed its
    confirmation, a stack without its flow meter."""
    if case == "oot":
        return belt_unit([PASS, FAIL]), [daily_belt(tmp_path)]
    if case == "cems":
        return stack_unit(), [write(tmp_path, "r.csv", rows(range(48)))]
    return (stack_unit(("co2", "temperature", "pressure", "moisture")),
            [write(tmp_path, "r.csv", rows(range(48), flow=(None, "")))])


@pytest.mark.parametrize("case", ["cems", "oot", "no_flow"])
def test_english_output_has_no_chinese_but_user_data(tmp_path, case):
    data, files = _language_case(tmp_path, case)
    for cmd, opts in (("data check", files), ("check", [x for f in files for x in ("--readings", f)])):
        for fmt in ("text", "json"):
            _, doc, out = run(tmp_path, data, *opts, cmd=cmd, lang="en", fmt=fmt)
            text = out if fmt == "text" else json.dumps(
                [f.get("message") for f in [*doc["findings"], *doc.get("assessment_findings", [])]],
                ensure_ascii=False)
            assert not HAN.search(_without_user_data(text)), HAN.findall(_without_user_data(text))


ALLOWED_LATIN = re.compile(r"^(?:[A-Z]+(?:-[A-Z]+)+|[A-Z]{1,2}-?\d*|CO|CEMS|HN|tCO|t|kPa|Nm|m|h|kg|mg|"
                           r"csv|flue|coal|henan-|draft|amount|reading|[a-z]?\d.*)$")


@pytest.mark.parametrize("case", ["cems", "oot", "no_flow"])
def test_chinese_output_has_no_english_words(tmp_path, case):
    data, files = _language_case(tmp_path, case)
    for cmd, opts in (("data check", files), ("check", [x for f in files for x in ("--readings", f)])):
        _, _, out = run(tmp_path, data, *opts, cmd=cmd, fmt="text")
        text = re.sub(r"[\w.-]+\.csv|\d{4}\.\d+-r\d+", "", out)  # file names; the pack's version
        words = {w for w in re.findall(r"[A-Za-z][A-Za-z_\-]*", text.replace("tCO₂e", "tCO2"))
                 if not ALLOWED_LATIN.match(w)}
        assert not words, words


def test_data_check_text_shows_unit_symbols(tmp_path):
    # the quality table's unit column: %, m³/h, °C, kPa — before, pint's names (percent, m**3/h,
    # degC) in either language; and no empty "（）" where no calculated stream sits behind S1
    f = write(tmp_path, "r.csv", rows(range(48)))
    for lang in ("zh", "en"):
        _, _, out = run(tmp_path, stack_unit(), f, "--from", "2025-01-01", "--to", "2025-01-03", fmt="text", lang=lang)
        assert "m³/h" in out and "°C" in out and "kPa" in out, out
        assert "percent" not in out and "m**3" not in out and "degC" not in out and "（）" not in out and "()" not in out
