"""Quality checks of readings per instrument, and the amounts they carry per day and month.

Per instrument (docs/data.md): coverage against the expected interval, gaps, duplicates,
negative and out-of-range values, totaliser resets and rollovers, stuck values and spikes
(robust z-score, rules.yaml); per instrument and day/month the amount measured (the sum of
amounts, of totaliser increments, or of rates × interval).

How it stays fast and bounded (bulk work is polars expressions, numpy array operations and
one compiled pass per instrument; Python loops run over distinct ids, units and batches, never
over readings):

1. One pass reads the readings and replaces the instrument, unit and kind texts by codes
   (:func:`encode_in_memory` hashes a text only where it changes from the row before).
   Unit conversion factors (pint) and effective kinds are computed once per distinct
   combination into lookup arrays, and every reading becomes a compact row (instrument code,
   lookup key, file, row, time, value). Up to ``batch_rows`` readings stay in memory as one
   batch; more are written once, coded, to temporary Parquet and partitioned by instrument
   code into batches of whole instruments, each checked on its own.
2. A batch is sorted by (instrument, time) only when it is not already in order, and its
   instruments are checked by :func:`tanjiliang.data.kernel.check_instruments`, which
   writes only what is reported: one row per instrument, day, flagged reading and gap.
"""

from __future__ import annotations

import math
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numba
import numpy as np
import polars as pl

from tanjiliang.data import kernel
from tanjiliang.data.buffers import POOL, Lease
from tanjiliang.data.profile import Profile, conversion, profiles, rate_conversion
from tanjiliang.data.readings import ParquetColumns, Readings, ReadingsIssue
from tanjiliang.data.rules import rule
from tanjiliang.model.unit import UnitFile

#: the flags a reading can carry in ``flagged.flags``, each with the summary column counting it
#: (``bad_time``/``bad_value`` are set where rows are read; gaps lie between readings)
ROW_FLAGS = {"duplicate": "duplicates", "negative": "negative", "out_of_range": "out_of_range",
             "reset": "resets", "rollover": "rollovers", "stuck": "stuck", "spike": "spikes"}
TOTAL, AMOUNT, READING = 0, 1, 2
KIND_CODE = {"total": TOTAL, "amount": AMOUNT, "reading": READING}

SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "instrument": pl.String(), "kind": pl.String(), "unit": pl.String(), "n": pl.UInt32(),
    "first": pl.Datetime("us"), "last": pl.Datetime("us"), "interval_s": pl.Float64(),
    "expected": pl.Int64(), "distinct": pl.UInt32(), "coverage_percent": pl.Float64(),
    "gaps": pl.UInt32(), "missing": pl.Int64(), "longest_gap_s": pl.Float64(),
    "duplicates": pl.UInt32(), "negative": pl.UInt32(), "out_of_range": pl.UInt32(),
    "resets": pl.UInt32(), "rollovers": pl.UInt32(), "stuck": pl.UInt32(), "spikes": pl.UInt32(),
    "bad_time": pl.UInt32(), "bad_value": pl.UInt32(), "amount": pl.Float64(),
}
FLAGGED_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.String(), "row": pl.Int64(), "instrument": pl.String(), "time": pl.Datetime("us"),
    "value": pl.Float64(), "unit": pl.String(), "flags": pl.String()}
MONTHLY_SCHEMA: dict[str, pl.DataType] = {
    "instrument": pl.String(), "month": pl.Date(), "amount": pl.Float64(), "n": pl.UInt32(),
    "unit": pl.String()}
DAILY_SCHEMA: dict[str, pl.DataType] = {
    "instrument": pl.String(), "day": pl.Date(), "amount": pl.Float64(), "n": pl.UInt32()}
GAPS_SCHEMA: dict[str, pl.DataType] = {
    "instrument": pl.String(), "gap_from": pl.Datetime("us"), "gap_to": pl.Datetime("us"),
    "missing": pl.Int64()}


@dataclass
class QualityResult:
    start: datetime
    end: datetime
    summary: pl.DataFrame  # one row per instrument (SUMMARY_SCHEMA)
    monthly: pl.DataFrame  # instrument, month, amount, n, unit (within the period)
    flagged: pl.DataFrame  # file, row, instrument, time, value, unit, flags
    gaps: pl.DataFrame  # instrument, gap_from, gap_to, missing
    daily: pl.DataFrame  # instrument, day, amount, n (every reading read, not only the period)
    issues: list[ReadingsIssue] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)
    rows: int = 0

    def instrument(self, ident: str) -> dict[str, object]:
        rows = self.summary.filter(pl.col("instrument") == ident).to_dicts()
        if not rows:
            raise KeyError(ident)
        return rows[0]


def reporting_period(unit: UnitFile, start: date | datetime | None, end: date | datetime | None
                     ) -> tuple[datetime, datetime]:
    """``--from``/``--to`` (end exclusive), else the unit's reporting year."""
    s = start or date(unit.unit.year, 1, 1)
    e = end or date(unit.unit.year + 1, 1, 1)
    s = s if isinstance(s, datetime) else datetime(s.year, s.month, s.day)
    e = e if isinstance(e, datetime) else datetime(e.year, e.month, e.day)
    return s, e


@dataclass
class Lookup:
    """Integer codes and per-combination lookup arrays (built from distinct values only)."""

    ids: list[str]  # iid → instrument id
    inst_map: dict[str, int]  # raw id text → iid
    unit_map: dict[str, int]  # raw unit text ("" for none) → uid
    kind_map: dict[str, int]  # raw kind text ("" for none) → kid
    units: list[str]  # uid → raw unit text
    target_units: list[str]  # iid → unit analysed in
    scale: np.ndarray  # by key = (iid × NU + uid) × NK + kid
    offset: np.ndarray
    is_rate: np.ndarray
    kind: np.ndarray  # effective kind code; -1 where unusable
    lo: np.ndarray  # by iid
    hi: np.ndarray
    nonneg: np.ndarray
    problems: Unusable  # key → (column, value, zh, en) unusable

    @property
    def nu(self) -> int:
        return len(self.unit_map)

    @property
    def nk(self) -> int:
        return len(self.kind_map)


