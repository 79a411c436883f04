"""Issue 14 from the outside: ``tanjiliang month close|status|verify|export`` and ``tanjiliang
kpi`` run on a power unit, readings and laboratory results written by hand, every expected
number computed by hand (arithmetic in the comments). Rules: docs/month.md, the default pack's
``monthly`` section (deadline 40 days after the month's end, substitution factor 1.10,
completeness ≥ 90 %)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tanjiliang.cli.app import app

MANAGEMENT = {
    "procedures": [{"title": k, "kind": k, "issued": "2024-01-15"} for k in (
        "metering_management", "instrument_management", "data_management", "personnel_training")],
    "personnel": [{"name": "张工", "role": "碳计量负责人"}],
    "records_retention_years": 5,
}

POWER = {
    "format": "tanjiliang/unit@1",
    "unit": {"name": "验收电厂", "sector": "power", "year": 2025},
    "subunits": [{"id": "G1", "name": "1号机组"}],
    "equipment": [{"id": "B1", "name": "1号锅炉", "subunit": "G1"}],
    "source_streams": [
        # 20 GJ/t × 0.026 tC/GJ × 0.99 × 44/12 = 1.8876 tCO2 per t of coal
        {"id": "coal", "name": "入炉煤", "kind": "combustion", "material": "bituminous_coal",
         "activity": "36500 t",
         "parameters": {"ncv": "20 GJ/t", "carbon_content": "0.026 tC/GJ", "oxidation_rate": 0.99},
         "consumers": ["B1"]},
        # grid factor 0.5703 t/MWh (default pack's library)
        {"id": "grid", "name": "外购电", "kind": "electricity", "material": "grid_electricity",
         "activity": "3650 MWh", "consumers": ["G1"]},
        {"id": "eout", "name": "上网电量", "kind": "electricity", "direction": "out",
         "activity": "365000 MWh", "consumers": ["G1"]},
        {"id": "hout", "name": "供热", "kind": "heat", "direction": "out", "activity": "36500 GJ",
         "consumers": ["G1"]},
    ],
    "instruments": [
        {"id": "W1", "name": "入厂煤汽车衡", "type": "truck_scale", "measures": "coal", "at": "boundary",
         "accuracy": "III", "verification_interval": "20 kg", "max_capacity": "100 t",
         "usual_load": "60 t", "last_confirmed": "2025-01-10"},
        {"id": "E1", "name": "外购电表", "type": "electricity_meter", "measures": "grid", "at": "boundary",
         "accuracy": "0.2S", "last_confirmed": "2025-01-10"},
        {"id": "E2", "name": "上网关口表", "type": "electricity_meter", "measures": "eout",
         "at": "boundary", "accuracy": "0.2S", "last_confirmed": "2025-01-10"},
        {"id": "H1", "name": "供热表", "type": "heat_meter", "measures": "hout", "at": "boundary",
         "accuracy": "2", "last_confirmed": "2025-01-10"},
    ],
    "management": MANAGEMENT,
}

LAB = """stream,parameter,value,unit,month,batch,quantity,laboratory,method,accreditation,certificate,report,report_file
coal,ncv,21,GJ/t,2025-03,B1,1000,河南煤质检测中心,GB/T 213-2008,CNAS,CNAS L1234,R-001,r1.pdf
coal,ncv,24,GJ/t,2025-03,B2,3000,河南煤质检测中心,GB/T 213-2008,CNAS,CNAS L1234,R-002,r2.pdf
coal,carbon_content,55,%,2025-03,B1,1000,河南煤质检测中心,GB/T 476-2008,CNAS,CNAS L1234,R-001,r1.pdf
coal,carbon_content,59,%,2025-03,B2,3000,河南煤质检测中心,GB/T 476-2008,CNAS,CNAS L1234,R-002,r2.pdf
"""


def run(*argv: str) -> Any:
    return CliRunner().invoke(app, [str(a) for a in argv])


def readings(path: Path, year: int, month: int, days: int, coal: float, skip: tuple[int, ...] = ()) -> Path:
    """One daily amount per instrument: coal ``coal`` t (none on the days in ``skip``), 10 MWh
    bought, 1 000 MWh sent out, 100 GJ of heat sent out."""
    rows = ["instrument,time,value,unit,kind"]
    for i in range(days):
        d = dt.date(year, month, 1) + dt.timedelta(days=i)
        if i + 1 not in skip:
            rows.append(f"W1,{d}T00:00,{coal},t,amount")
        rows += [f"E1,{d}T00:00,10,MWh,amount", f"E2,{d}T00:00,1000,MWh,amount",
                 f"H1,{d}T00:00,100,GJ,amount"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def plant(tmp_path: Path) -> Path:
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(POWER, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    readings(tmp_path / "r03.csv", 2025, 3, 31, 100, skip=(11, 12, 13))
    readings(tmp_path / "r04.csv", 2025, 4, 30, 200)
    (tmp_path / "lab.csv").write_text(LAB, encoding="utf-8")
    (tmp_path / "r1.pdf").write_bytes(b"%PDF-1.4 report one")
    (tmp_path / "r2.pdf").write_bytes(b"%PDF-1.4 report two")
    return tmp_path


def record(folder: Path, name: str) -> dict[str, Any]:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def close(t: Path, month: str, csv: str, filed: str, *extra: str) -> Any:
    return run("month", "close", t / "p.yaml", t / csv, "--month", month, "--records", t / "rec",
               "--filed-at", filed, *extra)


def test_a_month_with_missing_readings_is_substituted_conservatively(plant):
    r = close(plant, "2025-03", "r03.csv", "2025-04-20")
    assert r.exit_code == 0, r.output
    d = record(plant / "rec", "2025-03.v1.json")
    coal = next(s for s in d["streams"] if s["id"] == "coal")
    # 28 daily weighings of 100 t = 2 800 t; 3 days missing, pro rata 3 × 100 = 300 t,
    # substituted × 1.10 = 330 t → activity 3 130 t
    assert (coal["metered"], coal["missing"], coal["substituted"], coal["activity"]) == (2800, 300, 330, 3130)
    # 3 130 t × 1.8876 = 5 908.188 t; bought electricity 31 × 10 = 310 MWh × 0.5703 = 176.793 t
    assert coal["emissions_tco2e"] == pytest.approx(5908.188)
    assert d["emissions_tco2e"] == pytest.approx(5908.188 + 176.793)
    # March ends on the 31st; + 40 days = 10 May; filed 20 April: in time
    assert (d["deadline"], d["late"], d["version"]) == ("2025-05-10", False, 1)


def test_late_by_the_pack_deadline_and_on_the_deadline_day_in_time(plant):
    # April ends on the 30th; + 40 days = 9 June
    r = close(plant, "2025-04", "r04.csv", "2025-06-09")
    assert r.exit_code == 0, r.output
    assert record(plant / "rec", "2025-04.v1.json")["late"] is False
    r = close(plant, "2025-04", "r04.csv", "2025-06-10", "--reason", "重新提交")
    assert r.exit_code == 0, r.output
    v2 = record(plant / "rec", "2025-04.v2.json")
    assert (v2["deadline"], v2["late"]) == ("2025-06-09", True)
    # 30 × 200 = 6 000 t × 1.8876 = 11 325.6 t + 300 MWh × 0.5703 = 171.09 t
    assert v2["emissions_tco2e"] == pytest.approx(11496.69)


def test_correction_is_a_new_version_and_both_stay_readable(plant):
    assert close(plant, "2025-03", "r03.csv", "2025-04-20").exit_code == 0
    r = close(plant, "2025-03", "r03.csv", "2025-05-20", "--lab", plant / "lab.csv")
    assert r.exit_code == 2 and "原因" in r.output  # a correction needs a reason
    r = close(plant, "2025-03", "r03.csv", "2025-05-20", "--lab", plant / "lab.csv",
              "--reason", "化验结果补录")
    assert r.exit_code == 0, r.output
    v1 = record(plant / "rec", "2025-03.v1.json")
    v2 = record(plant / "rec", "2025-03.v2.json")
    assert v1["emissions_tco2e"] == pytest.approx(6084.981)  # unchanged, still readable
    assert (v2["version"], v2["reason"], v2["previous_sha256"]) == (2, "化验结果补录", v1["sha256"])
    # batch-weighted: NCV (21 × 1 000 + 24 × 3 000) / 4 000 = 23.25 GJ/t;
    # C (55 × 1 000 + 59 × 3 000) / 4 000 = 58 %; by mass, so E = 3 130 × 0.58 × 0.99 × 44/12
    # = 6 589.902 t; + 176.793 t of electricity = 6 766.695 t
    assert v2["emissions_tco2e"] == pytest.approx(6766.695)


def test_status_year_total_is_the_sum_of_filed_months_and_a_late_correction_keeps_an_in_time_month(plant):
    assert close(plant, "2025-03", "r03.csv", "2025-04-20").exit_code == 0
    assert close(plant, "2025-03", "r03.csv", "2025-05-20", "--lab", plant / "lab.csv",
                 "--reason", "化验结果补录").exit_code == 0
    assert close(plant, "2025-04", "r04.csv", "2025-06-15").exit_code == 0
    r = run("month", "status", plant / "p.yaml", "--records", plant / "rec", "--today", "2025-12-31",
            "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    cards = {c["month"]: c for c in d["months"]}
    # latest versions: March v2 6 766.695 + April v1 11 496.69 = 18 263.385
    assert d["filed_total_tco2e"] == pytest.approx(18263.385)
    assert (cards["2025-03"]["status"], cards["2025-03"]["version"]) == ("corrected", 2)
    # March was first filed on 20 April (deadline 10 May): filed in time, though corrected
    # after the deadline (before: the correction's lateness made the month 逾期提交)
    assert cards["2025-03"]["late"] is False
    assert (cards["2025-04"]["status"], cards["2025-04"]["late"]) == ("filed", True)
    # on 31 Dec: May's deadline (9 July) passed → 逾期; November's is 9 January → 待提交;
    # December has not ended → 未开始
    assert [cards[m]["status"] for m in ("2025-05", "2025-11", "2025-12")] == [
        "overdue", "to_file", "not_started"]
    # annual assessment: 36 500 t × 1.8876 = 68 897.4 + 3 650 MWh × 0.5703 = 2 081.595
    assert d["annual_assessment_tco2e"] == pytest.approx(70978.995)


def test_power_workbook_items_and_evidence_bundle(plant):
    assert close(plant, "2025-03", "r03.csv", "2025-04-20", "--lab", plant / "lab.csv").exit_code == 0
    assert close(plant, "2025-04", "r04.csv", "2025-06-15").exit_code == 0
    r = run("month", "export", plant / "p.yaml", "--records", plant / "rec",
            "-o", plant / "out.xlsx", "--bundle", plant / "b.zip")
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    rows = list(load_workbook(plant / "out.xlsx").active.iter_rows(values_only=True))
    head = [str(h) for h in rows[0]]
    col = {h.split()[0]: i for i, h in enumerate(head)}
    # each activity item names its unit
    assert [h for h in head if h.split()[0] in ("燃煤消耗量", "购入电量", "供电量", "供热量")] == [
        "燃煤消耗量 t", "购入电量 MWh", "供电量 MWh", "供热量 GJ"]
    march = rows[1]
    assert march[0] == "2025-03"
    assert march[col["燃煤消耗量"]] == pytest.approx(3130)
    assert march[col["购入电量"]] == pytest.approx(310)
    assert march[col["供电量"]] == pytest.approx(31 * 1000)
    assert march[col["供热量"]] == pytest.approx(31 * 100)
    assert march[col["低位发热量"]] == pytest.approx(23.25)
    assert march[col["元素碳含量"]] == pytest.approx(58)
    assert rows[2][col["低位发热量"]] is None  # April had no laboratory results
    with zipfile.ZipFile(plant / "b.zip") as z:
        manifest = json.loads(z.read("manifest.json"))
        assert {m["file"].split("/")[0] for m in manifest} == {"records", "evidence"}
        for m in manifest:
            assert hashlib.sha256(z.read(m["file"])).hexdigest() == m["sha256"]
        names = [m["file"] for m in manifest]
    assert sum(n.startswith("records/") for n in names) == 2
    # the lab file and its two reports, kept under their SHA-256
    assert hashlib.sha256(b"%PDF-1.4 report one").hexdigest() in " ".join(names)


def test_verify_finds_a_changed_evidence_file_and_a_removed_version(plant):
    assert close(plant, "2025-03", "r03.csv", "2025-04-20").exit_code == 0
    assert close(plant, "2025-03", "r03.csv", "2025-04-25", "--lab", plant / "lab.csv",
                 "--reason", "化验结果补录").exit_code == 0
    rec = plant / "rec"
    assert run("month", "verify", "--records", rec).exit_code == 0
    # a correction's predecessor removed: before, the one record left verified (exit 0)
    v1 = (rec / "2025-03.v1.json").read_bytes()
    (rec / "2025-03.v1.json").unlink()
    r = run("month", "verify", "--records", rec, "--lang", "en")
    assert r.exit_code == 1 and "version 1 is missing" in r.output
    (rec / "2025-03.v1.json").write_bytes(v1)
    report = rec / "evidence" / hashlib.sha256(b"%PDF-1.4 report one").hexdigest()
    report.write_bytes(b"%PDF-1.4 report one, edited")
    r = run("month", "verify", "--records", rec, "--lang", "en")
    assert r.exit_code == 1 and "r1.pdf" in r.output


KPI_UNIT = {
    "format": "tanjiliang/unit@1",
    "unit": {"name": "指标单位", "sector": "other", "year": 2025},
    "subunits": [{"id": "U1"}],
    "equipment": [{"id": "B1", "subunit": "U1"}],
    "source_streams": [
        {"id": "lime", "kind": "process", "material": "limestone", "activity": "100000 t", "consumers": ["B1"]},
        {"id": "dolo", "kind": "process", "material": "dolomite", "activity": "50000 t", "consumers": ["B1"]},
    ],
    "instruments": [
        {"id": k, "name": f"{k}秤", "type": "truck_scale", "measures": "lime", "at": "boundary",
         "accuracy": "±0.1 %", "interval": "12 months", **extra}
        for k, extra in (
            ("A", {"confirmations": [{"date": "2024-03-01", "kind": "verification"},
                                     {"date": "2025-02-20", "kind": "verification"}]}),
            ("B", {"confirmations": [{"date": "2024-01-10", "kind": "verification"},
                                     {"date": "2025-02-15", "kind": "verification"}]}),
            ("C", {"confirmations": [{"date": "2024-05-01", "kind": "verification"},
                                     {"date": "2025-04-20", "kind": "verification", "result": "limited"}]}),
            ("D", {"confirmations": [{"date": "2024-06-01", "kind": "verification"}]}),
            ("E", {"last_confirmed": "2025-03-01"}),
        )],
}


def test_kpi_json_rates_by_their_definitions(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(yaml.safe_dump(KPI_UNIT, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = run("kpi", f, "--as-of", "2025-12-31", "--format", "json")
    assert r.exit_code == 0, r.output
    (u,) = json.loads(r.stdout)["units"]
    # due in 2025: A 03-01 (confirmed 02-20, on time), B 01-10 (confirmed 02-15, late),
    # C 05-01 (04-20, on time), D 06-01 (none: missed), E (only 03-01 known: on time)
    # 受检率 = 3 / 5 = 60 %
    assert (u["due"], u["confirmed_on_time"], u["inspection_rate"]) == (5, 3, 60.0)
    # confirmations in 2025: A, B, C (准用, not 合格), E → 检定合格率 = 3 / 4 = 75 %
    assert (u["confirmations"], u["passed"], u["pass_rate"]) == (4, 3, 75.0)
    # required points lime@boundary (5 scales) and dolo@boundary (none): 配备率 1 / 2 = 50 %
    assert u["equipping_rate"] == 50.0
    # in confirmation: D overdue → 4 / 5 = 80 %
    assert (u["overdue"], u["in_confirmation"]) == (1, 80.0)
    # weights 0.30, 0.25, 0.15, 0.10 over the indicators present:
    # (50 × 0.30 + 60 × 0.25 + 75 × 0.15 + 80 × 0.10) / 0.80 = 49.25 / 0.80 = 61.5625
    assert u["index"] == pytest.approx(61.6, abs=0.05)
    # limestone 0.440 × 100 000 + dolomite 0.477 × 50 000 = 44 000 + 23 850
    assert u["total_tco2e"] == pytest.approx(67850)


def test_power_workbook_adds_coal_written_in_t_and_in_wan_t_as_tonnes(plant):
    """Two coal streams, one declared in t and one in 万t: 燃煤消耗量 is their sum in t. Before,
    the month's figures were added as written: 6 000 t + 0.3 万t gave 6 000.3."""
    data = yaml.safe_load((plant / "p.yaml").read_text(encoding="utf-8"))
    data["source_streams"].insert(1, {
        "id": "coal2", "name": "二号煤", "kind": "combustion", "material": "bituminous_coal",
        "activity": "1 万t", "consumers": ["B1"],
        "parameters": {"ncv": "20 GJ/t", "carbon_content": "0.026 tC/GJ", "oxidation_rate": 0.99}})
    data["instruments"].append({"id": "W3", "name": "二号汽车衡", "type": "truck_scale", "measures": "coal2",
                                "at": "boundary", "accuracy": "±0.1 %", "last_confirmed": "2025-01-10"})
    (plant / "p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    csv = plant / "r04.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "".join(
        f"W3,{dt.date(2025, 4, 1) + dt.timedelta(days=i)}T00:00,100,t,amount\n" for i in range(30)),
        encoding="utf-8")
    assert close(plant, "2025-04", "r04.csv", "2025-05-02").exit_code == 0
    r = run("month", "export", plant / "p.yaml", "--records", plant / "rec", "-o", plant / "out.xlsx")
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    head, april = list(load_workbook(plant / "out.xlsx").active.iter_rows(values_only=True))
    # W1: 30 × 200 t = 6 000 t; W3: 30 × 100 t = 3 000 t (0.3 万t) → 9 000 t
    assert april[head.index("燃煤消耗量 t")] == pytest.approx(9000)
    # 9 000 t × 1.8876 = 16 988.4 t + 300 MWh × 0.5703 = 171.09 t
    assert april[head.index("排放量 tCO2e")] == pytest.approx(17159.49)


