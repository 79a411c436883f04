"""CO2 mass from CEMS readings (measurement method, shared/domain.md §6).

Per sample (minute or hour) at an emission point, from CO2 concentration (% vol, dry or wet,
or mg/m³ at actual conditions), flue-gas flow (m³/h at actual conditions, wet), temperature
(°C), absolute pressure (kPa) and moisture (% vol):

* flow at standard dry conditions (HJ 75-2017, 273.15 K, 101.325 kPa, S):
  ``Q_sd = Q × 273.15/(273.15 + t) × P/101.325 × (1 − Xsw)``
* concentration at standard dry conditions: % vol → ``C = φ/100 × 1.964 kg/Nm³`` (CO2 at
  100 %, M/22.4, S), divided by ``(1 − Xsw)`` when measured wet; mg/m³ at actual conditions →
  ``C_std = C × 101.325/P × (273.15 + t)/273.15``, then, when measured wet,
  ``C_dry = C_std/(1 − Xsw)`` (HJ 75-2017 / HJ 1045, S)
* mass rate ``E = C × Q_sd`` (EU MRR 2018/2066 Annex VIII: ``E = Σ conc × flow``, V).

The basis (dry or wet) is the CO2 analyser's (the unit file's ``basis`` on the instrument that
measures ``<point>.co2``, docs/unit-file.md), or ``data cems --basis``; absent, % vol is dry and
mg/m³ at actual conditions wet. The samples carry it in the column's name (:data:`CO2_COLUMNS`),
so that the stacks of one unit, and two analysers of one stack, may differ.

Hours (rules.yaml ``cems``, status I until HJ 75's text is available): a valid hour needs
samples covering at least 45 of its 60 minutes; its mass is the mean valid mass rate × 1 h.
Missing or invalid hours are filled: gaps up to 24 h with the higher of the neighbouring valid
hours (the conservative reading of "filled from neighbouring valid values"); longer gaps, or
gaps without a neighbour, with the mean + 2σ of the point's valid hours in the period (EU MRR
Art. 45 style). Every filled hour is marked (``source``: ``measured`` / ``neighbour`` /
``substitute``) and its status in the result is I (reconstructed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from tanjiliang.assess.result import Assessment
from tanjiliang.data.profile import conversion
from tanjiliang.data.rules import citation, rule
from tanjiliang.model.unit import Instrument, UnitFile

QUANTITIES = ("co2", "flow", "temperature", "pressure", "moisture")
#: The samples' CO2 columns: (unit, basis) of each. ``co2_pct`` (% vol dry) and ``co2_mgm3``
#: (mg/m³ at actual wet conditions) are the defaults of their unit; the other two are declared.
CO2_COLUMNS = {"co2_pct": ("percent", "dry"), "co2_pct_wet": ("percent", "wet"),
               "co2_mgm3": ("mg/m3", "wet"), "co2_mgm3_dry": ("mg/m3", "dry")}
BASES = ("dry", "wet")


def co2_column(unit: str, basis: str | None = None) -> str:
    """The samples' column of a CO2 concentration in ``unit`` (``percent`` or ``mg/m3``) on
    ``basis`` (``dry``, ``wet``; None: the unit's default, % dry and mg/m³ wet)."""
    base = "co2_pct" if unit in ("percent", "%") else "co2_mgm3"
    default = CO2_COLUMNS[base][1]
    return base if basis in (None, "", default) else f"{base}_{basis}"


@dataclass
class CemsResult:
    start: datetime
    end: datetime
    hourly: pl.DataFrame  # point, hour, mass_t, valid_minutes, source
    points: pl.DataFrame  # point, basis, total_t, hours, valid, neighbour, substitute, filled_t
    rules: dict[str, str]  # what was applied, with citations

    def total(self, point: str) -> float:
        rows = self.points.filter(pl.col("point") == point)["total_t"]
        return float(rows[0]) if len(rows) else 0.0


def _present(columns: object) -> list[str]:
    """The CO2 columns among ``columns`` (at least ``co2_pct``, all null when none is)."""
    return [c for c in CO2_COLUMNS if c in columns] or ["co2_pct"]  # type: ignore[operator]


def mass_rate(co2: list[str] | tuple[str, ...] = ("co2_pct", "co2_mgm3")) -> pl.Expr:
    """t/h of CO2 from the CO2 columns ``co2`` (:data:`CO2_COLUMNS`: each one's unit and basis)
    and flow, temperature, pressure, moisture (the formulas in the module docstring). With
    several, the first present in a sample counts (the order of :data:`CO2_COLUMNS`)."""
    t_std = float(rule("cems", "std_temperature_k"))
    p_std = float(rule("cems", "std_pressure_kpa"))
    rho = float(rule("cems", "co2_density_kg_per_nm3"))
    xsw = pl.col("moisture") / 100.0
    tk = pl.col("temperature") + 273.15
    q_sd = pl.col("flow") * (t_std / tk) * (pl.col("pressure") / p_std) * (1.0 - xsw)
    concs = []
    for c in co2:
        unit, basis = CO2_COLUMNS[c]
        conc = (pl.col(c) / 100.0 * rho if unit == "percent"
                else pl.col(c) * (p_std / pl.col("pressure")) * (tk / t_std) * 1e-6)
        concs.append(conc / (1.0 - xsw) if basis == "wet" else conc)  # C_dry = C_wet / (1 − Xsw)
    conc = pl.coalesce(concs)  # kg/Nm³ dry
    return conc * q_sd / 1000.0


def valid_sample(co2: list[str] | tuple[str, ...] = ("co2_pct", "co2_mgm3")) -> pl.Expr:
    conc = pl.coalesce([pl.col(c) for c in co2])
    ok = conc.is_not_null() & (conc >= 0)
    for c in co2:
        if CO2_COLUMNS[c][0] == "percent":
            ok = ok & (pl.col(c).fill_null(0) <= 100)
    return (ok & (pl.col("flow") > 0) & (pl.col("pressure") > 0) & (pl.col("temperature") > -273.15)
            & (pl.col("moisture") >= 0) & (pl.col("moisture") < 100)).fill_null(False)


def _bases(per_hour: pl.DataFrame, co2: list[str]) -> pl.DataFrame:
    """point → the basis of its CO2 readings: from the columns ``co2`` that ``per_hour`` says
    each point had (several), or the one column's (one; none: null)."""
    if len(co2) > 1:
        had = per_hour.group_by("point").agg(pl.col(c).any() for c in co2).to_dicts()
        bases = {r["point"]: ", ".join(b for b in BASES if any(r[c] and CO2_COLUMNS[c][1] == b for c in co2))
                 or None for r in had}
    else:
        only = CO2_COLUMNS[co2[0]][1] if co2 else None
        bases = {p: only for p in per_hour["point"].unique().to_list()}
    return pl.DataFrame({"point": list(bases), "basis": list(bases.values())},
                        schema={"point": per_hour.schema["point"], "basis": pl.String})


def hourly_mass(samples: pl.LazyFrame, start: datetime, end: datetime,
                sample_seconds: float = 60.0) -> pl.LazyFrame:
    """Samples (point, time, one or more of :data:`CO2_COLUMNS`, flow, temperature, pressure,
    moisture) → one row per point and hour of [start, end): mass_t, valid_minutes, source, and
    the basis of the point's CO2 readings (``dry``, ``wet``, ``dry, wet`` for two analysers)."""
    need_min = float(rule("cems", "valid_minutes_per_hour"))
    short = int(rule("cems", "short_gap_hours"))
    schema = samples.collect_schema()
    co2 = _present(schema)
    cols = [pl.col(c) if c in schema else pl.lit(None, pl.Float64).alias(c) for c in co2]
    s = (samples.select("point", "time", *cols, "flow", "temperature", "pressure", "moisture")
         .filter((pl.col("time") >= start) & (pl.col("time") < end))
         .with_columns(valid_sample(co2).alias("ok"), mass_rate(co2).alias("rate")))
    # which basis each point's readings had: only asked when the samples have several
    seen = [pl.col(c).is_not_null().any().alias(c) for c in co2] if len(co2) > 1 else []
    # the one pass over the samples: hour as an integer index, then the small hourly table
    per_hour = (s.group_by("point", ((pl.col("time") - start).dt.total_seconds() // 3600)
                           .cast(pl.Int32).alias("h"))
                .agg((pl.col("ok").sum() * sample_seconds / 60.0).alias("valid_minutes"),
                     pl.col("rate").filter(pl.col("ok")).mean().alias("rate"), *seen)
                .collect(engine="streaming"))
    basis = _bases(per_hour, co2 if seen else [c for c in co2 if c in schema])
    per_hour = per_hour.drop(co2 if seen else [])
    n_hours = int((end - start).total_seconds() // 3600)
    grid = (per_hour.lazy().select(pl.col("point").unique())
            .join(pl.LazyFrame({"h": pl.int_range(0, n_hours, dtype=pl.Int32, eager=True)}), how="cross"))
    h = (grid.join(per_hour.lazy(), on=["point", "h"], how="left")
         .with_columns((pl.lit(start) + pl.duration(hours=pl.col("h"))).alias("hour"))
         .sort("point", "hour")
         .with_columns(pl.col("valid_minutes").fill_null(0.0))
         .with_columns(((pl.col("valid_minutes") >= need_min) & pl.col("rate").is_not_null())
                       .alias("valid"))
         .with_columns(pl.when(pl.col("valid")).then(pl.col("rate")).alias("m")))
    new_run = (pl.col("valid") != pl.col("valid").shift(1)) | (pl.col("point") != pl.col("point").shift(1))
    h = (h.with_columns(new_run.fill_null(True).cum_sum().alias("run"))
         .with_columns(pl.len().over("run").alias("run_len"),
                       pl.col("m").forward_fill().over("point").alias("before"),
                       pl.col("m").backward_fill().over("point").alias("after"),
                       pl.col("m").mean().over("point").alias("mean"),
                       pl.col("m").std().over("point").fill_null(0.0).alias("sd")))
    # the neighbour of a gap is the valid hour just before or after it; the forward fill can
    # reach further back only through other invalid hours of the same run, so it is adjacent.
    neighbour = pl.max_horizontal("before", "after")
    fill = (pl.when(pl.col("valid")).then(pl.col("m"))
            .when((pl.col("run_len") <= short) & neighbour.is_not_null()).then(neighbour)
            .otherwise(pl.col("mean") + 2 * pl.col("sd")))
    source = (pl.when(pl.col("valid")).then(pl.lit("measured"))
              .when((pl.col("run_len") <= short) & neighbour.is_not_null()).then(pl.lit("neighbour"))
              .otherwise(pl.lit("substitute")))
    return (h.select("point", "hour", fill.alias("mass_t"), "valid_minutes", source.alias("source"))
            .join(basis.lazy(), on="point", how="left", maintain_order="left"))


def summarise(hourly: pl.DataFrame) -> pl.DataFrame:
    basis = [pl.col("basis").first()] if "basis" in hourly.columns else []
    return (hourly.group_by("point")
            .agg(*basis, pl.col("mass_t").sum().alias("total_t"), pl.len().alias("hours"),
                 (pl.col("source") == "measured").sum().alias("valid"),
                 (pl.col("source") == "neighbour").sum().alias("neighbour"),
                 (pl.col("source") == "substitute").sum().alias("substitute"),
                 pl.col("mass_t").filter(pl.col("source") != "measured").sum().alias("filled_t"))
            .sort("point"))


def applied_rules() -> dict[str, str]:
    return {k: f"{rule('cems', k)} — {citation('cems', k)}"
            for k in ("valid_minutes_per_hour", "short_gap_hours", "short_gap_fill",
                      "long_gap_fill", "std_temperature_k", "std_pressure_kpa",
                      "co2_density_kg_per_nm3")}


def compute(samples: pl.LazyFrame, start: datetime, end: datetime, sample_seconds: float = 60.0
            ) -> CemsResult:
    hourly = hourly_mass(samples, start, end, sample_seconds).collect(engine="streaming")
    return CemsResult(start, end, hourly, summarise(hourly), applied_rules())


def samples_from_wide(frame: pl.LazyFrame, co2_unit: str = "percent",
                      basis: str | Mapping[str, str | None] | None = None) -> pl.LazyFrame:
    """A DAS export (point, time, co2, flow, temperature, pressure, moisture) → samples; the
    CO2 on ``basis`` (``dry``, ``wet``), or per emission point (point → basis, as the unit file
    declares it: :func:`point_bases`), or, None, the unit's default (% dry, mg/m³ wet)."""
    if basis is None or isinstance(basis, str):
        return frame.rename({"co2": co2_column(co2_unit, basis)})
    by_col: dict[str, list[str]] = {}
    for p, b in basis.items():
        by_col.setdefault(co2_column(co2_unit, b), []).append(p)
    default = co2_column(co2_unit)
    others = [c for c in by_col if c != default]
    if not others:
        return frame.rename({"co2": default})
    declared = [p for c in others for p in by_col[c]]
    return (frame.with_columns(
                pl.when(~pl.col("point").is_in(declared)).then(pl.col("co2")).alias(default),
                *[pl.when(pl.col("point").is_in(by_col[c])).then(pl.col("co2")).alias(c) for c in others])
            .drop("co2"))


def cems_instruments(unit: UnitFile) -> list[Instrument]:
    """The in-use instruments measuring an emission point's quantity (:data:`QUANTITIES`): the
    ones whose readings :func:`samples_from_readings` uses."""
    points = {p.id for p in unit.emission_points}
    return [i for i in unit.instruments if i.status == "in_use" and i.measured_stream() in points
            and i.measured_quantity() in QUANTITIES]


def co2_analysers(unit: UnitFile) -> list[Instrument]:
    """The in-use instruments measuring an emission point's CO2."""
    return [i for i in cems_instruments(unit) if i.measured_quantity() == "co2"]


def point_bases(unit: UnitFile, co2_unit: str = "percent"
                ) -> tuple[dict[str, str | None], list[tuple[str, list[Instrument]]]]:
    """Each emission point's declared CO2 basis (``basis`` of its in-use CO2 analysers; None:
    not declared, the default of ``co2_unit``), and the points whose analysers differ (with
    them): a DAS export does not say which analyser a value came from."""
    by_point: dict[str, list[Instrument]] = {}
    for i in co2_analysers(unit):
        by_point.setdefault(i.measured_stream(), []).append(i)
    bases: dict[str, str | None] = {}
    mixed = []
    for p, ins in by_point.items():
        if len({co2_column(co2_unit, i.basis) for i in ins}) > 1:
            mixed.append((p, ins))
        bases[p] = ins[0].basis
    return bases, mixed


def samples_from_readings(readings: pl.LazyFrame, unit: UnitFile) -> tuple[pl.LazyFrame, float]:
    """Long readings of the ledger's CEMS instruments (``measures: S1.co2`` …) → samples per
    emission point, values converted to the canonical units, each CO2 analyser's on its
    declared basis (``basis``: :data:`CO2_COLUMNS`); and the sample interval (s)."""
    rows = [{"instrument": i.id, "point": i.measured_stream(), "quantity": i.measured_quantity(),
             "basis": i.basis or ""} for i in cems_instruments(unit)]
    m = pl.DataFrame(rows, schema={"instrument": pl.String, "point": pl.String, "quantity": pl.String,
                                   "basis": pl.String})
    r = readings.join(m.lazy(), on="instrument")
    pairs = r.select("quantity", "unit", "basis").unique().collect()
    conv = []
    target = {"flow": "m**3/h", "temperature": "degC", "pressure": "kPa", "moisture": "percent"}
    for qty, u, b in pairs.iter_rows():  # distinct (quantity, unit, basis), not rows
        col, scale, offset = qty, 1.0, 0.0
        try:
            if qty == "co2":
                col = co2_column("percent", b)
                if u:
                    try:
                        scale, offset = conversion(u, "percent")
                    except ValueError:
                        col = co2_column("mg/m3", b)
                        scale, offset = conversion(u, "mg/m**3")
            elif u:
                scale, offset = conversion(u, target[qty])
        except ValueError:  # a unit of another dimension (flow in t): no sample; the readings
            continue        # check reports the unit that cannot be converted, with its count
        conv.append({"quantity": qty, "unit": u or "", "basis": b, "col": col, "scale": scale,
                     "offset": offset})
    ct = pl.DataFrame(conv, schema={"quantity": pl.String, "unit": pl.String, "basis": pl.String,
                                    "col": pl.String, "scale": pl.Float64, "offset": pl.Float64})
    v = (r.with_columns(pl.col("unit").fill_null(""))
         .join(ct.lazy(), on=["quantity", "unit", "basis"])
         .with_columns((pl.col("value") * pl.col("scale") + pl.col("offset")).alias("v")))
    used = set(ct["col"].to_list())  # the CO2 columns of the analysers there are (default: % dry)
    cols = (*[c for c in CO2_COLUMNS if c in used],
            "flow", "temperature", "pressure", "moisture")
    samples = (v.group_by("point", "time")
               .agg([pl.col("v").filter(pl.col("col") == c).mean().alias(c) for c in cols]))
    return samples, median_step(r, "instrument")


def median_step(frame: pl.LazyFrame, key: str = "point", default: float = 3600.0) -> float:
    """The sample interval (s): the median step between consecutive times of each ``key``
    (an instrument, an emission point) — 60 for minute samples, 3600 for hourly ones; each
    sample then counts for that many seconds of its hour (the 45-minute rule)."""
    dts = (frame.select(key, "time").unique().sort(key, "time")
           .select(pl.col("time").diff().over(key).dt.total_seconds().alias("dt"))
           .filter(pl.col("dt") > 0).select(pl.col("dt").median()).collect())
    return float(dts["dt"][0]) if len(dts) and dts["dt"][0] is not None else default


def measured_emissions(unit: UnitFile, result: CemsResult) -> dict[str, float]:
    """Annual CO2 (t) of each measurement-method stream: the sum over its emission points,
    when every one of them has a valid hour in the period. A point without one (no flow
    meter, every sample invalid) cannot give E = Σ conc × flow: the stream keeps its declared
    emissions (and :func:`unmeasured` names the point), never a total of 0 t."""
    out = {}
    have = set(result.points.filter(pl.col("valid") > 0)["point"].to_list())
    for s in unit.source_streams:
        if s.method == "measurement" and s.emission_points and all(p in have for p in s.emission_points):
            out[s.id] = sum(result.total(p) for p in s.emission_points)
    return out


def shown_points(points: pl.DataFrame) -> pl.DataFrame:
    """The points table as it is shown (``data cems``, ``data check``): a point without a valid
    hour has no total and nothing filled — its emissions cannot come from the CEMS data, and
    0.0 t would say they were measured as nothing."""
    return points.with_columns(
        *[pl.when(pl.col("valid") > 0).then(pl.col(c)).alias(c) for c in ("total_t", "filled_t")])


def filled(result: CemsResult) -> list[dict[str, object]]:
    """The points with a valid hour some of whose hours were filled (neighbour or substitute),
    each with ``share_percent`` of its hours filled: what the total rests on besides
    measurements (probe s9 #6: 3 measured hours and 8 757 substituted ones made a year's
    total, and nothing said so). Points without a valid hour are :func:`unmeasured`'s."""
    out = []
    for r in result.points.filter((pl.col("valid") > 0) & (pl.col("valid") < pl.col("hours"))).to_dicts():
        out.append({**r, "filled_hours": r["hours"] - r["valid"],
                    "share_percent": 100.0 * (r["hours"] - r["valid"]) / r["hours"]})
    return out


def filled_text(r: Mapping[str, object], start: datetime, end: datetime) -> tuple[str, str]:
    """:func:`filled`'s row in words (zh, en)."""
    h, n, nb, sub, t = (r["hours"], r["filled_hours"], r["neighbour"], r["substitute"], r["filled_t"])
    share = f"{r['share_percent']:.2f}"
    return (f"排放口 {r['point']} 在 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 的 {h:,} 小时中有 {n:,} 小时（{share} %）"
            f"无有效测量，以邻近值补 {nb:,} 小时、以替代值（均值 + 2σ）补 {sub:,} 小时，补遗量 {t:,.1f} t（状态 I）",
            f"emission point {r['point']}: {n:,} of its {h:,} hours from {start:%Y-%m-%d} to {end:%Y-%m-%d} "
            f"({share} %) have no valid measurement; {nb:,} filled from a neighbouring hour, {sub:,} "
            f"substituted (mean + 2σ), {t:,.1f} t filled (status I)")


def no_valid_hour_text(point: str, start: datetime, end: datetime, missing: list[str] | None
                       ) -> tuple[str, str]:
    """A point without a valid hour in the period, in words (zh, en); ``missing``: the
    quantities without a reading (None: not known)."""
    from tanjiliang.assess.labels import label

    zh_m = (f"（缺少{'、'.join(label('quantity', q, 'zh') for q in missing)}读数）" if missing
            else "（没有有效样本）" if missing is not None else "")
    en_m = (f" (no {', '.join(label('quantity', q, 'en') for q in missing)} readings)" if missing
            else " (no valid sample)" if missing is not None else "")
    return (f"排放口 {point} 在 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 期间没有有效小时{zh_m}",
            f"emission point {point} has no valid hour from {start:%Y-%m-%d} to {end:%Y-%m-%d}{en_m}")


def unmeasured(unit: UnitFile, result: CemsResult, samples: pl.LazyFrame
               ) -> list[tuple[str, str, list[str]]]:
    """(stream, emission point, quantities without a reading in the period) for each point of
    a measurement stream that has CEMS readings at some point but no valid hour at this one."""
    seen = set(result.points["point"].to_list())
    valid = set(result.points.filter(pl.col("valid") > 0)["point"].to_list())
    todo = [(s.id, p) for s in unit.source_streams if s.method == "measurement"
            and any(q in seen for q in s.emission_points or []) for p in s.emission_points or []
            if p not in valid]
    if not todo:
        return []
    cols = samples.collect_schema().names()
    co2 = [pl.col(c) for c in CO2_COLUMNS if c in cols]
    conc = pl.coalesce(co2) if co2 else pl.lit(None, pl.Float64)
    present = (samples.filter(pl.col("point").is_in([p for _, p in todo])
                              & (pl.col("time") >= result.start) & (pl.col("time") < result.end))
               .group_by("point")
               .agg(conc.is_not_null().any().alias("co2"),
                    *[pl.col(q).is_not_null().any().alias(q) for q in QUANTITIES[1:]])
               .collect())
    got = {r["point"]: r for r in present.to_dicts()}
    return [(sid, p, [q for q in QUANTITIES if not got.get(p, {}).get(q)]) for sid, p in todo]


def with_measured_emissions(unit: UnitFile, result: CemsResult) -> UnitFile:
    """A copy of ``unit`` whose measurement-method streams carry ``emissions`` computed from
    the readings (what the engine assesses when readings are supplied)."""
    totals = measured_emissions(unit, result)
    streams = [s.model_copy(update={"emissions": f"{totals[s.id]:.3f} t"}) if s.id in totals else s
               for s in unit.source_streams]
    new = unit.model_copy(update={"source_streams": streams})
    for s in new.source_streams:
        if s.id in totals:
            s.model_fields_set.add("emissions")
    new._source = unit._source
    return new


def compare_with_calculation(unit: UnitFile, assessment: Assessment, result: CemsResult
                             ) -> pl.DataFrame:
    """Each measurement stream's CEMS total next to the calculation-method emissions of the
    streams consumed by the equipment behind its emission points (by consumer share)."""
    eq_of = {p.id: p.equipment for p in unit.emission_points}
    rows = []
    totals = measured_emissions(unit, result)
    for s in unit.source_streams:
        if s.id not in totals:
            continue
        equipment = {eq_of.get(p) for p in s.emission_points or []} - {None}
        calc = 0.0
        contributing = []
        for c in assessment.streams:
            if c.method != "calculation" or c.kind in ("electricity", "heat"):
                continue
            share = sum(v for k, v in c.consumers.items() if k in equipment)
            if share > 0:
                calc += c.emissions_tco2e * share
                contributing.append(c.id)
        rows.append({"stream": s.id, "cems_t": totals[s.id], "calculation_t": calc or None,
                     "streams": ",".join(contributing),
                     "difference_percent": (100.0 * (totals[s.id] - calc) / calc) if calc else None})
    return pl.DataFrame(rows, schema={"stream": pl.String, "cems_t": pl.Float64,
                                      "calculation_t": pl.Float64, "streams": pl.String,
                                      "difference_percent": pl.Float64})
