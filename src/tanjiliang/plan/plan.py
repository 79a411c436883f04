"""What metering is worth (issue 15): the budget, tonnes and yuan at risk, and the plans.

``make_plan`` obtains the assessment through the door (today
:func:`tanjiliang.assess.engine.assess`), reads its results, builds the budget
(:mod:`~tanjiliang.plan.budget`), the candidate actions (:mod:`~tanjiliang.plan.actions`)
and solves the least-cost plan and the plan within a budget (:mod:`~tanjiliang.plan.solve`).
The least-cost plan is checked by assessing the unit again with its actions applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tanjiliang.assess.result import Assessment
from tanjiliang.model.unit import UnitFile
from tanjiliang.plan.actions import Action, Requirement, apply_to_unit, candidate_actions
from tanjiliang.plan.budget import (
    Cite,
    StreamInputs,
    UnitBudget,
    at_risk,
    gather_inputs,
    unit_budget,
)
from tanjiliang.plan.solve import Solution, least_cost, most_removed
from tanjiliang.plan.tables import (
    CostCatalogue,
    PriceTable,
    UncertaintyTable,
    bundled_costs,
    bundled_prices,
    uncertainty_table,
)
from tanjiliang.rules.factors import FactorLibrary, bundled_library
from tanjiliang.rules.load import LoadedPack, load_pack

FORMAT = "tanjiliang/plan@1"


def _assess(unit: UnitFile, pack: LoadedPack, as_of: date, lib: FactorLibrary) -> Assessment:
    """The assessment through the one door (``tanjiliang.check``, issue 11)."""
    from tanjiliang.check import check_full

    return check_full(unit, pack, as_of, library=lib).assessment


@dataclass(slots=True)
class Price:
    value: float
    unit: str
    date: date | None
    citation: Cite | None  # None: set by the user

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit,
                "date": self.date.isoformat() if self.date else None,
                "citation": self.citation.to_json(lang) if self.citation else None,
                "user_set": self.citation is None}


@dataclass(slots=True)
class ActionView:
    """An action with what it is worth on its own (MRR Art. 18)."""

    action: Action
    removed_tco2e: float  # tonnes at risk it removes (alone; in plan (b): its share there)
    benefit_yuan: float  # removed × price, per year
    reasonable: bool | None  # annual cost ≤ benefit; None: it removes nothing

    def verdict(self) -> str:
        """The MRR Art. 18 column: reasonable | unreasonable | needed (it removes nothing but
        meets a requirement) | combined (it removes something only with other actions)."""
        if self.reasonable is None:
            return "needed" if self.action.closes else "combined"
        return "reasonable" if self.reasonable else "unreasonable"


@dataclass(slots=True)
class After:
    conclusion: str
    nonconformities: list[str]
    tiers_short: list[str]


@dataclass(slots=True)
class Plan:
    unit_name: str
    as_of: date
    pack: str
    tables: dict[str, str]
    price: Price
    budget: UnitBudget
    actions: list[ActionView]
    requirements: list[Requirement]
    least_cost: Solution
    within_budget: Solution | None
    budget_yuan: float | None
    budget_from: str  # user | least_cost | none
    after: After | None
    at_risk_after_tco2e: float | None = None  # Σ streams after plan (b)
    notes: list[tuple[str, str]] = field(default_factory=list)
    assessment: Assessment | None = None  # what the plan was made from (not in the JSON)
    #: plan (b)'s actions with what each adds within the plan (removing it from the plan
    #: would raise the tonnes at risk by this much)
    marginal: dict[str, ActionView] = field(default_factory=dict)

    def views_of(self, s: Solution) -> list[ActionView]:
        """The actions of a solution with their figures: alone for plan (a), within the plan
        for plan (b)."""
        if s is self.within_budget:
            return [self.marginal.get(a) or self.action(a) for a in s.actions]
        return [self.action(a) for a in s.actions]

    @property
    def yuan_at_risk(self) -> float:
        return self.budget.expanded_tco2e * self.price.value

    def action(self, action_id: str) -> ActionView:
        return next(v for v in self.actions if v.action.id == action_id)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        b = self.budget
        p = self.price.value

        def sol(s: Solution | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {"status": s.status, "actions": s.actions, "cost_yuan": s.cost,
                    "figures": [{"id": v.action.id, "removed_tco2e": v.removed_tco2e,
                                 "benefit_yuan": v.benefit_yuan, "art18": v.verdict()}
                                for v in self.views_of(s)],
                    "removed_tco2e": s.removed_tco2e, "removed_yuan": s.removed_tco2e * p,
                    "unmet": [{"requirement": u.requirement, "reason": u.text(lang),
                               "reason_zh": u.zh, "reason_en": u.en} for u in s.unmet],
                    "notes": [n[0] if lang == "zh" else n[1] for n in s.notes]}

        return {
            "format": FORMAT,
            "unit": self.unit_name,
            "as_of": self.as_of.isoformat(),
            "pack": self.pack,
            "tables": self.tables,
            "price": self.price.to_json(lang),
            "coverage_factor": b.coverage_factor,
            "coverage_citation": b.coverage_citation.to_json(lang),
            "total": {"emissions_tco2e": b.total_tco2e, "u_tco2e": b.u_tco2e,
                      "expanded_tco2e": b.expanded_tco2e, "expanded_percent": b.expanded_percent,
                      "at_risk_tco2e": b.expanded_tco2e, "at_risk_yuan": b.expanded_tco2e * p,
                      "sum_streams_at_risk_tco2e": b.sum_at_risk_tco2e,
                      "sum_streams_at_risk_yuan": b.sum_at_risk_tco2e * p},
            "streams": [
                {"id": s.id, "name": s.name, "emissions_tco2e": s.emissions_tco2e,
                 "u_percent": s.u_percent, "expanded_percent": s.expanded_percent,
                 "at_risk_tco2e": s.at_risk_tco2e, "at_risk_yuan": s.at_risk_tco2e * p,
                 "components": [_component(c, lang) for c in s.components]}
                for s in b.streams],
            "contributors": [_component(c, lang) for c in b.ranked],
            "requirements": [{"key": r.key, "need": r.need, "finding": r.finding,
                              "subject": r.subject, "text": r.text(lang), "actions": r.actions}
                             for r in self.requirements],
            "actions": [
                {"id": v.action.id, "kind": v.action.kind, "group": v.action.group,
                 "subject": v.action.subject, "stream": v.action.stream,
                 "text": v.action.text(lang), "cost_yuan": v.action.cost,
                 "annual_cost_yuan": v.action.annual_cost, "citation": v.action.citation.to_json(lang),
                 "closes": list(v.action.closes),
                 "removed_tco2e": v.removed_tco2e, "benefit_yuan": v.benefit_yuan,
                 "art18_reasonable": v.reasonable, "art18": v.verdict()}
                for v in self.actions],
            "least_cost": sol(self.least_cost),
            "within_budget": sol(self.within_budget),
            "budget_yuan": self.budget_yuan,
            "budget_from": self.budget_from,
            "at_risk_after_tco2e": self.at_risk_after_tco2e,
            "after_least_cost": None if self.after is None else {
                "conclusion": self.after.conclusion, "nonconformities": self.after.nonconformities,
                "tiers_short": self.after.tiers_short},
        }


def _component(c: Any, lang: str) -> dict[str, Any]:
    return {"stream": c.stream, "kind": c.kind, "name": c.name, "u_percent": c.u_percent,
            "u_tco2e": c.u_tco2e, "contribution": c.contribution, "basis": c.basis,
            "citation": c.citation.to_json(lang), "correlation_key": c.correlation_key}


def action_views(inputs: list[StreamInputs], actions: list[Action], table: UncertaintyTable,
                 price: float) -> list[ActionView]:
    streams = {s.id: s for s in inputs}
    base = {s.id: at_risk(s, table) for s in inputs}
    out = []
    for a in actions:
        removed = 0.0
        if a.effects and a.stream in streams:
            removed = max(base[a.stream] - at_risk(streams[a.stream].with_effects(a.effects), table), 0.0)
        benefit = removed * price
        reasonable = None if removed <= 0 else a.annual_cost <= benefit
        out.append(ActionView(a, removed, benefit, reasonable))
    return out


def _marginal(inputs: list[StreamInputs], chosen: list[Action], table: UncertaintyTable,
              price: float) -> dict[str, ActionView]:
    """What each chosen action adds within the plan: the stream's tonnes at risk with all its
    chosen actions but this one, less with all of them."""
    streams = {s.id: s for s in inputs}
    by_stream: dict[str, list[Action]] = {}
    for a in chosen:
        if a.stream is not None and a.stream in streams:
            by_stream.setdefault(a.stream, []).append(a)
    out = {}
    for sid, acts in by_stream.items():
        s = streams[sid]
        full = at_risk(s.with_effects(tuple(e for a in acts for e in a.effects)), table)
        for a in acts:
            without = at_risk(s.with_effects(tuple(e for b in acts if b is not a for e in b.effects)), table)
            removed = max(without - full, 0.0)
            benefit = removed * price
            out[a.id] = ActionView(a, removed, benefit, None if removed <= 0 else a.annual_cost <= benefit)
    return out


def make_plan(unit: UnitFile, pack: LoadedPack | None = None, as_of: date | None = None,
              price: float | None = None, budget: float | None = None,
              costs: CostCatalogue | None = None, prices: PriceTable | None = None,
              accredited: bool | None = None, library: FactorLibrary | None = None,
              assessment: Assessment | None = None, verify: bool = True,
              reasonable_only: bool = False) -> Plan:
    """The budget, the money at risk and both plans for ``unit``.

    ``price`` (元/tCO2) overrides the dated price table; ``budget`` (元) sets plan (b)'s
    budget, else the least-cost plan's cost is used; ``accredited`` says whether the
    laboratory is accredited (else the table's assumption); ``reasonable_only`` limits plan
    (b) to actions that pass the MRR Art. 18 test on their own."""
    loaded = pack or load_pack(unit.pack)
    lib = library or bundled_library()
    as_of = as_of or date.today()
    table = uncertainty_table()
    cat = costs or bundled_costs()
    ptable = prices or bundled_prices()
    a = assessment or _assess(unit, loaded, as_of, lib)
    inputs = gather_inputs(unit, a, lib, table, accredited)
    ub = unit_budget(inputs, table)
    if price is not None:
        pr = Price(price, "元/tCO2", None, None)
    else:
        row = ptable.price_on(as_of)
        pr = Price(row.value, row.unit, row.date,
                   Cite(row.source, ptable.source_title(row.source), row.clause or "", row.status))
    actions, reqs = candidate_actions(unit, a, loaded.pack, lib, cat, inputs)
    views = action_views(inputs, actions, table, pr.value)
    lc = least_cost(actions, reqs)
    if budget is not None:
        b_yuan: float | None = budget
        b_from = "user"
    elif lc.cost > 0:
        b_yuan, b_from = lc.cost, "least_cost"
    else:
        b_yuan, b_from = None, "none"
    pool = [v.action for v in views if v.reasonable] if reasonable_only else actions
    wb = most_removed(inputs, pool, table, b_yuan) if b_yuan is not None else None
    after_b = None
    marginal: dict[str, ActionView] = {}
    if wb is not None:
        after_b = ub.sum_at_risk_tco2e - wb.removed_tco2e
        marginal = _marginal(inputs, [x for x in actions if x.id in set(wb.actions)], table, pr.value)
    after = None
    if verify and lc.actions:
        by_id = {x.id: x for x in actions}
        changed = apply_to_unit(unit, [by_id[i] for i in lc.actions], as_of, loaded.pack)
        a2 = _assess(changed, loaded, as_of, lib)
        after = After(a2.conclusion, sorted({f"{f.code}:{f.subject}" for f in a2.nonconformities()}),
                      sorted({f.subject for f in a2.findings if f.code == "TIER-SHORT"}))
    return Plan(a.unit_name, as_of, f"{a.pack_name}@{a.pack_version}",
                {"uncertainty": f"{table.name}@{table.version}", "costs": f"{cat.name}@{cat.version}",
                 "prices": f"{ptable.name}@{ptable.version}"},
                pr, ub, views, reqs, lc, wb, b_yuan, b_from, after, after_b, assessment=a,
                marginal=marginal)
