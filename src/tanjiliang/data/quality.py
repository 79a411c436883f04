"""Quality checks of readings per instrument, and the amounts they carry per day and month.

Per instrument (docs/data.md): coverage against the expected interval, gaps, duplicates,
negative and out-of-range values, totaliser resets and rollovers, stuck values and spikes
(robust z-score, rules.yaml); per instrument and day/month the amount measured (the sum of
amounts, of totaliser increments, or of rates × interval).

How it stays fast and bounded (all bulk work is polars expressions or numpy array operations;
loops run over distinct ids, units and batches, never over readings):

1. One pass reads the readings and replaces the instrument, unit and kind texts by codes (a
   cast to categoricals of their own, which also yields the distinct texts). Unit conversion
   factors (pint) and effective kinds are computed once per distinct combination into lookup
   arrays, and every reading becomes a compact row (instrument code, lookup key, file, row,
   time, value). Up to ``batch_rows`` readings stay in memory as one batch; more are written
   once, coded, to temporary Parquet and partitioned by instrument code into batches of whole
   instruments, each checked on its own.
2. A batch is sorted by (instrument, time) only when it is not already in order, and the instrument column is marked sorted: every per-instrument median, count and
   sum is then a sorted group-by over contiguous slices of plain columns. Conditions are
   computed once for the whole batch as columns, never inside an aggregation.
3. Columns are kept in one chunk (a shift leaves two, a lazy collect many), because polars'
   grouped and conditional kernels slow down several-fold on chunked input.
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from tanjiliang.data.profile import Profile, conversion, profiles, rate_conversion
from tanjiliang.data.readings import Readings, ReadingsIssue
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
    problems: dict[int, tuple[str, str, str, str]]  # key → (column, value, zh, en) unusable

    @property
    def nu(self) -> int:
        return len(self.unit_map)

    @property
    def nk(self) -> int:
        return len(self.kind_map)


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
        i = index.get(_norm(r))
        if i is None:
            unknown.append(r)
        else:
            inst_map[r] = i
    units = ["", *sorted({u for u in raw_units if u is not None and u != ""})]
    unit_map = {u: k for k, u in enumerate(units)}
    kinds = ["", *sorted({k for k in raw_kinds if k is not None and k != ""})]
    kind_map = {k: j for j, k in enumerate(kinds)}
    ni, nu, nk = max(len(ids), 1), len(units), len(kinds)
    targets = [profs[k].unit or "" for k in ids]
    default_kind = np.array([KIND_CODE[profs[k].kind] for k in ids] or [0], dtype=np.int8)
    quantity = [profs[k].quantity for k in ids]
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
    problems: dict[int, tuple[str, str, str, str]] = {}
    for i, u, k in zip(*np.nonzero(~ok), strict=True):  # the unusable combinations only
        ident, unit_text, kind_text = ids[i], units[u], kinds[k]
        key = (int(i) * nu + int(u)) * nk + int(k)
        if kcode[k] == 99:
            problems[key] = ("kind", kind_text, f"{ident}：数据类型应为 reading、total 或 amount",
                             f"{ident}: kind must be reading, total or amount")
        else:
            problems[key] = ("unit", unit_text, f"{ident}：单位“{unit_text}”不能换算为“{targets[i]}”",
                             f'{ident}: unit "{unit_text}" cannot be converted to "{targets[i]}"')
    lo = np.array([profs[k].range_lo if profs[k].range_lo is not None else np.nan for k in ids] or [np.nan])
    hi = np.array([profs[k].range_hi if profs[k].range_hi is not None else np.nan for k in ids] or [np.nan])
    nonneg = np.array([profs[k].quantity not in ("temperature", "pressure") for k in ids] or [True])
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


def _dense(stats: pl.DataFrame, col: str, n: int, fill: float = np.nan) -> pl.Series:
    arr = np.full(n, fill, dtype=np.float64)
    idx = stats["iid"].to_numpy()
    arr[idx] = stats[col].fill_null(np.nan).to_numpy()
    return pl.Series(col, arr).fill_nan(None)  # NaN would compare greater than any number


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

    Rows are put in (instrument, time) order once, and the instrument column is marked
    sorted, so that every per-instrument median, count and sum below runs on contiguous
    slices (polars' sorted group-by) over plain columns: each condition is computed once for
    the whole batch as a column, never inside an aggregation."""
    z_max = float(rule("quality", "spike_robust_z"))
    zero_mad_factor = float(rule("quality", "spike_zero_mad_factor"))
    mad_epsilon = float(rule("quality", "spike_mad_epsilon"))
    gap_factor = float(rule("quality", "gap_factor"))
    stuck_n = int(rule("quality", "stuck_min_run"))
    frac = float(rule("quality", "rollover_fraction"))
    n_ids = len(lk.ids)
    base = df.rechunk().with_columns(  # contiguous columns: slices, not chunk walks
        (pl.col("value") * _each(lk.scale, "key") + _each(lk.offset, "key")).alias("v"),
        _each(lk.kind, "key").alias("kind"),
        _each(lk.is_rate, "key").alias("is_rate"),
    )
    # a value that is not a number ("NaN" in an export) is as unreadable as an empty one
    unreadable = pl.col("time").is_null() | pl.col("v").is_null() | pl.col("v").is_nan()
    if base.select(unreadable.any()).item():
        bad = base.filter(unreadable)
        good = base.filter(~unreadable)
    else:  # the usual case: no copy
        bad, good = base.head(0), base
    if not _in_order(good):  # stable: readings of one instant keep the files' order
        good = good.sort("iid", "time", maintain_order=True)
    good = good.with_columns(pl.col("iid").set_sorted())
    same = (pl.col("iid") == pl.col("iid").shift(1)).fill_null(False)
    total = pl.col("kind") == TOTAL
    g = good.with_columns(  # eager: one chunk per column (a lazy collect may split them)
        same.alias("same"),
        pl.when(same).then((pl.col("time") - pl.col("time").shift(1)).dt.total_microseconds() / 1e6)
        .alias("dt"),
        pl.when(same).then(pl.col("v").shift(1)).alias("prev"),
    ).with_columns(
        (pl.col("same") & (pl.col("dt") == 0)).alias("duplicate"),
        pl.when(pl.col("dt") > 0).then(pl.col("dt")).alias("dt_pos"),
    ).with_columns(
        (total & pl.col("same") & (pl.col("v") < pl.col("prev")) & ~pl.col("duplicate")).alias("drop"),
        pl.when(total).then(
            pl.when(~pl.col("same")).then(None).when(pl.col("duplicate")).then(0.0)
            .otherwise(pl.col("v") - pl.col("prev")))
        .otherwise(pl.col("v")).alias("x"),
        (~pl.col("same") | (pl.col("v") != pl.col("prev")).fill_null(True)).cum_sum().alias("run"),
    ).rechunk()  # a shift leaves two chunks, which slow every expression that meets them
    # Totaliser falls are rare: classify them (rollover or reset) on those rows only and
    # scatter the corrected increments back.
    at = g["drop"].arg_true()
    if len(at):
        d = g[at].select(
            pl.lit(10.0).pow(pl.col("prev").clip(lower_bound=1e-9).log10().ceil()).alias("p10"),
            "prev", "v")
        d = d.with_columns(pl.when(pl.col("p10") == pl.col("prev")).then(pl.col("p10") * 10)
                           .otherwise(pl.col("p10")).alias("p10"))
        roll = (d["prev"] >= frac * d["p10"])
        fixed = pl.select(pl.when(roll).then(d["p10"] - d["prev"] + d["v"]).otherwise(d["v"])).to_series()
        x = g["x"].scatter(at, fixed)
        rollover = pl.Series("rollover", np.zeros(len(g), dtype=bool)).scatter(at.filter(roll), True)
        g = g.with_columns(x.alias("x"), rollover).with_columns(
            (pl.col("drop") & ~pl.col("rollover")).alias("reset"))
    else:
        g = g.with_columns(pl.lit(False).alias("rollover"), pl.lit(False).alias("reset"))
    g = g.with_columns(pl.col("iid").set_sorted())
    stats = (g.group_by("iid")
             .agg(pl.col("dt_pos").median().alias("interval"), pl.col("x").median().alias("med")))
    interval = (pl.lit(float(interval_s)) if interval_s is not None
                else pl.lit(_dense(stats, "interval", n_ids)).gather(pl.col("iid")).fill_null(3600.0))
    g = g.with_columns(interval.alias("interval"),
                       pl.lit(_dense(stats, "med", n_ids)).gather(pl.col("iid")).alias("med"))
    mad = (g.select("iid", (pl.col("x") - pl.col("med")).abs().alias("dev"))
           .group_by("iid").agg(pl.col("dev").median().alias("mad"), pl.col("dev").mean().alias("mean_ad")))
    run_len = g.select(pl.col("run").rle().struct.field("len"))["len"]
    amount_kind = pl.col("kind") == AMOUNT
    inc = (pl.when(total).then(pl.col("x"))
           .when(amount_kind).then(pl.when(pl.col("duplicate") & (pl.col("v") == pl.col("prev")))
                                   .then(0.0).otherwise(pl.col("v")))
           .when(pl.col("is_rate")).then(pl.col("v") * pl.col("interval") / 3600.0)
           .otherwise(None))
    # A totaliser or rate value closes the interval that ends at its time stamp; an amount or
    # an instantaneous reading belongs to the instant of its time stamp.
    t_eff = (pl.when(total | pl.col("is_rate")).then(pl.col("time") - pl.duration(microseconds=1))
             .otherwise(pl.col("time")))
    # modified z = 0.6745 |x − median| / MAD > z_max  ⇔  |x − median| > z_max · MAD / 0.6745;
    # where MAD is 0 (more than half the values equal, as with whole-unit registers) the score
    # is |x − median| / (1.253314 · MeanAD) (rules.yaml); neither → no spike can be told
    mad_by_iid = _dense(mad, "mad", n_ids).to_numpy()
    mean_ad = _dense(mad, "mean_ad", n_ids).to_numpy()
    zero = mad_epsilon * np.maximum(np.abs(_dense(stats, "med", n_ids).to_numpy()), 1.0)
    with np.errstate(invalid="ignore"):  # NaN: an instrument without values in this batch
        spike_at = np.where(mad_by_iid > zero, z_max * mad_by_iid / 0.6745,
                            np.where(mean_ad > zero, z_max * zero_mad_factor * mean_ad, np.inf))
    long_run = (run_len >= stuck_n).to_numpy()
    in_long_run = pl.Series(long_run[g["run"].to_numpy() - 1])  # a gather over runs, in numpy
    has_range = ~(np.isnan(lk.lo) & np.isnan(lk.hi))
    out_of_range = (pl.lit(False) if not has_range.any() else
                    ~total & ((pl.col("v") < _each(np.nan_to_num(lk.lo, nan=-np.inf), "iid"))
                              | (pl.col("v") > _each(np.nan_to_num(lk.hi, nan=np.inf), "iid"))))
    # counts and flags are about the period; readings around it only give the edges their
    # context (and the daily amounts that out-of-tolerance periods reach back to)
    r = g.with_columns(
        inc.alias("inc"), t_eff.alias("t_eff"),
        (_each(lk.nonneg, "iid") & (pl.col("v") < 0)).alias("negative"),
        out_of_range.alias("out_of_range"),
        ((pl.col("kind") == READING) & in_long_run).alias("stuck"),
        ((pl.col("x") - pl.col("med")).abs() > _each(spike_at, "iid")).fill_null(False).alias("spike"),
        (pl.col("same") & (pl.col("dt") > gap_factor * pl.col("interval"))).fill_null(False).alias("gap"),
    ).with_columns(
        ((pl.col("t_eff") >= start) & (pl.col("t_eff") < end)).alias("inp"),
    ).with_columns(pl.col("iid").set_sorted()).lazy()
    inp = pl.col("inp")
    gap_in = pl.col("gap") & inp
    counted = {**ROW_FLAGS, "gap": "gaps"}
    summary = r.select(
        "iid", "kind", "time", "interval", inp.alias("n"),
        pl.when(inp).then(pl.col("t_eff")).alias("t_in"),
        (inp & ~pl.col("duplicate")).alias("distinct"),
        pl.when(gap_in).then((pl.col("dt") / pl.col("interval")).round() - 1).alias("missing_inner"),
        pl.when(gap_in).then(pl.col("dt")).alias("longest_gap_s"),
        pl.when(inp).then(pl.col("inc")).alias("amount"),
        *[(pl.col(flag) & inp).alias(name) for flag, name in counted.items()],
    ).group_by("iid").agg(
        pl.col("kind").first(),
        pl.col("n").sum().cast(pl.UInt32),
        pl.col("time").min().alias("first"),
        pl.col("time").max().alias("last"),
        pl.col("interval").first().alias("interval_s"),
        pl.col("t_in").min().alias("first_eff"),
        pl.col("t_in").max().alias("last_eff"),
        pl.col("distinct").sum().cast(pl.UInt32),
        pl.col("missing_inner").sum().cast(pl.Int64),
        pl.col("longest_gap_s").max(),
        pl.col("amount").sum(),
        *[pl.col(name).sum() for name in counted.values()],
    )
    # one 64-bit key (instrument, day): in (instrument, time) order it is sorted, and a sorted
    # single key groups by slices instead of hashing two columns
    day_key = r.select((pl.col("iid").cast(pl.Int64) * (1 << 32)
                        + pl.col("t_eff").dt.date().cast(pl.Int32).cast(pl.Int64) + (1 << 31))
                       .alias("dk"), "inc").collect(engine="in-memory")
    if day_key["dk"].is_sorted():
        day_key = day_key.with_columns(pl.col("dk").set_sorted())
    daily = (day_key.lazy().group_by("dk")
             .agg(pl.col("inc").sum().alias("amount"), pl.col("inc").count().alias("n"))
             .filter(pl.col("n") > 0)
             .select((pl.col("dk") // (1 << 32)).cast(pl.UInt32).alias("iid"),
                     ((pl.col("dk") % (1 << 32)) - (1 << 31)).cast(pl.Int32).cast(pl.Date).alias("day"),
                     "amount", "n"))
    flag_cols = list(ROW_FLAGS)
    flagged = (r.filter(pl.any_horizontal(flag_cols) & inp)
               .select("fid", "row", "iid", "key", "time", "value",
                       pl.concat_str([pl.when(pl.col(c)).then(pl.lit(c)) for c in flag_cols],
                                     separator=",", ignore_nulls=True).alias("flags")))
    gaps = (r.filter(gap_in)
            .select("iid",
                    (pl.col("time") - pl.duration(microseconds=(pl.col("dt") * 1e6).cast(pl.Int64)))
                    .alias("gap_from"),
                    pl.col("time").alias("gap_to"),
                    ((pl.col("dt") / pl.col("interval")).round() - 1).cast(pl.Int64).alias("missing")))
    out = pl.collect_all([summary, daily, flagged, gaps], engine="in-memory")
    bad_rows = bad.select("fid", "row", "iid", "key", "time", "value",
                          pl.when(pl.col("time").is_null()).then(pl.lit("bad_time"))
                          .otherwise(pl.lit("bad_value")).alias("flags"))
    bad_counts = bad_rows.group_by("iid").agg(
        (pl.col("flags") == "bad_time").sum().cast(pl.UInt32).alias("bad_time"),
        (pl.col("flags") == "bad_value").sum().cast(pl.UInt32).alias("bad_value"))
    summary_df = out[0].join(bad_counts, on="iid", how="full", coalesce=True)
    flagged_df = pl.concat([out[2], bad_rows], how="vertical_relaxed")
    return [summary_df, out[1], flagged_df, out[3]]


def analyse(readings: Readings, unit: UnitFile, start: date | datetime | None = None,
            end: date | datetime | None = None, interval_s: float | None = None,
            batch_rows: int = 16_000_000, spill_dir: str | Path | None = None) -> QualityResult:
    """Run every check on ``readings`` for the instruments of ``unit``.

    ``start``/``end`` bound the period that coverage and amounts are counted in (default: the
    unit's reporting year); readings outside still take part in the checks around the edges.
    Up to ``batch_rows`` readings are read once into memory and checked in one batch; more
    are written once, coded, to a temporary Parquet file, partitioned by instrument, and
    checked a batch of instruments at a time (bounded memory).
    """
    s, e = reporting_period(unit, start, end)
    profs = profiles(unit)
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
        coded, anchors = encode(frame)
        if spill:
            path = Path(tmp) / "coded.parquet"
            coded.sink_parquet(path)
            coded = pl.scan_parquet(path)
        else:
            coded = coded.collect().lazy()
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
                                        f"not an instrument of the ledger; {n} readings not analysed"))
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
                                        f"{en}; {n} readings not analysed"))
    return _assemble(parts, lk, files, s, e, issues, profs, total_rows)


