"""The per-instrument checks of readings as one compiled pass over each instrument's rows.

:func:`check_instruments` takes a batch of readings in (instrument, time) order as plain
arrays and runs, for every instrument in parallel, the checks of docs/data.md: intervals,
duplicates, totaliser increments with resets and rollovers, the two medians and the MAD of
the robust z-score, stuck runs, negative and out-of-range values, gaps, the amount carried per
day and the summary counts. It is compiled by numba (cached on disk after the first run) and
returns arrays; :mod:`tanjiliang.data.quality` turns them into tables.

Why compiled code: the same checks as polars expressions were ~25 full passes over the batch,
each writing a new column of 10 M values (README, "Choices changed for a measured reason");
here each instrument's rows are read three times from cache and only the flagged rows, gaps,
days and one summary row per instrument are written.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from numba.np.arraymath import _select, _select_two  # numba's selection (np.median's)

from tanjiliang.data.jitcache import lean_loading

TOTAL, AMOUNT, READING = 0, 1, 2

#: bits of a reading's flags, in the order of ``quality.ROW_FLAGS``
DUPLICATE, NEGATIVE, OUT_OF_RANGE, RESET, ROLLOVER, STUCK, SPIKE = (1 << k for k in range(7))
#: summary counts, columns of ``counts``: the seven flags above, then gaps
N_COUNTS = 8
GAP_COUNT = 7
MICROS_PER_DAY = 86_400_000_000
#: runs of instruments the compiled pass hands to its threads (of about equal rows)
CHUNKS = 64


@njit(cache=True, nogil=True)
def instrument_bounds(iid: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Start of each instrument's rows in ``iid`` (sorted), and the end of the last."""
    n = len(iid)
    starts = np.empty(n + 1, dtype=np.int64)
    k = 0
    for i in range(n):
        if i == 0 or iid[i] != iid[i - 1]:
            starts[k] = i
            k += 1
    starts[k] = n
    return starts[:k + 1].copy()


@njit(cache=True, nogil=True)
def _median(values: np.ndarray) -> float:  # pragma: no cover - compiled
    """Median of ``values`` (NaN if none) exactly as ``np.median`` computes it — the middle
    element, or the mean of the two middle ones — without changing ``values``
    (:func:`_median_work` with no work space of its own)."""
    return _median_work(values, np.empty(0))


@njit(cache=True, nogil=True)
def _median_work(values: np.ndarray, work: np.ndarray) -> float:  # pragma: no cover - compiled
    """:func:`_median`, copying into ``work`` (when it is long enough) rather than into new
    memory where a copy is needed.

    A sorted sample of about 2√n values brackets the middle rank; one pass counts the values
    below the bracket and copies those inside it, and the rank is selected among those few
    (numba's selection, np.median's). When the bracket misses the rank (a skewed sample), or
    for 512 values or fewer, the whole array is copied and selected as np.median does. The
    two medians per instrument were 40 % of the compiled pass with np.median's copy and
    selection (issue 16)."""
    n = len(values)
    if n == 0:
        return np.nan
    half = n >> 1
    r1 = half - 1 if n & 1 == 0 else half
    if n > 512:
        ns = 2 * int(math.sqrt(n))
        step = n // ns
        sample = np.empty(ns)
        for q in range(ns):
            sample[q] = values[q * step]
        sample.sort()
        margin = int(math.sqrt(ns)) + 4
        lo_q = r1 * ns // n - margin
        hi_q = half * ns // n + margin
        lo_v = sample[lo_q] if lo_q > 0 else -np.inf
        hi_v = sample[hi_q] if hi_q < ns - 1 else np.inf
        cap = 8 * margin * step + 64
        inside = np.empty(cap)
        below = 0
        g = 0
        for v in values:
            if v < lo_v:
                below += 1
            elif v <= hi_v:
                if g < cap:
                    inside[g] = v
                g += 1
        if below <= r1 and half < below + g:
            if lo_v == hi_v:  # every value inside the bracket is the one value
                return (lo_v + hi_v) / 2 if n & 1 == 0 else lo_v
            if g <= cap:
                if n & 1 == 0:
                    if g == 1:
                        return inside[0]
                    a, b = _select_two(inside, half - 1 - below, 0, g - 1)
                    return (a + b) / 2
                return _select(inside, half - below, 0, g - 1)
    if len(work) >= n:
        w = work[:n]
        w[:] = values
        return _median_in_place(w)
    return _median_in_place(values.copy())


@njit(cache=True, nogil=True)
def _median_in_place(values: np.ndarray) -> float:  # pragma: no cover - compiled
    """Median of ``values`` (NaN if none) as ``np.median`` computes it — the middle element,
    or the mean of the two middle ones — reordering ``values`` instead of copying them.
    Up to ``SMALL`` values by :func:`_kth` (the instruments of a daily or a short export have
    a few hundred readings; numba's selection spent 2 µs on each of their 2 medians, most of
    the compiled pass on 20 000 meters, issue 16), more by numba's selection (np.median's)."""
    n = len(values)
    if n == 0:
        return np.nan
    half = n >> 1
    if n <= SMALL:
        if n & 1:
            return _kth(values, half)
        a = _kth(values, half - 1)
        b = values[half]  # after _kth, everything from half - 1 on is >= a: the next is their least
        for q in range(half + 1, n):
            if values[q] < b:
                b = values[q]
        return (a + b) / 2
    if n & 1 == 0:
        a, b = _select_two(values, half - 1, 0, n - 1)
        return (a + b) / 2
    return _select(values, half, 0, n - 1)


#: arrays up to this length take :func:`_kth` (its worst case, n², stays small)
SMALL = 512


