"""A static scale weighing deliveries as they come (data/rules.yaml ``weighings_gap_share``):
its weighings are events — no interval, nothing missing between two trucks, nothing for the
monthly close to substitute. Found by hand: trucks arriving at random left a gap after about a
third of the weighings when the median step was taken as an interval, and the "missing"
readings were estimated as coal that was never delivered. A scale logging at a fixed interval
keeps the interval's checks (a planted gap is still a gap)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from tanjiliang.data.report import run
from unit_builders import base_unit, load

COAL = {"id": "coal", "name": "原煤", "kind": "combustion", "material": "bituminous_coal",
        "activity": "400000 t", "consumers": ["B1"]}
MARCH = (date(2025, 3, 1), date(2025, 4, 1))


def unit(kind: str = "truck_scale") -> object:
    return load(base_unit(source_streams=[COAL], instruments=[
        {"id": "T1", "name": "进厂汽车衡", "type": kind, "measures": "coal", "at": "boundary",
         "accuracy": "0.1", "last_confirmed": "2025-01-10"}]))


def write(folder: Path, times: list[datetime], tonnes: float = 50.0) -> Path:
    path = folder / "weighings.csv"
    lines = ["instrument,time,value,unit,kind"] + [f"T1,{t.isoformat()},{tonnes},t,amount" for t in times]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def trucks_as_they_come() -> list[datetime]:
    """March 2025, 20 trucks a day from 07:00, each 1 to 59 minutes after the one before (a
    fixed pseudo-random sequence): 620 weighings of 50 t = 31 000 t."""
    out, x = [], 12345
    for day in range(31):
        t = datetime(2025, 3, 1, 7) + timedelta(days=day)
        for _ in range(20):
            x = (1103515245 * x + 12345) % 2**31
            t += timedelta(minutes=1 + x % 59)
            out.append(t)
    return out


def test_weighings_as_they_come_are_events(tmp_path: Path) -> None:
    rep = run(unit(), [write(tmp_path, trucks_as_they_come())], start=MARCH[0], end=MARCH[1])
    row = rep.quality.summary.row(0, named=True)
    assert (row["n"], row["distinct"]) == (620, 620)
    # every weighing is there: expected = distinct = 620, coverage 100 %, no gap, 0 missing
    assert (row["expected"], row["coverage_percent"], row["gaps"], row["missing"]) == (620, 100.0, 0, 0)
    assert row["interval_s"] is None and rep.quality.gaps.height == 0
    s = rep.streams.row(0, named=True)
    assert s["metered"] == 31_000.0  # 620 × 50 t
    assert s["missing_activity"] == 0.0


def test_the_same_weighings_on_a_meter_are_judged_at_an_interval(tmp_path: Path) -> None:
    # a belt scale is a continuous meter: its amounts are per interval, the nights are gaps
    rep = run(unit("belt_scale"), [write(tmp_path, trucks_as_they_come())], start=MARCH[0], end=MARCH[1])
    row = rep.quality.summary.row(0, named=True)
    assert row["gaps"] > 62 and row["missing"] > 0 and row["coverage_percent"] < 100.0


def test_a_scale_logging_hourly_keeps_its_planted_gap(tmp_path: Path) -> None:
    # hourly amounts all March (744 hours) but 48 removed from 10 March 00:00: one gap of 48
    hours = [datetime(2025, 3, 1) + timedelta(hours=h) for h in range(744)]
    times = [t for t in hours if not datetime(2025, 3, 10) <= t < datetime(2025, 3, 12)]
    rep = run(unit(), [write(tmp_path, times, 10.0)], start=MARCH[0], end=MARCH[1])
    row = rep.quality.summary.row(0, named=True)
    assert (row["interval_s"], row["gaps"], row["missing"]) == (3600.0, 1, 48)
    assert row["coverage_percent"] == 100 * (744 - 48) / 744
    assert rep.streams.row(0, named=True)["missing_activity"] == 48 * 10.0


def test_a_day_shift_at_a_fixed_half_hour_keeps_its_nights_as_gaps(tmp_path: Path) -> None:
    # 20 weighings a day at 08:00, 08:30 … 17:30: a gap after 30 of 620 (4.8 % ≤ 10 %): logged
    # at an interval, the nights stay gaps — 30 × 28 + 16 (before 08:00 on 1 March) + 12
    # (after 17:30 on 31 March, less the slot the last reading stands for) = 868 missing
    times = [datetime(2025, 3, 1, 8) + timedelta(days=d, minutes=30 * k) for d in range(31) for k in range(20)]
    rep = run(unit(), [write(tmp_path, times)], start=MARCH[0], end=MARCH[1])
    row = rep.quality.summary.row(0, named=True)
    assert (row["gaps"], row["missing"]) == (30, 868)


def test_a_rail_scale_weighing_whole_trains_is_weighing_deliveries(tmp_path: Path) -> None:
    # found from outside: 50 wagons 70 s apart every 48 h leave a gap after 1 weighing in 50
    # (2 % < 10 %), and the median step of 70 s made every hour between trains "missing":
    # 37 464 readings, more tonnes "at stake" than the year's coal
    times = [datetime(2025, 3, 1, 6) + timedelta(hours=48 * k, seconds=70 * w)
             for k in range(15) for w in range(50)]
    rep = run(unit("rail_scale"), [write(tmp_path, times, 70.0)], start=MARCH[0], end=MARCH[1])
    row = rep.quality.summary.row(0, named=True)
    assert (row["distinct"], row["expected"], row["gaps"], row["missing"]) == (750, 750, 0, 0)
    assert row["interval_s"] is None and rep.quality.gaps.height == 0
    s = rep.streams.row(0, named=True)
    assert s["metered"] == 750 * 70.0 and s["missing_activity"] == 0.0
