"""The assessment as stages, one function per section of the rules (shared/spec/default-pack.md;
docs/assessment.md "Steps"). Each stage takes the :class:`Context` and the typed results of the
stages before it, returns its own typed result, and adds its findings to ``ctx.findings``
(severity and clause from the pack: assess/findings.py). :func:`tanjiliang.assess.engine.assess`
calls them in order; another stage (a sector's rules) is added by writing one more function of
this shape and one line in the engine.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from math import sqrt
from typing import Literal

from tanjiliang.assess.findings import make_finding
from tanjiliang.assess.labels import label
from tanjiliang.assess.result import (
    Assessment,
    Finding,
    InstrumentResult,
    PlaceResult,
    PointResult,
    RateRow,
    StreamResult,
)
from tanjiliang.assess.timeline import LaterRecord
from tanjiliang.emissions.calc import CalcProblem, StreamEmission, stream_emissions
from tanjiliang.emissions.classify import apply_declared, class_thresholds, classify_streams
from tanjiliang.emissions.totals import Totals, stream_extras, totals_json, unit_totals
from tanjiliang.equipping.places import Topology, major_places, process_totals
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
from tanjiliang.metrology.confirmation import ConfirmationState, confirmation_state
from tanjiliang.metrology.stock import consumption_uncertainty, stock_findings
from tanjiliang.metrology.tiers import justified_tier
from tanjiliang.metrology.weighing import instrument_mpe_percent, weighing_mpe
from tanjiliang.model.errors import LoadError
from tanjiliang.model.unit import (
    BOUNDARY,
    LAB,
    Instrument,
    SourceStream,
    UnitFile,
    full_scale_percent,
)
from tanjiliang.rules.exact import at_least, at_most, exact, exact_sum, rounded
from tanjiliang.rules.factors import FactorLibrary
from tanjiliang.rules.load import LoadedPack
from tanjiliang.rules.schema import InstrumentType, Pack
from tanjiliang.units import parse_ratio

_LEVEL_ORDER = {1: 0, 2: 1, 3: 2, None: 3}


class Findings:
    """The findings of one assessment, in the order the pack lists its codes."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.items: list[Finding] = []

    def add(self, code: str, subject: str, zh: str, en: str, **data: object) -> None:
        """Severity and clause from the pack (assess/findings.py registry)."""
        self.items.append(make_finding(self.pack, code, subject, zh, en, data))

    def sorted(self) -> list[Finding]:
        order = {c: i for i, c in enumerate(self.pack.findings)}
        return sorted(self.items, key=lambda f: (f.severity != "nonconformity", order[f.code], f.subject))


@dataclass
class Context:
    """What every stage reads: the unit as it stood on ``as_of`` (assess/timeline.py), the
    pack, the factor library, the rounding the pack declares and the findings so far."""

    unit: UnitFile
    loaded: LoadedPack
    lib: FactorLibrary
    as_of: date
    later: list[LaterRecord]
    findings: Findings = field(init=False)

    def __post_init__(self) -> None:
        self.findings = Findings(self.pack)

    @property
    def pack(self) -> Pack:
        return self.loaded.pack

    @property
    def decimals(self) -> int:
        return self.pack.media.rounding_decimals.value


# ------------------------------------------------------------------------------------ scope

@dataclass
class Scope:
    gwp_set: str
    calc: dict[str, StreamEmission]
    media: dict[str, str | None]
    biogenic: set[str]
    counted: dict[str, Decimal]  # each stream's emissions, exact
    totals: Totals
    total: Decimal  # exact
    total_rounded: Decimal
    biogenic_total: float
    key_unit: bool
    category: str


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


def _fmt(x: float) -> str:
    """One decimal from 100 up, rounded half-up on the number's decimal (rules/exact.py)."""
    return f"{rounded(exact(x), 1):,.1f}" if abs(x) >= 100 else f"{x:,.3g}"