@njit(cache=True, nogil=True)
def _resolution(v: np.ndarray) -> float:  # pragma: no cover - compiled
    """The readings' last digit: the largest 10⁻ᵈ (d = 0 … 9) of which every finite value is a
    whole multiple (a register shown to 0.001 t: 0.001), or 0 when none is. A deviation of one
    last digit from the median is the rounding of the display, not a spike (docs/data.md
    "Spikes"). One pass finds the first d that no value refutes (each value is tried from the
    d reached so far; a value that refutes d refutes every d tried before too), a second
    confirms it; 10 passes only if it does not (as the definition tries d = 0, 1 …)."""
    top = 0.0
    for val in v:
        if math.isfinite(val):
            top = max(top, abs(val))
    d = 0
    f = 1.0
    for val in v:
        if not math.isfinite(val):
            continue
        while d < 10 and abs(val * f - np.round(val * f)) > 1e-6:
            d += 1
            f *= 10.0
        if d == 10:
            return 0.0
    while d < 10:
        if top * f >= 1e15:
            return 0.0
        whole = True
        for val in v:
            if math.isfinite(val):
                y = val * f
                if abs(y - np.round(y)) > 1e-6:
                    whole = False
                    break
        if whole:
            return 1.0 / f
        d += 1
        f *= 10.0
    return 0.0


@njit(cache=True, nogil=True)
def _kth(a: np.ndarray, k: int) -> float:  # pragma: no cover - compiled
    """The ``k``-th smallest of ``a`` (from 0), rearranging ``a`` so that nothing before
    position ``k`` is greater and nothing after it is smaller. Quickselect on the middle
    element with a partition that does not branch on the comparison (each element swapped
    into place, the boundary advanced by the comparison's 0 or 1: random readings made every
    other comparison a mispredicted branch, 3 µs for 250 values), then the elements equal to
    the pivot set apart, so that ties (a register's whole units) never make it quadratic."""
    lo = 0
    hi = len(a)  # the k-th lies in a[lo:hi]
    while hi - lo > 1:
        x = a[(lo + hi) >> 1]
        j = lo
        for i in range(lo, hi):  # a[lo:j] < x <= a[j:i]
            v = a[i]
            a[i] = a[j]
            a[j] = v
            j += v < x
        if k < j:
            hi = j
            continue
        e = j
        for i in range(j, hi):  # a[j:e] == x < a[e:i]
            v = a[i]
            a[i] = a[e]
            a[e] = v
            e += v <= x
        if k < e:
            return x
        lo = e
    return a[k]


@njit(cache=True, nogil=True)
def _chunks(starts: np.ndarray, n_chunks: int) -> np.ndarray:  # pragma: no cover - compiled
    """Slots ``bounds[c]:bounds[c + 1]`` of ``n_chunks`` runs of whole slots holding about
    equal numbers of rows (some empty when one slot holds more than a chunk's share)."""
    n_slots = len(starts) - 1
    total = starts[n_slots] - starts[0]
    bounds = np.full(n_chunks + 1, n_slots, dtype=np.int64)
    bounds[0] = 0
    c = 1
    for j in range(n_slots):
        while c < n_chunks and (starts[j + 1] - starts[0]) * n_chunks >= c * total:
            bounds[c] = j + 1
            c += 1
    return bounds


@njit(cache=True, nogil=True)
def _day_row(d_day: np.ndarray, d_amount: np.ndarray, d_n: np.ndarray, at: int, day: int,
             amount: float, n: int) -> int:  # pragma: no cover - compiled
    """One day run written at ``at``; 1 if it holds readings with an amount, else 0."""
    d_day[at] = day
    d_amount[at] = amount
    d_n[at] = n
    return 1 if n else 0


@njit(cache=True, nogil=True)
def work_layout(starts: np.ndarray, n_chunks: int):  # pragma: no cover - compiled
    """Runs of slots for :func:`check_instruments` (:func:`_chunks`) and where each run's
    work columns begin (as many as its longest instrument has readings), and the end."""
    bounds = _chunks(starts, max(1, min(n_chunks, len(starts) - 1)))
    w_at = np.zeros(len(bounds), dtype=np.int64)
    for c in range(len(bounds) - 1):
        longest = 0
        for j in range(bounds[c], bounds[c + 1]):
            longest = max(longest, starts[j + 1] - starts[j])
        w_at[c + 1] = w_at[c] + longest
    return bounds, w_at


