"""The uncertainty budget of a unit's emissions after JJF 1059.1-2012 (GUM).

A stream's emissions are a product ``E = activity × ncv × carbon_content × oxidation_rate ×
44/12`` (or ``activity × factor``), so the relative standard uncertainties of its inputs
combine in quadrature with sensitivity coefficients of one (JJF 1059.1 §4.4.2, product model).
The inputs and where their numbers come from:

* activity data: the MPE of the instruments on the route the assessment uses (its level-1
  instrument, else its consumers' instruments combined by share), each a rectangular
  distribution (u = MPE/√3, JJF 1059.1 §4.3.3.4); a stock change adds the stock-takes; an
  out-of-tolerance confirmation in the reporting year adds its as-found error over the period
  in doubt (domain.md §7);
* parameters: a default value carries the uncertainty its source gives (IPCC 2006 ranges),
  else a cited default; a measured value carries the method's repeatability and sampling
  (reduced by the samples per year), its reproducibility and, for a laboratory without
  accreditation, its bias;
* a measurement-method stream: the CEMS' declared (expanded) uncertainty.

The unit's total combines the streams' components in tonnes, fully correlated where the
table declares it (the same default value, the same laboratory method), else independent.
Every component names its rule's citation. Pure: no I/O (the tables are handed in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from math import sqrt
from typing import Any

from tanjiliang.assess.result import Assessment, InstrumentResult, PointResult, StreamResult
from tanjiliang.i18n import gettext
from tanjiliang.model.unit import BOUNDARY, SourceStream, UnitFile, quantity
from tanjiliang.plan.tables import UncertaintyTable, Value
from tanjiliang.rules.factors import FactorLibrary
from tanjiliang.rules.schema import Citation
from tanjiliang.units import parse_quantity, parse_ratio


@dataclass(frozen=True, slots=True)
class Cite:
    """Where a number comes from: document, clause/table, status (V/S/I)."""

    source: str
    title: str
    clause: str
    status: str
    clause_zh: str | None = None  # our own clauses are written in both languages

    def clause_in(self, lang: str) -> str:
        from tanjiliang.plan.words import clause_text

        if lang == "zh":
            return self.clause_zh or self.clause
        return clause_text(self.clause, lang)

    def title_in(self, lang: str) -> str:
        """The document's title, in English on English pages (plan/words.TITLES)."""
        from tanjiliang.plan.words import source_title

        if self.source == "tanjiliang":  # our own assumptions, documented in docs/plan.md
            return gettext("tanjiliang 假设（docs/plan.md）", lang, "plan.budget")
        return source_title(self.source, self.title, lang)

    def text(self, lang: str = "zh") -> str:
        sep = "，" if lang == "zh" else ", "
        return f"{self.title_in(lang)}{sep}{self.clause_in(lang)} [{self.status}]"

    def to_json(self, lang: str = "zh") -> dict[str, str]:
        return {"source": self.source, "document": self.title_in(lang), "clause": self.clause_in(lang),
                "status": self.status}


_CITES: dict[tuple[int, int], tuple[Citation, Cite]] = {}


def cite(table: UncertaintyTable, c: Citation) -> Cite:
    key = (id(table), id(c))
    hit = _CITES.get(key)
    if hit is not None and hit[0] is c:
        return hit[1]
    made = Cite(c.source, table.source_title(c.source), c.clause or "", c.status,
                getattr(c, "clause_zh", None))
    _CITES[key] = (c, made)
    return made


# ------------------------------------------------------------------------------ inputs

@dataclass(frozen=True, slots=True)
class Meter:
    instrument: str
    mpe: float


@dataclass(frozen=True, slots=True)
class ConsumerMeter:
    consumer: str
    share: float
    meter: Meter | None


@dataclass(frozen=True, slots=True)
class OutOfTolerance:
    instrument: str
    as_found_percent: float
    stated: bool  # False: as-found error not stated (factor × MPE)
    interval_months: int


@dataclass(frozen=True, slots=True)
class StockInput:
    opening: float
    closing: float
    receipts: float
    declared_percent: float | None  # the stock-take's stated uncertainty (half-width, %)