def scope(ctx: Context) -> Scope:
    """default-pack.md "Scope and categories": each stream's emissions and medium, the totals
    (absolute values; biogenic streams count 0), the key-unit test (≥ 26 000 t) and the
    installation category, exact and rounded as the pack declares; ``SCOPE-VOLUNTARY`` below
    the threshold. A stream whose emissions or medium cannot be worked out is bad input."""
    unit, p, lib = ctx.unit, ctx.pack, ctx.lib
    gwp_set = unit.gwp or p.gwp.value
    gwp = lib.gwp(gwp_set)
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
            if s.material is None:  # a fuel's medium (solid, liquid, gas) decides rates and accuracy
                problems.append(unit.issue(("source_streams", i),
                                           "未写明物料（material），无法确定燃料的介质：请写明 material（排放因子库中的物料）或 medium",
                                           "no material, so the fuel's medium is unknown: set material (a factor-library key) or medium"))
            else:
                problems.append(unit.issue(("source_streams", i, "material"),
                                           f"无法确定源流介质：物料“{s.material}”不属于规则包 {p.name} 的任何介质，请写明 medium",
                                           f'cannot tell the stream\'s medium: material "{s.material}" is in no medium of pack {p.name}; set medium'))
    if problems:
        raise LoadError(problems)
    biogenic = {s.id for s in unit.source_streams if s.biogenic or calc[s.id].biogenic_co2_t > 0
                or (s.material and (m := lib.material(s.material)) is not None and m.biogenic)}
    decimals = ctx.decimals
    counted = {sid: c.exact_tco2e for sid, c in calc.items()}  # exact (emissions/calc.py)
    totals = unit_totals(unit.source_streams, calc, p)  # direct, indirect, flows out (emissions/totals.py)
    total_r = rounded(totals.total, decimals)
    key_unit = at_least(totals.key_basis, p.scope.key_emission_threshold_tco2e.value, decimals)
    category = next(c.name for c in p.scope.categories
                    if c.max_tco2e is None or at_most(total_r, c.max_tco2e, decimals))
    if not key_unit:  # the key-unit basis (scope.key_unit_basis): the total, or direct emissions
        total = float(totals.total)
        basis = float(totals.key_basis)
        direct = totals.basis == "direct"
        limit = p.scope.key_emission_threshold_tco2e.value
        ctx.findings.add("SCOPE-VOLUNTARY", "unit",
                         f"{'直接排放' if direct else '年排放总量'} {_fmt(basis)} tCO₂e 低于 {_fmt(limit)} tCO₂e，本规范自愿参照执行",
                         f"{'direct emissions' if direct else 'total'} {_fmt(basis)} tCO₂e is below {_fmt(limit)} tCO₂e; the specification applies voluntarily",
                         total_tco2e=total, key_unit_tco2e=basis)
    return Scope(gwp_set, calc, media, biogenic, counted, totals, totals.total, total_r,
                 float(exact_sum(exact(c.biogenic_co2_t) for c in calc.values())), key_unit, category)


# ---------------------------------------------------------------------------------- classes

@dataclass
class Classes:
    computed: dict[str, str]  # by the rule
    applied: dict[str, str]  # after the file's declarations (only upwards); biogenic: de_minimis
    threshold_de_minimis: Decimal
    threshold_minor: Decimal


def classes(ctx: Context, sc: Scope) -> Classes:
    """default-pack.md "Source-stream classes — joint mode": streams ranked by the absolute
    value of their emissions (ties by id), running sums strictly below Tdm and Tmin, exact;
    a declared class applies only upwards, else ``CLASS-DOWNGRADE``."""
    decimals = ctx.decimals
    computed = classify_streams({k: v for k, v in sc.counted.items() if k not in sc.biogenic},
                                sc.total_rounded, ctx.pack.classification, decimals)
    t_dm, t_min = class_thresholds(sc.total_rounded, ctx.pack.classification, decimals)
    applied: dict[str, str] = {}
    for s in ctx.unit.source_streams:
        if s.id in sc.biogenic:
            applied[s.id] = "de_minimis"
            continue
        cls, refused = apply_declared(computed[s.id], s.declared_class)
        applied[s.id] = cls
        if refused:
            ctx.findings.add("CLASS-DOWNGRADE", s.id,
                             f"源流 {s.id} 声明为{label('class', s.declared_class, 'zh')}，低于计算分类"
                             f"{label('class', computed[s.id], 'zh')}，按计算分类评价",
                             f"stream {s.id} declares class {s.declared_class}, below the computed {computed[s.id]}; the computed class applies",
                             declared=s.declared_class, computed=computed[s.id])
    return Classes(computed, applied, t_dm, t_min)