def _assemble(parts: list[list[pl.DataFrame]], lk: Lookup, files: list[str], s: datetime,
              e: datetime, issues: list[ReadingsIssue], profs: dict[str, Profile],
              total_rows: int) -> QualityResult:
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
            (pl.col("missing_inner").fill_null(0) + edge.fill_null(0).cast(pl.Int64)).alias("missing"))
            .with_columns((100.0 * pl.col("distinct") / pl.col("expected")).clip(upper_bound=100.0)
                          .fill_null(0.0).alias("coverage_percent"))
            .with_columns([pl.col(c).fill_null(0) for c in
                           ("n", "gaps", "duplicates", "negative", "out_of_range", "resets",
                            "rollovers", "stuck", "spikes", "bad_time", "bad_value", "distinct")])
            .select([pl.col(k).cast(v) for k, v in SUMMARY_SCHEMA.items()]).sort("instrument"))
    dl = cat(1)
    daily = (pl.DataFrame(schema=DAILY_SCHEMA) if dl is None else
             dl.sort("iid", "day")
             .select(name.alias("instrument"), "day", "amount", pl.col("n").cast(pl.UInt32)))
    monthly = (pl.DataFrame(schema=MONTHLY_SCHEMA) if dl is None else
               dl.filter((pl.col("day") >= s.date()) & (pl.col("day") < e.date()))
               .group_by("iid", pl.col("day").dt.truncate("1mo").alias("month"))
               .agg(pl.col("amount").sum(), pl.col("n").sum().cast(pl.UInt32))
               .sort("iid", "month")
               .select(name.alias("instrument"), "month", "amount", "n",
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
    return QualityResult(s, e, summary, monthly, flagged, gaps, daily, issues, profs, total_rows)