@dataclass(frozen=True, slots=True)
class ParamInput:
    name: str  # ncv | carbon_content | oxidation_rate | emission_factor.CO2 …
    base: str  # the parameter without the gas
    source: str  # measured | default | supplier | library
    value: float
    unit: str
    citation: str | None
    samples_per_year: int
    accredited: bool
    laboratory: str  # the laboratory instrument (or "lab")
    reference_j_per_g: float | None = None  # an NCV per mass in J/g (absolute limits), else None


@dataclass(frozen=True, slots=True)
class StreamInputs:
    """What the budget of one stream depends on (what an action can change)."""

    id: str
    name: str
    method: str
    kind: str
    material: str | None
    family: str | None
    emissions_tco2e: float
    l1: Meter | None
    consumers: tuple[ConsumerMeter, ...]
    stock: StockInput | None
    out_of_tolerance: tuple[OutOfTolerance, ...]
    params: tuple[ParamInput, ...]
    cems_declared_percent: float | None
    carbon_fraction: float | None  # carbon mass fraction (t/t) when CC and NCV allow it

    def with_effects(self, effects: tuple[tuple[str, Any], ...]) -> StreamInputs:
        """The inputs after actions (see :mod:`tanjiliang.plan.actions` for the keys). A new
        meter also ends the out-of-tolerance period of the one it replaces."""
        if not effects:
            return self
        l1 = self.l1
        meters: dict[str, Meter] = {}
        intervals: dict[str, int] = {}
        changes: dict[str, list[tuple[str, Any]]] = {}
        gone: set[str] = set()
        for key, value in effects:
            kind, _, target = key.partition(":")
            if kind == "l1":
                l1 = Meter(target, float(value))
                gone.add(target)
            elif kind == "consumer":
                consumer, _, ins = target.partition("@")
                meters[consumer] = Meter(ins, float(value))
                gone.add(ins)
            elif kind == "interval":
                intervals[target] = int(value)
            elif kind in ("samples", "accredited", "measured"):
                changes.setdefault(target, []).append((kind, value))
            else:
                raise KeyError(key)
        consumers = self.consumers if not meters else tuple(
            ConsumerMeter(c.consumer, c.share, meters[c.consumer]) if c.consumer in meters else c
            for c in self.consumers)
        oot = self.out_of_tolerance if not (gone or intervals) else tuple(
            replace(o, interval_months=intervals[o.instrument]) if o.instrument in intervals else o
            for o in self.out_of_tolerance if o.instrument not in gone)
        params = self.params
        if changes:
            out = []
            for p in params:
                for kind, value in changes.get(p.name, ()):
                    p = _param_effect(p, kind, value)
                out.append(p)
            params = tuple(out)
        return replace(self, l1=l1, consumers=consumers, out_of_tolerance=oot, params=params)


def _param_effect(p: ParamInput, kind: str, value: Any) -> ParamInput:
    if kind == "samples":
        return replace(p, samples_per_year=int(value))
    if kind == "accredited":
        return replace(p, accredited=bool(value))
    return replace(p, source="measured", laboratory=str(value))


# ------------------------------------------------------------------------------ results

@dataclass(slots=True)
class Component:
    stream: str
    kind: str  # activity | stock | out_of_tolerance | parameter | cems
    name: str  # e.g. "activity", "ncv.reproducibility"
    u_percent: float  # relative standard uncertainty (% of the stream's emissions)
    basis: str  # the inputs as a formula in symbols (no words: one text for both languages),
    # e.g. "W-01 ±0.1 % / √3"
    citation: Cite
    correlation_key: str | None = None
    u_tco2e: float = 0.0
    contribution: float = 0.0  # share of the unit's combined variance


@dataclass(slots=True)
class StreamBudget:
    id: str
    name: str
    emissions_tco2e: float
    u_percent: float
    expanded_percent: float
    at_risk_tco2e: float
    components: list[Component]