# ------------------------------------------------------------------------- places and points

@dataclass
class Plan:
    topo: Topology
    places: list[PlaceResult]
    points: list[Point]  # required points (and the parameter and emission-point ones)
    roots_by_stream: dict[str, dict[str, str]]  # fold groups: place → the place it folds into
    by_key: dict[tuple[str, str, str], Point]


def places_and_points(ctx: Context, sc: Scope, cl: Classes) -> Plan:
    """default-pack.md "Major sub-units and equipment" (attributed ≥ 1 000 t, exact) and
    "Required metering points": activity points by class and level with folding, parameter
    points, stock-take and anode-effect points, five flue-gas points per emission point."""
    unit, p = ctx.unit, ctx.pack
    topo = Topology(unit)
    places = major_places(unit, topo, p, sc.counted)
    major = {pl.id: pl.major for pl in places}
    fold = p.points.fold_equivalent_places.value
    points: list[Point] = []
    roots_by_stream: dict[str, dict[str, str]] = {}
    for s in unit.source_streams:
        if s.id in sc.biogenic or s.method == "measurement":
            continue
        levels = p.points.levels_by_class[cl.applied[s.id]].value  # type: ignore[index]
        medium = sc.media[s.id]
        assert medium is not None
        activity, roots_by_stream[s.id] = activity_points(s, levels, medium, topo, major, fold)
        points.extend(activity)
        points.extend(parameter_points(s, forced_parameters(s, cl.applied[s.id], unit.unit.sector, p, ctx.lib)))
        points.extend(boundary_points(s, medium, p.points.stock_level()))  # stock-take, anode effects
    points.extend(e for e in emission_point_points(unit, p) if e.stream not in sc.biogenic)
    by_key: dict[tuple[str, str, str], Point] = {}
    for point in points:
        for key in point_keys(point):
            by_key[key] = point
    return Plan(topo, places, points, roots_by_stream, by_key)


# ------------------------------------------------------------------ instruments and accuracy

@dataclass
class Match:
    """An instrument matched to the points it serves, with its accuracy judged."""

    ins: Instrument
    itype: InstrumentType
    served: list[Point]
    level: int | None
    medium: str | None
    required_mpe: float | None
    mpe: float | None
    accuracy_ok: bool | None


@dataclass
class Matched:
    matches: list[Match]
    optional: dict[str, Point]  # points no rule requires that an in-use instrument measures