@njit(cache=True, parallel=True)
def check_instruments(  # pragma: no cover - compiled
        starts: np.ndarray, slot_iid: np.ndarray, key: np.ndarray, time: np.ndarray,
        value: np.ndarray, scale: np.ndarray, offset: np.ndarray, kind_of_key: np.ndarray,
        rate_of_key: np.ndarray, lo: np.ndarray, hi: np.ndarray, nonneg: np.ndarray,
        interval_given: float, period_start: int, period_end: int, z_max: float,
        zero_mad_factor: float, mad_epsilon: float, gap_factor: float, stuck_n: int, frac: float,
        idle_level: float, idle_share: float, bounds: np.ndarray, w_at: np.ndarray, wf: np.ndarray, wb: np.ndarray,
        f_row: np.ndarray, f_bits: np.ndarray, g_dt: np.ndarray, g_to: np.ndarray,
        g_missing: np.ndarray, d_day: np.ndarray, d_amount: np.ndarray, d_n: np.ndarray):
    """The checks on rows ``starts[j]:starts[j + 1]`` of every instrument slot ``j`` (its
    instrument code ``slot_iid[j]``).

    Rows are in (instrument, time) order and readable (time and value present). Spikes are
    judged on the running state only: not the first reading after a gap, not a value at or
    below ``idle_level`` or ``idle_share`` of the running median (the idle state), not the
    start or stop next to it. ``value`` is
    in the file's unit; ``value * scale[key] + offset[key]`` is the value in the
    instrument's unit. Per row a reading closes the interval that ends at its time stamp when
    it is a totaliser or a rate (its effective time is one microsecond earlier), and counts
    in the period when ``period_start <= effective time < period_end``. The interval is the
    median of the steps that end in the period (the steps read either side only when none
    does); first and last are the readings in the period (all of them when none is). A
    totaliser's increments are taken from its register: the first reading at a time stamp
    (a second one is a duplicate), never a glitch — a reading outside its neighbours while
    they agree (the next not below the last good one: a 0, a sentinel, a bad re-read), which
    is flagged a spike, has no increment, and leaves the next reading's two-step increment out
    of the spike sample.

    The slots are taken in runs ``bounds[c]:bounds[c + 1]`` of about equal rows
    (:func:`work_layout`, one per thread), in parallel; run ``c`` works in columns
    ``w_at[c]:w_at[c + 1]`` of ``wf`` (float64, 5 rows) and ``wb`` (uint8, 4 rows), as many
    as its longest instrument has readings, reused from instrument to instrument. What the
    slots report — flagged rows (``f_row`` position, ``f_bits``), gaps (``g_dt`` seconds,
    ``g_to`` time, ``g_missing``) and day runs (``d_day``, ``d_amount``, ``d_n`` readings
    with an amount, over every row, not only the period) — each run writes one slot after
    the other from its first row position on (arrays as long as the rows);
    :func:`compact_reports` gathers them. Every array is the caller's: nothing as long as
    the rows is allocated here, so that a caller can keep them for the next check
    (:mod:`tanjiliang.data.buffers`: allocating them afresh, the system's page faults took
    as long as the checks).

    Returns per slot: kind of the first row, rows in the period, first and last time, the
    interval, first and last effective time in the period, distinct rows in the period,
    missing readings inside gaps, longest gap, amount, counts (``N_COUNTS`` columns), and
    the numbers of flagged rows, gaps, day runs and day runs with readings; whether every
    slot's days increase (kinds mixed within an instrument can meet a day twice); and per
    slot where its flagged rows, gaps and day runs begin (each run of slots writes them one
    slot after the other from the run's first row position on: only as much memory is
    touched as is reported).
    """
    n_slots = len(starts) - 1
    s_kind = np.empty(n_slots, dtype=np.int8)
    s_n = np.zeros(n_slots, dtype=np.int64)
    s_first = np.empty(n_slots, dtype=np.int64)
    s_last = np.empty(n_slots, dtype=np.int64)
    s_interval = np.empty(n_slots)
    s_first_eff = np.empty(n_slots, dtype=np.int64)
    s_last_eff = np.empty(n_slots, dtype=np.int64)
    s_distinct = np.zeros(n_slots, dtype=np.int64)
    s_missing = np.zeros(n_slots, dtype=np.int64)
    s_longest = np.empty(n_slots)
    s_amount = np.zeros(n_slots)
    s_counts = np.zeros((n_slots, N_COUNTS), dtype=np.int64)
    s_days_ok = np.ones(n_slots, dtype=np.bool_)
    f_count = np.zeros(n_slots, dtype=np.int64)
    g_count = np.zeros(n_slots, dtype=np.int64)
    d_count = np.zeros(n_slots, dtype=np.int64)
    d_kept = np.zeros(n_slots, dtype=np.int64)
    f_src = np.zeros(n_slots, dtype=np.int64)
    g_src = np.zeros(n_slots, dtype=np.int64)
    d_src = np.zeros(n_slots, dtype=np.int64)
    s_days_ok = np.ones(n_slots, dtype=np.bool_)
    n_chunks = len(bounds) - 1
    for c in prange(n_chunks):
        j0 = bounds[c]
        j1 = bounds[c + 1]
        w0 = w_at[c]
        w1 = w_at[c + 1]
        v = wf[0, w0:w1]
        x = wf[1, w0:w1]  # NaN: no value for the z-score (a totaliser's first reading)
        pos_dt = wf[2, w0:w1]
        xs = wf[3, w0:w1]
        work = wf[4, w0:w1]
        kinds = wb[0, w0:w1]
        bits = wb[1, w0:w1]
        idle = wb[2, w0:w1]
        after_gap = wb[3, w0:w1]
        base = starts[j0] if j0 < j1 else 0
        f_at = base  # the run's reports, one slot after the other from its first row on
        g_at = base
        d_at = base
        for j in range(j0, j1):
            a = starts[j]
            b = starts[j + 1]
            m = b - a
            inst = slot_iid[j]
            # the instrument's rows as views indexed from 0: the compiled loops then need no
            # negative-index fix-up per access (10–20 % of the pass, issue 16)
            key_j = key[a:b]
            time_j = time[a:b]
            value_j = value[a:b]
            bits[:m] = 0
            # what the robust z-score is taken over (docs/data.md "Spikes"): not the first
            # reading after a gap (a totaliser's increment spans the gap), not the idle state
            # of an intermittent meter (|x| <= idle_level: a belt scale standing at 0); a start
            # or a stop next to the idle state is a change of state, never a spike
            idle[:m] = 0
            after_gap[:m] = 0
            n_dt = 0  # steps ending in the period, from the front of pos_dt
            n_out = 0  # steps ending outside it (the day read either side), from the back
            n_x = 0
            dt_lo = np.inf
            dt_hi = -np.inf
            out_lo = np.inf
            out_hi = -np.inf
            run_start = 0
            reg = np.nan  # a totaliser's register: its last reading that is not a glitch
            for k in range(m):
                kk = key_j[k]
                kinds[k] = kind_of_key[kk]
                v[k] = value_j[k] * scale[kk] + offset[kk]
                total = kinds[k] == TOTAL
                if k == 0:
                    x[k] = np.nan if total else v[k]
                    reg = v[k]
                else:
                    dt = (time_j[k] - time_j[k - 1]) / 1e6
                    prev = v[k - 1]
                    dup = dt == 0
                    if dup:
                        bits[k] |= DUPLICATE
                    elif dt > 0:
                        # the interval is judged on the steps that end in the period, not on the
                        # day read either side for a totaliser's opening and closing register
                        t_end = time_j[k] - 1 if (total or rate_of_key[kk]) else time_j[k]
                        if period_start <= t_end < period_end:
                            pos_dt[n_dt] = dt
                            n_dt += 1
                            dt_lo = min(dt_lo, dt)
                            dt_hi = max(dt_hi, dt)
                        else:
                            n_out += 1
                            pos_dt[m - n_out] = dt
                            out_lo = min(out_lo, dt)
                            out_hi = max(out_hi, dt)
                    if not total:
                        x[k] = v[k]
                        reg = v[k]
                    elif dup:  # the first reading at a time stamp stands as the register;
                        x[k] = 0.0  # the second has no increment of its own to judge
                        after_gap[k] = 1
                    else:  # (reg is the first reading's from k = 0 on: rows are readable)
                        # a glitch: the register's neighbours agree (the next reading is not
                        # below the last good one) and this reading lies outside them — a 0,
                        # a sentinel or a bad re-read: no increment here, and the next reading's
                        # increment is taken from the last good one (it spans two steps, so it
                        # leaves the spike sample as after a gap)
                        nxt = np.nan
                        j_next = k + 1
                        while j_next < m and time_j[j_next] == time_j[k]:
                            j_next += 1
                        if j_next < m and kind_of_key[key_j[j_next]] == TOTAL:
                            nxt = value_j[j_next] * scale[key_j[j_next]] + offset[key_j[j_next]]
                        if not math.isnan(nxt) and reg <= nxt and (v[k] < reg or v[k] > nxt):
                            x[k] = np.nan
                            bits[k] |= SPIKE
                            after_gap[j_next] = 1
                        elif v[k] < reg:  # a totaliser fell: rolled over its last digit, or reset
                            p10 = 10.0 ** math.ceil(math.log10(max(reg, 1e-9)))
                            if p10 == reg:
                                p10 *= 10
                            if reg >= frac * p10:
                                x[k] = p10 - reg + v[k]
                                bits[k] |= ROLLOVER
                            else:
                                x[k] = v[k]
                                bits[k] |= RESET
                            reg = v[k]
                        else:
                            x[k] = v[k] - reg
                            reg = v[k]
                    if v[k] != prev:  # a run of equal values ends before this row
                        if k - run_start >= stuck_n:
                            for r in range(run_start, k):
                                if kinds[r] == READING:
                                    bits[r] |= STUCK
                        run_start = k
                if not math.isnan(x[k]) and not after_gap[k]:
                    if abs(x[k]) <= idle_level and not bits[k] & DUPLICATE:
                        idle[k] = 1
                    else:
                        xs[n_x] = x[k]
                        n_x += 1
            if m - run_start >= stuck_n:
                for r in range(run_start, m):
                    if kinds[r] == READING:
                        bits[r] |= STUCK
            if not math.isnan(interval_given):
                interval = interval_given
            elif n_dt:  # no selection when the steps are all equal (they usually are)
                interval = dt_lo if dt_lo == dt_hi else _median_in_place(pos_dt[:n_dt])
            elif n_out:  # no step ends in the period: the steps read either side of it
                interval = out_lo if out_lo == out_hi else _median_in_place(pos_dt[m - n_out:m])
            else:
                interval = 3600.0
            dt_hi = max(dt_hi, out_hi)
            if dt_hi > gap_factor * interval:  # gaps: the readings after them leave the sample
                n_x = 0
                for k in range(m):
                    if math.isnan(x[k]):
                        continue
                    if k > 0 and (time_j[k] - time_j[k - 1]) / 1e6 > gap_factor * interval:
                        after_gap[k] = 1
                    elif not idle[k] and not after_gap[k]:
                        xs[n_x] = x[k]
                        n_x += 1
            med = _median_work(xs[:n_x], work)
            # a value near 0 beside the running level is the idle state too: a stopped belt's
            # zero drift (0.03–0.39 t/h beside 500 t/h running), judged on the running median
            low = idle_share * abs(med)
            near_zero = False
            for q in range(n_x):
                if abs(xs[q]) <= low:
                    near_zero = True
                    break
            if near_zero:
                n_x = 0
                for k in range(m):
                    if math.isnan(x[k]) or after_gap[k] or idle[k]:
                        continue
                    if abs(x[k]) <= low and not bits[k] & DUPLICATE:
                        idle[k] = 1
                    else:
                        xs[n_x] = x[k]
                        n_x += 1
                med = _median_work(xs[:n_x], work)
            mean_ad = 0.0
            for k in range(n_x):
                xs[k] = abs(xs[k] - med)
                mean_ad += xs[k]
            mad = _median_work(xs[:n_x], work)
            spike_at = np.inf
            if n_x and not math.isnan(med):
                mean_ad /= n_x
                zero = mad_epsilon * max(abs(med), 1.0)
                if mad > zero:  # modified z = 0.6745 |x − median| / MAD
                    spike_at = z_max * mad / 0.6745
                elif mean_ad > zero:  # MAD is 0: the MeanAD form (rules.yaml)
                    spike_at = z_max * zero_mad_factor * mean_ad
            # one last digit of the readings is the display's rounding, never a spike: worked
            # out only when a deviation in the sample (xs holds them now) above spike_at is
            # small enough for a last digit (≤ 1.5 × 10⁰) to matter
            spike_floor = 0.0
            dev_small = np.inf
            for q in range(n_x):
                if xs[q] > spike_at:
                    dev_small = min(dev_small, xs[q])
            if dev_small <= 1.5:
                spike_floor = 1.5 * _resolution(v[:m])
            lo_i = lo[inst]
            hi_i = hi[inst]
            nonneg_i = nonneg[inst]
            s_kind[j] = kinds[0]
            s_interval[j] = interval
            first_eff = np.iinfo(np.int64).max
            last_eff = np.iinfo(np.int64).min
            first_t = 0
            last_t = 0
            longest = np.nan
            missing = 0.0
            amount = 0.0
            n_in = 0
            distinct = 0
            nf = 0
            ng = 0
            nd = 0
            day = np.iinfo(np.int64).min
            day_lo = 1  # the current day's first and next day's first microsecond (none yet)
            day_hi = 0
            day_amount = 0.0
            day_n = 0
            days_ok = True
            kept = 0
            any_gap = m > 1 and max(dt_hi, 0.0) > gap_factor * interval
            for k in range(m):
                i = a + k
                total = kinds[k] == TOTAL
                rate = rate_of_key[key_j[k]]
                if nonneg_i and v[k] < 0:
                    bits[k] |= NEGATIVE
                if not total and (v[k] < lo_i or v[k] > hi_i):
                    bits[k] |= OUT_OF_RANGE
                # the deviation first: it is rarely large, and a NaN (no value) never is
                # … and not a step of a ramp (strictly between its neighbours: a start or a
                # stop over several readings, 500 → 300 → 100 → 0, is a change of state too)
                if (abs(x[k] - med) > spike_at and not after_gap[k] and not idle[k]
                        and not (k > 0 and idle[k - 1]) and not (k + 1 < m and idle[k + 1])
                        and not (0 < k < m - 1 and (x[k - 1] < x[k] < x[k + 1] or x[k - 1] > x[k] > x[k + 1]))
                        and abs(x[k] - med) > spike_floor):  # more than one last digit
                    bits[k] |= SPIKE
                if total:
                    inc = x[k]
                elif kinds[k] == AMOUNT:
                    inc = 0.0 if (k > 0 and bits[k] & DUPLICATE and v[k] == v[k - 1]) else v[k]
                elif rate:
                    inc = v[k] * interval / 3600.0
                else:
                    inc = np.nan
                t_eff = time_j[k] - 1 if (total or rate) else time_j[k]
                if not (day_lo <= t_eff < day_hi):  # another day (a division only then)
                    if k > 0:
                        kept += _day_row(d_day, d_amount, d_n, d_at + nd, day, day_amount, day_n)
                        nd += 1
                    new_day = t_eff // MICROS_PER_DAY
                    if k > 0 and new_day <= day:
                        days_ok = False
                    day = new_day
                    day_lo = day * MICROS_PER_DAY
                    day_hi = day_lo + MICROS_PER_DAY
                    day_amount = 0.0
                    day_n = 0
                if not math.isnan(inc):
                    day_amount += inc
                    day_n += 1
                if not (period_start <= t_eff < period_end):
                    continue
                if n_in == 0:
                    first_t = time_j[k]  # the first and last readings in the period
                last_t = time_j[k]
                n_in += 1
                first_eff = min(first_eff, t_eff)
                last_eff = max(last_eff, t_eff)
                if not bits[k] & DUPLICATE:
                    distinct += 1
                if not math.isnan(inc):
                    amount += inc
                if bits[k]:
                    f_row[f_at + nf] = i
                    f_bits[f_at + nf] = bits[k]
                    nf += 1
                    for c2 in range(7):
                        if bits[k] & (1 << c2):
                            s_counts[j, c2] += 1
                if any_gap and k > 0:
                    dt = (time_j[k] - time_j[k - 1]) / 1e6
                    if dt > gap_factor * interval:
                        gap_missing = np.round(dt / interval) - 1
                        g_to[g_at + ng] = time_j[k]
                        g_dt[g_at + ng] = dt
                        g_missing[g_at + ng] = np.int64(gap_missing)
                        ng += 1
                        missing += gap_missing
                        longest = dt if math.isnan(longest) else max(longest, dt)
            kept += _day_row(d_day, d_amount, d_n, d_at + nd, day, day_amount, day_n)
            nd += 1
            if n_in == 0:  # none in the period: where its readings are
                first_t = time[a]
                last_t = time[b - 1]
            s_first[j] = first_t
            s_last[j] = last_t
            s_n[j] = n_in
            s_first_eff[j] = first_eff
            s_last_eff[j] = last_eff
            s_distinct[j] = distinct
            s_missing[j] = np.int64(missing)
            s_longest[j] = longest
            s_amount[j] = amount
            s_counts[j, GAP_COUNT] = ng
            s_days_ok[j] = days_ok
            f_count[j] = nf
            g_count[j] = ng
            d_count[j] = nd
            d_kept[j] = kept
            f_src[j] = f_at
            g_src[j] = g_at
            d_src[j] = d_at
            f_at += nf
            g_at += ng
            d_at += nd
    all_days_ok = True
    for j in range(n_slots):
        all_days_ok = all_days_ok and s_days_ok[j]
    return (s_kind, s_n, s_first, s_last, s_interval, s_first_eff, s_last_eff, s_distinct,
            s_missing, s_longest, s_amount, s_counts, f_count, g_count, d_count, d_kept,
            all_days_ok, f_src, g_src, d_src)


