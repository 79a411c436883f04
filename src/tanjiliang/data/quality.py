"""Quality checks of readings per instrument, and the amounts they carry per day and month.

Per instrument (docs/data.md): coverage against the expected interval, gaps, duplicates,
negative and out-of-range values, totaliser resets and rollovers, stuck values and spikes
(robust z-score, rules.yaml); per instrument and day/month the amount measured (the sum of
amounts, of totaliser increments, or of rates × interval).

How it stays fast and bounded (all bulk work is polars expressions; loops run over distinct
ids, units and batches, never over readings):

1. The distinct instrument ids, units and kinds are read (one cheap pass); each gets a small
   integer code, and unit conversion factors (pint) and effective kinds are computed once per
   combination into lookup arrays.
2. Every reading becomes a compact row (instrument code, lookup key, file, row, time, value);
   strings are never touched again. Inputs above ``batch_rows`` are written once by the
   streaming engine into temporary Parquet files partitioned by instrument code, and each
   partition (a batch of whole instruments) is checked on its own.
3. A batch is sorted by one 64-bit key (instrument, second) only when it is not already in
   order; then shifts and per-instrument aggregates (gathered back by code) do the checks.
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

FLAGS = ("bad_time", "bad_value", "duplicate", "negative", "out_of_range", "reset", "rollover",
         "stuck", "spike")
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


def _table(column: str, mapping: dict[str, int], code: str) -> pl.LazyFrame:
    return pl.LazyFrame({column: list(mapping), code: list(mapping.values())},
                        schema={column: pl.String, code: pl.UInt32})


def compact(frame: pl.LazyFrame, lk: Lookup) -> pl.LazyFrame:
    """Readings → (iid, key, fid, row, time, value); unknown ids get a null iid.

    Codes come from joins with the small tables of distinct values (the streaming engine runs
    joins in bounded memory, where a per-row dictionary lookup would not stream), or for a
    few units/kinds from a chain of comparisons; row order is kept."""
    lf = frame.join(_table("instrument", lk.inst_map, "iid"), on="instrument", how="left",
                    maintain_order="left")
    codes = []
    for column, mapping, code in (("unit", lk.unit_map, "uid"), ("kind", lk.kind_map, "kid")):
        if len(mapping) <= 1:
            codes.append(pl.lit(0, pl.UInt32))
        elif len(mapping) <= 8:
            expr = pl.lit(0, pl.UInt32)
            for text, c in mapping.items():
                if text:
                    expr = pl.when(pl.col(column) == text).then(pl.lit(c, pl.UInt32)).otherwise(expr)
            codes.append(expr)
        else:
            lf = (lf.with_columns(pl.col(column).fill_null(""))
                  .join(_table(column, mapping, code), on=column, how="left", maintain_order="left"))
            codes.append(pl.col(code).fill_null(0))
    uid, kid = codes
    return lf.select(
        "iid",
        ((pl.col("iid") * lk.nu + uid) * lk.nk + kid).alias("key"),
        "fid", "row", "time", "value")


def _dense(stats: pl.DataFrame, col: str, n: int, fill: float = np.nan) -> pl.Series:
    arr = np.full(n, fill, dtype=np.float64)
    idx = stats["iid"].to_numpy()
    arr[idx] = stats[col].fill_null(np.nan).to_numpy()
    return pl.Series(col, arr).fill_nan(None)  # NaN would compare greater than any number


def _check_batch(df: pl.DataFrame, lk: Lookup, start: datetime, end: datetime,
                 interval_s: float | None) -> list[pl.DataFrame]:
    """The checks on one in-memory batch of compact rows → [summary, daily, flagged, gaps]."""
    z_max = float(rule("quality", "spike_robust_z"))
    gap_factor = float(rule("quality", "gap_factor"))
    stuck_n = int(rule("quality", "stuck_min_run"))
    frac = float(rule("quality", "rollover_fraction"))
    n_ids = len(lk.ids)
    key = pl.col("key")
    base = df.lazy().with_columns(
        (pl.col("value") * pl.lit(pl.Series(lk.scale)).gather(key)
         + pl.lit(pl.Series(lk.offset)).gather(key)).alias("v"),
        pl.lit(pl.Series(lk.kind)).gather(key).alias("kind"),
        pl.lit(pl.Series(lk.is_rate)).gather(key).alias("is_rate"),
    ).collect()
    if base["time"].null_count() or base["v"].null_count():
        bad = base.filter(pl.col("time").is_null() | pl.col("v").is_null())
        good = base.filter(pl.col("time").is_not_null() & pl.col("v").is_not_null())
    else:  # the usual case: no copy
        bad, good = base.head(0), base
    in_order = good.select(
        ((pl.col("iid").diff() > 0)
         | ((pl.col("iid").diff() == 0) & (pl.col("time").diff().dt.total_microseconds() >= 0)))
        .fill_null(True).all()).item()
    if not in_order:
        t0 = good["time"].min()
        good = good.sort(pl.col("iid").cast(pl.UInt64) * (1 << 40)
                         + (pl.col("time") - t0).dt.total_seconds().cast(pl.UInt64),
                         maintain_order=True)
    same = (pl.col("iid") == pl.col("iid").shift(1)).fill_null(False)
    total = pl.col("kind") == TOTAL
    g = good.lazy().with_columns(
        same.alias("same"),
        pl.when(same).then((pl.col("time") - pl.col("time").shift(1)).dt.total_microseconds() / 1e6)
        .alias("dt"),
        pl.when(same).then(pl.col("v").shift(1)).alias("prev"),
    ).with_columns(
        (pl.col("same") & (pl.col("dt") == 0)).alias("duplicate"),
    ).with_columns(
        (total & pl.col("same") & (pl.col("v") < pl.col("prev")) & ~pl.col("duplicate")).alias("drop"),
        pl.when(total).then(
            pl.when(~pl.col("same")).then(None).when(pl.col("duplicate")).then(0.0)
            .otherwise(pl.col("v") - pl.col("prev")))
        .otherwise(pl.col("v")).alias("x"),
        (~pl.col("same") | (pl.col("v") != pl.col("prev")).fill_null(True)).cum_sum().alias("run"),
    ).collect()
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
        rollover = pl.Series("rollover", [False] * len(g), dtype=pl.Boolean).scatter(at.filter(roll), True)
        g = g.with_columns(x.alias("x"), rollover).with_columns(
            (pl.col("drop") & ~pl.col("rollover")).alias("reset"))
    else:
        g = g.with_columns(pl.lit(False).alias("rollover"), pl.lit(False).alias("reset"))
    stats = (g.group_by("iid")
             .agg(pl.col("dt").filter(pl.col("dt") > 0).median().alias("interval"),
                  pl.col("x").median().alias("med")))
    interval = (pl.lit(float(interval_s)) if interval_s is not None
                else pl.lit(_dense(stats, "interval", n_ids)).gather(pl.col("iid")).fill_null(3600.0))
    g = g.with_columns(interval.alias("interval"),
                       pl.lit(_dense(stats, "med", n_ids)).gather(pl.col("iid")).alias("med"))
    mad = g.group_by("iid").agg((pl.col("x") - pl.col("med")).abs().median().alias("mad"))
    run_len = g.select(pl.col("run").rle().struct.field("len"))["len"]
    amount_kind = pl.col("kind") == AMOUNT
    total = pl.col("kind") == TOTAL
    inc = (pl.when(total).then(pl.col("x"))
           .when(amount_kind).then(pl.when(pl.col("duplicate") & (pl.col("v") == pl.col("prev")))
                                   .then(0.0).otherwise(pl.col("v")))
           .when(pl.col("is_rate")).then(pl.col("v") * pl.col("interval") / 3600.0)
           .otherwise(None))
    # A totaliser or rate value closes the interval that ends at its time stamp; an amount or
    # an instantaneous reading belongs to the instant of its time stamp.
    t_eff = (pl.when(total | pl.col("is_rate")).then(pl.col("time") - pl.duration(microseconds=1))
             .otherwise(pl.col("time")))
    madv = pl.lit(_dense(mad, "mad", n_ids)).gather(pl.col("iid"))
    lo = pl.lit(pl.Series(lk.lo).fill_nan(None)).gather(pl.col("iid"))
    hi = pl.lit(pl.Series(lk.hi).fill_nan(None)).gather(pl.col("iid"))
    nonneg = pl.lit(pl.Series(lk.nonneg)).gather(pl.col("iid"))
    r = g.lazy().with_columns(
        inc.alias("inc"), t_eff.alias("t_eff"),
        (nonneg & (pl.col("v") < 0)).alias("negative"),
        (~total & ((pl.col("v") < lo) | (pl.col("v") > hi))).fill_null(False).alias("out_of_range"),
        ((pl.col("kind") == READING)
         & (pl.lit(run_len).gather(pl.col("run") - 1) >= stuck_n)).alias("stuck"),
        ((madv > 0) & ((0.6745 * (pl.col("x") - pl.col("med")) / madv).abs() > z_max))
        .fill_null(False).alias("spike"),
        (pl.col("same") & (pl.col("dt") > gap_factor * pl.col("interval"))).fill_null(False).alias("gap"),
    )
    # counts and flags are about the period; readings around it only give the edges their
    # context (and the daily amounts that out-of-tolerance periods reach back to)
    r = r.with_columns(((pl.col("t_eff") >= start) & (pl.col("t_eff") < end)).alias("inp"))
    inp = pl.col("inp")

    def count(flag: str) -> pl.Expr:
        return (pl.col(flag) & inp).sum()

    summary = r.group_by("iid").agg(
        pl.col("kind").first(),
        inp.sum().cast(pl.UInt32).alias("n"),
        pl.col("time").min().alias("first"),
        pl.col("time").max().alias("last"),
        pl.col("interval").first().alias("interval_s"),
        pl.col("t_eff").filter(inp).min().alias("first_eff"),
        pl.col("t_eff").filter(inp).max().alias("last_eff"),
        (inp & ~pl.col("duplicate")).sum().cast(pl.UInt32).alias("distinct"),
        count("gap").alias("gaps"),
        ((pl.col("dt") / pl.col("interval")).round() - 1).filter(pl.col("gap") & inp).sum()
        .cast(pl.Int64).alias("missing_inner"),
        pl.col("dt").filter(pl.col("gap") & inp).max().alias("longest_gap_s"),
        count("duplicate").alias("duplicates"),
        count("negative").alias("negative"),
        count("out_of_range").alias("out_of_range"),
        count("reset").alias("resets"),
        count("rollover").alias("rollovers"),
        count("stuck").alias("stuck"),
        count("spike").alias("spikes"),
        pl.col("inc").filter(inp).sum().alias("amount"),
    )
    daily = (r.filter(pl.col("inc").is_not_null())
             .group_by("iid", pl.col("t_eff").dt.date().alias("day"))
             .agg(pl.col("inc").sum().alias("amount"), pl.len().alias("n")))
    flag_cols = ["duplicate", "negative", "out_of_range", "reset", "rollover", "stuck", "spike"]
    flagged = (r.filter(pl.any_horizontal(flag_cols) & inp)
               .select("fid", "row", "iid", "key", "time", "value",
                       pl.concat_str([pl.when(pl.col(c)).then(pl.lit(c)) for c in flag_cols],
                                     separator=",", ignore_nulls=True).alias("flags")))
    gaps = (r.filter(pl.col("gap") & inp)
            .select("iid",
                    (pl.col("time") - pl.duration(microseconds=(pl.col("dt") * 1e6).cast(pl.Int64)))
                    .alias("gap_from"),
                    pl.col("time").alias("gap_to"),
                    ((pl.col("dt") / pl.col("interval")).round() - 1).cast(pl.Int64).alias("missing")))
    out = pl.collect_all([summary, daily, flagged, gaps])
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
            batch_rows: int = 5_000_000, spill_dir: str | Path | None = None) -> QualityResult:
    """Run every check on ``readings`` for the instruments of ``unit``.

    ``start``/``end`` bound the period that coverage and amounts are counted in (default: the
    unit's reporting year); readings outside still take part in the checks around the edges.
    """
    s, e = reporting_period(unit, start, end)
    profs = profiles(unit)
    frame = readings.frame
    files = readings.files
    with tempfile.TemporaryDirectory(dir=spill_dir) as tmp:
        if any(not f.lower().endswith(".parquet") for f in files):
            size = sum(Path(f).stat().st_size for f in files if Path(f).exists())
            if size > 200_000_000:
                spill = Path(tmp) / "readings.parquet"
                frame.sink_parquet(spill)
                frame = pl.scan_parquet(spill)
            else:
                frame = frame.collect().lazy()
        distinct = pl.collect_all([frame.select(pl.col(c).unique()) for c in ("unit", "kind")])
        lk, _ = build_lookup(profs, list(profs), *(d.to_series().to_list() for d in distinct))
        issues = list(readings.issues)
        all_files = ", ".join(files)
        total_rows = frame.select(pl.len()).collect().item()

        n_buckets = max(1, math.ceil(total_rows / batch_rows))

        def materialise(lk: Lookup) -> tuple[list[pl.LazyFrame], int]:
            """The compact rows in memory, or (large inputs) spilled once by the streaming
            engine into files partitioned by instrument code; and how many are unknown."""
            cf = compact(frame, lk)
            if n_buckets == 1:
                mem = cf.collect()
                return [mem.lazy()], mem["iid"].null_count()
            root = Path(tmp) / f"compact-{len(lk.inst_map)}"
            (cf.with_columns((pl.col("iid") % n_buckets).fill_null(n_buckets).alias("bucket"))
             .sink_parquet(pl.PartitionBy(str(root) + "/", key="bucket", include_key=False), mkdir=True))
            parts = [pl.scan_parquet(d) for d in sorted(root.iterdir()) if d.name != f"bucket={n_buckets}"]
            unknown_dir = root / f"bucket={n_buckets}"
            n = pl.scan_parquet(unknown_dir).select(pl.len()).collect().item() if unknown_dir.exists() else 0
            return parts, n

        batches, n_unknown = materialise(lk)
        if n_unknown:  # ids not in the ledger, perhaps only by spaces or full-width characters
            counts = (frame.filter(~pl.col("instrument").is_in(list(lk.inst_map)))
                      .group_by("instrument").agg(pl.len()).collect())
            raw = [r for r in counts["instrument"].to_list() if r is not None]
            lk, unknown = build_lookup(profs, list(profs) + raw,
                                       *(d.to_series().to_list() for d in distinct))
            if len(unknown) < len(raw):
                batches, n_unknown = materialise(lk)
            for ident, n in (counts.filter(pl.col("instrument").is_in(unknown)
                                           | pl.col("instrument").is_null())
                             .sort("instrument").iter_rows()):
                issues.append(ReadingsIssue(all_files, None, "instrument", ident,
                                            f"台账中没有此计量器具，{n} 条读数未分析",
                                            f"not an instrument of the ledger; {n} readings not analysed"))
        usable = pl.lit(pl.Series(lk.kind)).gather(pl.col("key")) >= 0
        parts: list[list[pl.DataFrame]] = []
        unusable: dict[int, int] = {}
        for lf in batches:  # one batch of instruments at a time: bounded memory
            batch = lf.filter(pl.col("iid").is_not_null()).collect()
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
    name = pl.lit(ids).gather(pl.col("iid"))
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
             dl.select(name.alias("instrument"), "day", "amount", pl.col("n").cast(pl.UInt32))
             .sort("instrument", "day"))
    monthly = (pl.DataFrame(schema=MONTHLY_SCHEMA) if dl is None else
               dl.filter((pl.col("day") >= s.date()) & (pl.col("day") < e.date()))
               .group_by("iid", pl.col("day").dt.truncate("1mo").alias("month"))
               .agg(pl.col("amount").sum(), pl.col("n").sum().cast(pl.UInt32))
               .select(name.alias("instrument"), "month", "amount", "n",
                       pl.lit(units).gather(pl.col("iid")).alias("unit"))
               .sort("instrument", "month"))
    fl = cat(2)
    flagged = (pl.DataFrame(schema=FLAGGED_SCHEMA) if fl is None else
               fl.select(pl.lit(pl.Series(files, dtype=pl.String)).gather(pl.col("fid")).alias("file"),
                         "row", name.alias("instrument"), "time", "value",
                         pl.lit(raw_units).gather((pl.col("key") // lk.nk) % lk.nu).alias("unit"),
                         "flags")
               .with_columns(pl.col("unit").replace("", None))
               .sort("instrument", "time", "row", nulls_last=True))
    gp = cat(3)
    gaps = (pl.DataFrame(schema=GAPS_SCHEMA) if gp is None else
            gp.select(name.alias("instrument"), "gap_from", "gap_to", "missing")
            .sort("instrument", "gap_from"))
    return QualityResult(s, e, summary, monthly, flagged, gaps, daily, issues, profs, total_rows)


def expected_count(start: datetime, end: datetime, interval_s: float) -> int:
    return math.floor((end - start).total_seconds() / interval_s)
