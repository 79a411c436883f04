"""Spikes are judged on the running state (issue 12 §5, docs/data.md "Spikes"): the first
reading after a gap is not a spike, an intermittent meter starting or stopping (a belt scale
idling at 0, then running) is not a spike, and a real jump while running still is."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
from test_data_kernel import UNIT

from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import SCHEMA, Readings

T0 = datetime(2025, 1, 1)


def spikes(ident: str, values: list[float | None], kind: str) -> list[int]:
    """Hours (from T0) flagged as spikes; ``None`` leaves the hour out (a gap)."""
    rows = [(T0 + timedelta(hours=h), v) for h, v in enumerate(values) if v is not None]
    frame = pl.LazyFrame({
        "fid": [0] * len(rows), "row": list(range(2, len(rows) + 2)),
        "instrument": [ident] * len(rows), "time": [t for t, _ in rows],
        "value": [v for _, v in rows], "unit": ["t"] * len(rows), "kind": [kind] * len(rows),
    }, schema=SCHEMA)
    q = analyse(Readings(frame, ["x.csv"]), UNIT, T0, T0 + timedelta(days=30))
    flagged = q.flagged.filter(pl.col("flags").str.contains("spike"))
    return [int((t - T0).total_seconds() // 3600) for t in flagged["time"]]


def test_the_first_reading_after_a_gap_is_not_a_spike() -> None:
    # a totaliser rising 50 t an hour, 20 hours missing: the next increment is 1050 t
    register = [1000.0 + 50 * h + (h % 3) for h in range(60)]
    with_gap = [v if not 20 <= h < 40 else None for h, v in enumerate(register)]
    assert spikes("B-1", with_gap, "total") == []


def test_an_intermittent_meter_starting_and_stopping_is_not_a_spike() -> None:
    # a belt scale's amounts: idle (0) most of the day, running ~50 t/h in two shifts, one
    # shift starting with a partial hour
    day = [0.0] * 8 + [12.0] + [50.0 + (h % 4) for h in range(8)] + [0.0] * 7
    assert spikes("W-1", day * 3, "amount") == []
    # the totaliser of the same belt: increments 0 then ~50
    register, total = [], 5000.0
    for x in day * 3:
        total += x
        register.append(total)
    assert spikes("B-1", register, "total") == []


def test_a_jump_while_running_is_still_a_spike() -> None:
    day = [0.0] * 8 + [50.0 + (h % 4) for h in range(9)] + [0.0] * 7
    values = day * 3
    values[24 + 12] = 900.0
    assert spikes("W-1", values, "amount") == [36]


def test_one_last_digit_of_a_register_is_rounding_not_a_spike() -> None:
    # found from outside: a feeder at a steady 0.64516 t/h on a register shown to 0.001 t moves
    # 0.645 t most hours and 0.646 t the others: each 0.646 was a "spike" (119 a month)
    register = [round(1000.0 + 0.64516 * h, 3) for h in range(600)]
    assert spikes("B-1", register, "total") == []
    # a real jump on the same register is still one: +0.5 t in hour 300
    jumped = [r + (0.5 if h >= 300 else 0.0) for h, r in enumerate(register)]
    assert spikes("B-1", jumped, "total") == [300]
    # whole units: increments of 1 and 2 (1.4 an hour, rounded) are rounding; 12 is a spike
    whole = [float(round(5000 + 1.4 * h)) for h in range(400)]
    assert spikes("B-1", whole, "total") == []
    whole[200:] = [w + 10 for w in whole[200:]]
    assert spikes("B-1", whole, "total") == [200]


def test_a_stopped_belt_s_zero_drift_is_idle_not_a_spike() -> None:
    # found from outside: ~500 t an hour running, then 10 hours stopped reading 0.03–0.39 t
    # (the belt scale's zero drift, never exactly 0): each stopped hour was a "spike"
    running = [500.0 + (h * 37 % 11) for h in range(200)]
    drift = [0.34, 0.37, 0.21, 0.12, 0.39, 0.05, 0.03, 0.18, 0.27, 0.09]
    hours = running[:100] + drift + running[100:]
    assert spikes("B-1", hours, "amount") == []
    hours[150] = 1500.0  # a real jump while running is still one
    assert spikes("B-1", hours, "amount") == [150]


def test_a_ramp_down_and_up_is_a_stop_and_a_start_not_spikes() -> None:
    # found from outside: a belt scale stopping 500 → 300 → 100 → 0 and starting 0 → 120 →
    # 310 → 500 had its second step each way flagged (300, 310)
    running = [500.0 + (h * 37 % 11) for h in range(100)]
    hours = [*running[:50], 300.0, 100.0, 0.0, 0.0, 0.0, 120.0, 310.0, *running[50:]]
    assert spikes("B-1", hours, "amount") == []
    hours[20] = 320.0  # a dip while running, out of line with both neighbours, still is one
    assert spikes("B-1", hours, "amount") == [20]