@dataclass(slots=True)
class UnitBudget:
    coverage_factor: float
    coverage_citation: Cite
    total_tco2e: float
    u_tco2e: float
    expanded_tco2e: float
    expanded_percent: float
    sum_at_risk_tco2e: float  # Σ streams' tonnes at risk (fully correlated upper bound)
    streams: list[StreamBudget]
    ranked: list[Component] = field(default_factory=list)

    def stream(self, stream_id: str) -> StreamBudget:
        return next(s for s in self.streams if s.id == stream_id)


# ------------------------------------------------------------------------------ gathering

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _as_found_percent(text: str | None) -> float | None:
    if not text:
        return None
    m = _NUMBER.search(text)
    return abs(float(m.group())) if m else None


def _route_meters(points: list[PointResult], by_id: dict[str, InstrumentResult]
                  ) -> tuple[Meter | None, dict[str, Meter]]:
    """The best in-use level-1 instrument and the best per consumer, as the engine's tier
    rule reads them (default-pack.md "Tiers"): instruments covering the stream's activity
    points, with a known MPE."""
    l1: Meter | None = None
    consumers: dict[str, Meter] = {}
    for pt in points:
        meters = [Meter(i, m) for i in pt.instruments
                  if (r := by_id.get(i)) is not None and r.status == "in_use"
                  and (m := r.mpe_percent) is not None]
        if not meters:
            continue
        best = min(meters, key=lambda x: (x.mpe, x.instrument))
        for place in pt.places:
            if place == BOUNDARY:
                if l1 is None or best.mpe < l1.mpe:
                    l1 = best
            elif place not in consumers or best.mpe < consumers[place].mpe:
                consumers[place] = best
    return l1, consumers


def _family(lib: FactorLibrary, material: str | None) -> str | None:
    m = lib.material(material) if material else None
    return m.family if m else None


def gather_inputs(unit: UnitFile, a: Assessment, lib: FactorLibrary, table: UncertaintyTable,
                  accredited: bool | None = None) -> list[StreamInputs]:
    """Each stream's inputs, read from the assessment (routes, parameters, emissions) and
    the unit file (stock, confirmation records)."""
    files = {s.id: s for s in unit.source_streams}
    instruments = {i.id: i for i in unit.instruments}
    results = {i.id: i for i in a.instruments}
    n0 = table.measured.samples_per_year.value
    acc = table.measured.accredited_by_default.value if accredited is None else accredited
    labs: dict[tuple[str, str], str] = {}
    for pt in a.points:
        if pt.medium == "laboratory" and pt.instruments:
            labs[(pt.stream, pt.quantity)] = pt.instruments[0]
    activity_points: dict[str, list[PointResult]] = {}
    for pt in a.points:
        if pt.quantity == "activity":
            activity_points.setdefault(pt.stream, []).append(pt)
    out = []
    for s in a.streams:
        f = files.get(s.id)
        l1, by_consumer = _route_meters(activity_points.get(s.id, []), results)
        consumers = tuple(ConsumerMeter(c, x, by_consumer.get(c)) for c, x in s.consumers.items())
        oot = []
        route_ids = {m.instrument for m in [l1, *by_consumer.values()] if m is not None}
        for iid in sorted(route_ids):
            ins = instruments.get(iid)
            if ins is None or not ins.confirmations:
                continue
            fails = [r for r in ins.confirmations if r.result == "fail" and r.date <= a.as_of
                     and r.date.year == a.unit_year]
            if not fails:
                continue
            rec = max(fails, key=lambda r: r.date)
            found = _as_found_percent(rec.as_found)
            mpe = results[iid].mpe_percent or 0.0
            oot.append(OutOfTolerance(
                iid, found if found is not None else table.activity.out_of_tolerance_factor.value * mpe,
                found is not None, results[iid].interval_months))
        params = []
        for p in s.parameters:
            if p.name in ("activity", "emissions"):
                continue
            base = p.name.split(".", 1)[0]
            params.append(ParamInput(p.name, base, p.source, p.value, p.unit, p.citation, n0, acc,
                                     labs.get((s.id, base), "lab"), _j_per_g(p.value, p.unit)))
        out.append(StreamInputs(
            s.id, s.name, s.method, s.kind, s.material, _family(lib, s.material),
            abs(s.emissions_tco2e), l1, consumers, _stock(f), tuple(oot), tuple(params),
            _declared(f), _carbon_fraction(s)))
    return out