@njit(cache=True, parallel=True)
def compact_reports(  # pragma: no cover - compiled
        slot_iid: np.ndarray, f_src: np.ndarray, f_count: np.ndarray, g_src: np.ndarray,
        g_count: np.ndarray, d_src: np.ndarray, d_count: np.ndarray, only_kept: bool, f_row: np.ndarray, f_bits: np.ndarray,
        g_dt: np.ndarray, g_to: np.ndarray, g_missing: np.ndarray, d_day: np.ndarray,
        d_amount: np.ndarray, d_n: np.ndarray, o_fiid: np.ndarray, o_frow: np.ndarray,
        o_fbits: np.ndarray, o_giid: np.ndarray, o_gfrom: np.ndarray, o_gto: np.ndarray,
        o_gmissing: np.ndarray, o_diid: np.ndarray, o_dday: np.ndarray, o_damount: np.ndarray,
        o_dn: np.ndarray) -> None:
    """What :func:`check_instruments` wrote for each slot (from ``*_src``), one slot
    after the other into the outputs (allocated by the caller at the sizes it returned):
    flagged rows (instrument code, position, bits), gaps (instrument code, from, to,
    missing) and day runs (instrument code, day, amount, readings) — with ``only_kept``
    only the runs with readings."""
    n_slots = len(slot_iid)
    f_at = np.zeros(n_slots + 1, dtype=np.int64)
    g_at = np.zeros(n_slots + 1, dtype=np.int64)
    d_at = np.zeros(n_slots + 1, dtype=np.int64)
    for j in range(n_slots):
        f_at[j + 1] = f_at[j] + f_count[j]
        g_at[j + 1] = g_at[j] + g_count[j]
        kept = d_count[j]
        if only_kept:
            kept = 0
            for q in range(d_src[j], d_src[j] + d_count[j]):
                if d_n[q] > 0:
                    kept += 1
        d_at[j + 1] = d_at[j] + kept
    for j in prange(n_slots):  # each slot's runs copied through views indexed from 0
        inst = slot_iid[j]
        a = f_src[j]
        p = f_at[j]
        o_fiid[p:p + f_count[j]] = inst
        o_frow[p:p + f_count[j]] = f_row[a:a + f_count[j]]
        o_fbits[p:p + f_count[j]] = f_bits[a:a + f_count[j]]
        a = g_src[j]
        p = g_at[j]
        m = g_count[j]
        gto, gdt, gmiss = g_to[a:a + m], g_dt[a:a + m], g_missing[a:a + m]
        ofrom, oto, omiss = o_gfrom[p:p + m], o_gto[p:p + m], o_gmissing[p:p + m]
        o_giid[p:p + m] = inst
        for q in range(m):
            oto[q] = gto[q]
            ofrom[q] = gto[q] - np.int64(gdt[q] * 1e6)
            omiss[q] = gmiss[q]
        a = d_src[j]
        p = d_at[j]
        m = d_count[j]
        dday, damount, dn = d_day[a:a + m], d_amount[a:a + m], d_n[a:a + m]
        if not only_kept:
            o_diid[p:p + m] = inst
            o_dday[p:p + m] = dday
            o_damount[p:p + m] = damount
            o_dn[p:p + m] = dn
            continue
        for q in range(m):
            if dn[q] == 0:
                continue
            o_diid[p] = inst
            o_dday[p] = dday[q]
            o_damount[p] = damount[q]
            o_dn[p] = dn[q]
            p += 1