def test_kpi_with_records_counts_completeness_and_timeliness_of_filed_months(plant):
    """Before, ``kpi`` had no way to the filed months: completeness and timeliness were always
    null from the command line (issue 14 §4 lists both)."""
    assert close(plant, "2025-03", "r03.csv", "2025-04-20").exit_code == 0
    assert close(plant, "2025-03", "r03.csv", "2025-05-20", "--reason", "复核").exit_code == 0
    assert close(plant, "2025-04", "r04.csv", "2025-06-15").exit_code == 0
    r = run("kpi", plant / "p.yaml", "--records", plant / "rec", "--as-of", "2025-12-31", "--format", "json")
    assert r.exit_code == 0, r.output
    (u,) = json.loads(r.stdout)["units"]
    # deadlines passed by 31 Dec: January … October (October's is 10 December) = 10 months;
    # first filed in time: March only (April late) → 1 / 10 = 10 %
    assert u["timeliness"] == 10.0
    # completeness of the latest versions: March (28 + 3 × 31) / (4 × 31) = 121 / 124 = 97.58 %
    # → 97.6; April 100 % → mean (97.6 + 100) / 2 = 98.8
    assert u["completeness"] == 98.8
    # as of 1 June only March was filed (April's record is dated 15 June): deadlines passed
    # January–March (March's 10 May) → 1 / 3 = 33.3 %
    r = run("kpi", plant / "p.yaml", "--records", plant / "rec", "--as-of", "2025-06-01", "--format", "json")
    (u,) = json.loads(r.stdout)["units"]
    assert (u["timeliness"], u["completeness"]) == (33.3, 97.6)
    # the text table shows them too (before: JSON only)
    r = run("kpi", plant / "p.yaml", "--records", plant / "rec", "--as-of", "2025-06-01")
    assert r.exit_code == 0 and "数据完整率%" in r.output and "33.3" in r.output, r.output


