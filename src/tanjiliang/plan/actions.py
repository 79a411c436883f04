"""Candidate actions and the requirements they meet, generated from an assessment and the
budget's inputs (issue 15 "The plan").

An action has a cost from the cost catalogue, belongs to a group of alternatives (at most
one per group: one new class for an instrument, one sampling scheme for a parameter …), and
has two kinds of consequence:

* ``closes``: the requirements it meets — the assessment's non-conformities (read from its
  findings, never re-derived: ``CAL-OVERDUE``/``CAL-NONE``, ``ACC-MPE``, ``EQ-RATE``,
  management findings) and the required tiers its accuracy reaches (the pack's tier rule on
  the level-1 instrument's MPE);
* ``effects``: how it changes a stream's budget inputs (keys of
  :meth:`tanjiliang.plan.budget.StreamInputs.with_effects`).

``edit`` applies the action to a copy of the unit file, so that a plan can be checked by
assessing the unit again (tests/plan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Any

from tanjiliang.assess.result import Assessment, Finding, PointResult
from tanjiliang.metrology.accuracy import accuracy_rule
from tanjiliang.model.unit import (
    BOUNDARY,
    ConfirmationRecord,
    Instrument,
    Management,
    Person,
    Procedure,
    UnitFile,
    mpe_percent,
)
from tanjiliang.plan.budget import Cite, StreamInputs
from tanjiliang.plan.tables import CostCatalogue, CostRow
from tanjiliang.rules.exact import at_most
from tanjiliang.rules.factors import FactorLibrary
from tanjiliang.rules.schema import Citation, Pack


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    kind: str  # recalibrate | replace | install | allocation | interval | sampling | laboratory | measure | procedure | responsible | retention
    group: str
    subject: str
    stream: str | None
    cost: float  # first-year cost (元)
    annual_cost: float  # cost spread over the lifetime, plus yearly costs (元/a), MRR Art. 18
    citation: Cite
    zh: str
    en: str
    closes: tuple[str, ...] = ()
    effects: tuple[tuple[str, Any], ...] = ()
    edit: tuple[Any, ...] = ()

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(slots=True)
class Requirement:
    key: str
    need: int  # actions (of distinct groups) needed
    zh: str
    en: str
    finding: str | None  # finding code, or None for a tier
    subject: str
    actions: list[str] = field(default_factory=list)
    route: ConsumerRoute | None = None  # a tier may also be met by the consumers' meters

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(slots=True)
class ConsumerRoute:
    """The tier rule's second route (default-pack.md "Tiers"): in-use meters at every consumer,
    with sqrt(Σ (MPE_i·x_i)²) / Σ x_i ≤ the tier's threshold. ``current`` is each consumer's
    best meter now (None: none), ``options`` the actions that put a meter of some MPE there."""

    threshold: float  # strict: the combined MPE must stay below it
    shares: dict[str, float]
    current: dict[str, float | None]
    options: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def _cite(cat: CostCatalogue, c: Citation) -> Cite:
    title = next((s.title for s in cat.sources if s.id == c.source), c.source)
    return Cite(c.source, title, c.clause or "", c.status)


def _annual(row: CostRow) -> float:
    return row.cost / row.lifetime_years


def _pname(name: str, lang: str) -> str:
    from tanjiliang.plan.words import component_label

    return component_label(name, lang)


def min_equipped(required: int, want_percent: float, decimals: int) -> int:
    """The fewest equipped points whose rate, rounded half-up to ``decimals`` (default-pack.md
    "Media"), reaches ``want_percent``."""
    from decimal import ROUND_HALF_UP, Decimal

    step = Decimal(1).scaleb(-decimals)
    k = max(0, ceil(want_percent * required / 100.0) - 1)
    while k <= required:
        rate = (Decimal(k * 100) / Decimal(required)).quantize(step, rounding=ROUND_HALF_UP)
        if float(rate) >= want_percent:
            return k
        k += 1
    return required + 1


class _Builder:
    def __init__(self, unit: UnitFile, a: Assessment, pack: Pack, lib: FactorLibrary,
                 cat: CostCatalogue, inputs: list[StreamInputs]) -> None:
        self.unit, self.a, self.pack, self.lib, self.cat = unit, a, pack, lib, cat
        self.inputs = {s.id: s for s in inputs}
        self.actions: dict[str, Action] = {}
        self.requirements: dict[str, Requirement] = {}
        self.types = {t.id: t for t in pack.instrument_types}
        self.results = {i.id: i for i in a.instruments}
        self.files = {i.id: i for i in unit.instruments}
        self.streams = {s.id: s for s in a.streams}
        self.thresholds = pack.tiers.activity_thresholds_percent.value
        #: uncertainties are compared with the tier thresholds rounded as the pack declares
        #: (default-pack.md "Exactness"; rules/exact.py)
        self.decimals = pack.media.rounding_decimals.value
        self.new_ids = 0
        self.short = {f.subject: f for f in a.findings if f.code == "TIER-SHORT"}

    def add(self, action: Action) -> None:
        old = self.actions.get(action.id)
        if old is None:
            self.actions[action.id] = action
            return
        # the same action found twice: merge what it closes and does
        closes = tuple(dict.fromkeys(old.closes + action.closes))
        effects = tuple(dict.fromkeys(old.effects + action.effects))
        self.actions[action.id] = Action(old.id, old.kind, old.group, old.subject, old.stream,
                                         old.cost, old.annual_cost, old.citation, old.zh, old.en,
                                         closes, effects, old.edit)

    # ---------------------------------------------------------------- instruments
    def offers(self, type_id: str) -> list[tuple[str | None, float | None, CostRow]]:
        return [(o.accuracy, mpe_percent(o.accuracy), o) for o in self.cat.instruments.get(type_id, [])]

    def recalibrate(self, iid: str, closes: tuple[str, ...]) -> None:
        r = self.results[iid]
        row = self.cat.recalibration(r.type)
        self.add(Action(f"recalibrate:{iid}", "recalibrate", f"instrument:{iid}", iid,
                        self._stream_of(r.measures), row.cost, _annual(row), _cite(self.cat, row),
                        f"{iid} 立即检定/校准", f"verify/calibrate {iid} now", closes,
                        (), ("confirm", iid)))

    def replace(self, iid: str, closes_any: tuple[str, ...], max_mpe: float | None,
                tier: tuple[str, float] | None = None) -> None:
        """Offers of a better instrument of the same type for ``iid``: each closes the
        instrument's calibration findings, ``closes_any`` when its MPE ≤ ``max_mpe``, and the
        stream's tier when its MPE ≤ the tier's threshold."""
        r = self.results[iid]
        current = r.mpe_percent
        for acc, mpe, row in self.offers(r.type):
            if mpe is None:
                continue
            better = current is None or mpe < current - 1e-12
            meets = max_mpe is None or mpe <= max_mpe + 1e-9
            if not better and not (closes_any and meets):
                continue
            if r.required_mpe_percent is not None and mpe > r.required_mpe_percent + 1e-9:
                continue
            closes = [f"CAL:{iid}"]
            if closes_any and meets:
                closes.extend(closes_any)
            if tier is not None and at_most(mpe, tier[1], self.decimals):
                closes.append(tier[0])
            effects: tuple[tuple[str, Any], ...] = ()
            stream = self._stream_of(r.measures)
            s = self.inputs.get(stream or "")
            if s is not None and r.measures == stream:
                if s.l1 is not None and s.l1.instrument == iid:
                    effects = ((f"l1:{iid}", mpe),)
                else:
                    for c in s.consumers:
                        if c.meter is not None and c.meter.instrument == iid:
                            effects = ((f"consumer:{c.consumer}@{iid}", mpe),)
            self.add(Action(f"replace:{iid}:{acc}", "replace", f"instrument:{iid}", iid, stream,
                            row.cost, _annual(row), _cite(self.cat, row),
                            f"{iid} 更换为 {acc} 级（±{mpe:g} %）", f"replace {iid} by class {acc} (±{mpe:g} %)",
                            tuple(closes), effects, ("replace", iid, acc)))

    def install(self, pt: PointResult, closes: tuple[str, ...], tier: tuple[str, float] | None,
                kind: str = "install", consumer: str | None = None) -> None:
        stream = self.streams.get(pt.stream)
        material = stream.material if stream else None
        family = self.lib.material(material).family if material and self.lib.material(material) else None  # type: ignore[union-attr]
        types = self.cat.install_types_for(pt.medium, pt.level, pt.quantity, family)
        for type_id in types:
            itype = self.types.get(type_id)
            if itype is None or not itype.can_measure(pt.medium, pt.quantity):
                continue
            rule = accuracy_rule(self.pack, itype.accuracy_group, pt.medium, material, pt.level,
                                 pt.quantity)
            req = rule.max_mpe_percent if rule is not None else None
            for acc, mpe, row in self.offers(type_id):
                if req is not None and (mpe is None or mpe > req + 1e-9):
                    continue
                cl = list(closes)
                if tier is not None and mpe is not None and at_most(mpe, tier[1], self.decimals):
                    cl.append(tier[0])
                effects: tuple[tuple[str, Any], ...] = ()
                new_id = "NEW-" + re.sub(r"[\s.,;:]", "-", pt.id)[:60]
                if pt.quantity == "activity" and mpe is not None:
                    if pt.place == BOUNDARY:
                        effects = ((f"l1:{new_id}", mpe),)
                    elif consumer is not None:
                        effects = ((f"consumer:{consumer}@{new_id}", mpe),)
                    else:
                        effects = tuple((f"consumer:{c}@{new_id}", mpe) for c in pt.places
                                        if c in (stream.consumers if stream else {}))
                elif pt.medium == "laboratory" and stream is not None:
                    s = self.inputs.get(stream.id)
                    if s is not None:
                        effects = tuple((f"measured:{p.name}", new_id) for p in s.params
                                        if p.base == pt.quantity and p.source != "measured")
                measures = pt.stream if pt.quantity == "activity" else (
                    f"{pt.stream}.{pt.quantity}" if pt.medium == "laboratory" else f"{pt.place}.{pt.quantity}")
                at = pt.place if pt.medium != "laboratory" else "lab"
                name = itype.name
                label_acc = f" {acc}" if acc else ""
                verb_zh = "加装计量器具（消除分摊）" if kind == "allocation" else "安装"
                verb_en = "add a meter (removes an allocation)" if kind == "allocation" else "install"
                self.add(Action(f"{kind}:{pt.id}:{type_id}:{acc}", kind, f"point:{pt.id}", pt.id,
                                pt.stream, row.cost, _annual(row), _cite(self.cat, row),
                                f"在计量点 {pt.id} {verb_zh}{name.zh}{label_acc}",
                                f"{verb_en} a {name.en.lower()}{label_acc} at point {pt.id}",
                                tuple(cl), effects, ("install", new_id, type_id, measures, at, acc)))

    def _stream_of(self, measures: str | None) -> str | None:
        """The stream an instrument measures (its first target; None when not yet known)."""
        sid = (measures or "").split(",", 1)[0].split(".", 1)[0].strip()
        return sid if sid in self.streams else None

    # ---------------------------------------------------------------- requirements
    def require(self, key: str, need: int, zh: str, en: str, finding: str | None,
                subject: str) -> None:
        if key not in self.requirements:
            self.requirements[key] = Requirement(key, need, zh, en, finding, subject)

    def from_findings(self) -> None:
        rates = {(r.medium, r.level): r for r in self.a.rates}
        decimals = self.pack.media.rounding_decimals.value
        for f in self.a.nonconformities():
            self.finding(f, rates, decimals)

    def finding(self, f: Finding, rates: dict[tuple[str, int | None], Any], decimals: int) -> None:
        code, subj = f.code, f.subject
        if code == "TIER-SHORT":  # a pack may make it a non-conformity: the tier requirement covers it
            return
        if code in ("CAL-OVERDUE", "CAL-NONE") and subj in self.results:
            key = f"CAL:{subj}"
            self.require(key, 1, f.zh, f.en, code, subj)
            self.recalibrate(subj, (key,))
            self.replace(subj, (), None)
        elif code == "ACC-MPE" and subj in self.results:
            key = f"ACC:{subj}"
            self.require(key, 1, f.zh, f.en, code, subj)
            self.replace(subj, (key,), f.data.get("required_mpe_percent"))
        elif code == "EQ-RATE":
            medium, level = str(f.data.get("medium")), f.data.get("level")
            row = rates.get((medium, level if isinstance(level, int) else None))
            if row is None:
                self.require(f"F:{code}:{subj}", 1, f.zh, f.en, code, subj)
                return
            need = min_equipped(row.required, row.required_percent, decimals) - row.equipped
            key = f"RATE:{medium}/{level}"
            self.require(key, need, f.zh, f.en, code, subj)
            for pt in self.a.points:
                if pt.required and pt.status == "missing" and pt.medium == medium and pt.level == level:
                    self.install(pt, (key,), self._tier_for_point(pt))
        elif code == "MGMT-PROCEDURE":
            key = f"MGMT:{subj}"
            self.require(key, 1, f.zh, f.en, code, subj)
            row = self.cat.management.procedure
            kind = next((k for k in self.pack.management.required_procedures.value if k.id == subj), None)
            title_zh = kind.name.zh if kind else subj
            title_en = kind.name.en if kind else subj
            self.add(Action(f"procedure:{subj}", "procedure", f"procedure:{subj}", subj, None,
                            row.cost, _annual(row), _cite(self.cat, row),
                            f"编制并发布{title_zh}", f"write and issue the {title_en}",
                            (key,), (), ("procedure", subj, title_zh)))
        elif code == "MGMT-RESPONSIBLE":
            key = "MGMT:responsible"
            self.require(key, 1, f.zh, f.en, code, subj)
            row = self.cat.management.responsible
            self.add(Action("responsible", "responsible", "responsible", "unit", None, row.cost,
                            _annual(row), _cite(self.cat, row), "任命碳计量负责人",
                            "appoint the person responsible for carbon metering", (key,), (),
                            ("responsible",)))
        elif code == "DATA-RETENTION":
            key = "MGMT:retention"
            self.require(key, 1, f.zh, f.en, code, subj)
            row = self.cat.management.retention
            years = self.pack.management.min_retention_years.value
            self.add(Action("retention", "retention", "retention", "unit", None, row.cost,
                            _annual(row), _cite(self.cat, row),
                            f"记录保存期限改为不少于 {years:g} 年",
                            f"keep records for at least {years:g} years", (key,), (),
                            ("retention", years)))
        else:
            self.require(f"F:{code}:{subj}", 1, f.zh, f.en, code, subj)

    def _tier_target(self, sid: str) -> int | None:
        """The tier a stream must still reach, read from the assessment: a ``TIER-SHORT``
        finding names it (the required tier, or the justified lower one, metrology/tiers.py)."""
        f = self.short.get(sid)
        if f is None:
            return None
        justified = f.data.get("tier_justified")
        tier = justified if isinstance(justified, int) else f.data.get("tier_required")
        return tier if isinstance(tier, int) else None

    def _tier_for_point(self, pt: PointResult) -> tuple[str, float] | None:
        if pt.quantity != "activity" or pt.place != BOUNDARY:
            return None
        s = self.streams.get(pt.stream)
        tier = self._tier_target(pt.stream)
        if s is None or tier is None or s.method != "calculation":
            return None
        return f"TIER:{s.id}", self.thresholds[tier - 1]

    def tiers(self) -> None:
        """A required tier not reached (the assessment's ``TIER-SHORT``; the pack's rule on the
        activity MPE): a better level-1 instrument, one installed where there is none, or
        better meters at the consumers (:class:`ConsumerRoute`)."""
        for s in self.a.streams:
            tier = self._tier_target(s.id)
            if tier is None:
                continue
            f = self.short[s.id]
            key = f"TIER:{s.id}"
            self.require(key, 1, f.zh, f.en, None, s.id)
            if s.method != "calculation":
                continue
            thr = self.thresholds[tier - 1]
            inp = self.inputs.get(s.id)
            l1_points = [pt for pt in self.a.points if pt.stream == s.id and pt.quantity == "activity"
                         and BOUNDARY in pt.places]
            for pt in l1_points:
                for iid in pt.instruments:
                    r = self.results.get(iid)
                    if r is not None and r.status == "in_use":
                        self.replace(iid, (), None, (key, thr))
                if not pt.instruments:
                    self.install(pt, (), (key, thr))
            if inp is not None and len(inp.consumers) >= 2:
                self._consumer_route(s.id, key, thr, inp)

    def _consumer_route(self, sid: str, key: str, thr: float, inp: StreamInputs) -> None:
        """Candidates for the consumer route: better meters at the metered consumers, meters
        at the others (the solver weighs them against a better level-1 meter)."""
        for c in inp.consumers:
            if c.meter is not None:
                self.replace(c.meter.instrument, (), None)
            else:
                pt = self._consumer_point(sid, c.consumer)
                if pt is None:
                    pt = self._virtual_point(sid, c.consumer)
                if pt.status == "missing":
                    self.install(pt, (), None, "install" if pt.required else "allocation", c.consumer)
        # the route passes while sqrt(Σ (m·x)²)/Σx rounds half-up to ≤ thr: below thr + ½ unit
        self.requirements[key].route = ConsumerRoute(
            thr + 0.5 * 10.0 ** -self.decimals, {c.consumer: c.share for c in inp.consumers},
            {c.consumer: (c.meter.mpe if c.meter is not None else None) for c in inp.consumers})

    def improvements(self) -> None:
        """Actions that only lower the budget: better classes on the routes, meters where an
        allocation stands, shorter intervals, more samples, an accredited laboratory."""
        for s in self.inputs.values():
            if s.l1 is not None:
                self.replace(s.l1.instrument, (), None)
            metered = [c for c in s.consumers if c.meter is not None]
            for c in metered:
                self.replace(c.meter.instrument, (), None)  # type: ignore[union-attr]
            if s.l1 is None and metered and len(metered) < len(s.consumers):
                for c in s.consumers:
                    if c.meter is None:
                        pt = self._consumer_point(s.id, c.consumer)
                        if pt is not None and pt.status == "missing" and not pt.required:
                            self.install(pt, (), None, "allocation", c.consumer)
                        elif pt is None:
                            self.install(self._virtual_point(s.id, c.consumer), (), None,
                                         "allocation", c.consumer)
            for o in s.out_of_tolerance:
                r = self.results[o.instrument]
                row = self.cat.recalibration(r.type)
                for m in self.cat.shorter_intervals.value:
                    if m >= o.interval_months:
                        continue
                    extra = 12.0 / m - 12.0 / o.interval_months
                    self.add(Action(f"interval:{o.instrument}:{m}", "interval", f"interval:{o.instrument}",
                                    o.instrument, s.id, row.cost * extra, row.cost * extra,
                                    _cite(self.cat, self.cat.shorter_intervals),
                                    f"{o.instrument} 检定/校准周期缩短为 {m} 个月",
                                    f"shorten {o.instrument}'s interval to {m} months",
                                    (), ((f"interval:{o.instrument}", m),)))
            for p in s.params:
                if p.base not in ("ncv", "carbon_content"):
                    continue
                self._analyses(s, p)

    def _analyses(self, s: StreamInputs, p: Any) -> None:
        price = self.cat.analysis(p.base)
        c = _cite(self.cat, price)
        n0 = p.samples_per_year
        freqs = sorted({n0, *self.cat.sampling_frequencies.value})
        group = f"analysis:{s.id}.{p.name}"
        if p.source == "measured":
            now = n0 * (price.accredited if p.accredited else price.in_house)
            for n in freqs:
                for acc in sorted({p.accredited, True}):
                    if n == n0 and acc == p.accredited:
                        continue
                    cost = n * (price.accredited if acc else price.in_house) - now
                    if cost <= 0 or n < n0:
                        continue
                    kind = "laboratory" if acc and not p.accredited and n == n0 else "sampling"
                    effects: list[tuple[str, Any]] = [(f"samples:{p.name}", n)]
                    if acc != p.accredited:
                        effects.append((f"accredited:{p.name}", True))
                    zh = (f"{s.id} {_pname(p.name, 'zh')}每年化验 {n} 个样" + ("，送CNAS认可实验室" if acc and not p.accredited else ""))
                    en = (f"{s.id} {_pname(p.name, 'en')}: {n} samples a year" + (", at a CNAS-accredited laboratory" if acc and not p.accredited else ""))
                    self.add(Action(f"{kind}:{s.id}.{p.name}:{n}:{int(acc)}", kind, group,
                                    f"{s.id}.{p.name}", s.id, cost, cost, c, zh, en, (),
                                    tuple(effects)))
        else:
            for n in freqs:
                if n < n0:
                    continue
                cost = n * price.accredited
                self.add(Action(f"measure:{s.id}.{p.name}:{n}", "measure", group, f"{s.id}.{p.name}",
                                s.id, cost, cost, c,
                                f"{s.id} {_pname(p.name, 'zh')}改为实测：CNAS认可实验室每年 {n} 个样",
                                f"measure {s.id} {_pname(p.name, 'en')} at a CNAS-accredited laboratory, {n} samples a year",
                                (), ((f"measured:{p.name}", "accredited-lab"), (f"accredited:{p.name}", True),
                                     (f"samples:{p.name}", n))))

    def _consumer_point(self, stream: str, consumer: str) -> PointResult | None:
        return next((pt for pt in self.a.points if pt.stream == stream and pt.quantity == "activity"
                     and consumer in pt.places), None)

    def _virtual_point(self, stream: str, consumer: str) -> PointResult:
        s = self.streams[stream]
        level = next((p.kind for p in self.a.places if p.id == consumer), None)
        lv = 2 if level == "subunit" else 3
        return PointResult(f"{stream}@{consumer}", stream, "activity", s.medium or "", lv, consumer,
                           (consumer,), False, [], "missing")


def candidate_actions(unit: UnitFile, a: Assessment, pack: Pack, lib: FactorLibrary,
                      cat: CostCatalogue, inputs: list[StreamInputs]
                      ) -> tuple[list[Action], list[Requirement]]:
    """Every candidate action and every requirement of the target "conforming, required
    tiers reached", each requirement listing the actions that meet it."""
    b = _Builder(unit, a, pack, lib, cat, inputs)
    b.from_findings()
    b.tiers()
    b.improvements()
    actions = sorted(b.actions.values(), key=lambda x: x.id)
    reqs = list(b.requirements.values())
    meeting: dict[str, list[str]] = {}
    for x in actions:
        for key in x.closes:
            meeting.setdefault(key, []).append(x.id)
    for r in reqs:
        r.actions = meeting.get(r.key, [])
        if r.route is not None:  # the actions that put a meter at each consumer
            for x in actions:
                for key, value in x.effects:
                    if key.startswith("consumer:") and x.stream == r.subject:
                        consumer = key.split(":", 1)[1].partition("@")[0]
                        if consumer in r.route.shares:
                            r.route.options.setdefault(consumer, []).append((x.id, float(value)))
    return actions, reqs