#: what :func:`prepare` finds a row to be
GOOD, UNKNOWN, UNUSABLE, BAD, OUTSIDE = 0, 1, 2, 3, 4
#: a missing time stamp (pyarrow's NaT)
NAT = np.iinfo(np.int64).min


@njit(cache=True, nogil=True)
def _put(dst: np.ndarray, values: tuple[int, ...]) -> None:  # pragma: no cover - compiled
    """``dst[:len(values)] = values`` (a tuple of integers)."""
    for q in range(len(values)):
        dst[q] = values[q]


@njit(cache=True, nogil=True)
def _prepare_rows(  # pragma: no cover - compiled
        icode: np.ndarray, ucode: np.ndarray, kcode: np.ndarray, time: np.ndarray,
        value: np.ndarray, imap: np.ndarray, umap: np.ndarray, kmap: np.ndarray, nu: int, nk: int,
        kind_of_key: np.ndarray, bounded: bool, t_lo: int, t_hi: int, at: int, r0: int, r1: int,
        iid_out: np.ndarray, key_out: np.ndarray, status_out: np.ndarray, seen: np.ndarray,
        part: np.ndarray) -> None:
    """Rows ``r0:r1`` of :func:`prepare`, judged on their own: the status, instrument code and
    key of each, the GOOD rows per instrument code in ``seen``, and in ``part``: the first
    GOOD row's instrument and time, the last's, whether the GOOD rows are grouped by
    instrument with time never falling inside a group, whether time never falls at all, the
    GOOD rows, the rows not dropped, and the rows of unknown ids and of unusable keys."""
    has_u = len(ucode) > 0
    has_k = len(kcode) > 0
    n_i = len(imap) - 1
    n_u = len(umap) - 1
    n_k = len(kmap) - 1
    prev_i = -1
    prev_t = 0
    first_i = -1
    first_t = 0
    grouped = 1
    t_sorted = 1
    n_good = 0
    n_in = 0
    n_unknown = 0
    n_unusable = 0
    # views of the run indexed from 0 (no negative-index fix-up per access, as in
    # check_instruments)
    icode = icode[r0:r1]
    ucode = ucode[r0:r1] if has_u else ucode[:0]
    kcode = kcode[r0:r1] if has_k else kcode[:0]
    time = time[r0:r1]
    value = value[r0:r1]
    iid_out = iid_out[at + r0:at + r1]
    key_out = key_out[at + r0:at + r1]
    status_out = status_out[at + r0:at + r1]
    for o in range(r1 - r0):
        r = o
        t = time[r]
        if bounded and t != NAT and (t < t_lo or t >= t_hi):  # no time: in no period, kept (BAD)
            status_out[o] = OUTSIDE
            continue
        n_in += 1
        c = icode[r]
        ii = imap[c if c >= 0 else n_i]
        if ii < 0:
            status_out[o] = UNKNOWN
            n_unknown += 1
            continue
        u = 0
        if has_u:
            cu = ucode[r]
            u = umap[cu if cu >= 0 else n_u]
        k = 0
        if has_k:
            ck = kcode[r]
            k = kmap[ck if ck >= 0 else n_k]
        key = (ii * nu + u) * nk + k
        iid_out[o] = ii
        key_out[o] = key
        if kind_of_key[key] < 0:
            status_out[o] = UNUSABLE
            n_unusable += 1
            continue
        v = value[r]
        if t == NAT or not math.isfinite(v):
            status_out[o] = BAD
            continue
        status_out[o] = GOOD
        if n_good > 0:
            if t < prev_t:
                t_sorted = 0
            if ii != prev_i:
                if seen[ii]:
                    grouped = 0
            elif t < prev_t:
                grouped = 0
        else:
            first_i = ii
            first_t = t
        seen[ii] += 1
        prev_i = ii
        prev_t = t
        n_good += 1
    _put(part, (first_i, first_t, prev_i, prev_t, grouped, t_sorted, n_good, n_in, n_unknown, n_unusable))


