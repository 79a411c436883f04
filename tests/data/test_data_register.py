"""A totaliser's register, read as a reviewer would check it by hand (docs/data.md "resets /
rollovers", "duplicates", "Spikes"). Found from outside (ninth session) on a register rising
1 MWh an hour for 48 hours (48 MWh):

* one reading of 0 (a DCS writes it on a communication loss) was a "reset" and the next
  reading's whole register value an increment: 123 523 MWh; a sentinel 999 999 a "rollover":
  1 000 048 MWh;
* a second, different reading at the same time stamp gave 1 055 or 68 MWh by row order;
* a day of minute readings before the period (read for the opening register) made the
  interval 60 s: 2 891 readings "missing" of 2 880 expected, first reading outside the period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
from test_data_kernel import UNIT

from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import SCHEMA, Readings

T0 = datetime(2025, 1, 1)
PERIOD = (T0, T0 + timedelta(days=2))


def check(rows: list[tuple[datetime, float]], kind: str = "total") -> tuple[dict[str, object], pl.DataFrame]:
    frame = pl.LazyFrame({
        "fid": [0] * len(rows), "row": list(range(2, len(rows) + 2)),
        "instrument": ["B-1"] * len(rows), "time": [t for t, _ in rows],
        "value": [v for _, v in rows], "unit": ["t"] * len(rows), "kind": [kind] * len(rows),
    }, schema=SCHEMA)
    q = analyse(Readings(frame, ["x.csv"]), UNIT, *PERIOD)
    return q.summary.row(0, named=True), q.flagged


def register(glitch: dict[int, float] | None = None) -> list[tuple[datetime, float]]:
    """00:00 on 1 January (the opening register) to 00:00 on 3 January, +1 an hour."""
    return [(T0 + timedelta(hours=h), (glitch or {}).get(h, 123456.0 + h)) for h in range(49)]


def test_a_clean_register() -> None:
    row, _ = check(register())
    assert (row["amount"], row["resets"], row["rollovers"], row["spikes"]) == (48.0, 0, 0, 0)


def test_a_zero_a_sentinel_or_a_huge_reading_is_a_glitch_not_a_reset() -> None:
    for bad in (0.0, -9999.0, 999999.0, 9.9e300):
        row, flagged = check(register({20: bad}))
        assert row["amount"] == 48.0, bad  # last − first: the glitch adds nothing
        assert (row["resets"], row["rollovers"], row["spikes"]) == (0, 0, 1), bad
        spike = flagged.filter(pl.col("flags").str.contains("spike"))
        assert spike["time"].to_list() == [T0 + timedelta(hours=20)], bad


def test_a_real_reset_and_a_real_rollover_stay_what_they_are() -> None:
    # reset: the register starts again from 0 and keeps counting from there
    reset = [(T0 + timedelta(hours=h), 5000.0 + h if h < 20 else float(h - 20)) for h in range(49)]
    row, _ = check(reset)
    assert (row["resets"], row["spikes"]) == (1, 0)
    assert row["amount"] == 19 + 0 + 28  # 19 before, the new value 0 at the reset, 28 after
    # rollover past 99 999 (the last digit): 99 990 … 99 999, 0, 1 …
    roll = [(T0 + timedelta(hours=h), float((99970 + h) % 100000)) for h in range(49)]
    row, _ = check(roll)
    assert (row["rollovers"], row["resets"], row["amount"]) == (1, 0, 48.0)


def test_a_second_reading_at_the_same_time_never_changes_the_amount_whatever_the_order() -> None:
    base = register()
    for second in (1027.0 + 123456.0 - 1000.0 + 5.0, 123000.0, 123476.5):
        for first_is_odd in (False, True):
            rows = list(base)
            good = rows[20]
            odd = (good[0], second)
            rows[20:21] = [odd, good] if first_is_odd else [good, odd]
            row, _ = check(rows)
            assert row["amount"] == 48.0, (second, first_is_odd)
            assert row["duplicates"] == 1


def test_readings_before_the_period_do_not_change_its_interval() -> None:
    # minute readings on 31 December 20:40–23:59 (read for the opening register), then the
    # hourly register of the period
    before = [(T0 - timedelta(minutes=m), 123456.0 - m / 60) for m in range(200, 0, -1)]
    row, _ = check(before + register())
    assert row["interval_s"] == 3600.0
    assert (row["expected"], row["distinct"], row["missing"]) == (48, 48, 0)
    assert row["first"] == T0 + timedelta(hours=1)  # the first reading in the period
    assert row["amount"] == 48.0


def test_a_register_with_no_reading_in_the_period_misses_every_one() -> None:
    # found from outside: one reading at 00:00 on 1 January (it closes the hour before the
    # period) gave coverage 0 % and 0 missing
    row, _ = check([(T0, 123456.0)])
    assert (row["n"], row["distinct"], row["coverage_percent"]) == (0, 0, 0.0)
    assert row["missing"] == row["expected"] == 48
