"""Synthetic year-long readings with planted faults whose answers are known.

Used by the tests (tests/data/) and the benchmark (benchmarks/readings.py). Every fault is
planted at a recorded place and the true amounts are returned next to the data, so a test
compares what :mod:`tanjiliang.data` finds with what was planted. Generation is vectorised
(numpy/polars); nothing here loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import polars as pl


def hours(year: int) -> pl.Series:
    return pl.datetime_range(datetime(year, 1, 1, 1), datetime(year + 1, 1, 1), "1h",
                             time_unit="us", eager=True).alias("time")


@dataclass
class Planted:
    """What was planted, by instrument: fault → times; and true monthly amounts."""

    faults: dict[str, dict[str, list[datetime]]] = field(default_factory=dict)
    monthly: dict[str, dict[int, float]] = field(default_factory=dict)  # instrument → month → amount
    gap_hours: dict[str, int] = field(default_factory=dict)

    def add(self, ident: str, fault: str, when: datetime) -> None:
        self.faults.setdefault(ident, {}).setdefault(fault, []).append(when)


def _month_sums(times: pl.Series, amounts: np.ndarray, shift_back: bool) -> dict[int, float]:
    t = times - timedelta(microseconds=1) if shift_back else times
    df = pl.DataFrame({"m": t.dt.month(), "a": amounts})
    return {int(m): float(a) for m, a in df.group_by("m").agg(pl.col("a").sum()).iter_rows()}


def _wave(n: int, base: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    i = np.arange(n)
    return base * (1 + 0.1 * np.sin(2 * np.pi * i / 24)) + rng.normal(0, base * 0.01, n)


def plant_year(year: int = 2025, seed: int = 7) -> tuple[pl.DataFrame, Planted]:
    """Hourly readings for ``tests/data/fixtures/plant.yaml`` in long format, with faults:

    * ``W-01`` (rail scale, amounts, t): a 48 h gap from 10 March 00:00, one negative value,
      one value above the 200 t range, one exact duplicate row;
    * ``W-11`` (belt scale totaliser, t): starts at 950 000 t and rolls over at 1 000 000; is
      reset to 0 on 1 June 12:00; one increment 20 times too large (a spike);
    * ``W-12`` clean totaliser; ``E-11/E-12/E-13`` totalisers in MWh, ``E-01`` the main meter
      in kWh (unit conversion) equal to their sum except in July, when E-13 reads 5 % low;
    * ``F-01`` gas totaliser in Nm3 (converted to 万Nm3);
    * ``T-01`` flue-gas temperature (°C), stuck at one value for 24 h from 5 April 00:00.
    """
    t = hours(year)
    n = len(t)
    planted = Planted()
    frames: list[pl.DataFrame] = []

    def emit(ident: str, times: pl.Series, values: np.ndarray, unit: str, kind: str | None = None) -> None:
        frames.append(pl.DataFrame({"instrument": ident, "time": times, "value": values,
                                    "unit": unit, "kind": kind}, schema={
            "instrument": pl.String, "time": pl.Datetime("us"), "value": pl.Float64,
            "unit": pl.String, "kind": pl.String}))

    # W-01: amounts per hour (deliveries), 48 h gap, a negative value, an out-of-range value.
    w01 = _wave(n, 114.0, seed)
    keep = np.ones(n, bool)
    gap_start = datetime(year, 3, 10, 0)
    gap_idx = int((gap_start - datetime(year, 1, 1)).total_seconds() // 3600)
    keep[gap_idx:gap_idx + 48] = False
    planted.gap_hours["W-01"] = 48
    neg_i, big_i, dup_i = 1000, 2000, 3000
    w01[neg_i] = -5.0
    w01[big_i] = 250.0
    h = timedelta(hours=1)
    planted.add("W-01", "negative", t[neg_i] - h)
    planted.add("W-01", "out_of_range", t[big_i] - h)
    planted.add("W-01", "duplicate", t[dup_i] - h)
    planted.monthly["W-01"] = _month_sums(t.filter(pl.Series(keep)) - timedelta(hours=1),
                                         w01[keep], False)
    times = pl.concat([t.filter(pl.Series(keep)), t[dup_i:dup_i + 1]])
    times = times - timedelta(hours=1)  # amounts are stamped at the start of their hour
    emit("W-01", times, np.concatenate([w01[keep], w01[dup_i:dup_i + 1]]), "t")

    # W-11: totaliser with rollover at 1e6 and a reset on 1 June 12:00, one spike.
    inc11 = _wave(n, 57.0, seed + 1)
    spike_i = 4000
    inc11[spike_i] *= 20
    planted.add("W-11", "spike", t[spike_i])
    reg = 950_000.0 + np.cumsum(inc11)
    roll_i = int(np.argmax(reg >= 1_000_000.0))
    planted.add("W-11", "rollover", t[roll_i])
    reg = np.where(np.arange(n) >= roll_i, reg - 1_000_000.0, reg)
    reset_i = int((datetime(year, 6, 1, 12) - datetime(year, 1, 1, 1)).total_seconds() // 3600)
    reg = np.where(np.arange(n) >= reset_i, reg - reg[reset_i] + inc11[reset_i], reg)
    planted.add("W-11", "reset", t[reset_i])
    inc11_seen = inc11.copy()
    inc11_seen[0] = 0.0  # the first register value carries no increment
    planted.monthly["W-11"] = _month_sums(t, inc11_seen, True)
    emit("W-11", t, reg, "t")

    inc12 = _wave(n, 57.0, seed + 2)
    inc12[0] = 0.0
    planted.monthly["W-12"] = _month_sums(t, inc12, True)
    emit("W-12", t, 200_000.0 + np.cumsum(inc12), "t")

    subs = {}
    for k, ident in enumerate(("E-11", "E-12", "E-13")):
        inc = _wave(n, 3.0, seed + 10 + k)
        inc[0] = 0.0
        subs[ident] = inc
    true_aux = subs["E-13"].copy()
    july = (t.dt.month() == 7).to_numpy()
    subs["E-13"] = np.where(july, subs["E-13"] * 0.95, subs["E-13"])
    planted.add("E-13", "reads_low_july", datetime(year, 7, 1))
    for ident, inc in subs.items():
        planted.monthly[ident] = _month_sums(t, inc, True)
        emit(ident, t, 10_000.0 + np.cumsum(inc), "MWh")
    main = subs["E-11"] + subs["E-12"] + true_aux
    planted.monthly["E-01"] = _month_sums(t, main, True)
    emit("E-01", t, (50_000.0 + np.cumsum(main)) * 1000.0, "kWh")

    gas = _wave(n, 570.0, seed + 20)
    gas[0] = 0.0
    planted.monthly["F-01"] = {m: v / 1e4 for m, v in _month_sums(t, gas, True).items()}
    emit("F-01", t, 1e6 + np.cumsum(gas), "Nm3")

    temp = _wave(n, 140.0, seed + 30)
    stuck_i = int((datetime(year, 4, 5, 0) - datetime(year, 1, 1)).total_seconds() // 3600)
    temp[stuck_i:stuck_i + 24] = temp[stuck_i]
    planted.add("T-01", "stuck", t[stuck_i] - timedelta(hours=1))
    emit("T-01", t - timedelta(hours=1), temp, "℃")
    return pl.concat(frames), planted


def cems_minutes(stacks: int, year: int = 2025, seed: int = 1, *, co2_percent: float = 12.0,
                 flow_m3h: float = 1.5e6, temp_c: float = 130.0, pressure_kpa: float = 100.5,
                 moisture_percent: float = 8.0, lazy: bool = False) -> pl.DataFrame | pl.LazyFrame:
    """Minute CEMS data for ``stacks`` emission points (``S0001``…), one row per minute and
    stack with columns point, time, co2 (% vol dry), flow (m³/h actual wet), temperature (°C),
    pressure (kPa absolute), moisture (% vol) — the shape a DAS exports."""
    minutes = pl.datetime_range(datetime(year, 1, 1), datetime(year + 1, 1, 1), "1m",
                                closed="left", time_unit="us", eager=True)
    n = len(minutes)
    base = pl.DataFrame({"time": minutes, "i": np.arange(n, dtype=np.int64)}).lazy()
    pts = pl.DataFrame({"point": [f"S{k + 1:04d}" for k in range(stacks)],
                        "k": np.arange(stacks, dtype=np.int64)}).lazy()
    lf = (pts.join(base, how="cross")
          .with_columns(((pl.col("i") * 2654435761 + pl.col("k") * 40503 + seed) % 1000 / 1000.0 - 0.5)
                        .alias("u"))
          .select("point", "time",
                  (co2_percent * (1 + 0.02 * pl.col("u"))).alias("co2"),
                  (flow_m3h * (1 + 0.05 * (pl.col("i") / 1440.0 * 2 * np.pi).sin())).alias("flow"),
                  (temp_c + 2 * pl.col("u")).alias("temperature"),
                  pl.lit(pressure_kpa).alias("pressure"),
                  pl.lit(moisture_percent).alias("moisture")))
    return lf if lazy else lf.collect()