def instruments_and_accuracy(ctx: Context, sc: Scope, plan: Plan) -> Matched:
    """default-pack.md "Required metering points" (what counts as equipped) and "Accuracy
    requirements": each instrument is matched to the points its targets name (equipping/
    targets.py); at a folded point it is judged at that point's level (the highest it stands
    for); the strictest requirement among its targets applies. In use and on standby:
    ``ACC-MPE`` above the requirement, ``ACC-UNKNOWN`` when it cannot be compared; out of
    service: not assessed."""
    unit, p = ctx.unit, ctx.pack
    types: dict[str, InstrumentType] = {t.id: t for t in p.instrument_types}
    ep_level = p.points.emission_point_level.value
    streams = {s.id: s for s in unit.source_streams}
    optional: dict[str, Point] = {}
    weighing_basis = p.accuracy.weighing()
    decimals = ctx.decimals
    out: list[Match] = []
    rules: dict[tuple[str, str | None, str | None, int | None, str], float | None] = {}
    for ins in unit.instruments:
        itype = types[ins.type]
        if not ins.measures_list():  # 待补充: a ledger row that does not say what it measures
            ctx.findings.add("INS-INCOMPLETE", ins.id,
                             f"器具 {ins.id} 信息待补充：测量对象（measures）未填写，无法判定其计量点",
                             f"instrument {ins.id} is incomplete: what it measures (measures) is not stated, so it serves no metering point",
                             missing=["measures"])
        served: list[Point] = []
        req: float | None = None
        level: int | None = None
        medium: str | None = None
        cannot: list[str] = []  # analyses and stack quantities its type cannot measure (INS-MEASURES)
        for tg in instrument_targets(ins, streams, sc.media):
            pt = plan.by_key.get(tg.key)
            if (tg.medium in ("laboratory", "flue_gas")
                    and not itype.can_measure(tg.medium, tg.quantity, sc.media.get(tg.target))):
                # a parameter or a stack quantity its type cannot measure (an electricity meter
                # "measuring" el.ncv, a gas chromatograph on coal): it serves no point there and
                # no requirement follows from it. An activity target is left as it was: a
                # transmitter compensating a gas flow is held to that flow's requirement.
                cannot.append(f"{tg.target}.{tg.quantity}")
                continue
            covers = (pt is not None and ins.status == "in_use"
                      and itype.can_measure(pt.medium, pt.quantity, sc.media.get(pt.stream)))
            if (pt is None and ins.status == "in_use" and tg.medium is not None
                    and itype.can_measure(tg.medium, tg.quantity, sc.media.get(tg.target))):
                pt = _optional_point(optional, tg.target, tg.quantity, tg.medium, ins.at, streams, unit,
                                     plan.topo, plan.roots_by_stream, ep_level)
                covers = True
            t_level = pt.level if pt is not None else (None if tg.medium == "laboratory" else plan.topo.level(ins.at, ep_level))
            how = (itype.accuracy_group, tg.medium, tg.material, t_level, tg.quantity)
            if how in rules:  # the same few rows for thousands of instruments
                t_req = rules[how]
            else:
                rule = accuracy_rule(p, *how)
                t_req = rules[how] = rule.max_mpe_percent if rule is not None else None
            if medium is None or (t_req is not None and (req is None or t_req < req)):
                req, level, medium = t_req, t_level, tg.medium
            if covers and pt is not None and pt not in served:
                served.append(pt)
        if cannot:
            if medium is None:  # docs/assessment.md: an instrument covering no point gets its place's level
                level = plan.topo.level(ins.at, ep_level)
            said = "、".join(cannot), ", ".join(cannot)
            ctx.findings.add("INS-MEASURES", ins.id,
                             f"器具 {ins.id} 的类型“{itype.name('zh')}”不能测量“{said[0]}”（规则包中此类器具的测量范围不含此项），不作为其计量器具：请核对测量对象（measures）或器具类型（type）",
                             f"instrument {ins.id}: its type \"{itype.name('en')}\" cannot measure \"{said[1]}\" (not among what the pack's type measures), so it is not counted there: check what it measures (measures) or its type (type)",
                             measures=cannot, type=ins.type)
        mpe = instrument_mpe_percent(ins, weighing_basis)
        # default-pack.md: accuracy requirements apply to instruments in use and on standby,
        # not out of service; accuracy_ok is null where no requirement applies
        ok = (None if req is None or mpe is None or ins.status == "out_of_service"
              else at_most(mpe, req, decimals))
        fs = full_scale_percent(ins.accuracy) if mpe is None else None
        if fs is not None and req is not None and ins.status != "out_of_service" \
                and not at_most(fs, req, decimals):
            ok = False  # beyond the requirement even at the upper range value
        out.append(Match(ins, itype, served, level, medium, req, mpe, ok))
        if ins.status in ("in_use", "standby"):  # a standby instrument can replace an in-use one
            if fs is not None and req is not None and ok is False:
                ctx.findings.add("ACC-MPE", ins.id,
                                 f"器具 {ins.id} 满量程最大允许误差 ±{fs:g} %FS 在测量上限处已超过要求 ±{req:g} %（{_medium_name(p, medium, 'zh')}，{label('level', level, 'zh')}），示值越低超出越多",
                                 f"instrument {ins.id}: a full-scale MPE of ±{fs:g} %FS exceeds the required ±{req:g} % even at the upper range value ({_medium_name(p, medium, 'en')}, {label('level', level, 'en')}), and more at lower readings",
                                 mpe_percent=fs, required_mpe_percent=req, full_scale=True)
            elif fs is not None and req is not None:
                ctx.findings.add("ACC-UNKNOWN", ins.id,
                                 f"器具 {ins.id} 准确度“{ins.accuracy}”是满量程误差，示值低于测量上限时占示值的比例更大，无法证明满足要求（最大允许误差 ±{req:g} %）：请填写准确度等级或示值最大允许误差",
                                 f"instrument {ins.id}: accuracy \"{ins.accuracy}\" is a full-scale MPE, a larger share of any reading below the upper range value, so it cannot show the requirement (MPE ±{req:g} %) is met: state the accuracy class or the MPE of reading",
                                 accuracy=ins.accuracy, required_mpe_percent=req, full_scale=True)
            elif req is not None and mpe is None:
                why = weighing_mpe(ins, weighing_basis)
                ctx.findings.add("ACC-UNKNOWN", ins.id,
                                 f"器具 {ins.id} 准确度“{ins.accuracy or '未填写'}”无法与要求（最大允许误差 ±{req:g} %）比较" + (f"：{why.zh}" if why else ""),
                                 f"instrument {ins.id}: accuracy \"{ins.accuracy or 'not stated'}\" cannot be compared with the requirement (MPE ±{req:g} %)" + (f": {why.en}" if why else ""),
                                 accuracy=ins.accuracy, required_mpe_percent=req)
            elif ok is False:
                ctx.findings.add("ACC-MPE", ins.id,
                                 f"器具 {ins.id} 最大允许误差 ±{mpe:g} % 超过要求 ±{req:g} %（{_medium_name(p, medium, 'zh')}，{label('level', level, 'zh')}）",
                                 f"instrument {ins.id}: MPE ±{mpe:g} % exceeds the required ±{req:g} % ({_medium_name(p, medium, 'en')}, {label('level', level, 'en')})",
                                 mpe_percent=mpe, required_mpe_percent=req)
    return Matched(out, optional)


