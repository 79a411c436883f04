"""The whole assessment of a unit against a rule pack (shared/spec/default-pack.md).

``assess`` is a pure function of the loaded unit, the pack, the factor library and a date:
emissions → classes → major places → required points → coverage → equipping rates →
accuracy → confirmation → tiers → management → findings → conclusion.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from datetime import date
from decimal import Decimal
from math import sqrt
from typing import Literal

from tanjiliang.assess.result import (
    Assessment,
    Finding,
    InstrumentResult,
    PointResult,
    RateRow,
    StreamResult,
)
from tanjiliang.assess.timeline import as_of_view
from tanjiliang.emissions.calc import CalcProblem, StreamEmission, stream_emissions
from tanjiliang.emissions.classify import apply_declared, class_thresholds, classify_streams
from tanjiliang.emissions.totals import stream_extras, totals_json, unit_totals
from tanjiliang.equipping.places import Topology, major_places, subunit_totals
from tanjiliang.equipping.points import (
    Point,
    activity_points,
    boundary_points,
    emission_point_points,
    forced_parameters,
    parameter_points,
)
from tanjiliang.equipping.targets import instrument_targets, point_keys
from tanjiliang.metrology.accuracy import accuracy_rule
from tanjiliang.metrology.confirmation import confirmation_state
from tanjiliang.metrology.stock import consumption_uncertainty, stock_findings
from tanjiliang.metrology.tiers import justified_tier
from tanjiliang.metrology.weighing import instrument_mpe_percent, weighing_mpe
from tanjiliang.model.errors import LoadError
from tanjiliang.model.unit import BOUNDARY, LAB, SourceStream, UnitFile
from tanjiliang.rules.exact import at_least, at_most, exact, exact_sum, rounded
from tanjiliang.rules.factors import FactorLibrary, bundled_library
from tanjiliang.rules.load import LoadedPack, load_pack
from tanjiliang.rules.schema import InstrumentType, Pack
from tanjiliang.units import parse_ratio

_LEVEL_ORDER = {1: 0, 2: 1, 3: 2, None: 3}


def resolve_medium(stream: SourceStream, pack: Pack, lib: FactorLibrary) -> str | None:
    """The stream's medium: declared, else by material (or its family), else by kind."""
    if stream.medium:
        return stream.medium
    material = lib.material(stream.material) if stream.material else None
    family = material.family if material else None
    for m in pack.media.rows:
        if stream.material and stream.material in m.materials:
            return m.id
    for m in pack.media.rows:
        if family and family in m.families:
            return m.id
    for m in pack.media.rows:
        if stream.kind in m.kinds:
            return m.id
    return None


def _tier(uncertainty: float | None, thresholds: list[float], decimals: int) -> int | None:
    """The highest tier whose threshold is ≥ the uncertainty (None above tier 1), the
    uncertainty rounded as the pack declares (default-pack.md "Exactness")."""
    if uncertainty is None:
        return None
    best = None
    for i, t in enumerate(thresholds, start=1):
        if at_most(uncertainty, t, decimals):
            best = i
    return best


def _rate(equipped: int, required: int, decimals: int) -> Decimal:
    """Rp = equipped ÷ required × 100, rounded half-up (default-pack.md, rates)."""
    return rounded(Decimal(equipped * 100) / Decimal(required), decimals)


def _fmt(x: float) -> str:
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:,.3g}"


class _Findings:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.items: list[Finding] = []

    def add(self, code: str, subject: str, zh: str, en: str, **data: object) -> None:
        rule = self.pack.findings.get(code)
        if rule is None:
            raise KeyError(f"pack {self.pack.name} has no finding rule {code}")
        self.items.append(Finding(code, rule.severity, rule.clause, subject, zh, en, dict(data)))

    def sorted(self) -> list[Finding]:
        order = {c: i for i, c in enumerate(self.pack.findings)}
        return sorted(self.items, key=lambda f: (f.severity != "nonconformity", order[f.code], f.subject))