#: rows per part below which a file is prepared in fewer parts (a thread's start costs more)
PREPARE_PART_ROWS = 1 << 16


@njit(cache=True, parallel=True)
def prepare(  # pragma: no cover - compiled
        icode: np.ndarray, ucode: np.ndarray, kcode: np.ndarray, time: np.ndarray,
        value: np.ndarray, imap: np.ndarray, umap: np.ndarray, kmap: np.ndarray, nu: int, nk: int,
        kind_of_key: np.ndarray, bounded: bool, t_lo: int, t_hi: int, at: int, parts: int,
        iid_out: np.ndarray, key_out: np.ndarray, status_out: np.ndarray,
        unknown_out: np.ndarray, unusable_out: np.ndarray, state: np.ndarray) -> None:
    """One file's rows (dictionary codes of instrument, unit and kind, -1 for none; time
    stamps in microseconds, NAT for none; values) → rows ``at:at + len(time)`` of the
    instrument code, lookup key and status, in the order the polars path judges them:
    outside ``t_lo <= time < t_hi`` when ``bounded`` (dropped, uncounted; a row without a
    time is in no period and is kept, BAD), an id not in the ledger (counted per code, the
    last slot for none), an unusable unit or kind (counted per key), no time or no finite
    value (BAD), else GOOD.

    ``state`` carries across files: previous GOOD instrument and time, whether the GOOD
    rows are grouped by instrument with time never falling inside a group, whether time
    never falls at all, the number of GOOD rows, and of rows not dropped; then one slot per
    instrument code: its GOOD rows (the counts :func:`arrange` places rows by). ``ucode`` or
    ``kcode`` empty: the file has no such column.

    The rows are judged in ``parts`` runs in parallel (:func:`_prepare_rows`), then
    joined in order: a run's instruments are grouped with the earlier runs' when its first
    instrument continues the previous run's last (time not falling) and none of its others
    was met before — the same answers as one pass over every row (tests/data/
    test_data_columns.py). The rows of unknown ids and unusable keys, rare, are counted in a
    second pass over the rows only when there are any."""
    n = len(time)
    n_iid = len(state) - 6
    parts = max(1, min(parts, n))
    runs = np.zeros((parts, 10), dtype=np.int64)
    seen_in = np.zeros((parts, n_iid), dtype=np.int64)
    for p in prange(parts):
        _prepare_rows(icode, ucode, kcode, time, value, imap, umap, kmap, nu, nk, kind_of_key,
                      bounded, t_lo, t_hi, at, n * p // parts, n * (p + 1) // parts, iid_out,
                      key_out, status_out, seen_in[p], runs[p])
    prev_i = state[0]
    prev_t = state[1]
    grouped = state[2]
    t_sorted = state[3]
    n_good = state[4]
    n_in = state[5]
    seen = state[6:]  # per instrument code: its GOOD rows so far (a group of it has begun)
    set_aside = 0
    for p in range(parts):
        n_in += runs[p, 7]
        set_aside += runs[p, 8] + runs[p, 9]
        if runs[p, 6] == 0:
            continue
        first_i = runs[p, 0]
        first_t = runs[p, 1]
        if not runs[p, 4]:
            grouped = 0
        if not runs[p, 5]:
            t_sorted = 0
        continues = n_good > 0 and first_i == prev_i
        if n_good > 0 and first_t < prev_t:
            t_sorted = 0
            if continues:
                grouped = 0
        for ii in range(n_iid):
            if seen_in[p, ii]:
                if seen[ii] and not (continues and ii == first_i):
                    grouped = 0
                seen[ii] += seen_in[p, ii]
        prev_i = runs[p, 2]
        prev_t = runs[p, 3]
        n_good += runs[p, 6]
    if set_aside:
        n_i = len(imap) - 1
        for r in range(n):
            s = status_out[at + r]
            if s == UNKNOWN:
                c = icode[r]
                unknown_out[c if c >= 0 else n_i] += 1
            elif s == UNUSABLE:
                unusable_out[key_out[at + r]] += 1
    _put(state, (prev_i, prev_t, grouped, t_sorted, n_good, n_in))