def _optional_point(optional: dict[str, Point], target: str, quantity: str, medium: str, at: str,
                    streams: dict[str, SourceStream], unit: UnitFile, topo: Topology,
                    roots_by_stream: dict[str, dict[str, str]], ep_level: int) -> Point:
    """A point no rule requires but an in-use instrument measures (shown, not counted)."""
    places: tuple[str, ...]
    if quantity == "activity":
        roots = roots_by_stream.get(target, {})
        place = roots.get(at, at)
        pid = f"{target}@{place}"
        if pid in optional:  # thousands of sub-meters share a few places
            return optional[pid]
        stream, level = target, topo.level(place, ep_level)
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


def _medium_name(p: Pack, medium: str | None, lang: str) -> str:
    """A medium's name in ``lang`` (issue 13: no codes in messages)."""
    row = next((m for m in p.media.rows if m.id == medium), None)
    return row.name(lang) if row is not None else str(medium or "—")


# ------------------------------------------------------------------------------ confirmation

@dataclass
class Coverage:
    instruments: list[InstrumentResult]
    covering: dict[str, list[InstrumentResult]]  # point id → the in-use instruments covering it
    points: list[PointResult]
    place_point: dict[tuple[str, str], str]  # (stream, place) → activity point id


def confirmation(ctx: Context, plan: Plan, matched: Matched) -> Coverage:
    """default-pack.md "Confirmation status" as of the assessment date (only records dated
    on or before it count): in use and overdue ``CAL-OVERDUE``, in use without a confirmation
    ``CAL-NONE``, due within the window ``CAL-DUE-SOON``; then each point's status from the
    instruments covering it (missing, conforming, non-conforming)."""
    p, as_of = ctx.pack, ctx.as_of
    due_soon = p.confirmation.due_soon_days.value
    results: list[InstrumentResult] = []
    covering: dict[str, list[InstrumentResult]] = defaultdict(list)
    for m in matched.matches:
        ins = m.ins
        state = confirmation_state(ins, m.itype, as_of, due_soon)
        r = InstrumentResult(ins.id, ins.name, ins.type, m.itype.letter, ins.measures_text(), ins.at, ins.status,
                             m.level, [q.id for q in m.served], m.mpe, m.required_mpe, m.accuracy_ok,
                             state.status, state.last_confirmed, state.interval_months,  # type: ignore[arg-type]
                             state.next_due)
        results.append(r)
        for q in m.served:
            covering[q.id].append(r)
            q.instruments.append(ins.id)
        if state.status in ("overdue", "unknown", "due_soon"):
            _confirmation_findings(ctx, ins.id, ins.status, state)
    all_points = plan.points + sorted(matched.optional.values(), key=lambda q: q.id)
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
    return Coverage(results, covering, point_results, place_point)