class Unusable(Mapping[int, tuple[str, str, str, str]]):
    """The unusable (instrument, unit, kind) combinations by lookup key → (column, value, zh,
    en), each worked out when it is asked for: a ledger of 20 000 meters read with two units
    has 20 000 of them, and a check meets a few (their texts took 0.02 s a check, issue 16)."""

    def __init__(self, bad: np.ndarray, ids: list[str], units: list[str], kinds: list[str],
                 bad_kind: np.ndarray, targets: list[str], nu: int, nk: int) -> None:
        self._bad, self._ids, self._units, self._kinds = bad, ids, units, kinds
        self._bad_kind, self._targets, self._nu, self._nk = bad_kind, targets, nu, nk

    def __getitem__(self, key: int) -> tuple[str, str, str, str]:
        if not 0 <= key < len(self._bad) or not self._bad[key]:
            raise KeyError(key)
        i, rest = divmod(int(key), self._nu * self._nk)
        u, k = divmod(rest, self._nk)
        ident, unit_text, kind_text, target = self._ids[i], self._units[u], self._kinds[k], self._targets[i]
        if self._bad_kind[k]:
            return ("kind", kind_text, f"{ident}：数据类型应为 瞬时值（reading）、累计值（total）或 区间量（amount）",
                    f"{ident}: kind must be reading (instantaneous), total (a running total) or amount (in the interval)")
        return ("unit", unit_text, f"{ident}：单位“{unit_text}”不能换算为“{target}”",
                f'{ident}: unit "{unit_text}" cannot be converted to "{target}"')

    def instrument(self, key: int) -> str:
        """The instrument (its ledger id) of an unusable combination."""
        return self._ids[int(key) // (self._nu * self._nk)]

    def __iter__(self) -> Iterator[int]:
        return (int(k) for k in np.flatnonzero(self._bad))

    def __len__(self) -> int:
        return int(np.count_nonzero(self._bad))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def build_lookup(profs: dict[str, Profile], raw_ids: list[str | None], raw_units: list[str | None],
                 raw_kinds: list[str | None]) -> tuple[Lookup, list[str]]:
    """Codes for the distinct values seen; the raw ids that are not in the ledger."""
    ids = sorted(profs)
    index = {k: i for i, k in enumerate(ids)}
    inst_map: dict[str, int] = {}
    unknown: list[str] = []
    for r in raw_ids:
        if r is None:
            continue
        i = index.get(r.strip() if r.isascii() else _norm(r))  # ASCII is its own NFKC form
        if i is None:
            unknown.append(r)
        else:
            inst_map[r] = i
    units = ["", *sorted({u for u in raw_units if u is not None and u != ""})]
    unit_map = {u: k for k, u in enumerate(units)}
    kinds = ["", *sorted({k for k in raw_kinds if k is not None and k != ""})]
    kind_map = {k: j for j, k in enumerate(kinds)}
    ni, nu, nk = max(len(ids), 1), len(units), len(kinds)
    ps = [profs[k] for k in ids]  # looked up once, not once per field (20 000 meters)
    targets = [p.unit or "" for p in ps]
    default_kind = np.array([KIND_CODE[p.kind] for p in ps] or [0], dtype=np.int8)
    quantity = [p.quantity for p in ps]
    # conversions per (target unit, raw unit): few distinct pairs
    tset = sorted(set(targets))
    t_index = {t: j for j, t in enumerate(tset)}
    ti = np.array([t_index[t] for t in targets] or [0], dtype=np.int64)
    c_scale = np.ones((max(len(tset), 1), nu))
    c_offset = np.zeros((max(len(tset), 1), nu))
    c_rate = np.zeros((max(len(tset), 1), nu), dtype=bool)
    c_ok = np.ones((max(len(tset), 1), nu), dtype=bool)
    for a, tgt in enumerate(tset):
        for b, u in enumerate(units):
            if not u or not tgt:
                continue
            try:
                c_scale[a, b], c_offset[a, b] = conversion(_norm(u), tgt)
            except ValueError:
                f = rate_conversion(_norm(u), tgt)
                if f is None:
                    c_ok[a, b] = False
                else:
                    c_scale[a, b], c_rate[a, b] = f, True
    activity = np.array([q == "activity" for q in quantity] or [False])
    kcode = np.array([-1] + [KIND_CODE.get(_norm(k).lower(), 99) for k in kinds[1:]], dtype=np.int16)
    # broadcast to (instrument, unit, kind)
    scale = np.broadcast_to(c_scale[ti][:, :, None], (ni, nu, nk))
    offset = np.broadcast_to(c_offset[ti][:, :, None], (ni, nu, nk))
    rate = np.broadcast_to((c_rate[ti] & activity[:, None])[:, :, None], (ni, nu, nk))
    rate_bad = c_rate[ti] & ~activity[:, None]
    ok = np.broadcast_to((c_ok[ti] & ~rate_bad)[:, :, None], (ni, nu, nk)) & (kcode != 99)[None, None, :]
    kind = np.where(kcode[None, None, :] == -1, default_kind[:, None, None], kcode[None, None, :])
    kind = np.where(rate, READING, kind)
    kind = np.where(ok, kind, -1).astype(np.int8)
    problems = Unusable((~ok).reshape(-1), ids, units, kinds, kcode == 99, targets, nu, nk)
    lo = np.array([np.nan if p.range_lo is None else p.range_lo for p in ps] or [np.nan])
    hi = np.array([np.nan if p.range_hi is None else p.range_hi for p in ps] or [np.nan])
    nonneg = np.array([q not in ("temperature", "pressure") for q in quantity] or [True])
    lk = Lookup(ids, inst_map, unit_map, kind_map, units, targets,
                np.ascontiguousarray(scale).reshape(-1), np.ascontiguousarray(offset).reshape(-1),
                np.ascontiguousarray(rate).reshape(-1), kind.reshape(-1), lo, hi, nonneg, problems)
    return lk, unknown


CODED = ("instrument", "unit", "kind")


def encode(frame: pl.LazyFrame) -> tuple[pl.LazyFrame, dict[str, pl.Series]]:
    """Readings with the instrument, unit and kind texts replaced by small integer codes.

    Each column is cast to a categorical with categories of its own, so one hash per text
    gives the code, and the distinct texts are left in those categories in code order
    (:func:`distinct_texts`): no separate pass for the distinct values, and no join. The
    returned empty series hold the categories alive (polars frees categories that no data
    refers to) and must be kept until the texts are read."""
    anchors = {c: pl.Series(c, [], dtype=pl.Categorical(pl.Categories.random())) for c in CODED}
    return (frame.with_columns(pl.col(c).cast(anchors[c].dtype).to_physical() for c in CODED),
            anchors)


def encode_in_memory(frame: pl.LazyFrame) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """:func:`encode`, read into memory, hashing the texts only where the instrument, unit or
    kind differs from the row before: a per-meter export holds a few thousand such runs in
    millions of rows, and comparing a text with the one before is cheaper than hashing it.
    Where most rows start a run (a time-major export) every row is coded as in :func:`encode`."""
    changed = pl.any_horizontal([pl.col(c).ne_missing(pl.col(c).shift(1)) for c in CODED])
    df = frame.with_columns(changed.alias("_changed")).collect()
    heads = df["_changed"].arg_true().to_numpy()
    if len(heads) * 4 > df.height or df.height == 0:  # short runs (or none): code every row
        coded, anchors = encode(df.drop("_changed").lazy())
        return coded.collect(), anchors
    if not len(heads) or heads[0] != 0:  # the first rows have no text at all: a run too
        heads = np.concatenate([np.zeros(1, dtype=heads.dtype), heads])
    lengths = np.diff(heads, append=df.height)
    coded_heads, anchors = encode(df[heads].select(CODED).lazy())
    by_run = coded_heads.collect()

    def each_row(codes: pl.Series) -> pl.Series:
        if codes.null_count():  # a text missing in some runs
            return codes.gather(np.repeat(np.arange(len(codes)), lengths))
        return pl.Series(codes.name, np.repeat(codes.to_numpy(), lengths))

    return df.drop("_changed").with_columns(each_row(by_run[c]) for c in CODED), anchors


def distinct_texts(anchors: dict[str, pl.Series]) -> dict[str, list[str]]:
    """The texts seen by :func:`encode`'s codes, per column, indexed by code."""
    out: dict[str, list[str]] = {}
    for c, anchor in anchors.items():
        dtype = anchor.dtype
        assert isinstance(dtype, pl.Categorical)
        out[c] = [t or "" for t in dtype.categories.to_series().to_list()]
    return out


def _recode(column: str, codes: list[int | None]) -> pl.Expr:
    """Column of codes (:func:`encode`) → the code of each text in ``codes`` (by code)."""
    if not codes:  # no text at all: every value is null
        return pl.lit(None, pl.UInt32)
    return pl.lit(pl.Series(codes, dtype=pl.UInt32)).gather(pl.col(column))


def compact(coded: pl.LazyFrame, lk: Lookup, texts: dict[str, list[str]]) -> pl.LazyFrame:
    """Coded readings (:func:`encode`) → (iid, key, fid, row, time, value, instrument code);
    readings of ids that are not in the ledger get a null iid. ``texts`` are the distinct
    texts by code."""
    iid = _recode("instrument", [lk.inst_map.get(t) for t in texts["instrument"]])
    uid = _recode("unit", [lk.unit_map.get(t, 0) for t in texts["unit"]]).fill_null(0)
    kid = _recode("kind", [lk.kind_map.get(t, 0) for t in texts["kind"]]).fill_null(0)
    return coded.select(
        iid.alias("iid"),
        ((iid * lk.nu + uid) * lk.nk + kid).alias("key"),
        "fid", "row", "time", "value", "instrument")


def _each(values: np.ndarray, by: str) -> pl.Expr:
    """``values[by]`` for every row (a table by instrument or key code, looked up by the
    codes in column ``by``); a literal when the table holds a single value."""
    table = pl.Series(values)
    if len(values) and (values == values[0]).all():
        return pl.lit(table[0], dtype=table.dtype)
    return pl.lit(table).gather(pl.col(by))


def _in_order(df: pl.DataFrame) -> bool:
    """Whether the rows run by instrument, then time (a per-meter export usually does)."""
    if df.height < 2:
        return True
    if not df["iid"].is_sorted():
        return False
    t = df["time"].to_physical().to_numpy()
    down = np.flatnonzero(t[1:] < t[:-1])  # time may fall only where the instrument changes
    i = df["iid"].to_numpy()
    return bool((i[down + 1] != i[down]).all())


def _check_batch(df: pl.DataFrame, lk: Lookup, start: datetime, end: datetime,
                 interval_s: float | None) -> list[pl.DataFrame]:
    """The checks on one in-memory batch of compact rows → [summary, daily, flagged, gaps].

    Unreadable rows (no time, no value or NaN) are set aside; the rest are put in
    (instrument, time) order if they are not already, and every instrument's rows are checked
    by one compiled pass (:func:`tanjiliang.data.kernel.check_instruments`); only its results
    (one row per instrument, per day, per flagged reading and per gap) become tables."""
    value = df["value"]
    unreadable = pl.col("time").is_null() | pl.col("value").is_null() | pl.col("value").is_nan()
    if df["time"].null_count() or value.null_count() or np.isnan(value.to_numpy()).any():
        bad = df.filter(unreadable)
        good = df.filter(~unreadable)
    else:  # the usual case: no copy
        bad, good = df.head(0), df
    if not _in_order(good):  # stable: readings of one instant keep the files' order
        # where time never falls (a time-major export) the instrument alone is the sort key
        good = good.sort(["iid"] if good["time"].is_sorted() else ["iid", "time"],
                         maintain_order=True)
    good = good.rechunk()  # zero-copy arrays below
    parts = [pl.DataFrame(schema=s) for s in (_BATCH_SUMMARY, _BATCH_DAILY, _BATCH_FLAGGED, _BATCH_GAPS)]
    if good.height:
        iid = _read_only(good["iid"].to_numpy())
        starts = kernel.instrument_bounds(iid)
        with POOL.lease() as lease:
            parts = _kernel_tables(starts, iid[starts[:-1]], good["key"].to_numpy(),
                                   good["time"].to_physical().to_numpy(), good["value"].to_numpy(),
                                   lambda at: good[at].select("fid", "row"), lk, start, end, interval_s,
                                   lease)
    return _with_bad(parts, bad)


def _with_bad(parts: list[pl.DataFrame], bad: pl.DataFrame) -> list[pl.DataFrame]:
    """The kernel's tables with the unreadable rows (fid, row, iid, key, time, value) added:
    flagged ``bad_time`` or ``bad_value`` and counted in the summary."""
    if not bad.height:
        return [parts[0].with_columns(pl.lit(0, pl.UInt32).alias("bad_time"),
                                      pl.lit(0, pl.UInt32).alias("bad_value")), *parts[1:]]
    bad_rows = bad.select("fid", "row", "iid", "key", "time", "value",
                          pl.when(pl.col("time").is_null()).then(pl.lit("bad_time"))
                          .otherwise(pl.lit("bad_value")).alias("flags"))
    bad_counts = bad_rows.group_by("iid").agg(
        (pl.col("flags") == "bad_time").sum().cast(pl.UInt32).alias("bad_time"),
        (pl.col("flags") == "bad_value").sum().cast(pl.UInt32).alias("bad_value"))
    summary_df = parts[0].join(bad_counts, on="iid", how="full", coalesce=True)
    flagged_df = pl.concat([parts[2], bad_rows], how="vertical_relaxed")
    return [summary_df, parts[1], flagged_df, parts[3]]


_COUNT_NAMES = [*ROW_FLAGS.values(), "gaps"]  # the kernel's count columns, in its bit order
_BATCH_SUMMARY: dict[str, pl.DataType] = {
    "iid": pl.UInt32(), "kind": pl.Int8(), "n": pl.UInt32(), "first": pl.Datetime("us"),
    "last": pl.Datetime("us"), "interval_s": pl.Float64(), "first_eff": pl.Datetime("us"),
    "last_eff": pl.Datetime("us"), "distinct": pl.UInt32(), "missing_inner": pl.Int64(),
    "longest_gap_s": pl.Float64(), "amount": pl.Float64(),
    **{c: pl.UInt32() for c in _COUNT_NAMES}}
_BATCH_DAILY: dict[str, pl.DataType] = {"iid": pl.UInt32(), "day": pl.Date(), "amount": pl.Float64(),
                                        "n": pl.UInt32()}
_BATCH_FLAGGED: dict[str, pl.DataType] = {"fid": pl.UInt16(), "row": pl.Int64(), "iid": pl.UInt32(),
                                          "key": pl.Int64(), "time": pl.Datetime("us"),
                                          "value": pl.Float64(), "flags": pl.String()}
_BATCH_GAPS: dict[str, pl.DataType] = {"iid": pl.UInt32(), "gap_from": pl.Datetime("us"),
                                       "gap_to": pl.Datetime("us"), "missing": pl.Int64()}
#: flag bits → "duplicate,spike" etc. (the kernel's bits follow ROW_FLAGS' order)
_FLAG_TEXT = pl.Series([",".join(f for k, f in enumerate(ROW_FLAGS) if bits >> k & 1)
                        for bits in range(1 << len(ROW_FLAGS))], dtype=pl.String)
_EPOCH = datetime(1970, 1, 1)


def _micros(t: datetime) -> int:
    return (t - _EPOCH) // timedelta(microseconds=1)


def _read_only(a: np.ndarray) -> np.ndarray:
    """``a`` as a read-only view (no copy).

    numba types a read-only array differently from a writable one and compiles the kernel
    again for each combination it meets. Whether polars hands out a zero-copy (read-only)
    view or a fresh copy depends on the column (nulls, chunks), and a broadcast lookup table
    is read-only when it has one unit and one kind: a first run paid a second compilation of
    ~30 s (issue 16). Passing every input read-only gives the kernel one signature, the one
    cached on disk."""
    v = a.view()
    v.flags.writeable = False
    return v


def _prepare_parts(rows: int) -> int:
    """Runs :func:`tanjiliang.data.kernel.prepare` judges ``rows`` in: one per thread, at
    least ``PREPARE_PART_ROWS`` rows each."""
    return max(1, min(numba.get_num_threads(), rows // kernel.PREPARE_PART_ROWS))


def _kernel_tables(starts: np.ndarray, slot_iid: np.ndarray, key: np.ndarray, time: np.ndarray,
                   value: np.ndarray, origin: Callable[[np.ndarray], pl.DataFrame], lk: Lookup,
                   start: datetime, end: datetime, interval_s: float | None,
                   lease: Lease) -> list[pl.DataFrame]:
    """Run the compiled checks on readable rows grouped by instrument, in time order within
    each (instrument slots ``starts[j]:starts[j + 1]`` with their codes ``slot_iid`` uint32;
    lookup keys uint32, time stamps in microseconds, values) → [summary, daily, flagged,
    gaps] by instrument code. ``origin(positions)`` gives the ``fid`` and ``row`` of rows at
    those positions. The kernel returns each table's columns whole (compacted in the
    compiled code): here they only become frames. Its work and report rows are ``lease``'s
    (:mod:`tanjiliang.data.buffers`); the tables' own columns are allocated afresh."""
    bounds, w_at = kernel.work_layout(_read_only(starts), numba.get_num_threads())
    n, w = len(time), int(w_at[-1])
    ro_starts, ro_iid = _read_only(starts), _read_only(slot_iid)
    (s_kind, s_n, s_first, s_last, s_interval, s_first_eff, s_last_eff, s_distinct, s_missing,
     s_longest, s_amount, s_counts, f_count, g_count, d_count, d_kept, days_ok, f_src, g_src,
     d_src) = kernel.check_instruments(
        ro_starts, ro_iid, *(_read_only(a) for a in (key, time, value, lk.scale, lk.offset,
                                                     lk.kind, lk.is_rate, lk.lo, lk.hi, lk.nonneg)),
        np.nan if interval_s is None else float(interval_s),
        _micros(start), _micros(end), float(rule("quality", "spike_robust_z")),
        float(rule("quality", "spike_zero_mad_factor")), float(rule("quality", "spike_mad_epsilon")),
        float(rule("quality", "gap_factor")), int(rule("quality", "stuck_min_run")),
        float(rule("quality", "rollover_fraction")), float(rule("quality", "spike_idle_level")),
        float(rule("quality", "spike_idle_share")),
        *(_read_only(a) for a in (bounds, w_at)), lease.empty2(5, w, np.float64),
        lease.empty2(4, w, np.uint8), f_row := lease.empty(n, np.int64), f_bits := lease.empty(n, np.uint8),
        g_dt := lease.empty(n, np.float64), g_to := lease.empty(n, np.int64),
        g_missing := lease.empty(n, np.int64), d_day := lease.empty(n, np.int32),
        d_amount := lease.empty(n, np.float64), d_n := lease.empty(n, np.uint32))
    nf, ng, nd = int(f_count.sum()), int(g_count.sum()), int((d_kept if days_ok else d_count).sum())
    f_iid, o_frow, o_fbits = np.empty(nf, dtype=slot_iid.dtype), np.empty(nf, dtype=np.int64), np.empty(nf, dtype=np.uint8)
    g_iid, g_from, g_to_o, g_miss = (np.empty(ng, dtype=slot_iid.dtype), np.empty(ng, dtype=np.int64),
                                     np.empty(ng, dtype=np.int64), np.empty(ng, dtype=np.int64))
    d_iid, d_day_o, d_amount_o, d_n_o = (np.empty(nd, dtype=slot_iid.dtype), np.empty(nd, dtype=np.int32),
                                         np.empty(nd), np.empty(nd, dtype=np.uint32))
    kernel.compact_reports(ro_iid, *(_read_only(a) for a in (f_src, f_count, g_src, g_count, d_src, d_count)),
                           bool(days_ok), *(_read_only(a) for a in (f_row, f_bits, g_dt, g_to, g_missing,
                                                                    d_day, d_amount, d_n)),
                           f_iid, o_frow, o_fbits, g_iid, g_from, g_to_o, g_miss, d_iid, d_day_o,
                           d_amount_o, d_n_o)
    f_row, f_bits, g_to, g_missing = o_frow, o_fbits, g_to_o, g_miss
    d_day, d_amount, d_n = d_day_o, d_amount_o, d_n_o
    summary = pl.DataFrame({
        "iid": slot_iid, "kind": s_kind, "n": s_n.astype(np.uint32),
        "first": s_first, "last": s_last, "interval_s": s_interval,
        "first_eff": s_first_eff, "last_eff": s_last_eff,
        "distinct": s_distinct.astype(np.uint32), "missing_inner": s_missing,
        "longest_gap_s": pl.Series(s_longest).fill_nan(None), "amount": s_amount,
        **{c: s_counts[:, k].astype(np.uint32) for k, c in enumerate(_COUNT_NAMES)},
    }).with_columns(pl.col("first", "last").cast(pl.Datetime("us")),
                    *[pl.when(pl.col("n") > 0).then(pl.col(c).cast(pl.Datetime("us"))).alias(c)
                      for c in ("first_eff", "last_eff")])
    daily = pl.DataFrame({"iid": d_iid, "day": d_day, "amount": d_amount, "n": d_n})
    if not days_ok:  # a day met twice (kinds mixed within an instrument): every run came back
        daily = (daily.group_by("iid", "day", maintain_order=True)
                 .agg(pl.col("amount").sum(), pl.col("n").sum()).filter(pl.col("n") > 0))
    daily = daily.with_columns(pl.col("day").cast(pl.Date))
    flagged = origin(f_row).with_columns(
        pl.Series("iid", f_iid), pl.Series("key", key[f_row]),
        pl.Series("time", time[f_row]).cast(pl.Datetime("us")), pl.Series("value", value[f_row]),
        _FLAG_TEXT.gather(f_bits).alias("flags"))
    gaps = pl.DataFrame({"iid": g_iid, "gap_from": g_from, "gap_to": g_to, "missing": g_missing}
                        ).with_columns(pl.col("gap_from", "gap_to").cast(pl.Datetime("us")))
    return [summary, daily, flagged, gaps]


def _days_increase(daily: pl.DataFrame, strictly_by_code: bool = False) -> bool:
    """Whether each instrument's day runs are distinct days (increasing); with
    ``strictly_by_code``, also whether the instruments come in code order (the rows are
    sorted by instrument and day)."""
    return bool(kernel.days_in_order(_read_only(daily["iid"].to_numpy()),
                                     _read_only(daily["day"].to_physical().to_numpy()), strictly_by_code))


# Peak resident memory per reading of one in-memory batch: 1.4 GiB for 10 M readings
# (benchmarks/readings.py, docs/data.md), i.e. ~150 bytes, rounded up for wide id texts.
BYTES_PER_ROW = 200
MIN_BATCH_ROWS = 2_000_000


def available_memory() -> int:
    """Memory the system can give without swapping (``MemAvailable``, Linux), else the
    physical memory; bytes."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (OSError, ValueError, AttributeError):
        return 4 << 30


def default_batch_rows(memory: int | None = None) -> int:
    """Readings checked in one in-memory batch: half the available memory at
    ``BYTES_PER_ROW``, at least ``MIN_BATCH_ROWS``. A fixed 16 M spilled 35 M readings to disk
    on a machine where 5 GB would have held them, 3.5× slower (issue 16)."""
    mem = available_memory() if memory is None else memory
    return max(MIN_BATCH_ROWS, mem // 2 // BYTES_PER_ROW)


def analyse(readings: Readings, unit: UnitFile, start: date | datetime | None = None,
            end: date | datetime | None = None, interval_s: float | None = None,
            batch_rows: int | None = None, spill_dir: str | Path | None = None) -> QualityResult:
    """Run every check on ``readings`` for the instruments of ``unit``.

    ``start``/``end`` bound the period that coverage and amounts are counted in (default: the
    unit's reporting year); readings outside still take part in the checks around the edges.
    Up to ``batch_rows`` readings are read once into memory and checked in one batch; more
    are written once, coded, to a temporary Parquet file, partitioned by instrument, and
    checked a batch of instruments at a time (bounded memory). ``batch_rows`` defaults to
    what half the available memory holds (:func:`default_batch_rows`).
    """
    if batch_rows is None:
        batch_rows = default_batch_rows()
    s, e = reporting_period(unit, start, end)
    profs = profiles(unit)
    plain = readings.parquet if readings.plain_frame is readings.frame else None
    if plain is not None:
        from tanjiliang.data import columns

        if sum(columns.rows_of(c) for c in plain) <= batch_rows:
            return _analyse_plain(readings, plain, profs, s, e, interval_s)
    frame = readings.frame
    files = readings.files
    with tempfile.TemporaryDirectory(dir=spill_dir) as tmp:
        spill = False
        if any(not f.lower().endswith(".parquet") for f in files):
            if sum(Path(f).stat().st_size for f in files if Path(f).exists()) > 200_000_000:
                spill = True  # parse large text files once, straight into the coded spill
            else:
                frame = frame.collect().lazy()
        if not spill:
            spill = frame.select(pl.len()).collect().item() > batch_rows  # Parquet: metadata
        if spill:
            coded, anchors = encode(frame)
            path = Path(tmp) / "coded.parquet"
            coded.sink_parquet(path)
            coded = pl.scan_parquet(path)
        else:
            df, anchors = encode_in_memory(frame)
            coded = df.lazy()
        total_rows = coded.select(pl.len()).collect().item()
        texts = distinct_texts(anchors)
        lk, _ = build_lookup(profs, list(texts["instrument"]), list(texts["unit"]), list(texts["kind"]))
        issues = list(readings.issues)
        all_files = ", ".join(files)
        cf = compact(coded, lk, texts)
        if not spill:
            cf = cf.collect().lazy()
        known = pl.col("iid").is_not_null()
        counts = cf.filter(~known).group_by("instrument").agg(pl.len()).collect()
        missing = sorted(((None if c is None else texts["instrument"][c], n) for c, n in counts.iter_rows()),
                         key=lambda r: (r[0] is not None, r[0] or ""))
        for ident, n in missing:  # ids not in the ledger (after NFKC and trimming)
            issues.append(ReadingsIssue(all_files, None, "instrument", ident,
                                        f"台账中没有此计量器具，{n} 条读数未分析",
                                        f"not an instrument of the ledger; {n} readings not analysed", n))
        cf = (cf.filter(known) if counts.height else cf).drop("instrument")
        n_buckets = max(1, math.ceil(total_rows / batch_rows))
        batches: list[pl.LazyFrame]
        if n_buckets == 1:
            batches = [cf]
        else:  # a second streaming pass over the coded spill, partitioned by instrument code
            root = Path(tmp) / "compact"
            (cf.with_columns((pl.col("iid") % n_buckets).alias("bucket"))
             .sink_parquet(pl.PartitionBy(str(root) + "/", key="bucket", include_key=False), mkdir=True))
            batches = [pl.scan_parquet(d) for d in sorted(root.iterdir())] if root.exists() else []
        usable = _each(lk.kind, "key") >= 0
        parts: list[list[pl.DataFrame]] = []
        unusable: dict[int, int] = {}
        for lf in batches:  # one batch of instruments at a time: bounded memory
            batch = lf.collect(engine="in-memory")
            if lk.problems:
                for key, n in batch.filter(~usable).group_by("key").agg(pl.len()).iter_rows():
                    unusable[key] = unusable.get(key, 0) + n
                batch = batch.filter(usable)
            if batch.height:
                parts.append(_check_batch(batch, lk, s, e, interval_s))
            del batch
        for key, n in sorted(unusable.items()):
            col, val, zh, en = lk.problems[key]
            issues.append(ReadingsIssue(all_files, None, col, val, f"{zh}，{n} 条读数未分析",
                                        f"{en}; {n} readings not analysed", n, lk.problems.instrument(key)))
    return _assemble(parts, lk, files, s, e, issues, profs, total_rows, interval_s)


def _analyse_plain(readings: Readings, plain: list[ParquetColumns], profs: dict[str, Profile],
                   s: datetime, e: datetime, interval_s: float | None) -> QualityResult:
    """:func:`analyse` of long-layout Parquet files that fit in one batch, read as arrays
    (:mod:`tanjiliang.data.columns`): the stored dictionary codes become instrument codes and
    lookup keys in one compiled pass (:func:`tanjiliang.data.kernel.prepare`), which also
    finds whether the rows are already grouped by instrument in time order; they are
    rearranged (:func:`tanjiliang.data.kernel.arrange`) only when they are not, or when some
    rows are set aside. The same answers as the polars path (tests/data/test_data_columns.py)."""
    with POOL.lease() as lease:  # work arrays kept for the next check (data/buffers.py)
        parts, lk, issues, unusable, total_rows = _plain_parts(readings, plain, profs, s, e,
                                                               interval_s, lease)
    all_files = ", ".join(readings.files)
    for k in np.flatnonzero(unusable):
        col, val, zh, en = lk.problems[int(k)]
        issues.append(ReadingsIssue(all_files, None, col, val, f"{zh}，{unusable[k]} 条读数未分析",
                                    f"{en}; {unusable[k]} readings not analysed", int(unusable[k]),
                                    lk.problems.instrument(int(k))))
    return _assemble(parts, lk, readings.files, s, e, issues, profs, total_rows, interval_s)


def _plain_parts(readings: Readings, plain: list[ParquetColumns], profs: dict[str, Profile],
                 s: datetime, e: datetime, interval_s: float | None, lease: Lease
                 ) -> tuple[list[list[pl.DataFrame]], Lookup, list[ReadingsIssue], np.ndarray, int]:
    """The work of :func:`_analyse_plain` in arrays of ``lease``: the batch's tables, the
    lookup, the issues so far, the unusable rows per key and the rows read."""
    from tanjiliang.data import columns

    files = [columns.read_file(c, lease) for c in plain]
    lk, _ = build_lookup(profs, sorted({t for f in files for t in f.ids}),
                         sorted({t for f in files for t in f.units}),
                         sorted({t for f in files for t in f.kinds}))
    n = sum(f.rows for f in files)
    offsets = np.cumsum([0] + [f.rows for f in files])
    iid, key, status = lease.empty(n, np.uint32), lease.empty(n, np.uint32), lease.empty(n, np.uint8)
    state = np.zeros(6 + max(len(lk.ids), 1), dtype=np.int64)
    state[0], state[2], state[3] = -1, 1, 1
    unusable = np.zeros(len(lk.kind), dtype=np.int64)
    lo, hi = readings.bounds
    int64 = np.iinfo(np.int64)
    unknown: dict[str | None, int] = {}
    kind_of_key = _read_only(lk.kind)
    for f, at in zip(files, offsets, strict=False):
        imap = np.array([lk.inst_map.get(t, -1) for t in f.ids] + [-1], dtype=np.int64)
        umap = np.array([lk.unit_map.get(t, 0) for t in f.units] + [0], dtype=np.int64)
        kmap = np.array([lk.kind_map.get(t, 0) for t in f.kinds] + [0], dtype=np.int64)
        counts = np.zeros(len(imap), dtype=np.int64)
        kernel.prepare(*(_read_only(a) for a in (f.icode, f.ucode, f.kcode, f.time, f.value,
                                                   imap, umap, kmap)),
                       lk.nu, lk.nk, kind_of_key, lo is not None or hi is not None,
                       int64.min if lo is None else _micros(lo), int64.max if hi is None else _micros(hi),
                       int(at), _prepare_parts(f.rows), iid, key, status, counts, unusable, state)
        for slot in np.flatnonzero(counts):
            text = f.ids[slot] if slot < len(f.ids) else None
            unknown[text] = unknown.get(text, 0) + int(counts[slot])
    grouped, t_sorted, n_good, total_rows = (int(v) for v in state[2:6])
    issues = list(readings.issues)
    all_files = ", ".join(readings.files)
    for ident, c in sorted(unknown.items(), key=lambda r: (r[0] is not None, r[0] or "")):
        issues.append(ReadingsIssue(all_files, None, "instrument", ident,
                                    f"台账中没有此计量器具，{c} 条读数未分析",
                                    f"not an instrument of the ledger; {c} readings not analysed", c))
    time = files[0].time if len(files) == 1 else np.concatenate([f.time for f in files],
                                                                  out=lease.empty(n, np.int64))
    value = files[0].value if len(files) == 1 else np.concatenate([f.value for f in files],
                                                                    out=lease.empty(n, np.float64))

    def origin(pos: np.ndarray) -> pl.DataFrame:
        fid = np.searchsorted(offsets, pos, side="right") - 1
        return pl.DataFrame({"fid": pl.Series(fid, dtype=pl.UInt16),
                             "row": pl.Series(pos - offsets[fid] + 1, dtype=pl.Int64)})

    at = np.flatnonzero(status == kernel.BAD)
    bad = origin(at).with_columns(
        pl.Series("iid", iid[at]), pl.Series("key", key[at]),
        pl.Series("time", time[at]).cast(pl.Datetime("us")), pl.Series("value", value[at]))
    bad = bad.with_columns(pl.when(pl.col("time").to_physical() != kernel.NAT).then(pl.col("time")),
                           pl.when(pl.col("value").is_finite()).then(pl.col("value")))
    parts: list[list[pl.DataFrame]] = []
    if n_good:
        if n_good == n and grouped:  # the usual case: every row as it is
            iid = _read_only(iid)
            starts = kernel.instrument_bounds(iid)
            tables = _kernel_tables(starts, iid[starts[:-1]], key, time, value, origin, lk, s, e,
                                    interval_s, lease)
        else:
            perm, key_s = lease.empty(n_good, np.int64), lease.empty(n_good, np.uint32)
            time_s, value_s = lease.empty(n_good, np.int64), lease.empty(n_good, np.float64)
            starts, slot_iid = kernel.arrange(
                *(_read_only(a) for a in (status, iid, key, time, value, state[6:6 + len(lk.ids)])),
                bool(grouped), bool(t_sorted), numba.get_num_threads(), perm, key_s, time_s, value_s)
            tables = _kernel_tables(starts, slot_iid, key_s, time_s, value_s,
                                    lambda at: origin(perm[at]), lk, s, e, interval_s, lease)
        parts.append(_with_bad(tables, bad))
    elif bad.height:
        empty = [pl.DataFrame(schema=sc) for sc in (_BATCH_SUMMARY, _BATCH_DAILY, _BATCH_FLAGGED, _BATCH_GAPS)]
        parts.append(_with_bad(empty, bad))
    return parts, lk, issues, unusable, total_rows


def _assemble(parts: list[list[pl.DataFrame]], lk: Lookup, files: list[str], s: datetime,
              e: datetime, issues: list[ReadingsIssue], profs: dict[str, Profile],
              total_rows: int, interval_s: float | None = None) -> QualityResult:
    def cat(i: int) -> pl.DataFrame | None:
        frames = [p[i] for p in parts if p[i].height]
        return pl.concat(frames, how="vertical_relaxed") if frames else None

    ids = pl.Series(lk.ids, dtype=pl.String)
    units = pl.Series(lk.target_units, dtype=pl.String)
    raw_units = pl.Series(lk.units, dtype=pl.String)
    kind_names = {TOTAL: "total", AMOUNT: "amount", READING: "reading"}
    name = pl.lit(ids).gather(pl.col("iid"))  # codes follow sorted ids: sort by code, then name
    period_s = (e - s).total_seconds()
    sm = cat(0)
    if sm is None:
        summary = pl.DataFrame(schema=SUMMARY_SCHEMA)
    else:
        edge = (((pl.col("first_eff") - pl.lit(s)).dt.total_microseconds() / 1e6 / pl.col("interval_s"))
                .floor().clip(lower_bound=0)
                + ((pl.lit(e) - pl.col("last_eff")).dt.total_microseconds() / 1e6 / pl.col("interval_s")
                   - 1).ceil().clip(lower_bound=0))
        summary = (sm.with_columns(
            name.alias("instrument"),
            pl.col("kind").replace_strict(kind_names, return_dtype=pl.String, default=None),
            pl.lit(units).gather(pl.col("iid")).alias("unit"),
            (pl.lit(period_s) / pl.col("interval_s")).round().cast(pl.Int64).alias("expected"),
            # none in the period: every expected reading is missing (was 0 beside coverage 0 %)
            pl.when(pl.col("n") > 0)
            .then(pl.col("missing_inner").fill_null(0) + edge.fill_null(0).cast(pl.Int64))
            .otherwise((pl.lit(period_s) / pl.col("interval_s")).round().cast(pl.Int64)).alias("missing"))
            .with_columns((100.0 * pl.col("distinct") / pl.col("expected")).clip(upper_bound=100.0)
                          .fill_null(0.0).alias("coverage_percent"))
            .with_columns([pl.col(c).fill_null(0) for c in
                           ("n", "gaps", "duplicates", "negative", "out_of_range", "resets",
                            "rollovers", "stuck", "spikes", "bad_time", "bad_value", "distinct")])
            .select([pl.col(k).cast(v) for k, v in SUMMARY_SCHEMA.items()] + [pl.col("missing_inner").fill_null(0)])
            .sort("instrument"))
    events: list[str] = []
    if interval_s is None and summary.height:
        summary, events = weighings(summary, [k for k, p in profs.items() if p.static_scale])
    summary = summary.drop("missing_inner", strict=False)
    dl = cat(1)
    if dl is not None and not _days_increase(dl, strictly_by_code=True):
        dl = dl.sort("iid", "day")
    daily = (pl.DataFrame(schema=DAILY_SCHEMA) if dl is None else
             dl.select(name.alias("instrument"), "day", "amount", pl.col("n").cast(pl.UInt32)))
    if dl is None:
        monthly = pl.DataFrame(schema=MONTHLY_SCHEMA)
    else:  # runs of days in (instrument, day) order: no hashing of 365 rows per instrument
        epoch = date(1970, 1, 1)
        m_iid, m_month, m_amount, m_n = kernel.month_runs(
            *(_read_only(dl[c].to_physical().to_numpy()) for c in ("iid", "day", "amount", "n")),
            (s.date() - epoch).days, (e.date() - epoch).days)
        monthly = (pl.DataFrame({"iid": m_iid, "month": m_month.astype(np.int32), "amount": m_amount,
                                 "n": m_n.astype(np.uint32)})
                   .select(name.alias("instrument"), pl.col("month").cast(pl.Date), "amount", "n",
                           pl.lit(units).gather(pl.col("iid")).alias("unit")))
    fl = cat(2)
    flagged = (pl.DataFrame(schema=FLAGGED_SCHEMA) if fl is None else
               fl.sort("iid", "time", "row", nulls_last=True)
               .select(pl.lit(pl.Series(files, dtype=pl.String)).gather(pl.col("fid")).alias("file"),
                         "row", name.alias("instrument"), "time", "value",
                         pl.lit(raw_units).gather((pl.col("key") // lk.nk) % lk.nu).alias("unit"),
                         "flags")
               .with_columns(pl.col("unit").replace("", None)))
    gp = cat(3)
    gaps = (pl.DataFrame(schema=GAPS_SCHEMA) if gp is None else
            gp.sort("iid", "gap_from").select(name.alias("instrument"), "gap_from", "gap_to", "missing"))
    if events and gaps.height:
        gaps = gaps.filter(~pl.col("instrument").is_in(events))
    return QualityResult(s, e, summary, monthly, flagged, gaps, daily, issues, profs, total_rows)


def weighings(summary: pl.DataFrame, scales: list[str]) -> tuple[pl.DataFrame, list[str]]:
    """Static scales weighing deliveries as they come (data/rules.yaml
    ``weighings_gap_share``: gaps after more than 10 % of their weighings) read as events: no
    expected interval, every weighing present (expected = distinct, coverage 100 %), nothing
    missing and no gaps between deliveries. Taking the median step between trucks as an
    interval counted about a third of a month's weighings as followed by "missing" ones, and
    the monthly close substituted tonnes that were never delivered. A scale logging at a fixed
    interval (a gap after few readings) keeps the interval's checks. A scale weighing in
    bursts — a train's 50 wagons a minute apart every two days, a week's trucks on a Monday —
    leaves a gap after only one weighing of a burst, yet its gaps hold many times more
    "missing" readings than it made weighings (``weighings_burst_factor``: 10; a day shift
    weighing at a fixed half hour, its nights gaps, holds 1.4 times as many): it is weighing
    deliveries too. ``summary`` has the checks' ``missing_inner`` (inside the gaps). Returns
    the summary and the instruments read as events."""
    share = float(rule("quality", "weighings_gap_share"))
    burst = float(rule("quality", "weighings_burst_factor"))
    distinct = pl.col("distinct").cast(pl.Float64)
    ev = (pl.col("instrument").is_in(scales) & (pl.col("kind") == "amount") & (pl.col("distinct") > 1)
          & ((pl.col("gaps").cast(pl.Float64) > share * (distinct - 1))
             | ((pl.col("gaps") > 0) & (pl.col("missing_inner").cast(pl.Float64) > burst * distinct))))
    events = summary.filter(ev)["instrument"].to_list()
    if not events:
        return summary, []
    out = summary.with_columns(
        pl.when(ev).then(None).otherwise(pl.col("interval_s")).alias("interval_s"),
        pl.when(ev).then(pl.col("distinct").cast(pl.Int64)).otherwise(pl.col("expected")).alias("expected"),
        pl.when(ev).then(100.0).otherwise(pl.col("coverage_percent")).alias("coverage_percent"),
        pl.when(ev).then(0).otherwise(pl.col("gaps")).cast(pl.UInt32).alias("gaps"),
        pl.when(ev).then(0).otherwise(pl.col("missing")).cast(pl.Int64).alias("missing"),
        pl.when(ev).then(None).otherwise(pl.col("longest_gap_s")).alias("longest_gap_s"))
    return out, events