# ---------------------------------------------------------------------------- applying

def apply_to_unit(unit: UnitFile, actions: list[Action], as_of: date, pack: Pack) -> UnitFile:
    """A copy of ``unit`` with the actions' edits (instruments confirmed, replaced, installed;
    procedures, responsible person, retention), for assessing the unit after a plan."""
    u = unit.model_copy(deep=True)
    u._source = None
    by_id = {i.id: i for i in u.instruments}
    for act in actions:
        e = act.edit
        if not e:
            continue
        if e[0] == "confirm":
            _confirm(by_id[e[1]], as_of)
        elif e[0] == "replace":
            ins = by_id[e[1]]
            ins.accuracy = e[2]
            ins.confirmations = None
            ins.interval = None
            _confirm(ins, as_of)
        elif e[0] == "install":
            _, new_id, type_id, measures, at, acc = e
            ins = Instrument(id=new_id, name=new_id, type=type_id, measures=measures, at=at,
                             accuracy=acc, confirmation="verification", last_confirmed=as_of,
                             status="in_use")
            u.instruments.append(ins)
            by_id[new_id] = ins
        elif e[0] == "procedure":
            m = u.management or Management()
            m.procedures.append(Procedure(title=e[2], kind=e[1], issued=as_of))
            u.management = m
        elif e[0] == "responsible":
            m = u.management or Management()
            m.personnel.append(Person(name="—", role=pack.management.responsible_role_keywords.value[0]))
            u.management = m
        elif e[0] == "retention":
            m = u.management or Management()
            m.records_retention_years = max(m.records_retention_years or 0.0, float(e[1]))
            u.management = m
    return u


def _confirm(ins: Instrument, as_of: date) -> None:
    ins.last_confirmed = as_of
    if ins.confirmations:
        ins.confirmations.append(ConfirmationRecord(date=as_of, kind=ins.confirmation or "calibration"))