@njit(cache=True, parallel=True)
def arrange(  # pragma: no cover - compiled
        status: np.ndarray, iid: np.ndarray, key: np.ndarray, time: np.ndarray,
        value: np.ndarray, counts: np.ndarray, grouped: bool, t_sorted: bool, parts: int,
        perm: np.ndarray, key_s: np.ndarray, time_s: np.ndarray, value_s: np.ndarray):
    """The GOOD rows (:func:`prepare`) in the order the checks read them: their positions,
    the instrument slots (first position of each and the end, the instrument code of each)
    and their lookup keys, time stamps and values in that order. As they are when grouped
    by instrument with time never falling inside a group; else a stable counting sort by
    instrument code (``counts``: GOOD rows per code, from :func:`prepare`), and where an
    instrument's times still fall (time is not sorted overall), a stable sort of its rows
    by time — the order of polars' stable sort by (instrument, time): readings of one
    instant keep the files' order. Writes the positions, keys, times and values in that
    order to ``perm``, ``key_s``, ``time_s``, ``value_s`` (as many as GOOD rows; allocated
    by the caller, see :func:`check_instruments`); returns the slots' first positions (and
    the end) and instrument codes."""
    n = len(status)
    n_iid = len(counts)
    n_good = len(perm)
    if grouped:  # only rows set aside: the others keep their places
        n_slots = 0
        for i in range(n_iid):
            if counts[i]:
                n_slots += 1
        starts = np.empty(n_slots + 1, dtype=np.int64)
        slot_iid = np.empty(n_slots, dtype=iid.dtype)
        q = 0
        j = 0
        for r in range(n):
            if status[r] == GOOD:
                if q == 0 or iid[r] != slot_iid[j - 1]:
                    starts[j] = q
                    slot_iid[j] = iid[r]
                    j += 1
                perm[q] = r
                key_s[q] = key[r]
                time_s[q] = time[r]
                value_s[q] = value[r]
                q += 1
        starts[n_slots] = n_good
        return starts, slot_iid
    first = np.zeros(n_iid + 1, dtype=np.int64)
    n_slots = 0
    for i in range(n_iid):
        first[i + 1] = first[i] + counts[i]
        if counts[i]:
            n_slots += 1
    starts = np.empty(n_slots + 1, dtype=np.int64)
    slot_iid = np.empty(n_slots, dtype=iid.dtype)
    j = 0
    for i in range(n_iid):
        if counts[i]:
            starts[j] = first[i]
            slot_iid[j] = i
            j += 1
    starts[n_slots] = n_good
    # each row written straight to its place (reads in order, no gather), by ``parts``
    # threads each placing the rows of one range of codes (about equal rows)
    parts = max(1, min(parts, n_iid))
    code_at = np.full(parts + 1, n_iid, dtype=np.int64)
    code_at[0] = 0
    c = 1
    for i in range(n_iid):
        while c < parts and first[i + 1] * parts >= c * n_good:
            code_at[c] = i + 1
            c += 1
    for part in prange(parts):
        i_lo = code_at[part]
        i_hi = code_at[part + 1]
        if i_lo >= i_hi:
            continue
        fill = first[:-1].copy()
        for r in range(n):
            if status[r] == GOOD:
                i = iid[r]
                if i_lo <= i < i_hi:
                    q = fill[i]
                    fill[i] = q + 1
                    perm[q] = r
                    key_s[q] = key[r]
                    time_s[q] = time[r]
                    value_s[q] = value[r]
    if not t_sorted:
        for j in prange(n_slots):
            a = starts[j]
            b = starts[j + 1]
            ok = True
            for q in range(a + 1, b):
                if time_s[q] < time_s[q - 1]:
                    ok = False
                    break
            if not ok:
                order = np.argsort(time_s[a:b], kind="mergesort")
                p_seg = perm[a:b].copy()
                k_seg = key_s[a:b].copy()
                t_seg = time_s[a:b].copy()
                v_seg = value_s[a:b].copy()
                for q in range(b - a):
                    perm[a + q] = p_seg[order[q]]
                    key_s[a + q] = k_seg[order[q]]
                    time_s[a + q] = t_seg[order[q]]
                    value_s[a + q] = v_seg[order[q]]
    return starts, slot_iid