def _j_per_g(value: float, unit: str) -> float | None:
    factor = _j_per_g_factor(unit)
    return None if factor is None else value * factor


@lru_cache(maxsize=256)
def _j_per_g_factor(unit: str) -> float | None:
    try:
        return float(parse_quantity(f"1 {unit}").to("J/g").magnitude)
    except Exception:  # not an energy per mass (an NCV per volume, a ratio): relative rows apply
        return None


def _stock(f: SourceStream | None) -> StockInput | None:
    stock = getattr(f, "stock", None) if f is not None else None
    if stock is None or getattr(f, "activity", None) is not None:
        return None
    r = quantity(stock.receipts)
    o = float(quantity(stock.opening).to(r.units).magnitude)
    c = float(quantity(stock.closing).to(r.units).magnitude)
    declared = parse_ratio(stock.uncertainty) * 100.0 if stock.uncertainty is not None else None
    return StockInput(o, c, float(r.magnitude), declared)


def _declared(f: SourceStream | None) -> float | None:
    if f is None or f.method != "measurement" or f.uncertainty is None:
        return None
    return parse_ratio(f.uncertainty) * 100.0


def _carbon_fraction(s: StreamResult) -> float | None:
    """Carbon mass fraction = CC [tC/GJ] × NCV [GJ/t] (power guideline: CC = C ÷ NCV)."""
    by = {p.name: p for p in s.parameters}
    cc, ncv = by.get("carbon_content"), by.get("ncv")
    if cc is None or ncv is None:
        return None
    try:
        q = parse_quantity(f"{cc.value} {cc.unit or ''}".strip()) * parse_quantity(
            f"{ncv.value} {ncv.unit}")
        return float(q.to("t/t").magnitude)
    except Exception:  # units that do not make a mass fraction: the relative rows apply
        return None


# ------------------------------------------------------------------------------ the budget

def _u(table: UncertaintyTable, v: Value, relative_to: float | None = None) -> float:
    """Relative standard uncertainty (%) of a table value (module docstring for kinds)."""
    if v.kind == "half_width_95":
        return v.value / table.normal_95_divisor.value
    if v.kind == "mpe":
        return v.value / table.rectangular_divisor.value
    if v.kind == "limit_percent":
        return v.value / table.limit_divisor.value
    if v.kind == "limit":
        assert relative_to
        return v.value / table.limit_divisor.value / relative_to * 100.0
    raise ValueError(v.kind)


def activity_mpe(s: StreamInputs) -> tuple[float | None, str]:
    """The activity MPE on the route the tier rule uses (default-pack.md "Tiers"): the best of
    the level-1 instrument and the consumers combined, sqrt(Σ (MPE_i·x_i)²) / Σ x_i."""
    candidates: list[tuple[float, str]] = []
    if s.l1 is not None:
        candidates.append((s.l1.mpe, "l1"))
    if s.consumers and all(c.meter is not None for c in s.consumers):
        num = sqrt(sum((c.meter.mpe * c.share) ** 2 for c in s.consumers if c.meter))
        candidates.append((num / sum(c.share for c in s.consumers), "consumers"))
    if not candidates:
        return None, "none"
    return min(candidates)


def stream_components(s: StreamInputs, table: UncertaintyTable) -> list[Component]:
    """The components of one stream's relative standard uncertainty (%)."""
    comps = activity_components(s, table)
    if s.method != "measurement":
        for p in s.params:
            comps.extend(param_components(s, p, table))
    return comps