def check_against_pack(unit: UnitFile, pack: Pack, lib: FactorLibrary) -> None:
    """Problems that need the pack to see (unknown instrument types, unresolvable media):
    raised as a LoadError naming the place in the unit file."""
    issues = []
    types = {t.id for t in pack.instrument_types}
    for i, ins in enumerate(unit.instruments):
        if ins.type not in types:
            issues.append(unit.issue(("instruments", i, "type"),
                                     f"“{ins.type}”不是规则包 {pack.name} 中的器具类型（可用：{', '.join(sorted(types))}）",
                                     f'"{ins.type}" is not an instrument type of pack {pack.name} (known: {", ".join(sorted(types))})'))
    media = {m.id for m in pack.media.rows}
    for i, s in enumerate(unit.source_streams):
        if s.medium is not None and s.medium not in media:
            issues.append(unit.issue(("source_streams", i, "medium"),
                                     f"“{s.medium}”不是规则包中的介质（{', '.join(sorted(media))}）",
                                     f'"{s.medium}" is not a medium of the pack ({", ".join(sorted(media))})'))
    if issues:
        raise LoadError(issues)


def assess(unit: UnitFile, pack: LoadedPack | None = None, as_of: date | None = None,
           library: FactorLibrary | None = None) -> Assessment:
    """Assess ``unit`` against ``pack`` (default: the file's pack, else henan-2025-draft)."""
    enabled = gc.isenabled()
    gc.disable()  # the result is a large acyclic graph: collection passes only cost time
    try:
        return _assess(unit, pack, as_of, library)
    finally:
        if enabled:
            gc.enable()