def test_out_of_tolerance_of_a_class_iii_truck_scale_is_judged_at_its_usual_load(plant):
    """W1 (class III, e = 20 kg, usual load 60 t: in service ±3e = 60 kg = ±0.1 %) was found
    at +0.5 % on 15 April, its certificate marked 合格. Before, a class III scale had no MPE in
    the out-of-tolerance rule: only a 'fail' result counted, and the message said
    '最大允许误差 未知 %'."""
    data = yaml.safe_load((plant / "p.yaml").read_text(encoding="utf-8"))
    w1 = data["instruments"][0]
    del w1["last_confirmed"]
    w1["confirmations"] = [{"date": "2025-01-10", "kind": "verification"},
                           {"date": "2025-04-15", "kind": "verification", "as_found": "+0.5 %"}]
    (plant / "p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert close(plant, "2025-04", "r04.csv", "2025-05-02").exit_code == 0
    d = record(plant / "rec", "2025-04.v1.json")
    assert not next(c for c in d["checks"] if c["check"] == "out_of_tolerance")["ok"]
    (f,) = [f for f in d["findings"] if f["code"] == "CAL-OOT"]
    # affected period (10 Jan, 15 Apr]: April 1–15, 15 × 200 t = 3 000 t × 1.8876 = 5 662.8 t;
    # correction 0.5 % of it = 28.314 t
    assert f["data"]["mpe_percent"] == pytest.approx(0.1)
    assert f["data"]["activity"] == pytest.approx(3000)
    assert f["data"]["tco2e_carried"] == pytest.approx(5662.8)
    assert f["data"]["tco2e_correction"] == pytest.approx(28.314)
    assert "±0.1 %" in f["zh"] and "未知" not in f["zh"]


@pytest.mark.parametrize(("month", "filed", "says"), [
    ("2024-03", "2025-04-20", "reporting year 2025"),  # another year of a 2025 unit
    ("2025-05", "2025-06-20", "no readings"),          # r03.csv holds March only
    ("2025-03", "2025-03-31", "has not ended"),        # the card 未开始: not yet to be filed
])
def test_month_close_refuses_what_cannot_be_filed(plant, month, filed, says):
    """Before, each was filed (exit 0): an empty 0.0 tCO₂e record, a month of another year, a
    month filed before it ended."""
    r = close(plant, month, "r03.csv", filed, "--lang", "en")
    assert r.exit_code == 2 and says in r.output, r.output
    assert not (plant / "rec").exists() or not list((plant / "rec").glob("*.json"))


def test_a_failure_found_after_the_month_but_before_filing_touches_the_month(plant):
    """W1 passed on 10 January and failed on 15 April (as-found +0.5 %, result fail): its
    readings since 10 January are in doubt, March included. Filed on 1 May, March's close
    knows it; filed on 10 April it could not (and says so by passing). Before, March was
    always closed as of 31 March, so its out-of-tolerance check passed even when filed in May."""
    data = yaml.safe_load((plant / "p.yaml").read_text(encoding="utf-8"))
    w1 = data["instruments"][0]
    del w1["last_confirmed"]
    w1["confirmations"] = [{"date": "2025-01-10", "kind": "verification"},
                           {"date": "2025-04-15", "kind": "verification", "result": "fail",
                            "as_found": "+0.5 %"}]
    (plant / "p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    both = plant / "r0304.csv"
    both.write_text((plant / "r03.csv").read_text(encoding="utf-8")
                    + "".join((plant / "r04.csv").read_text(encoding="utf-8").splitlines(True)[1:]),
                    encoding="utf-8")

    def oot_ok(filed: str, folder: str) -> bool:
        r = run("month", "close", plant / "p.yaml", both, "--month", "2025-03", "--records",
                plant / folder, "--filed-at", filed)
        assert r.exit_code == 0, r.output
        d = record(plant / folder, "2025-03.v1.json")
        # the instruments' status is still the month's: valid on 1 and 31 March
        assert (d["instruments"][0]["at_start"], d["instruments"][0]["at_end"]) == ("valid", "valid")
        return next(c for c in d["checks"] if c["check"] == "out_of_tolerance")["ok"]

    assert oot_ok("2025-04-10", "early") is True
    assert oot_ok("2025-05-01", "late") is False
    (f,) = [f for f in record(plant / "late", "2025-03.v1.json")["findings"] if f["code"] == "CAL-OOT"]
    # (10 Jan, 15 Apr]: March 28 × 100 t + April 1–15 15 × 200 t = 2 800 + 3 000 = 5 800 t
    assert f["data"]["activity"] == pytest.approx(5800)


def test_lab_carbon_per_energy_is_named_as_such_and_converted_for_the_workbook(plant):
    """Carbon content given per energy (0.025 tC/GJ) is the guideline's 单位热值含碳量; the close
    said '元素碳含量 0.025 tC/GJ' (元素碳含量 is by mass)."""
    (plant / "lab.csv").write_text(LAB.replace(",55,%,", ",0.025,tC/GJ,").replace(",59,%,", ",0.025,tC/GJ,"),
                                   encoding="utf-8")
    r = close(plant, "2025-03", "r03.csv", "2025-04-20", "--lab", plant / "lab.csv")
    assert r.exit_code == 0, r.output
    assert "单位热值含碳量 0.025 tC/GJ" in r.output and "元素碳含量 0.025" not in r.output
    # 3 130 t × 23.25 GJ/t × 0.025 tC/GJ × 0.99 × 44/12 = 6 604.104 t + 176.793 t
    assert record(plant / "rec", "2025-03.v1.json")["emissions_tco2e"] == pytest.approx(6780.897, abs=0.001)
    r = run("month", "export", plant / "p.yaml", "--records", plant / "rec", "-o", plant / "out.xlsx")
    from openpyxl import load_workbook

    head, march = list(load_workbook(plant / "out.xlsx").active.iter_rows(values_only=True))
    # 元素碳含量 = CC × NCV = 0.025 × 23.25 = 0.58125 → 58.125 %
    assert march[head.index("元素碳含量 %")] == pytest.approx(58.125)


PROVINCE_PACK = """extends: henan-2025-draft
name: test-province-2025
version: "1"
monthly:
  deadline_days_after_month_end: {value: 20, source: cn-power-2022, clause: 本省规定, status: I}
"""


def test_a_pack_beside_the_unit_file_sets_the_deadline_for_every_month_command(plant):
    """unit-file.md: ``pack`` is "a bundled pack name or a path to a pack file"; ``check`` reads
    a relative path beside the unit file. Before, month close/status and kpi --records looked
    for it in the working folder: exit 2 "没有名为“province.yaml”的规则包"."""
    (plant / "province.yaml").write_text(PROVINCE_PACK, encoding="utf-8")
    data = yaml.safe_load((plant / "p.yaml").read_text(encoding="utf-8"))
    data["pack"] = "province.yaml"
    (plant / "p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = close(plant, "2025-03", "r03.csv", "2025-04-21")
    assert r.exit_code == 0, r.output
    d = record(plant / "rec", "2025-03.v1.json")
    # 31 March + 20 days = 20 April; filed the 21st: late
    assert (d["deadline"], d["late"], d["pack"]["name"]) == ("2025-04-20", True, "test-province-2025")
    r = run("month", "status", plant / "p.yaml", "--records", plant / "rec", "--today", "2025-12-31",
            "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["months"][0]["deadline"] == "2025-02-20"  # 31 Jan + 20 days
    r = run("kpi", plant / "p.yaml", "--records", plant / "rec", "--as-of", "2025-12-31", "--format", "json")
    assert r.exit_code == 0, r.output
    # deadlines passed by 31 Dec: January … November (20 December) = 11; none filed in time
    assert json.loads(r.stdout)["units"][0]["timeliness"] == 0.0


def test_a_stream_without_readings_in_the_month_is_not_filed_as_zero(plant):
    """The readings hold no line of E1 (bought electricity) this month: before, the record said
    grid 0.0 MWh, 0.0 t — a month of zero purchase — with completeness 100 %; now the stream is
    not in the month (the workbook's 购入电量 cell is empty, not 0)."""
    csv = plant / "r03.csv"
    csv.write_text("".join(line for line in csv.read_text(encoding="utf-8").splitlines(True)
                           if not line.startswith("E1,")), encoding="utf-8")
    assert close(plant, "2025-03", "r03.csv", "2025-04-20").exit_code == 0
    d = record(plant / "rec", "2025-03.v1.json")
    assert "grid" not in [s["id"] for s in d["streams"]]
    # coal alone: 3 130 t × 1.8876 = 5 908.188 t
    assert d["emissions_tco2e"] == pytest.approx(5908.188)
    r = run("month", "export", plant / "p.yaml", "--records", plant / "rec", "-o", plant / "out.xlsx")
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    head, march = list(load_workbook(plant / "out.xlsx").active.iter_rows(values_only=True))
    assert march[head.index("购入电量 MWh")] is None