def activity_components(s: StreamInputs, table: UncertaintyTable) -> list[Component]:
    """The components that are not a parameter's: activity data, stock, out-of-tolerance
    periods, or a CEMS."""
    comps: list[Component] = []
    rect = cite(table, table.rectangular_divisor)
    if s.method == "measurement":
        if s.cems_declared_percent is not None:
            u = s.cems_declared_percent / table.coverage_factor.value
            comps.append(Component(s.id, "cems", "cems", u, f"U = {s.cems_declared_percent:g} % / k",
                                   cite(table, table.coverage_factor)))
        else:
            v = table.cems.no_declared_uncertainty
            comps.append(Component(s.id, "cems", "cems", _u(table, v), f"±{v.value:g} % / 2",
                                   cite(table, v)))
        return comps

    mpe, route = activity_mpe(s)
    if mpe is None:
        v = table.activity.no_instrument
        u_act = _u(table, v)
        comps.append(Component(s.id, "activity", "activity", u_act, f"±{v.value:g} % / 2", cite(table, v)))
    else:
        u_act = mpe / table.rectangular_divisor.value
        if route == "l1":
            assert s.l1 is not None
            basis = f"{s.l1.instrument} ±{s.l1.mpe:g} % / √3"
        else:
            basis = "√Σ(x·a/√3)²: " + ", ".join(
                f"{c.meter.instrument} {c.share:g}×±{c.meter.mpe:g} %" for c in s.consumers if c.meter)
        if s.stock is None:
            comps.append(Component(s.id, "activity", "activity", u_act, basis, rect))
    if s.stock is not None:
        st = s.stock
        a = st.receipts + st.opening - st.closing
        if a > 0:
            comps.append(Component(s.id, "activity", "activity", u_act * st.receipts / a,
                                   f"({u_act:.3g} % × {st.receipts:g}) / {a:g}", rect))
            if st.declared_percent is not None:
                u_st = st.declared_percent / table.normal_95_divisor.value
                c_st = cite(table, table.normal_95_divisor)
            else:
                u_st = _u(table, table.activity.stock_take)
                c_st = cite(table, table.activity.stock_take)
            u_stock = sqrt((u_st * st.opening) ** 2 + (u_st * st.closing) ** 2) / a
            comps.append(Component(s.id, "stock", "stock", u_stock,
                                   f"√(({u_st:.3g} % × {st.opening:g})² + ({u_st:.3g} % × {st.closing:g})²) / {a:g}", c_st))
    for o in s.out_of_tolerance:
        weight = _route_weight(s, o.instrument, route)
        if weight <= 0:
            continue
        fraction = min(o.interval_months, 12) / 12.0
        u = o.as_found_percent * weight * fraction / table.rectangular_divisor.value
        c = rect if o.stated else cite(table, table.activity.out_of_tolerance_factor)
        comps.append(Component(s.id, "out_of_tolerance", f"oot.{o.instrument}", u,
                               f"{o.instrument} ±{o.as_found_percent:g} % × {weight:g} × {o.interval_months}/12 / √3", c))
    return comps


def _route_weight(s: StreamInputs, instrument: str, route: str) -> float:
    if route == "l1":
        return 1.0 if s.l1 is not None and s.l1.instrument == instrument else 0.0
    if route == "consumers":
        total = sum(c.share for c in s.consumers)
        return sum(c.share for c in s.consumers if c.meter and c.meter.instrument == instrument) / total
    return 0.0


def param_components(s: StreamInputs, p: ParamInput, table: UncertaintyTable) -> list[Component]:
    """The components of one parameter (default value, or measured)."""
    if p.source == "measured" and p.base in ("ncv", "carbon_content"):
        row = table.measured_row(p.base, s.family)
        if row is not None:
            return _measured(s, p, row, table)
    row_d = table.default_row(p.base, s.material, s.family, s.kind)
    if row_d is None:
        return []
    if row_d.kind == "between_default_and_one":
        width = max(1.0 - p.value, 0.0)
        u = width / 2.0 / table.rectangular_divisor.value / p.value * 100.0 if p.value > 0 else 0.0
        basis = f"[{p.value:g}, 1] / (2√3)"
    else:
        u = _u(table, row_d)
        basis = f"±{row_d.value:g} % / 2"
    key = f"default:{p.name}:{s.material or s.id}:{p.citation or p.source}"
    return [Component(s.id, "parameter", f"{p.name}.{p.source}", u, basis, cite(table, row_d), key)]