def _confirmation_findings(ctx: Context, iid: str, status: str, state: ConfirmationState) -> None:
    as_of = ctx.as_of
    if status == "in_use":
        if state.status == "overdue" and state.failed is not None:
            ctx.findings.add("CAL-OVERDUE", iid,
                             f"器具 {iid} 于 {state.failed} 确认不合格，截至 {as_of} 未再确认合格",
                             f"instrument {iid} failed its confirmation on {state.failed} and has not "
                             f"passed one since, as of {as_of}",
                             next_due=str(state.next_due), last_confirmed=str(state.last_confirmed),
                             failed=str(state.failed))
        elif state.status == "overdue":
            ctx.findings.add("CAL-OVERDUE", iid,
                             f"器具 {iid} 已于 {state.next_due} 到期，截至 {as_of} 未检定/校准",
                             f"instrument {iid} was due on {state.next_due} and is overdue as of {as_of}",
                             next_due=str(state.next_due), last_confirmed=str(state.last_confirmed))
        elif state.status == "unknown":
            ctx.findings.add("CAL-NONE", iid, f"在用器具 {iid} 无检定/校准记录",
                             f"in-use instrument {iid} has no confirmation on record")
    if state.status == "due_soon":
        days = (state.next_due - as_of).days  # type: ignore[operator]
        ctx.findings.add("CAL-DUE-SOON", iid,
                         f"器具 {iid} 将于 {state.next_due} 到期（{days} 天）",
                         f"instrument {iid} is due on {state.next_due} ({days} days)",
                         next_due=str(state.next_due))


# ------------------------------------------------------------------------------------ rates

def _rate(equipped: int, required: int, decimals: int) -> Decimal:
    """Rp = equipped ÷ required × 100, rounded half-up (default-pack.md, rates)."""
    return rounded(Decimal(equipped * 100) / Decimal(required), decimals)


def rates(ctx: Context, cov: Coverage) -> list[RateRow]:
    """default-pack.md "Media and required equipping rates": Rp per medium × level over the
    required points, rounded half-up to the pack's decimals and compared exactly with the
    requirement; below it ``EQ-RATE``."""
    p = ctx.pack
    counts: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for pr in cov.points:
        if pr.required:
            c = counts[(pr.medium, pr.level)]
            c[0] += 1
            c[1] += pr.status != "missing"
    order = {m.id: i for i, m in enumerate(p.media.rows)}
    out = []
    for (medium, level), (n_req, n_eq) in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 99), _LEVEL_ORDER[kv[0][1]])):
        want = p.medium(medium).rates.get("null" if level is None else str(level), 100.0)
        rate_x = _rate(n_eq, n_req, ctx.decimals)
        rate = float(rate_x)
        meets = rate_x >= exact(want)
        out.append(RateRow(medium, level, n_req, n_eq, rate, want, meets))
        if not meets:
            name = p.medium(medium).name
            lv_zh = "" if level is None else label("level", level, "zh")  # 一级/二级/三级
            lv_en = "" if level is None else f" level {level}"
            ctx.findings.add("EQ-RATE", f"{medium}/{level if level is not None else 'lab'}",
                             f"{name.zh}{lv_zh}配备率 {rate:g} %（{n_eq}/{n_req}）低于要求 {want:g} %",
                             f"{name.en}{lv_en}: equipping rate {rate:g} % ({n_eq}/{n_req}) below the required {want:g} %",
                             medium=medium, level=level, equipped=n_eq, required=n_req, rate_percent=rate,
                             required_percent=want)
    return out