def _assess(unit: UnitFile, pack: LoadedPack | None, as_of: date | None,
            library: FactorLibrary | None) -> Assessment:
    loaded = pack or load_pack(unit.pack)
    p = loaded.pack
    lib = library or bundled_library()
    as_of = as_of or date.today()
    check_against_pack(unit, p, lib)
    unit, later = as_of_view(unit, as_of)  # records dated after as_of do not exist for it
    gwp_set = unit.gwp or p.gwp.value
    gwp = lib.gwp(gwp_set)
    findings = _Findings(p)

    # -- emissions --------------------------------------------------------------------------
    calc: dict[str, StreamEmission] = {}
    problems = []
    for i, s in enumerate(unit.source_streams):
        try:
            calc[s.id] = stream_emissions(s, unit.unit.year, lib, gwp)
        except CalcProblem as exc:
            problems.append(unit.issue(("source_streams", i, *exc.field), exc.zh, exc.en))
    media: dict[str, str | None] = {}
    for i, s in enumerate(unit.source_streams):
        media[s.id] = "flue_gas" if s.method == "measurement" else resolve_medium(s, p, lib)
        if media[s.id] is None and s.id in calc and calc[s.id].biogenic_co2_t == 0 and not s.biogenic:
            problems.append(unit.issue(("source_streams", i, "material"),
                                       f"无法确定源流介质：物料“{s.material}”不属于规则包 {p.name} 的任何介质，请写明 medium",
                                       f'cannot tell the stream\'s medium: material "{s.material}" is in no medium of pack {p.name}; set medium'))
    if problems:
        raise LoadError(problems)
    biogenic = {s.id for s in unit.source_streams if s.biogenic or calc[s.id].biogenic_co2_t > 0
                or (s.material and (m := lib.material(s.material)) is not None and m.biogenic)}
    decimals = p.media.rounding_decimals.value
    counted = {sid: c.counted_tco2e for sid, c in calc.items()}
    exact_counted = {sid: exact(v) for sid, v in counted.items()}
    totals = unit_totals(unit.source_streams, calc, p)  # direct, indirect, flows out (emissions/totals.py)
    total_x = totals.total
    total = float(total_x)
    biogenic_total = float(exact_sum(exact(c.biogenic_co2_t) for c in calc.values()))
    key_unit = at_least(totals.key_basis, p.scope.key_emission_threshold_tco2e.value, decimals)
    total_r = rounded(total_x, decimals)
    category = next(c.name for c in p.scope.categories
                    if c.max_tco2e is None or at_most(total_r, c.max_tco2e, decimals))
    if not key_unit:
        findings.add("SCOPE-VOLUNTARY", "unit",
                     f"年排放总量 {_fmt(total)} tCO2e 低于 {_fmt(p.scope.key_emission_threshold_tco2e.value)} tCO2e，本规范自愿参照执行",
                     f"total {_fmt(total)} tCO2e is below {_fmt(p.scope.key_emission_threshold_tco2e.value)} tCO2e; the specification applies voluntarily",
                     total_tco2e=total)

    # -- classes ----------------------------------------------------------------------------
    computed = classify_streams({k: v for k, v in exact_counted.items() if k not in biogenic}, total_r,
                                p.classification, decimals)
    t_dm, t_min = class_thresholds(total_r, p.classification, decimals)
    classes: dict[str, str] = {}
    for s in unit.source_streams:
        if s.id in biogenic:
            classes[s.id] = "de_minimis"
            continue
        cls, refused = apply_declared(computed[s.id], s.declared_class)
        classes[s.id] = cls
        if refused:
            findings.add("CLASS-DOWNGRADE", s.id,
                         f"源流 {s.id} 声明为{s.declared_class}，低于计算分类{computed[s.id]}，按计算分类评价",
                         f"stream {s.id} declares class {s.declared_class}, below the computed {computed[s.id]}; the computed class applies",
                         declared=s.declared_class, computed=computed[s.id])

    # -- places and points ------------------------------------------------------------------
    topo = Topology(unit)
    places = major_places(unit, topo, p, exact_counted)
    major = {pl.id: pl.major for pl in places}
    fold = p.points.fold_equivalent_places.value
    points: list[Point] = []
    roots_by_stream: dict[str, dict[str, str]] = {}
    for s in unit.source_streams:
        if s.id in biogenic or s.method == "measurement":
            continue
        levels = p.points.levels_by_class[classes[s.id]].value  # type: ignore[index]
        medium = media[s.id]
        assert medium is not None
        activity, roots_by_stream[s.id] = activity_points(s, levels, medium, topo, major, fold)
        points.extend(activity)
        points.extend(parameter_points(s, forced_parameters(s, classes[s.id], unit.unit.sector, p, lib)))
        points.extend(boundary_points(s, medium))  # stock-take, anode effects
    points.extend(e for e in emission_point_points(unit, p) if e.stream not in biogenic)

    by_key: dict[tuple[str, str, str], Point] = {}
    for point in points:
        for key in point_keys(point):
            by_key[key] = point

    # -- instruments ------------------------------------------------------------------------
    types: dict[str, InstrumentType] = {t.id: t for t in p.instrument_types}
    due_soon = p.confirmation.due_soon_days.value
    ep_level = p.points.emission_point_level.value
    streams = {s.id: s for s in unit.source_streams}
    results: list[InstrumentResult] = []
    covering: dict[str, list[InstrumentResult]] = defaultdict(list)
    optional: dict[str, Point] = {}
    weighing_basis = p.accuracy.weighing()
    for ins in unit.instruments:
        itype = types[ins.type]
        # each target of ``measures`` (one or several, equipping/targets.py); the strictest
        # accuracy requirement among them applies to the instrument
        served: list[Point] = []
        req = level = medium = None
        for tg in instrument_targets(ins, streams, media):
            pt = by_key.get(tg.key)
            covers = (pt is not None and ins.status == "in_use"
                      and itype.can_measure(pt.medium, pt.quantity))
            if pt is None and ins.status == "in_use" and tg.medium is not None and itype.can_measure(tg.medium, tg.quantity):
                pt = _optional_point(optional, tg.target, tg.quantity, tg.medium, ins.at, streams, unit, topo,
                                     roots_by_stream, ep_level)
                covers = True
            t_level = pt.level if pt is not None else (None if tg.medium == "laboratory" else topo.level(ins.at, ep_level))
            rule = accuracy_rule(p, itype.accuracy_group, tg.medium, tg.material, t_level, tg.quantity)
            t_req = rule.max_mpe_percent if rule is not None else None
            if medium is None or (t_req is not None and (req is None or t_req < req)):
                req, level, medium = t_req, t_level, tg.medium
            if covers and pt is not None and pt not in served:
                served.append(pt)
        state = confirmation_state(ins, itype, as_of, due_soon)
        mpe = instrument_mpe_percent(ins, weighing_basis)
        ok = None if req is None or mpe is None else at_most(mpe, req, decimals)
        r = InstrumentResult(ins.id, ins.name, ins.type, itype.letter, ins.measures_text(), ins.at, ins.status,
                             level, [q.id for q in served], mpe, req, ok,
                             state.status, state.last_confirmed, state.interval_months,  # type: ignore[arg-type]
                             state.next_due)
        results.append(r)
        for q in served:
            covering[q.id].append(r)
            q.instruments.append(ins.id)
        if ins.status in ("in_use", "standby"):  # a standby instrument can replace an in-use one
            if req is not None and mpe is None:
                why = weighing_mpe(ins, weighing_basis)
                findings.add("ACC-UNKNOWN", ins.id,
                             f"器具 {ins.id} 准确度“{ins.accuracy or '未填写'}”无法与要求（最大允许误差 ±{req:g} %）比较" + (f"：{why.zh}" if why else ""),
                             f"instrument {ins.id}: accuracy \"{ins.accuracy or 'not stated'}\" cannot be compared with the requirement (MPE ±{req:g} %)" + (f": {why.en}" if why else ""),
                             accuracy=ins.accuracy, required_mpe_percent=req)
            elif ok is False:
                findings.add("ACC-MPE", ins.id,
                             f"器具 {ins.id} 最大允许误差 ±{mpe:g} % 超过要求 ±{req:g} %（{medium}，{level or '-'}级）",
                             f"instrument {ins.id}: MPE ±{mpe:g} % exceeds the required ±{req:g} % ({medium}, level {level or '-'})",
                             mpe_percent=mpe, required_mpe_percent=req)
        if ins.status == "in_use":
            if state.status == "overdue":
                findings.add("CAL-OVERDUE", ins.id,
                             f"器具 {ins.id} 已于 {state.next_due} 到期，截至 {as_of} 未检定/校准",
                             f"instrument {ins.id} was due on {state.next_due} and is overdue as of {as_of}",
                             next_due=str(state.next_due), last_confirmed=str(state.last_confirmed))
            elif state.status == "unknown":
                findings.add("CAL-NONE", ins.id, f"在用器具 {ins.id} 无检定/校准记录",
                             f"in-use instrument {ins.id} has no confirmation on record")
        if state.status == "due_soon":
            findings.add("CAL-DUE-SOON", ins.id,
                         f"器具 {ins.id} 将于 {state.next_due} 到期（{(state.next_due - as_of).days} 天）",  # type: ignore[operator]
                         f"instrument {ins.id} is due on {state.next_due} ({(state.next_due - as_of).days} days)",  # type: ignore[operator]
                         next_due=str(state.next_due))

    all_points = points + sorted(optional.values(), key=lambda q: q.id)
    place_point = {(q.stream, place): q.id for q in reversed(all_points) if q.quantity == "activity"
                   for place in q.places}
    point_results = []
    for pt in all_points:
        cov = covering.get(pt.id, [])
        if not cov:
            status = "missing"
        elif any(c.accuracy_ok is not False and c.calibration_status in ("valid", "due_soon") for c in cov):
            status = "conforming"
        else:
            status = "nonconforming"
        point_results.append(PointResult(pt.id, pt.stream, pt.quantity, pt.medium, pt.level, pt.place,
                                         pt.places, pt.required, sorted(pt.instruments), status))  # type: ignore[arg-type]

    # -- equipping rates --------------------------------------------------------------------
    counts: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for pr in point_results:
        if pr.required:
            c = counts[(pr.medium, pr.level)]
            c[0] += 1
            c[1] += pr.status != "missing"
    order = {m.id: i for i, m in enumerate(p.media.rows)}
    rates = []
    for (medium, level), (n_req, n_eq) in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 99), _LEVEL_ORDER[kv[0][1]])):
        want = p.medium(medium).rates.get("null" if level is None else str(level), 100.0)
        rate_x = _rate(n_eq, n_req, decimals)
        rate = float(rate_x)
        meets = rate_x >= exact(want)
        rates.append(RateRow(medium, level, n_req, n_eq, rate, want, meets))
        if not meets:
            name = p.medium(medium).name
            lv_zh = "" if level is None else f"{level}级"
            lv_en = "" if level is None else f" level {level}"
            findings.add("EQ-RATE", f"{medium}/{level if level is not None else 'lab'}",
                         f"{name.zh}{lv_zh}配备率 {rate:g} %（{n_eq}/{n_req}）低于要求 {want:g} %",
                         f"{name.en}{lv_en}: equipping rate {rate:g} % ({n_eq}/{n_req}) below the required {want:g} %",
                         medium=medium, level=level, equipped=n_eq, required=n_req, rate_percent=rate,
                         required_percent=want)

    # -- tiers ------------------------------------------------------------------------------
    act_thr = p.tiers.activity_thresholds_percent.value
    cems_thr = p.tiers.cems_thresholds_percent.value
    stream_results = []
    for s in unit.source_streams:
        e = calc[s.id]
        cls = classes[s.id]
        medium = media[s.id]
        req_tier = next((r.tier for r in p.tiers.required
                         if cls in r.classes and (r.categories is None or category in r.categories)
                         and (r.media is None or medium in r.media)), None)
        if s.id in biogenic:
            req_tier = None
        if s.method == "measurement":
            unc = parse_ratio(s.uncertainty) * 100.0 if s.uncertainty is not None else None
            achieved = _tier(unc, cems_thr, decimals)
            if unc is None and req_tier is not None:
                findings.add("TIER-UNKNOWN", s.id, f"实测法源流 {s.id} 未声明测量系统不确定度，无法判定层级",
                             f"measurement stream {s.id} declares no uncertainty; its tier cannot be determined")
        else:
            unc = _activity_uncertainty(s, covering, place_point)
            achieved = _tier(unc, act_thr, decimals)
            stock_findings(s, unc, findings.add)
        short = req_tier is not None and (achieved is None or achieved < req_tier) and not (s.method == "measurement" and unc is None)
        if short and s.lower_tier is not None:
            justified_tier(s, req_tier, achieved, unc, findings.add)
        elif short:
            findings.add("TIER-SHORT", s.id,
                         f"源流 {s.id} 要求层级 {req_tier}，达到 {achieved if achieved is not None else '无'}（不确定度 {'未知' if unc is None else f'{unc:.3g} %'}）",
                         f"stream {s.id}: tier {req_tier} required, {achieved if achieved is not None else 'none'} achieved (uncertainty {'unknown' if unc is None else f'{unc:.3g} %'})",
                         tier_required=req_tier, tier_achieved=achieved, uncertainty_percent=unc)
        share = float(abs(exact(totals.counted[s.id])) / total_x) if total_x else 0.0
        stream_results.append(StreamResult(
            s.id, s.name, s.kind, s.method, s.material, medium, totals.counted[s.id], e.by_gas_t,
            e.biogenic_co2_t, share, cls, computed.get(s.id, "de_minimis"), s.declared_class,
            req_tier, achieved, None if unc is None else round(unc, 6), e.formula, e.parameters,
            s.activity, s.consumer_shares(), **stream_extras(s, totals)))

    # -- management -------------------------------------------------------------------------
    _management(unit, p, findings)

    ordered = findings.sorted()
    conclusion: Literal["conforming", "nonconforming"] = "nonconforming" if any(f.severity == "nonconformity" for f in ordered) else "conforming"
    return Assessment(
        loaded.name, loaded.version, loaded.sha256, lib.version, unit.unit.name, unit.unit.year,
        unit.unit.sector, unit.unit.region, unit.unit.credit_code, as_of, gwp_set, total,
        biogenic_total, key_unit, category, float(t_dm), float(t_min), stream_results, places, point_results, rates, results,
        ordered, conclusion, later,
        totals_json(totals) | {"by_subunit": subunit_totals(unit, topo, totals.counted)})


