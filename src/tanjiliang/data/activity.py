"""Monthly activity data per stream and reconciliation of main meters with their sub-meters.

Both use the assessment's metering points (default-pack.md "Required metering points"): a
point's place, level and the instruments covering it.

* **Activity per stream.** The stream's level-1 (boundary) point gives its monthly activity
  when an in-use instrument there has readings; otherwise the consumer-level points below it,
  when together they cover every consumer, are summed. The annual sum is compared with the
  ``activity`` declared in the unit file.
* **Reconciliation.** Wherever points with readings sit directly below a point with readings
  and together cover everything that passes through it (consumer shares), the main meter's
  monthly amount is compared with the sum of the sub-meters'. A month is flagged when the
  difference exceeds what the instruments' MPEs allow, in the worst case with every
  instrument at its MPE: ``|main − Σ sub| > MPE_main·main + Σ MPE_i·sub_i`` (rules.yaml
  ``reconciliation.bound``). Instruments without a known MPE make the month ``unknown``.
* **Tonnes at stake.** Missing readings (gaps, coverage) of the instruments a stream's
  activity comes from, valued at their mean amount per interval, times the stream's emission
  factor per unit of activity from the assessment.
* **Several targets.** An instrument that measures several streams' activity gives each stream
  its share of the monthly amount (``shares`` from :mod:`tanjiliang.data.attribution`: the
  readings' ``target`` column or the ledger's ``split``), in the activity per stream and in the
  reconciliation, never its whole amount to each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from tanjiliang.assess.result import Assessment, PointResult
from tanjiliang.data.declared import _ancestors, _parents, _share_under, declared_activity
from tanjiliang.data.quality import QualityResult
from tanjiliang.model.unit import BOUNDARY, UnitFile


@dataclass(frozen=True, slots=True)
class Node:
    """A main meter and the sub-meters that should add up to it."""

    stream: str
    point: str
    main: str
    subs: tuple[str, ...]
    sub_points: tuple[str, ...]


def _covered(unit: UnitFile, p: PointResult, up: dict[str, str]) -> float:
    """Consumer share that passes through point ``p`` (its highest place)."""
    return _share_under(unit, p.stream, p.place, up)


def meter_of(p: PointResult, with_data: set[str], in_use: set[str]) -> str | None:
    for ident in p.instruments:
        if ident in with_data and ident in in_use:
            return ident
    return None


def topology(unit: UnitFile, assessment: Assessment, with_data: set[str]
             ) -> tuple[list[Node], dict[str, tuple[str, ...]], list[tuple[str, str, str]]]:
    """Reconciliation nodes, the instruments each stream's activity comes from, and the points
    that could not be reconciled (stream, point, reason code)."""
    up = _parents(unit)
    in_use = {i.id for i in unit.instruments if i.status == "in_use"}
    pts = [p for p in assessment.points if p.quantity == "activity" and p.level is not None]
    by_stream: dict[str, list[PointResult]] = {}
    for p in pts:
        by_stream.setdefault(p.stream, []).append(p)
    nodes: list[Node] = []
    sources: dict[str, tuple[str, ...]] = {}
    skipped: list[tuple[str, str, str]] = []
    for stream, plist in by_stream.items():
        def children(parent: PointResult, plist: list[PointResult] = plist) -> list[PointResult]:
            below = [q for q in plist if q is not parent and q.level is not None
                     and parent.level is not None and q.level > parent.level
                     and (parent.place == BOUNDARY or parent.place in _ancestors(q.place, up))
                     and q.place != parent.place]
            return [q for q in below if not any(
                r is not q and r in below and r.place in _ancestors(q.place, up) for r in below)]

        for p in sorted(plist, key=lambda x: x.level or 0):
            main = meter_of(p, with_data, in_use)
            kids = children(p)
            if not kids:
                continue
            metered = [(q, meter_of(q, with_data, in_use)) for q in kids]
            share = sum(_covered(unit, q, up) for q, m in metered if m is not None)
            if main is None:
                if p.level == 1 and abs(share - 1.0) < 1e-9 and stream not in sources:
                    sources[stream] = tuple(m for _, m in metered if m is not None)
                continue
            if any(m is None for _, m in metered) or abs(share - _covered(unit, p, up)) > 1e-9:
                skipped.append((stream, p.id, "sub_points_unmetered"))
                continue
            nodes.append(Node(stream, p.id, main, tuple(m for _, m in metered if m),
                              tuple(q.id for q, _ in metered)))
        top = [p for p in plist if p.level == 1]
        if stream not in sources and top:
            main = meter_of(top[0], with_data, in_use)
            if main is not None:
                sources[stream] = (main,)
    return nodes, sources, skipped


def silent(unit: UnitFile, assessment: Assessment, with_data: set[str]) -> list[tuple[str, tuple[str, ...]]]:
    """In-use instruments covering an activity point with no reading in the period, each with
    its points, in the ledger's order (docs/data.md "An instrument without readings"): the
    activity or the reconciliation that would rest on them cannot, which the stream table and
    the reconciliation alone do not say."""
    in_use = {i.id for i in unit.instruments if i.status == "in_use"}
    where: dict[str, list[str]] = {}
    for p in assessment.points:
        if p.quantity == "activity" and p.level is not None:
            for ident in p.instruments:
                if ident in in_use and ident not in with_data:
                    where.setdefault(ident, []).append(p.id)
    return [(i.id, tuple(where[i.id])) for i in unit.instruments if i.id in where]


def attributed(monthly: pl.DataFrame, shares: pl.DataFrame | None) -> pl.DataFrame:
    """``monthly`` rows (instrument, stream, month, amount …) with each several-target
    instrument's amount multiplied by the stream's share that month (the month's share, else
    the fixed split, else 0: the month's named readings carried none of that stream)."""
    if shares is None or shares.height == 0:
        return monthly
    by_month = shares.filter(pl.col("month").is_not_null()).rename({"share": "share_m"})
    fixed = shares.filter(pl.col("month").is_null()).drop("month").rename({"share": "share_c"})
    split_ids = shares["instrument"].unique().implode()
    return (monthly.join(by_month, on=["instrument", "stream", "month"], how="left")
            .join(fixed, on=["instrument", "stream"], how="left")
            .with_columns(pl.when(pl.col("instrument").is_in(split_ids))
                          .then(pl.col("amount") * pl.coalesce("share_m", "share_c", pl.lit(0.0)))
                          .otherwise(pl.col("amount")).alias("amount"))
            .drop("share_m", "share_c"))


def _mpe_frame(unit: UnitFile, assessment: Assessment) -> pl.DataFrame:
    mpe = {i.id: i.mpe_percent for i in assessment.instruments}
    return pl.DataFrame({"instrument": list(mpe), "mpe": list(mpe.values())},
                        schema={"instrument": pl.String, "mpe": pl.Float64})


def reconcile(unit: UnitFile, assessment: Assessment, q: QualityResult,
              shares: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per (node, month): main, sum of subs, difference, allowed, status (a
    several-target instrument with its stream's share, :func:`attributed`)."""
    with_data = set(q.monthly["instrument"].unique().to_list())
    nodes, _, _ = topology(unit, assessment, with_data)
    schema = {"stream": pl.String, "point": pl.String, "main": pl.String, "subs": pl.String,
              "month": pl.Date, "main_amount": pl.Float64, "sub_amount": pl.Float64,
              "difference": pl.Float64, "difference_percent": pl.Float64,
              "allowed": pl.Float64, "status": pl.String, "unit": pl.String}
    if not nodes:
        return pl.DataFrame(schema=schema)
    roles = pl.DataFrame(
        [{"node": k, "stream": n.stream, "point": n.point, "main": n.main, "subs": ",".join(n.subs),
          "instrument": ident, "role": role}
         for k, n in enumerate(nodes)
         for ident, role in [(n.main, "main"), *[(s, "sub") for s in n.subs]]],
        schema={"node": pl.Int64, "stream": pl.String, "point": pl.String, "main": pl.String,
                "subs": pl.String, "instrument": pl.String, "role": pl.String})
    m = (attributed(q.monthly.join(roles, on="instrument"), shares)
         .join(_mpe_frame(unit, assessment), on="instrument", how="left"))
    out = (m.group_by("node", "stream", "point", "main", "subs", "month")
           .agg(pl.col("amount").filter(pl.col("role") == "main").sum().alias("main_amount"),
                pl.col("amount").filter(pl.col("role") == "sub").sum().alias("sub_amount"),
                (pl.col("amount").abs() * pl.col("mpe") / 100.0).sum().alias("allowed"),
                pl.col("mpe").is_null().any().alias("mpe_unknown"),
                (pl.col("role") == "sub").sum().alias("n_subs"),
                pl.col("unit").first().alias("unit"))
           .with_columns((pl.col("main_amount") - pl.col("sub_amount")).alias("difference"))
           .with_columns((100.0 * pl.col("difference") / pl.col("main_amount")).alias("difference_percent"),
                         pl.when(pl.col("mpe_unknown")).then(pl.lit("unknown"))
                         .when(pl.col("difference").abs() > pl.col("allowed")).then(pl.lit("unreconciled"))
                         .otherwise(pl.lit("ok")).alias("status"))
           .sort("stream", "point", "month"))
    return out.select(list(schema)).cast(schema)  # type: ignore[arg-type]


def stream_activity(unit: UnitFile, assessment: Assessment, q: QualityResult,
                    shares: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(monthly activity per stream, annual summary per stream with declared activity,
    missing readings and the tonnes that hang on them); a several-target instrument counts
    with each stream's share (:func:`attributed`)."""
    with_data = set(q.monthly["instrument"].unique().to_list())
    _, sources, _ = topology(unit, assessment, with_data)
    src = pl.DataFrame([{"stream": s, "instrument": i} for s, ids in sources.items() for i in ids],
                       schema={"stream": pl.String, "instrument": pl.String})
    per_instrument = attributed(q.monthly.join(src, on="instrument"), shares)
    # each (stream, instrument)'s part of the instrument's amount over the period, for its
    # missing readings (a single-target instrument: 1)
    part = (per_instrument.group_by("stream", "instrument").agg(pl.col("amount").sum().alias("mine"))
            .join(q.monthly.group_by("instrument").agg(pl.col("amount").sum().alias("all")), on="instrument")
            .with_columns((pl.col("mine") / pl.col("all")).fill_nan(1.0).alias("part")).select("stream", "instrument", "part"))
    monthly = (per_instrument
               .group_by("stream", "month")
               .agg(pl.col("amount").sum().alias("activity"), pl.col("unit").first().alias("unit"),
                    pl.col("instrument").unique().sort().str.join(",").alias("instruments"))
               .sort("stream", "month"))
    ef = {}
    declared = {}
    for s in assessment.streams:
        amount, u = declared_activity(unit, s.id)
        declared[s.id] = (amount, u)
        if amount:
            ef[s.id] = s.emissions_tco2e / amount
    missing = (q.summary.join(src, on="instrument").join(part, on=["stream", "instrument"], how="left")
               .with_columns((pl.col("amount") / pl.col("distinct").cast(pl.Float64)
                              * pl.col("missing").cast(pl.Float64) * pl.col("part").fill_null(1.0)).fill_nan(0.0)
                             .alias("missing_amount"))
               .group_by("stream")
               .agg(pl.col("missing").sum().alias("missing_readings"),
                    pl.col("missing_amount").sum().alias("missing_activity"),
                    pl.col("coverage_percent").min().alias("coverage_percent")))
    annual = monthly.group_by("stream").agg(pl.col("activity").sum().alias("metered"),
                                             pl.col("unit").first().alias("unit"),
                                             pl.col("instruments").first())
    # a period other than the reporting year is compared with the declared annual activity
    # pro rata (its days within the year ÷ the year's days)
    y0, y1 = datetime(unit.unit.year, 1, 1), datetime(unit.unit.year + 1, 1, 1)
    overlap = max((min(q.end, y1) - max(q.start, y0)).total_seconds(), 0.0)
    fraction = overlap / (y1 - y0).total_seconds()
    decl = pl.DataFrame([{"stream": k, "declared": v[0], "declared_unit": v[1],
                          "tco2e_per_unit": ef.get(k)} for k, v in declared.items()],
                        schema={"stream": pl.String, "declared": pl.Float64,
                                "declared_unit": pl.String, "tco2e_per_unit": pl.Float64})
    summary = (decl.join(annual, on="stream", how="left").join(missing, on="stream", how="left")
               .with_columns((pl.col("declared") * fraction).alias("declared_in_period"))
               .with_columns((100.0 * (pl.col("metered") - pl.col("declared_in_period"))
                              / pl.col("declared_in_period")).alias("difference_percent"),
                             (pl.col("missing_activity") * pl.col("tco2e_per_unit"))
                             .alias("tco2e_at_stake"))
               .sort("stream"))
    return monthly, summary
