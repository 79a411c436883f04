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