def _optional_point(optional: dict[str, Point], target: str, quantity: str, medium: str, at: str,
                    streams: dict[str, SourceStream], unit: UnitFile, topo: Topology,
                    roots_by_stream: dict[str, dict[str, str]], ep_level: int) -> Point:
    """A point no rule requires but an in-use instrument measures (shown, not counted)."""
    places: tuple[str, ...]
    if quantity == "activity":
        roots = roots_by_stream.get(target, {})
        place = roots.get(at, at)
        pid, stream, level = f"{target}@{place}", target, topo.level(place, ep_level)
        places = tuple(sorted({place, *(q for q, r in roots.items() if r == place)},
                              key=lambda q: (topo.level(q, ep_level) or 9, q)))
    elif medium == "laboratory":
        place, pid, stream, level = LAB, f"{target}.{quantity}", target, None
        places = (place,)
    else:
        place, pid, stream, level = target, f"{target}.{quantity}", _ep_stream(unit, target), ep_level
        places = (place,)
    if pid not in optional:
        optional[pid] = Point(pid, stream, quantity, medium, level, place, places, False)
    return optional[pid]


def _ep_stream(unit: UnitFile, ep: str) -> str:
    for s in unit.source_streams:
        if ep in (s.emission_points or []):
            return s.id
    return ep


