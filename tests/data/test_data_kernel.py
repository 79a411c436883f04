"""The compiled per-instrument pass (tanjiliang.data.kernel) against the checks' definitions
(docs/data.md, "Quality checks") written out plainly, reading by reading, on small random
readings: intervals, duplicates, totaliser increments, resets and rollovers, stuck runs,
spikes (both forms of the robust z-score, on the running state only: not after a gap, not the
idle state, not a start or stop), gaps, negative and out-of-range values, amounts
and what counts in the period. Hypothesis draws ties, equal runs, falls near a power of ten
and readings outside the period, where an off-by-one would show."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import datetime, timedelta

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import SCHEMA, Readings
from tanjiliang.data.rules import rule
from tanjiliang.model.unit import UnitFile

T0 = datetime(2025, 1, 1)
KINDS = {"B-1": "total", "W-1": "amount", "Q-1": "reading"}
UNIT = UnitFile.model_validate({
    "unit": {"name": "kernel", "year": 2025},
    "source_streams": [{"id": "coal", "name": "coal", "kind": "combustion",
                        "material": "bituminous_coal", "activity": "1000 t",
                        "parameters": {"ncv": "22 GJ/t"}}],
    "instruments": [
        {"id": "B-1", "name": "belt", "type": "belt_scale", "measures": "coal", "at": "boundary",
         "accuracy": "0.5"},
        {"id": "W-1", "name": "truck", "type": "truck_scale", "measures": "coal", "at": "boundary",
         "range": "0-40 t", "accuracy": "0.5"},
        {"id": "Q-1", "name": "calorimeter", "type": "calorimeter", "measures": "coal.ncv",
         "at": "lab", "accuracy": "0.5"},
    ],
})


@st.composite
def series(draw: st.DrawFn, kind: str) -> list[tuple[datetime, float]]:
    """Readings of one instrument in time order: steps of 0 (a duplicate), 1 or more hours;
    values from a few levels (ties and equal runs), totals rising with occasional falls."""
    steps = draw(st.lists(st.sampled_from([0, 1, 1, 1, 1, 2, 4]), min_size=1, max_size=60))
    t = T0 - timedelta(hours=3)
    out = []
    level = draw(st.sampled_from([0.0, 95.0, 900.0, 990.0, 1000.0]))  # 900: 90 % of 10³
    for step in steps:
        t += timedelta(hours=step)
        if kind == "total":
            change = draw(st.sampled_from([0.0, 1.0, 2.0, 2.0, 3.0, 50.0, -0.5, -5.0, -900.0]))
            level = max(level + change, 0.0)
            out.append((t, level))
        else:  # a run of 11, 12 or 13 equal values: stuck from 12 when instantaneous
            block = draw(st.sampled_from([1, 1, 1, 1, 11, 12, 13]))
            value = draw(st.sampled_from([-1.0, 0.0, 10.0, 10.0, 10.5, 11.0, 45.0, 1000.0]))
            for b in range(block):
                t += timedelta(hours=1 if b else 0)
                out.append((t, value))
    return out


def last_digit(values: list[float]) -> float:
    """The largest 10⁻ᵈ (d = 0 … 9) of which every value is a whole multiple, else 0 (a
    deviation of one last digit is rounding, not a spike)."""
    top = max((abs(x) for x in values), default=0.0)
    for d in range(10):
        f = 10.0 ** d
        if top * f >= 1e15:
            return 0.0
        if all(abs(x * f - round(x * f)) <= 1e-6 for x in values):
            return 1.0 / f
    return 0.0


def reference(kind: str, rows: list[tuple[datetime, float]], start: datetime, end: datetime,
              lo: float, hi: float) -> tuple[dict[str, float], Counter[tuple[datetime, str]]]:
    """The checks of docs/data.md on one instrument, reading by reading."""
    z, f0, eps = (float(rule("quality", k)) for k in
                  ("spike_robust_z", "spike_zero_mad_factor", "spike_mad_epsilon"))
    gap_factor, stuck_n = float(rule("quality", "gap_factor")), int(rule("quality", "stuck_min_run"))
    frac = float(rule("quality", "rollover_fraction"))
    n = len(rows)
    t = [r[0] for r in rows]
    v = [r[1] for r in rows]
    dt = [None] + [(t[k] - t[k - 1]).total_seconds() for k in range(1, n)]
    flags: list[set[str]] = [set() for _ in rows]
    x: list[float | None] = []
    unjudged = [False] * n  # a duplicate register, the reading after a glitch
    reg = v[0] if n else 0.0  # the register: the last reading that is not a glitch
    for k in range(n):
        if k and dt[k] == 0:
            flags[k].add("duplicate")
        if kind != "total":
            x.append(v[k])
        elif k == 0:
            x.append(None)
        elif dt[k] == 0:  # the first reading at a time stamp is the register
            x.append(0.0)
            unjudged[k] = True
        else:
            nxt = next((j for j in range(k + 1, n) if t[j] != t[k]), None)
            if nxt is not None and reg <= v[nxt] and (v[k] < reg or v[k] > v[nxt]):
                x.append(None)  # a glitch: outside its neighbours, which agree
                flags[k].add("spike")
                unjudged[nxt] = True
                continue
            if v[k] < reg:
                p10 = 10.0 ** math.ceil(math.log10(max(reg, 1e-9)))
                p10 = p10 * 10 if p10 == reg else p10
                rolled = reg >= frac * p10
                flags[k].add("rollover" if rolled else "reset")
                x.append(p10 - reg + v[k] if rolled else v[k])
            else:
                x.append(v[k] - reg)
            reg = v[k]
    # the interval: the steps that end in the period (the day either side only when none does)
    shift = timedelta(microseconds=1) if kind == "total" else timedelta(0)
    inside = [dt[k] for k in range(1, n) if dt[k] > 0 and start <= t[k] - shift < end]
    positive = inside or [d for d in dt[1:] if d and d > 0]
    interval = statistics.median(positive) if positive else 3600.0
    # spikes are judged on the running state: not after a gap, not idle, not a start or stop
    idle_level = float(rule("quality", "spike_idle_level"))
    after_gap = [k > 0 and dt[k] > gap_factor * interval for k in range(n)]
    idle = [x[k] is not None and not unjudged[k] and abs(x[k]) <= idle_level
            and "duplicate" not in flags[k] for k in range(n)]
    judged = [x[k] is not None and not after_gap[k] and not idle[k] and not unjudged[k] for k in range(n)]
    xs = [x[k] for k in range(n) if judged[k]]
    if xs:  # near 0 beside the running median (spike_idle_share) is idle too, the median again
        low = float(rule("quality", "spike_idle_share")) * abs(statistics.median(xs))
        if any(abs(e) <= low for e in xs):
            idle = [idle[k] or (judged[k] and abs(x[k]) <= low and "duplicate" not in flags[k])
                    for k in range(n)]
            judged = [judged[k] and not idle[k] for k in range(n)]
            xs = [x[k] for k in range(n) if judged[k]]
    spike_at = math.inf
    if xs:
        med = statistics.median(xs)
        dev = [abs(e - med) for e in xs]
        mad, mean_ad = statistics.median(dev), sum(dev) / len(dev)
        zero = eps * max(abs(med), 1.0)
        spike_at = (z * mad / 0.6745 if mad > zero else
                    z * f0 * mean_ad if mean_ad > zero else math.inf)
    k = 0
    while k < n:  # runs of equal values
        e = k
        while e + 1 < n and v[e + 1] == v[k]:
            e += 1
        if e - k + 1 >= stuck_n and kind == "reading":
            for r in range(k, e + 1):
                flags[r].add("stuck")
        k = e + 1
    summary = {"n": 0, "distinct": 0, "gaps": 0, "missing_inner": 0, "amount": 0.0}
    flagged: Counter[tuple[datetime, str]] = Counter()
    for k in range(n):
        if v[k] < 0:
            flags[k].add("negative")
        if kind != "total" and (v[k] < lo or v[k] > hi):
            flags[k].add("out_of_range")
        state_change = (k > 0 and idle[k - 1]) or (k + 1 < n and idle[k + 1])
        if 0 < k < n - 1 and None not in (x[k - 1], x[k], x[k + 1]):  # a ramp's step
            state_change = state_change or x[k - 1] < x[k] < x[k + 1] or x[k - 1] > x[k] > x[k + 1]
        if judged[k] and not state_change and abs(x[k] - med) > spike_at and abs(x[k] - med) > 1.5 * last_digit(v):
            flags[k].add("spike")
        t_eff = t[k] - timedelta(microseconds=1) if kind == "total" else t[k]
        if not start <= t_eff < end:
            continue
        summary["n"] += 1
        summary["distinct"] += "duplicate" not in flags[k]
        if kind == "total":
            inc = x[k]
        elif kind == "amount":
            inc = 0.0 if k and dt[k] == 0 and v[k] == v[k - 1] else v[k]
        else:
            inc = None
        summary["amount"] += inc or 0.0
        if k and dt[k] > gap_factor * interval:
            summary["gaps"] += 1
            summary["missing_inner"] += round(dt[k] / interval) - 1
        for flag in flags[k]:
            flagged[(t[k], flag)] += 1
    summary["interval_s"] = interval
    return summary, flagged


def as_weighings(summary: dict[str, float], static_scale: bool) -> dict[str, float]:
    """data/rules.yaml ``weighings_gap_share``: a static scale's amounts with a gap after more
    than 10 % of its weighings, or gaps holding more than 10 times as many missing readings as
    weighings (``weighings_burst_factor``), are weighings as deliveries come — no interval, no
    gaps."""
    bursts = summary["gaps"] > 0 and summary["missing_inner"] > 10 * summary["distinct"]
    if static_scale and summary["distinct"] > 1 and (summary["gaps"] > 0.1 * (summary["distinct"] - 1) or bursts):
        return {**summary, "gaps": 0, "missing_inner": 0, "interval_s": None}
    return summary


@settings(max_examples=150, deadline=None)
@example(([(T0, 900.0), (T0 + timedelta(hours=1), 895.0)], [(T0, 1.0)], [(T0, 1.0)]), 0, 50)
@given(st.tuples(series("total"), series("amount"), series("reading")),
       st.integers(0, 20), st.integers(10, 200))
def test_compiled_checks_match_their_definitions(data, start_h, length_h) -> None:
    # the example: a totaliser falling from exactly 90 % of the next power of ten rolled over
    start = T0 + timedelta(hours=start_h)
    end = start + timedelta(hours=length_h)
    rows = [(ident, t, value) for ident, s in zip(KINDS, data, strict=True) for t, value in s]
    frame = pl.LazyFrame({
        "fid": [0] * len(rows), "row": list(range(2, len(rows) + 2)),
        "instrument": [r[0] for r in rows], "time": [r[1] for r in rows],
        "value": [r[2] for r in rows], "unit": [None] * len(rows), "kind": [None] * len(rows),
    }, schema=SCHEMA)
    q = analyse(Readings(frame, ["x.csv"]), UNIT, start, end)
    for ident, kind in KINDS.items():
        s = [(t, value) for i, t, value in rows if i == ident]
        lo, hi = (0.0, 40.0) if ident == "W-1" else (-math.inf, math.inf)
        want, want_flags = reference(kind, s, start, end, lo, hi)
        want = as_weighings(want, ident == "W-1")  # W-1 is a truck scale
        got = q.instrument(ident)
        assert got["kind"] == kind
        for k in ("n", "distinct", "gaps", "interval_s"):
            assert got[k] == want[k], (ident, k, got[k], want[k])
        assert math.isclose(got["amount"], want["amount"], rel_tol=1e-12, abs_tol=1e-9)
        flagged = q.flagged.filter(pl.col("instrument") == ident)
        got_flags = Counter((t, f) for t, fs in flagged.select("time", "flags").iter_rows()
                            for f in fs.split(","))
        assert got_flags == want_flags, (ident, got_flags - want_flags, want_flags - got_flags)
        counted = {f: sum(c for (_, g), c in want_flags.items() if g == f) for f in
                   ("duplicate", "negative", "out_of_range", "reset", "rollover", "stuck", "spike")}
        assert {f: got[c] for f, c in (("duplicate", "duplicates"), ("negative", "negative"),
                                        ("out_of_range", "out_of_range"), ("reset", "resets"),
                                        ("rollover", "rollovers"), ("stuck", "stuck"),
                                        ("spike", "spikes"))} == counted