# ------------------------------------------------------------------------------------ tiers

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


def tiers(ctx: Context, sc: Scope, cl: Classes, cov: Coverage) -> list[StreamResult]:
    """default-pack.md "Tiers": the tier each stream requires (class, category, medium) and
    the one its instruments achieve (activity data from the covering instruments' MPEs, CEMS
    from the declared uncertainty); ``TIER-SHORT``, ``TIER-UNKNOWN``, a justified lower tier
    (metrology/tiers.py) and stock reconciliation (metrology/stock.py)."""
    p, decimals = ctx.pack, ctx.decimals
    act_thr = p.tiers.activity_thresholds_percent.value
    cems_thr = p.tiers.cems_thresholds_percent.value
    out = []
    for s in ctx.unit.source_streams:
        e = sc.calc[s.id]
        cls = cl.applied[s.id]
        medium = sc.media[s.id]
        req_tier = next((r.tier for r in p.tiers.required
                         if cls in r.classes and (r.categories is None or sc.category in r.categories)
                         and (r.media is None or medium in r.media)), None)
        if s.id in sc.biogenic:
            req_tier = None
        if s.method == "measurement":
            unc = parse_ratio(s.uncertainty) * 100.0 if s.uncertainty is not None else None
            achieved = _tier(unc, cems_thr, decimals)
            if unc is None and req_tier is not None:
                ctx.findings.add("TIER-UNKNOWN", s.id, f"实测法源流 {s.id} 未声明测量系统不确定度，无法判定层级",
                                 f"measurement stream {s.id} declares no uncertainty; its tier cannot be determined")
        else:
            unc = _activity_uncertainty(s, cov.covering, cov.place_point)
            achieved = _tier(unc, act_thr, decimals)
            stock_findings(s, unc, ctx.findings.add)
        short = req_tier is not None and (achieved is None or achieved < req_tier) and not (s.method == "measurement" and unc is None)
        if short and s.lower_tier is not None:
            justified_tier(s, req_tier, achieved, unc, ctx.findings.add)
        elif short:
            ctx.findings.add("TIER-SHORT", s.id,
                             f"源流 {s.id} 要求层级 {req_tier}，达到 {achieved if achieved is not None else '无'}（不确定度 {'未知' if unc is None else f'{unc:.3g} %'}）",
                             f"stream {s.id}: tier {req_tier} required, {achieved if achieved is not None else 'none'} achieved (uncertainty {'unknown' if unc is None else f'{unc:.3g} %'})",
                             tier_required=req_tier, tier_achieved=achieved, uncertainty_percent=unc)
        counted = sc.totals.counted[s.id]
        share = float(abs(exact(counted)) / sc.total) if sc.total else 0.0
        out.append(StreamResult(
            s.id, s.name, s.kind, s.method, s.material, medium, counted, e.by_gas_t,
            e.biogenic_co2_t, share, cls, cl.computed.get(s.id, "de_minimis"), s.declared_class,
            req_tier, achieved, None if unc is None else round(unc, 6), e.formula, e.parameters,
            s.activity, s.consumer_shares(), **stream_extras(s, sc.totals)))
    return out


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
    takes = [c.mpe_percent for c in covering.get(f"{s.id}.stock", []) if c.mpe_percent is not None]
    # receipts ± stock change (metrology/stock.py), the stock-take's MPE when the stock
    # states no uncertainty of its own
    a = consumption_uncertainty(s, best(BOUNDARY), min(takes) if takes else None)
    if a is not None:
        candidates.append(a)
    shares = s.consumer_shares()
    boundary = place_point.get((s.id, BOUNDARY))
    if shares:
        terms = []
        for c, x in shares.items():
            if s.stock is not None and boundary is not None and place_point.get((s.id, c)) == boundary:
                break  # folded into the boundary point: that instrument weighs the receipts
            m = best(c)
            if m is None:
                break
            terms.append((m, x))
        else:
            candidates.append(sqrt(sum((m * x) ** 2 for m, x in terms)) / sum(x for _, x in terms))
    return min(candidates) if candidates else None