def _activity_uncertainty(s: SourceStream, covering: dict[str, list[InstrumentResult]],
                          place_point: dict[tuple[str, str], str]) -> float | None:
    """default-pack.md "Tiers": the best of (a) the MPE of an in-use level-1 instrument and
    (b) for in-use instruments at consumer level covering the whole stream,
    sqrt(Σ (MPE_i·x_i)²) / Σ x_i. An instrument whose MPE is unknown supports no tier."""
    def best(place: str) -> float | None:
        pid = place_point.get((s.id, place))
        mpes = [c.mpe_percent for c in covering.get(pid, []) if c.mpe_percent is not None] if pid else []
        return min(mpes) if mpes else None

    candidates = []
    a = consumption_uncertainty(s, best(BOUNDARY))  # receipts ± stock change (metrology/stock.py)
    if a is not None:
        candidates.append(a)
    shares = s.consumer_shares()
    if shares:
        terms = []
        for c, x in shares.items():
            m = best(c)
            if m is None:
                break
            terms.append((m, x))
        else:
            candidates.append(sqrt(sum((m * x) ** 2 for m, x in terms)) / sum(x for _, x in terms))
    return min(candidates) if candidates else None


def _management(unit: UnitFile, p: Pack, findings: _Findings) -> None:
    """default-pack.md "Management": procedures, responsible person, records retention."""
    m = unit.management
    rules = p.management
    if m is None:
        findings.add("MGMT-NOT-ASSESSED", "unit", "文件未提供 management（管理）信息，管理要求未评价",
                     "the file has no management section; management requirements were not assessed")
        return
    have = {proc.kind for proc in m.procedures}
    for kind in rules.required_procedures.value:
        if kind.id not in have:
            findings.add("MGMT-PROCEDURE", kind.id, f"缺少{kind.name.zh}（{kind.id}）",
                         f"missing {kind.name.en} ({kind.id})", kind=kind.id)
    keywords = [k.lower() for k in rules.responsible_role_keywords.value]
    if not any(any(k in person.role.lower() for k in keywords) for person in m.personnel):
        findings.add("MGMT-RESPONSIBLE", "unit", "人员中没有岗位为碳计量负责人的人员",
                     "no person's role names the responsible person (负责人)")
    minimum = rules.min_retention_years.value
    years = m.records_retention_years
    if years is None:  # issue 11, decision 4b: the reviewer cannot verify the minimum
        findings.add("DATA-RETENTION", "unit", f"记录保存期限未规定（要求不少于 {minimum:g} 年）",
                     f"the records retention period is not stated (at least {minimum:g} years required)",
                     years=None, minimum=minimum)
    elif years < minimum:
        findings.add("DATA-RETENTION", "unit", f"记录保存期限 {years:g} 年，应不少于 {minimum:g} 年",
                     f"records retention {years:g} years; at least {minimum:g} years required",
                     years=years, minimum=minimum)
