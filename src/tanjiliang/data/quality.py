"""Quality checks of readings per instrument, and the amounts they carry per month.

Per instrument (docs/data.md): coverage against the expected interval, gaps, duplicates,
negative and out-of-range values, totaliser resets and rollovers, stuck values and spikes
(robust z-score); per instrument and month the amount measured (the sum of amounts, of
totaliser increments, or of rates × interval). Thresholds come from ``rules.yaml``.

All work on rows is polars expressions on lazy frames. To keep memory bounded the instruments
are processed in batches of at most ``batch_rows`` readings (a loop over batches, never over
rows); a large CSV or Excel input is first written once to a temporary Parquet file by the
streaming engine so that each batch re-reads a columnar file.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl

from tanjiliang.data.profile import Profile, conversion, profiles, rate_conversion
from tanjiliang.data.readings import KINDS, Readings, ReadingsIssue
from tanjiliang.data.rules import rule
from tanjiliang.model.unit import UnitFile

FLAGS = ("bad_time", "bad_value", "duplicate", "negative", "out_of_range", "reset", "rollover",
         "stuck", "spike")

SUMMARY_SCHEMA = {
    "instrument": pl.String, "kind": pl.String, "unit": pl.String, "n": pl.UInt32,
    "first": pl.Datetime("us"), "last": pl.Datetime("us"), "interval_s": pl.Float64,
    "expected": pl.Int64, "distinct": pl.UInt32, "coverage_percent": pl.Float64,
    "gaps": pl.UInt32, "missing": pl.Int64, "longest_gap_s": pl.Float64, "duplicates": pl.UInt32,
    "negative": pl.UInt32, "out_of_range": pl.UInt32, "resets": pl.UInt32, "rollovers": pl.UInt32,
    "stuck": pl.UInt32, "spikes": pl.UInt32, "bad_time": pl.UInt32, "bad_value": pl.UInt32,
    "amount": pl.Float64,
}


@dataclass
class QualityResult:
    start: datetime
    end: datetime
    summary: pl.DataFrame  # one row per instrument (SUMMARY_SCHEMA)
    monthly: pl.DataFrame  # instrument, month, amount, n
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


def _conversions(pairs: pl.DataFrame, profs: dict[str, Profile], files: str
                 ) -> tuple[pl.DataFrame, list[ReadingsIssue]]:
    """One row per distinct (instrument, unit, kind) seen: scale/offset into the instrument's
    unit, whether it is a rate, the effective kind; issues for what cannot be used."""
    rows = []
    issues = []
    for r in pairs.iter_rows(named=True):  # distinct combinations, not readings
        ident, unit, kind, n = r["instrument"], r["unit"], r["kind"], r["n"]
        p = profs.get(ident) if ident is not None else None
        if p is None:
            issues.append(ReadingsIssue(files, None, "instrument", ident,
                                        f"台账中没有此计量器具，{n} 条读数未分析",
                                        f"not an instrument of the ledger; {n} readings not analysed"))
            continue
        eff_kind = kind or p.kind
        if eff_kind not in KINDS:
            issues.append(ReadingsIssue(files, None, "kind", kind,
                                        f"{ident}：数据类型应为 reading、total 或 amount，{n} 条读数未分析",
                                        f"{ident}: kind must be reading, total or amount; {n} readings not analysed"))
            continue
        scale, offset, is_rate = 1.0, 0.0, False
        if unit and p.unit:
            try:
                scale, offset = conversion(unit, p.unit)
            except ValueError:
                factor = rate_conversion(unit, p.unit) if p.quantity == "activity" else None
                if factor is None:
                    issues.append(ReadingsIssue(
                        files, None, "unit", unit,
                        f"{ident}：单位“{unit}”不能换算为“{p.unit}”，{n} 条读数未分析",
                        f'{ident}: unit "{unit}" cannot be converted to "{p.unit}"; {n} readings not analysed'))
                    continue
                scale, is_rate = factor, True
                eff_kind = "reading"
        rows.append({"instrument": ident, "unit_key": unit or "", "kind_key": kind or "",
                     "scale": scale, "offset": offset, "is_rate": is_rate, "eff_kind": eff_kind,
                     "target_unit": p.unit or unit or "", "range_lo": p.range_lo,
                     "range_hi": p.range_hi,
                     "nonneg": p.quantity not in ("temperature", "pressure")})
    schema = {"instrument": pl.String, "unit_key": pl.String, "kind_key": pl.String,
              "scale": pl.Float64, "offset": pl.Float64, "is_rate": pl.Boolean,
              "eff_kind": pl.String, "target_unit": pl.String, "range_lo": pl.Float64,
              "range_hi": pl.Float64, "nonneg": pl.Boolean}
    return pl.DataFrame(rows, schema=schema), issues


def _pipeline(frame: pl.LazyFrame, conv: pl.DataFrame, start: datetime, end: datetime,
              interval_s: float | None) -> list[pl.LazyFrame]:
    """The checks on one batch of instruments → [summary, monthly, flagged, gaps]."""
    z_max = float(rule("quality", "spike_robust_z"))
    gap_factor = float(rule("quality", "gap_factor"))
    stuck_n = int(rule("quality", "stuck_min_run"))
    frac = float(rule("quality", "rollover_fraction"))
    period_s = (end - start).total_seconds()

    base = (frame
            .with_columns(pl.col("unit").fill_null("").alias("unit_key"),
                          pl.col("kind").fill_null("").alias("kind_key"))
            .join(conv.lazy(), on=["instrument", "unit_key", "kind_key"], how="inner")
            .with_columns((pl.col("value") * pl.col("scale") + pl.col("offset")).alias("v"))
            .drop("unit_key", "kind_key", "scale", "offset"))
    bad = (base.filter(pl.col("time").is_null() | pl.col("v").is_null())
           .with_columns(pl.when(pl.col("time").is_null()).then(pl.lit("bad_time"))
                         .otherwise(pl.lit("bad_value")).alias("flags")))
    good = (base.filter(pl.col("time").is_not_null() & pl.col("v").is_not_null())
            .sort(["instrument", "time", "row"]))

    same = pl.col("instrument") == pl.col("instrument").shift(1)
    dt = pl.when(same).then((pl.col("time") - pl.col("time").shift(1)).dt.total_microseconds() / 1e6)
    prev = pl.when(same).then(pl.col("v").shift(1))
    g = good.with_columns(same.fill_null(False).alias("same"), dt.alias("dt"), prev.alias("prev"))
    if interval_s is None:
        g = g.with_columns(pl.col("dt").filter(pl.col("dt") > 0).median().over("instrument")
                           .fill_null(3600.0).alias("interval"))
    else:
        g = g.with_columns(pl.lit(float(interval_s)).alias("interval"))
    total = pl.col("eff_kind") == "total"
    dup = pl.col("same") & (pl.col("dt") == 0)
    drop = total & pl.col("same") & (pl.col("v") < pl.col("prev")) & ~dup
    p10 = pl.lit(10.0).pow(pl.col("prev").clip(lower_bound=1e-9).log10().ceil())
    p10 = pl.when(p10 == pl.col("prev")).then(p10 * 10).otherwise(p10)
    rollover = drop & (pl.col("prev") >= frac * p10)
    reset = drop & ~rollover
    g = g.with_columns(dup.alias("duplicate"), rollover.alias("rollover"), reset.alias("reset"),
                       p10.alias("p10"))
    inc = (pl.when(total).then(
        pl.when(~pl.col("same")).then(None)
        .when(pl.col("duplicate")).then(0.0)
        .when(pl.col("rollover")).then(pl.col("p10") - pl.col("prev") + pl.col("v"))
        .when(pl.col("reset")).then(pl.col("v"))
        .otherwise(pl.col("v") - pl.col("prev")))
        .when(pl.col("eff_kind") == "amount").then(
            pl.when(pl.col("duplicate") & (pl.col("v") == pl.col("prev"))).then(0.0)
            .otherwise(pl.col("v")))
        .when(pl.col("is_rate")).then(pl.col("v") * pl.col("interval") / 3600.0)
        .otherwise(None))
    g = g.with_columns(inc.alias("inc"))
    x = pl.when(total).then(pl.col("inc")).otherwise(pl.col("v"))
    g = g.with_columns(x.alias("x"))
    med = pl.col("x").median().over("instrument")
    g = g.with_columns(med.alias("med"))
    mad = (pl.col("x") - pl.col("med")).abs().median().over("instrument")
    new_run = ~pl.col("same") | (pl.col("v") != pl.col("prev"))
    g = g.with_columns(mad.alias("mad"), new_run.cum_sum().alias("run"))
    g = g.with_columns(
        (pl.col("nonneg") & (pl.col("v") < 0)).alias("negative"),
        ((pl.col("eff_kind") != "total")
         & ((pl.col("v") < pl.col("range_lo")) | (pl.col("v") > pl.col("range_hi"))))
        .fill_null(False).alias("out_of_range"),
        ((pl.col("eff_kind") == "reading")
         & (pl.len().over("run") >= stuck_n)).alias("stuck"),
        ((pl.col("mad") > 0) & ((0.6745 * (pl.col("x") - pl.col("med")) / pl.col("mad")).abs() > z_max))
        .fill_null(False).alias("spike"),
        (pl.col("same") & (pl.col("dt") > gap_factor * pl.col("interval"))).alias("gap"),
    )
    # A totaliser or rate value closes the interval that ends at its time stamp; an amount or
    # an instantaneous reading belongs to the instant of its time stamp.
    g = g.with_columns(pl.when(total | pl.col("is_rate"))
                       .then(pl.col("time") - pl.duration(microseconds=1))
                       .otherwise(pl.col("time")).alias("t_eff"))
    in_period = (pl.col("t_eff") >= start) & (pl.col("t_eff") < end)
    period_month = pl.col("t_eff").dt.truncate("1mo").dt.date()
    summary = g.group_by("instrument").agg(
        pl.col("eff_kind").first().alias("kind"),
        pl.col("target_unit").first().alias("unit"),
        pl.len().alias("n"),
        pl.col("time").min().alias("first"),
        pl.col("time").max().alias("last"),
        pl.col("interval").first().alias("interval_s"),
        pl.col("t_eff").filter(in_period).min().alias("first_eff"),
        pl.col("t_eff").filter(in_period).max().alias("last_eff"),
        (pl.col("time").filter(in_period).n_unique()).cast(pl.UInt32).alias("distinct"),
        pl.col("gap").sum().alias("gaps"),
        ((pl.col("dt") / pl.col("interval")).round() - 1).filter(pl.col("gap")).sum()
        .cast(pl.Int64).alias("missing_inner"),
        pl.col("dt").filter(pl.col("gap")).max().alias("longest_gap_s"),
        pl.col("duplicate").sum().alias("duplicates"),
        pl.col("negative").sum().alias("negative"),
        pl.col("out_of_range").sum().alias("out_of_range"),
        pl.col("reset").sum().alias("resets"),
        pl.col("rollover").sum().alias("rollovers"),
        pl.col("stuck").sum().alias("stuck"),
        pl.col("spike").sum().alias("spikes"),
        pl.col("inc").filter(in_period).sum().alias("amount"),
    )
    edge = (((pl.col("first_eff") - pl.lit(start)).dt.total_microseconds() / 1e6 / pl.col("interval_s"))
            .floor().clip(lower_bound=0)
            + ((pl.lit(end) - pl.col("last_eff")).dt.total_microseconds() / 1e6 / pl.col("interval_s")
               - 1).ceil().clip(lower_bound=0))
    bad_counts = bad.group_by("instrument").agg(
        (pl.col("flags") == "bad_time").sum().cast(pl.UInt32).alias("bad_time"),
        (pl.col("flags") == "bad_value").sum().cast(pl.UInt32).alias("bad_value"))
    summary = (summary.join(bad_counts, on="instrument", how="full", coalesce=True)
               .with_columns(
                   (pl.lit(period_s) / pl.col("interval_s")).round().cast(pl.Int64).alias("expected"),
                   (pl.col("missing_inner").fill_null(0) + edge.fill_null(0).cast(pl.Int64)).alias("missing"),
               ).with_columns(
                   (100.0 * pl.col("distinct") / pl.col("expected")).clip(upper_bound=100.0).fill_null(0.0)
                   .alias("coverage_percent"))
               .with_columns([pl.col(c).fill_null(0) for c in
                              ("n", "gaps", "duplicates", "negative", "out_of_range", "resets",
                               "rollovers", "stuck", "spikes", "bad_time", "bad_value", "distinct")])
               .select([pl.col(k).cast(v) for k, v in SUMMARY_SCHEMA.items()]))
    monthly = (g.filter(pl.col("inc").is_not_null() & in_period)
               .group_by("instrument", period_month.alias("month"))
               .agg(pl.col("inc").sum().alias("amount"), pl.len().alias("n"),
                    pl.col("target_unit").first().alias("unit")))
    flag_cols = ["duplicate", "negative", "out_of_range", "reset", "rollover", "stuck", "spike"]
    flagged = (g.filter(pl.any_horizontal(flag_cols))
               .with_columns(pl.concat_str([pl.when(pl.col(c)).then(pl.lit(c)) for c in flag_cols],
                                           separator=",", ignore_nulls=True).alias("flags"))
               .select("file", "row", "instrument", "time", "value", "unit", "flags"))
    flagged = pl.concat([flagged, bad.select("file", "row", "instrument", "time", "value", "unit",
                                             "flags")])
    gaps = (g.filter(pl.col("gap"))
            .select("instrument",
                    (pl.col("time") - pl.duration(microseconds=(pl.col("dt") * 1e6).cast(pl.Int64)))
                    .alias("gap_from"),
                    pl.col("time").alias("gap_to"),
                    ((pl.col("dt") / pl.col("interval")).round() - 1).cast(pl.Int64).alias("missing")))
    daily = (g.group_by("instrument", pl.col("t_eff").dt.date().alias("day"))
             .agg(pl.col("inc").sum().alias("amount"), pl.len().alias("n")))
    return [summary, monthly, flagged, gaps, daily]


def _batches(counts: dict[str, int], batch_rows: int) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    size = 0
    for ident, n in sorted(counts.items()):
        if cur and size + n > batch_rows:
            out.append(cur)
            cur, size = [], 0
        cur.append(ident)
        size += n
    if cur:
        out.append(cur)
    return out


def analyse(readings: Readings, unit: UnitFile, start: date | datetime | None = None,
            end: date | datetime | None = None, interval_s: float | None = None,
            batch_rows: int = 20_000_000, spill_dir: str | Path | None = None) -> QualityResult:
    """Run every check on ``readings`` for the instruments of ``unit``.

    ``start``/``end`` bound the period that coverage and amounts are counted in (default: the
    unit's reporting year); readings outside still take part in the checks around the edges.
    """
    s, e = reporting_period(unit, start, end)
    profs = profiles(unit)
    frame = readings.frame
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if any(not f.lower().endswith(".parquet") for f in readings.files) and sum(
            Path(f).stat().st_size for f in readings.files if Path(f).exists()) > 200_000_000:
        tmp = tempfile.TemporaryDirectory(dir=spill_dir)
        spill = Path(tmp.name) / "readings.parquet"
        frame.sink_parquet(spill)
        frame = pl.scan_parquet(spill)
    try:
        pairs = (frame.group_by("instrument", "unit", "kind").agg(pl.len().alias("n"))
                 .collect(engine="streaming"))
        files = ", ".join(readings.files)
        conv, issues = _conversions(pairs, profs, files)
        counts = {k: int(v) for k, v in pairs.filter(pl.col("instrument").is_in(conv["instrument"].implode()))
                  .group_by("instrument").agg(pl.col("n").sum()).iter_rows()}
        parts: list[list[pl.DataFrame]] = []
        for batch in _batches(counts, batch_rows):
            lf = frame.filter(pl.col("instrument").is_in(batch)) if len(counts) > len(batch) else frame
            parts.append(pl.collect_all(_pipeline(lf, conv, s, e, interval_s)))
    finally:
        if tmp is not None:
            tmp.cleanup()

    def cat(i: int, schema: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
        frames = [p[i] for p in parts]
        if not frames:
            return pl.DataFrame(schema=schema or {})
        return pl.concat(frames, how="vertical_relaxed")

    summary = cat(0, SUMMARY_SCHEMA).sort("instrument")
    monthly = cat(1, {"instrument": pl.String, "month": pl.Date, "amount": pl.Float64,
                      "n": pl.UInt32, "unit": pl.String}).sort("instrument", "month")
    flagged = cat(2, {"file": pl.String, "row": pl.Int64, "instrument": pl.String,
                      "time": pl.Datetime("us"), "value": pl.Float64, "unit": pl.String,
                      "flags": pl.String}).sort("instrument", "time", "row", nulls_last=True)
    gaps = cat(3, {"instrument": pl.String, "gap_from": pl.Datetime("us"),
                   "gap_to": pl.Datetime("us"), "missing": pl.Int64}).sort("instrument", "gap_from")
    daily = cat(4, {"instrument": pl.String, "day": pl.Date, "amount": pl.Float64,
                    "n": pl.UInt32}).sort("instrument", "day")
    rows = int(pairs["n"].sum()) if len(pairs) else 0
    return QualityResult(s, e, summary, monthly, flagged, gaps, daily, readings.issues + issues, profs, rows)


def expected_count(start: datetime, end: datetime, interval_s: float) -> int:
    return math.floor((end - start).total_seconds() / interval_s)
