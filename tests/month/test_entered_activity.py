"""Issue 14 §1: a month's activity "from the readings' monthly figures, or entered with
evidence", and §4's daily-vs-monthly consistency (≤ 5 %, the pack's
``monthly.daily_monthly_max_deviation_percent``). Hand-computed; the plant and its readings
are tests/spec/test_spec_month.py's (April: 30 days × 200 t of coal = 6 000 t weighed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from spec.test_spec_month import POWER, readings, run  # the plant of the spec tests


@pytest.fixture
def plant(tmp_path: Path) -> Path:
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(POWER, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    readings(tmp_path / "r04.csv", 2025, 4, 30, 200)
    (tmp_path / "weighbill.pdf").write_bytes(b"%PDF-1.4 April coal weigh bills")
    return tmp_path


def close(t: Path, *extra: str) -> object:
    return run("month", "close", t / "p.yaml", t / "r04.csv", "--month", "2025-04", "--records",
               t / "rec", "--filed-at", "2025-05-10", *extra)


def april(t: Path) -> dict:
    return json.loads((t / "rec" / "2025-04.v1.json").read_text(encoding="utf-8"))


def test_entered_activity_is_filed_and_within_five_percent(plant: Path) -> None:
    r = close(plant, "--activity", "coal=0.62 万t", "--evidence", str(plant / "weighbill.pdf"))
    assert r.exit_code == 0, r.output
    d = april(plant)
    coal = next(s for s in d["streams"] if s["id"] == "coal")
    # 0.62 万t = 6 200 t filed; the days' readings: 30 × 200 = 6 000 t;
    # |6 200 − 6 000| / 6 200 = 3.23 % ≤ 5 % → consistent; nothing substituted
    assert (coal["entered"], coal["activity"], coal["metered"], coal["substituted"]) == (6200.0, 6200.0, 6000.0, 0.0)
    assert coal["deviation_percent"] == 3.23
    # emissions at the stream's rate: 6 200 t × 1.8876 tCO2/t = 11 703.12 t
    assert coal["emissions_tco2e"] == pytest.approx(6200 * 20 * 0.026 * 0.99 * 44 / 12)
    check = next(c for c in d["checks"] if c["check"] == "daily_monthly_consistency")
    assert check["ok"] and check["limit"] == 5.0
    assert d["rules"]["daily_monthly_max_deviation_percent"]["value"] == 5
    assert d["evidence"][0]["file"] == "weighbill.pdf"


def test_entered_activity_off_by_more_than_five_percent_fails_the_check(plant: Path) -> None:
    r = close(plant, "--activity", "入炉煤=6400 t", "--evidence", str(plant / "weighbill.pdf"))
    assert r.exit_code == 0, r.output
    # |6 400 − 6 000| / 6 400 = 6.25 % > 5 % (the stream named by its name)
    coal = next(s for s in april(plant)["streams"] if s["id"] == "coal")
    assert coal["deviation_percent"] == 6.25
    check = next(c for c in april(plant)["checks"] if c["check"] == "daily_monthly_consistency")
    assert not check["ok"]
    assert "日数据与月数据一致" in r.output


@pytest.mark.parametrize(("args", "zh", "en"), [
    (("--activity", "coal=6200 t"), "须附证据文件", "needs its evidence file"),
    (("--activity", "coke=10 t", "--evidence", "E"), "不是本单位的源流", "is not a source stream"),
    (("--activity", "coal=10 MWh", "--evidence", "E"), "不是coal的活动数据", "is not an activity of coal"),
    (("--activity", "coal", "--evidence", "E"), "应写作 源流=数量", "should read STREAM=QUANTITY"),
])
def test_bad_entered_activity_is_refused_in_each_language(plant: Path, args: tuple[str, ...],
                                                          zh: str, en: str) -> None:
    args = tuple(str(plant / "weighbill.pdf") if a == "E" else a for a in args)
    r = close(plant, *args)
    assert r.exit_code == 2 and zh in r.output, r.output
    assert not (plant / "rec" / "2025-04.v1.json").exists()  # nothing filed
    r = close(plant, *args, "--lang", "en")
    assert r.exit_code == 2 and en in " ".join(r.output.split()), r.output


def test_without_entered_activity_there_is_no_consistency_check(plant: Path) -> None:
    assert close(plant).exit_code == 0
    assert all(c["check"] != "daily_monthly_consistency" for c in april(plant)["checks"])


def test_kpi_counts_the_consistent_months(plant: Path) -> None:
    # April filed with 6 200 t against 6 000 t of days (3.23 %, consistent), March with
    # 3 000 t against 31 × 100 = 3 100 t of days (|3 000 − 3 100| / 3 000 = 3.33 %, consistent)
    # then corrected to 3 400 t (|3 400 − 3 100| / 3 400 = 8.82 %, not): the latest versions
    # count → 1 of 2 months consistent = 50.0 %, below the 100 % that makes it a reason to visit
    bill = str(plant / "weighbill.pdf")
    assert close(plant, "--activity", "coal=6200 t", "--evidence", bill).exit_code == 0
    readings(plant / "r03.csv", 2025, 3, 31, 100)

    def march(qty: str, *extra: str) -> object:
        return run("month", "close", plant / "p.yaml", plant / "r03.csv", "--month", "2025-03",
                   "--records", plant / "rec", "--filed-at", "2025-04-10", "--activity",
                   f"coal={qty}", "--evidence", bill, *extra)

    assert march("3000 t").exit_code == 0
    assert march("3400 t", "--reason", "补录磅单").exit_code == 0
    r = run("kpi", plant / "p.yaml", "--records", plant / "rec", "--as-of", "2025-06-30",
            "--format", "json")
    assert r.exit_code in (0, 1), r.output
    k = json.loads(r.output)["units"][0]
    assert k["consistency"] == 50.0
    assert any("日数据与月数据一致率 50.0%" in x for x in k["reasons"]), k["reasons"]
    r = run("kpi", plant / "p.yaml", "--records", plant / "rec", "--as-of", "2025-06-30", "--lang", "en",
            "--format", "json")
    reasons = json.loads(r.output)["units"][0]["reasons"]
    assert any("daily-monthly consistency 50.0 %" in x for x in reasons), reasons


def test_the_five_percent_limit_is_decided_on_exact_decimals(plant: Path) -> None:
    # 30 days × 6 333 t = 189 990 t weighed; 20 万t = 200 000 t entered:
    # |200 000 − 189 990| / 200 000 = 10 010 / 2 000 = 5.005 % exactly → 5.01 % half up > 5 %;
    # float arithmetic holds 5.005 as 5.00499… and round(…, 2) made it 5.0: within the limit
    assert round(abs(200000 - 189990.0) / 200000 * 100.0, 2) == 5.0
    readings(plant / "r04.csv", 2025, 4, 30, 6333)
    r = close(plant, "--activity", "coal=20 万t", "--evidence", str(plant / "weighbill.pdf"))
    assert r.exit_code == 0, r.output
    coal = next(s for s in april(plant)["streams"] if s["id"] == "coal")
    assert (coal["entered"], coal["metered"], coal["deviation_percent"]) == (200000.0, 189990.0, 5.01)
    check = next(c for c in april(plant)["checks"] if c["check"] == "daily_monthly_consistency")
    assert check["ok"] is False and check["streams"][0]["ok"] is False


def test_deviation_at_and_around_the_limit() -> None:
    from decimal import Decimal

    from tanjiliang.month.close import consistency_check, deviation_percent

    # 10 000 / 200 000 = 5.00 % exactly: within (≤); 2 000 t against 1 899.9 t: 100.1 / 2 000
    # = 5.005 % → 5.01 % (float: 5.0049999… → 5.0); 0 against 0: 0.00; 0 against days: no ratio
    assert deviation_percent(200000, 190000) == Decimal("5.00")
    assert deviation_percent(2000, 1899.9) == Decimal("5.01")
    assert deviation_percent(0, 0) == Decimal("0.00") and deviation_percent(0, 12.5) is None

    def stream(entered: float, days: float) -> dict:
        dev = deviation_percent(entered, days)
        return {"id": "s", "name": "s", "entered": entered, "metered": days, "readings": True,
                "deviation_percent": None if dev is None else float(dev)}

    assert consistency_check([stream(200000, 190000)], 5)["ok"] is True
    assert consistency_check([stream(2000, 1899.9)], 5)["ok"] is False
    assert consistency_check([stream(0, 12.5)], 5)["ok"] is False


def test_a_month_entered_by_hand_without_readings_is_filed_uncompared(plant: Path) -> None:
    # the grid company's bill: 300 MWh bought in April, no meter readings at all. Filed:
    # 300 MWh × 0.5703 tCO2/MWh = 171.09 t; not compared (nothing to compare), which the
    # record says; coal, power and heat sent out have neither readings nor a figure: left out
    # of the month (not 0 t) and named, and the completeness check fails as with no readings
    bill = str(plant / "weighbill.pdf")
    r = run("month", "close", plant / "p.yaml", "--month", "2025-04", "--records", plant / "rec",
            "--filed-at", "2025-05-10", "--activity", "grid=300 MWh", "--evidence", bill)
    assert r.exit_code == 0, r.output
    d = april(plant)
    assert [(s["id"], s["activity"], s["entered"], s["deviation_percent"]) for s in d["streams"]] == [
        ("grid", 300.0, 300.0, None)]
    assert d["emissions_tco2e"] == pytest.approx(300 * 0.5703)
    checks = {c["check"]: c for c in d["checks"]}
    dm = checks["daily_monthly_consistency"]
    assert dm["ok"] is None and dm["streams"] == []
    assert dm["not_compared"] == [{"id": "grid", "name": "外购电", "entered": 300.0, "reason": "no_readings"}]
    assert checks["completeness"]["ok"] is False and checks["completeness"]["value"] is None
    assert [x["id"] for x in checks["completeness"]["without_data"]] == ["coal", "eout", "hout"]
    out = " ".join(r.output.split())
    assert "外购电：本月无读数，按手工填报的数据提交，未与日数据比对" in out
    assert "入炉煤、上网电量、供热：本月既无读数也未手工填报，未计入本月" in out
    # not counted by the indicator: no month was compared
    from tanjiliang.month.close import consistency_indicator, filing_consistent

    assert filing_consistent(d) is None
    assert consistency_indicator(2025, plant / "rec", __import__("datetime").date(2025, 6, 30)) is None
    # in English, a correction entering every stream: the completeness check is not made
    r = run("month", "close", plant / "p.yaml", "--month", "2025-04", "--records", plant / "rec",
            "--filed-at", "2025-05-11", "--activity", "grid=300 MWh", "--activity", "coal=6000 t",
            "--activity", "eout=30000 MWh", "--activity", "hout=3000 GJ", "--evidence", bill,
            "--reason", "补录", "--lang", "en")
    assert r.exit_code == 0, r.output
    d2 = json.loads((plant / "rec" / "2025-04.v2.json").read_text(encoding="utf-8"))
    c2 = {c["check"]: c for c in d2["checks"]}
    assert c2["completeness"]["ok"] is None and c2["completeness"]["not_made"] == "all_entered"
    assert "without_data" not in c2["completeness"]
    assert len(c2["daily_monthly_consistency"]["not_compared"]) == 4
    out = " ".join(r.output.split())
    assert "no readings this month; filed as entered by hand, not compared with any days" in out
    assert "every stream entered by hand: the readings' completeness was not checked" in out
    assert "check not passed" not in out  # a check not made is not shown as failed


def test_no_readings_and_nothing_entered_is_refused(plant: Path) -> None:
    r = run("month", "close", plant / "p.yaml", "--month", "2025-04", "--records", plant / "rec")
    assert r.exit_code == 2 and "请给出读数文件、--store 或 --activity" in r.output, r.output
    assert not (plant / "rec").exists()


def test_streams_entered_with_and_without_their_readings(plant: Path) -> None:
    # April's readings without the grid meter's: coal entered at 6 200 t is compared with its
    # days (3.23 %, consistent), grid entered at 300 MWh has no days: the check is made on coal
    # alone and names grid as not compared
    lines = (plant / "r04.csv").read_text(encoding="utf-8").splitlines()
    (plant / "r04.csv").write_text("\n".join(x for x in lines if not x.startswith("E1,")) + "\n",
                                   encoding="utf-8")
    r = close(plant, "--activity", "coal=6200 t", "--activity", "grid=300 MWh",
              "--evidence", str(plant / "weighbill.pdf"))
    assert r.exit_code == 0, r.output
    dm = next(c for c in april(plant)["checks"] if c["check"] == "daily_monthly_consistency")
    assert dm["ok"] is True and [x["id"] for x in dm["streams"]] == ["coal"]
    assert [x["id"] for x in dm["not_compared"]] == ["grid"]


def test_filed_months_completeness_is_rounded_half_up_on_exact_decimals(tmp_path: Path) -> None:
    # two months of 85.1 % and 94.8 %: mean 89.95 → 90.0 (not below the 90 % that makes it a
    # reason to visit); float: (85.1 + 94.8) / 2 = 89.94999… → 89.9
    import datetime as dt

    from tanjiliang.month.close import filing_indicators

    assert round((85.1 + 94.8) / 2, 1) == 89.9
    for month, value in (("2025-01", 85.1), ("2025-02", 94.8)):
        (tmp_path / f"{month}.v1.json").write_text(json.dumps({
            "month": month, "version": 1, "completeness_percent": value, "late": False,
            "filed_at": f"{month}-28T12:00:00+08:00"}), encoding="utf-8")
    completeness, timeliness = filing_indicators(2025, tmp_path, dt.date(2025, 3, 31))
    # deadlines passed by 31 March: January's (12 March); February's is 10 April
    assert (completeness, timeliness) == (90.0, 100.0)