def _measured(s: StreamInputs, p: ParamInput, row: Any, table: UncertaintyTable) -> list[Component]:
    n = max(p.samples_per_year, 1)

    def rel(v: Value) -> float | None:
        if v.kind != "limit":
            return _u(table, v)
        if p.base == "ncv":
            if p.reference_j_per_g is None or (v.unit or "J/g") != "J/g":
                return None
            return _u(table, v, p.reference_j_per_g)
        if s.carbon_fraction is None:
            return None
        return _u(table, v, s.carbon_fraction * 100.0)

    generic = table.measured_row(p.base, "\0")  # the row without families
    out = []
    r = rel(row.repeatability)
    r_row = row.repeatability
    if r is None and generic is not None:
        r, r_row = rel(generic.repeatability), generic.repeatability
    big_r = rel(row.reproducibility)
    big_row = row.reproducibility
    if big_r is None and generic is not None:
        big_r, big_row = rel(generic.reproducibility), generic.reproducibility
    def lab_key(part: str) -> str:
        return f"lab:{p.base}.{part}:{p.laboratory}:{s.family}"

    if r is not None:
        out.append(Component(s.id, "parameter", f"{p.name}.repeatability", r / sqrt(n),
                             f"r/2.8/√{n}", cite(table, r_row)))
    samp = _u(table, row.sampling)
    out.append(Component(s.id, "parameter", f"{p.name}.sampling", samp / sqrt(n),
                         f"±{row.sampling.value:g} % / 2 / √{n}", cite(table, row.sampling)))
    if big_r is not None:
        out.append(Component(s.id, "parameter", f"{p.name}.reproducibility", big_r,
                             "R/2.8", cite(table, big_row), lab_key("reproducibility")))
        if not p.accredited:
            f = table.measured.unaccredited_bias_factor
            out.append(Component(s.id, "parameter", f"{p.name}.laboratory_bias", big_r * f.value,
                                 f"{f.value:g} × R/2.8", cite(table, f), lab_key("bias")))
    return out


def stream_budget(s: StreamInputs, table: UncertaintyTable) -> StreamBudget:
    comps = stream_components(s, table)
    u = sqrt(sum(c.u_percent ** 2 for c in comps))
    k = table.coverage_factor.value
    for c in comps:
        c.u_tco2e = c.u_percent / 100.0 * s.emissions_tco2e
    return StreamBudget(s.id, s.name, s.emissions_tco2e, u, k * u, k * u / 100.0 * s.emissions_tco2e,
                        comps)


def at_risk(s: StreamInputs, table: UncertaintyTable) -> float:
    """Tonnes at risk of one stream: U (k = 2) × E."""
    comps = stream_components(s, table)
    return table.coverage_factor.value * sqrt(sum(c.u_percent ** 2 for c in comps)) / 100.0 * s.emissions_tco2e


def unit_budget(inputs: list[StreamInputs], table: UncertaintyTable) -> UnitBudget:
    """Streams' budgets and the unit's total with the declared correlations (ρ = 1 within a
    correlation key, JJF 1059.1 §4.4.4.3; else independent)."""
    streams = [stream_budget(s, table) for s in inputs]
    comps = [c for sb in streams for c in sb.components]
    groups: dict[str, float] = {}
    for c in comps:
        if c.correlation_key is not None:
            groups[c.correlation_key] = groups.get(c.correlation_key, 0.0) + c.u_tco2e
    var = sum(v ** 2 for v in groups.values()) + sum(
        c.u_tco2e ** 2 for c in comps if c.correlation_key is None)
    for c in comps:
        share = c.u_tco2e * (groups[c.correlation_key] if c.correlation_key else c.u_tco2e)
        c.contribution = share / var if var > 0 else 0.0
    k = table.coverage_factor.value
    total = sum(sb.emissions_tco2e for sb in streams)
    u_t = sqrt(var)
    ranked = sorted(comps, key=lambda c: (-c.contribution, -c.u_tco2e, c.stream, c.name))
    return UnitBudget(k, cite(table, table.coverage_factor), total, u_t, k * u_t,
                      k * u_t / total * 100.0 if total else 0.0,
                      sum(sb.at_risk_tco2e for sb in streams), streams, ranked)