# ------------------------------------------------------------------------------- management

def management(ctx: Context) -> None:
    """default-pack.md "Management" (only when the file has ``management``): procedures
    (``MGMT-PROCEDURE``), the responsible person (``MGMT-RESPONSIBLE``), records retention below
    the minimum or not stated (``DATA-RETENTION``); without it ``MGMT-NOT-ASSESSED``."""
    m = ctx.unit.management
    rules = ctx.pack.management
    add = ctx.findings.add
    if m is None:
        add("MGMT-NOT-ASSESSED", "unit", "文件未提供 management（管理）信息，管理要求未评价",
            "the file has no management section; management requirements were not assessed")
        return
    have = {proc.kind for proc in m.procedures}
    for kind in rules.required_procedures.value:
        if kind.id not in have:
            add("MGMT-PROCEDURE", kind.id, f"缺少{kind.name.zh}", f"missing {kind.name.en}", kind=kind.id)
    keywords = [k.lower() for k in rules.responsible_role_keywords.value]
    if not any(any(k in person.role.lower() for k in keywords) for person in m.personnel):
        add("MGMT-RESPONSIBLE", "unit", "人员中没有岗位为碳计量负责人的人员",
            "no person's role names the carbon metering responsible person")
    minimum = rules.min_retention_years.value
    years = m.records_retention_years
    if years is None:  # issue 11, decision 4b: the reviewer cannot verify the minimum
        add("DATA-RETENTION", "unit", f"记录保存期限未规定（要求不少于 {minimum:g} 年）",
            f"the records retention period is not stated (at least {minimum:g} years required)",
            years=None, minimum=minimum)
    elif years < minimum:
        add("DATA-RETENTION", "unit", f"记录保存期限 {years:g} 年，应不少于 {minimum:g} 年",
            f"records retention {years:g} years; at least {minimum:g} years required",
            years=years, minimum=minimum)


# ------------------------------------------------------------------------------- conclusion

def conclusion(ctx: Context, sc: Scope, cl: Classes, plan: Plan, cov: Coverage,
               rate_rows: list[RateRow], streams: list[StreamResult]) -> Assessment:
    """default-pack.md "Conclusion": non-conforming if any non-conformity, else conforming;
    the findings sorted (non-conformities first, then by the pack's code order and subject)."""
    ordered = ctx.findings.sorted()
    verdict: Literal["conforming", "nonconforming"] = (
        "nonconforming" if any(f.severity == "nonconformity" for f in ordered) else "conforming")
    unit, loaded = ctx.unit, ctx.loaded
    return Assessment(
        loaded.name, loaded.version, loaded.sha256, ctx.lib.version, unit.unit.name, unit.unit.year,
        unit.unit.sector, unit.unit.region, unit.unit.credit_code, ctx.as_of, sc.gwp_set,
        float(sc.total), sc.biogenic_total, sc.key_unit, sc.category, float(cl.threshold_de_minimis),
        float(cl.threshold_minor), streams, plan.places, cov.points, rate_rows, cov.instruments,
        ordered, verdict, ctx.later,
        totals_json(sc.totals) | process_totals(unit, plan.topo, sc.totals.counted))


__all__ = ["Classes", "Context", "Coverage", "Findings", "Match", "Matched", "Plan", "Scope",
           "classes", "conclusion", "confirmation", "instruments_and_accuracy", "management",
           "places_and_points", "rates", "resolve_medium", "scope", "tiers"]