@njit(cache=True, nogil=True)
def _month_start(day: int) -> int:  # pragma: no cover - compiled
    """The first day of ``day``'s month, both in days since 1970-01-01 (proleptic Gregorian;
    H. Hinnant's civil-from-days)."""
    z = day + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    return day - (doy - (153 * mp + 2) // 5)


@njit(cache=True, nogil=True)
def month_runs(iid: np.ndarray, day: np.ndarray, amount: np.ndarray, n: np.ndarray,
               day_lo: int, day_hi: int):  # pragma: no cover - compiled
    """Daily rows in (instrument, day) order → one row per instrument and month of the days
    ``day_lo <= day < day_hi``: instrument code, first day of the month, the sum of the
    amounts (in day order) and of the readings."""
    m = len(day)
    o_iid = np.empty(m, dtype=iid.dtype)
    o_month = np.empty(m, dtype=np.int64)
    o_amount = np.empty(m)
    o_n = np.empty(m, dtype=np.int64)
    k = -1
    lo = 1  # the current month's first day and the next month's (none yet)
    hi = 0
    cur = iid[0] if m else 0
    acc = 0.0  # the current month's sums, kept in registers (stored at its end): the same
    acc_n = 0  # additions in the same order (issue 16)
    for r in range(m):
        d = day[r]
        if d < day_lo or d >= day_hi:
            continue
        if k < 0 or iid[r] != cur or not (lo <= d < hi):
            if k >= 0:
                o_amount[k] = acc
                o_n[k] = acc_n
            k += 1
            lo = _month_start(d)
            hi = _month_start(lo + 31)
            cur = iid[r]
            o_iid[k] = cur
            o_month[k] = lo
            acc = 0.0
            acc_n = 0
        acc += amount[r]
        acc_n += n[r]
    if k >= 0:
        o_amount[k] = acc
        o_n[k] = acc_n
    k += 1
    return o_iid[:k], o_month[:k], o_amount[:k], o_n[:k]


@njit(cache=True, nogil=True)
def days_in_order(iid: np.ndarray, day: np.ndarray, by_code: bool) -> bool:  # pragma: no cover
    """Whether each instrument's day rows have increasing days; with ``by_code``, also
    whether the instruments come in code order."""
    for r in range(1, len(day)):
        if iid[r] == iid[r - 1]:
            if day[r] <= day[r - 1]:
                return False
        elif by_code and iid[r] < iid[r - 1]:
            return False
    return True


# Cached compiled code loaded without numba's compiler refresh (issue 16; jitcache.py). Keep
# this last: it covers the functions defined above it.
lean_loading(globals())
