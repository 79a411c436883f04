"""The two plans, solved as integer programmes with HiGHS (``highspy``):

(a) **least cost**: choose actions (at most one per group) so that every requirement is met —
    each non-conformity closed, each equipping-rate row raised to its required rate, each
    required tier reached — at the least total cost;
(b) **most tonnes within a budget**: choose, per stream, one combination of its actions
    (a multiple-choice knapsack over the combinations, each with its exact budget) so that
    the tonnes at risk removed, Σ_s (T_s − T_s'), are the most for a cost within the budget.
    The streams' tonnes at risk are summed (each stream's improvement is what MRR Art. 18
    weighs); the unit's total after the plan is reported with the correlations.

A requirement no action can meet is named with the reason before solving, and (a) is solved
again without it, so that the plan for everything else is still shown.
"""

from __future__ import annotations

import heapq
import itertools
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from math import sqrt
from typing import Any

import highspy
import numpy as np

from tanjiliang.plan.actions import Action, Requirement
from tanjiliang.plan.budget import (
    StreamInputs,
    activity_components,
    at_risk,
    param_components,
    stream_components,
)
from tanjiliang.plan.tables import UncertaintyTable

#: Combinations of one stream's action groups considered at most in (b); beyond it the
#: groups with the smallest gain on their own are left out (said in the result).
MAX_COMBINATIONS = 1024


@dataclass(slots=True)
class Unmet:
    requirement: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(slots=True)
class Solution:
    actions: list[str]
    cost: float
    status: str  # optimal | infeasible | partial | empty
    unmet: list[Unmet] = field(default_factory=list)
    removed_tco2e: float = 0.0
    notes: list[tuple[str, str]] = field(default_factory=list)


_quiet = False


def _new_highs() -> highspy.Highs:
    """A solver instance. HiGHS prints a banner on the first construction in a process (C
    stdout, before any option can be set); it is kept off stdout so that JSON output stays
    clean."""
    global _quiet
    if _quiet:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _quiet = True
    return h


def _milp(costs: list[float], rows: list[tuple[dict[int, float], float | None, float | None]],
          maximize: bool = False) -> list[int] | None:
    """Solve a 0/1 programme: ``rows`` are (coefficients by column, lower, upper)."""
    n = len(costs)
    if n == 0:
        return []
    inf = highspy.kHighsInf
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.asarray(costs, dtype=float)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.asarray([lo if lo is not None else -inf for _, lo, _ in rows], dtype=float)
    lp.row_upper_ = np.asarray([up if up is not None else inf for _, _, up in rows], dtype=float)
    cols: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for r, (coef, _, _) in enumerate(rows):
        for c, v in coef.items():
            cols[c].append((r, v))
    start, index, value = [0], [], []
    for entries in cols:
        for r, v in entries:
            index.append(r)
            value.append(v)
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    return [i for i in range(n) if x[i] > 0.5]


def _route_possible(r: Requirement) -> bool:
    """Whether the consumers' best offers (or present meters) reach the tier's threshold."""
    route = r.route
    if route is None:
        return False
    total = 0.0
    for c, x in route.shares.items():
        mpes = [m for _, m in route.options.get(c, [])]
        now = route.current.get(c)
        if now is not None:
            mpes.append(now)
        if not mpes:
            return False
        total += (min(mpes) * x) ** 2
    return total < (route.threshold * sum(route.shares.values())) ** 2 - 1e-9


def _unmeetable(r: Requirement, by_id: dict[str, Action]) -> Unmet | None:
    groups = {by_id[a].group for a in r.actions}
    if len(groups) >= r.need or _route_possible(r):
        return None
    if r.key.startswith("RATE:"):
        return Unmet(r.key,
                     f"{r.zh}：须再配备 {r.need} 个计量点，成本目录只能为其中 {len(groups)} 个提供器具",
                     f"{r.en}: {r.need} more points must be equipped, the cost catalogue offers an instrument for {len(groups)}")
    if r.key.startswith("TIER:"):
        return Unmet(r.key,
                     f"{r.zh}：成本目录中没有能使其活动数据（或实测系统）达到所需不确定度的器具或措施",
                     f"{r.en}: no instrument or action in the cost catalogue brings its activity data (or measuring system) to the required uncertainty")
    return Unmet(r.key, f"{r.zh}：成本目录中没有能消除该不符合项（{r.finding}）的措施",
                 f"{r.en}: no action in the cost catalogue closes this non-conformity ({r.finding})")


def least_cost(actions: list[Action], requirements: list[Requirement]) -> Solution:
    """Plan (a). Requirements that no action can meet are reported and left out."""
    by_id = {a.id: a for a in actions}
    unmet = [u for r in requirements if (u := _unmeetable(r, by_id)) is not None]
    left = {u.requirement for u in unmet}
    reqs = [r for r in requirements if r.key not in left]
    if not reqs:
        return Solution([], 0.0, "partial" if unmet else "empty", unmet)
    routes = [r for r in reqs if _route_possible(r)]
    used = sorted({a for r in reqs for a in r.actions}
                  | {a for r in routes for opts in r.route.options.values() for a, _ in opts})  # type: ignore[union-attr]
    col = {a: i for i, a in enumerate(used)}
    costs = [by_id[a].cost for a in used]
    rows: list[tuple[dict[int, float], float | None, float | None]] = []
    route_col: dict[str, int] = {}
    for r in routes:  # y_r = 1: the tier is met by the consumers' meters
        route_col[r.key] = len(costs)
        costs.append(0.0)
    for r in reqs:
        coef = {col[a]: 1.0 for a in r.actions}
        if r.key in route_col:
            coef[route_col[r.key]] = 1.0
        rows.append((coef, float(r.need), None))
    for r in routes:
        rows.extend(_route_rows(r, col, route_col[r.key]))
    chosen = _milp(costs, rows)
    if chosen is None:
        unmet.append(Unmet("*", "这些要求不能同时满足（同一器具或计量点的备选措施相互冲突）",
                           "the requirements cannot be met together (alternatives for one instrument or point conflict)"))
        return Solution([], 0.0, "infeasible", unmet)
    ids = [used[i] for i in chosen if i < len(used)]
    return Solution(sorted(ids), sum(by_id[a].cost for a in ids), "partial" if unmet else "optimal", unmet)


def _route_rows(r: Requirement, col: dict[str, int], y: int
                ) -> list[tuple[dict[int, float], float | None, float | None]]:
    """Linear rows for y = 1 ⇒ the consumer route reaches the threshold:
    every consumer without a meter gets one (Σ x_a ≥ y), at most one new meter per consumer,
    and S0 + Σ_a ((m_a·x_c)² − (m0_c·x_c)²)·x_a ≤ (thr·Σx)² + M·(1 − y)."""
    route = r.route
    assert route is not None
    rows: list[tuple[dict[int, float], float | None, float | None]] = []
    s0 = sum((m * route.shares[c]) ** 2 for c, m in route.current.items() if m is not None)
    big = s0 + sum(max((m * route.shares[c]) ** 2 for _, m in opts)
                   for c, opts in route.options.items() if opts) + 1.0
    knap: dict[int, float] = {y: big}
    for c, x in route.shares.items():
        opts = route.options.get(c, [])
        m0 = route.current.get(c)
        if len(opts) > 1:
            rows.append(({col[a]: 1.0 for a, _ in opts}, None, 1.0))
        if m0 is None:
            row = {col[a]: 1.0 for a, _ in opts}
            row[y] = -1.0
            rows.append((row, 0.0, None))
        for a, m in opts:
            knap[col[a]] = knap.get(col[a], 0.0) + (m * x) ** 2 - ((m0 or 0.0) * x) ** 2
    limit = (route.threshold * sum(route.shares.values())) ** 2 - 1e-9 + big - s0
    rows.append((knap, None, limit))
    return rows


@dataclass(slots=True)
class Combination:
    stream: str
    actions: tuple[str, ...]
    cost: float
    gain: float


def _param_of(action: Action) -> str | None:
    """The parameter an action's effects all touch (samples, laboratory, measured), else None."""
    names = set()
    for key, _ in action.effects:
        kind, _, target = key.partition(":")
        if kind not in ("samples", "accredited", "measured"):
            return None
        names.add(target)
    return names.pop() if len(names) == 1 else None


@dataclass(slots=True)
class _Option:
    actions: tuple[Action, ...]
    cost: float
    variance: float


def _pareto(options: list[_Option]) -> list[_Option]:
    """Options sorted by cost, each dearer one lowering the variance (else it is dropped)."""
    options.sort(key=lambda o: (o.cost, o.variance))
    kept: list[_Option] = []
    for o in options:
        if not kept or o.variance < kept[-1].variance - 1e-15:
            kept.append(o)
    return kept


def _slot_options(groups: list[list[Action]], variance: Callable[[tuple[tuple[str, Any], ...]], float],
                  cap: int, prune: bool = True) -> tuple[list[_Option], list[str]]:
    """Every combination of ``groups`` (≤ one action each) with the slot's variance; when
    there are more than ``cap``, the groups that lower it least on their own are left out."""
    base = variance(())
    alone = {g[0].group: base - min(variance(a.effects) for a in g) for g in groups}
    kept: list[list[Action]] = []
    size, dropped = 1, []
    for g in sorted(groups, key=lambda g: (-alone[g[0].group], g[0].group)):
        if size * (len(g) + 1) <= cap:
            kept.append(g)
            size *= len(g) + 1
        else:
            dropped.append(g[0].group)
    options = []
    for pick in itertools.product(*[[None, *g] for g in kept]):
        chosen = tuple(a for a in pick if a is not None)
        effects = tuple(e for a in chosen for e in a.effects)
        options.append(_Option(chosen, sum(a.cost for a in chosen), variance(effects)))
    return (_pareto(options) if prune else options), dropped


def _consumer_frontier(s: StreamInputs, groups: list[list[Action]]
                       ) -> list[tuple[float, float, tuple[Action, ...]]]:
    """The consumers' meters combined exactly by their sum Σ (MPE·x)² (the consumer route,
    budget.activity_mpe): a frontier of (cost, sum, actions), each dearer entry lowering
    the sum — one consumer at a time, dominated entries dropped."""
    shares = {c.consumer: c for c in s.consumers}
    frontier: list[tuple[float, float, tuple[Action, ...]]] = [(0.0, 0.0, ())]
    touched = set()
    for g in groups:
        consumer = g[0].effects[0][0].split(":", 1)[1].partition("@")[0]
        touched.add(consumer)
        c = shares[consumer]
        now = (c.meter.mpe * c.share) ** 2 if c.meter is not None else float("inf")
        opts = [(0.0, now, ())] + [(a.cost, (float(a.effects[0][1]) * c.share) ** 2, (a,)) for a in g]
        merged = [(f[0] + o[0], f[1] + o[1], f[2] + o[2]) for f in frontier for o in opts]
        merged.sort(key=lambda m: (m[0], m[1]))
        frontier = []
        for m in merged:
            if not frontier or m[1] < frontier[-1][1] - 1e-15:
                frontier.append(m)
    return frontier


def _activity_options(s: StreamInputs, groups: list[list[Action]], table: UncertaintyTable,
                      cap: int) -> tuple[list[_Option], list[str]]:
    """The activity slot: meters at the consumers (without an out-of-tolerance record) go
    through :func:`_consumer_frontier`; the level-1 meter, intervals and the rest are
    combined in full."""
    oot = {o.instrument for o in s.out_of_tolerance}

    def simple_consumer(g: list[Action]) -> bool:
        return all(len(a.effects) == 1 and a.effects[0][0].startswith("consumer:")
                   and a.effects[0][0].partition("@")[2] not in oot for a in g) and not any(
            c.meter is not None and c.meter.instrument in oot
            for c in s.consumers if c.consumer == g[0].effects[0][0].split(":", 1)[1].partition("@")[0])

    consumer_groups = [g for g in groups if simple_consumer(g)]
    consumers = {g[0].effects[0][0].split(":", 1)[1].partition("@")[0] for g in consumer_groups}
    if len(consumers) != len(consumer_groups):  # two groups for one consumer: combine in full
        consumer_groups = []
    others = [g for g in groups if not any(g is c for c in consumer_groups)]

    memo: dict[frozenset[tuple[str, Any]], float] = {}

    def variance(eff: tuple[tuple[str, Any], ...]) -> float:
        key = frozenset(eff)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = float(sum(c.u_percent ** 2
                                        for c in activity_components(s.with_effects(eff), table)))
        return hit

    frontier = _consumer_frontier(s, consumer_groups) if consumer_groups else [(0.0, 0.0, ())]
    # not pruned alone: which route counts (and so an out-of-tolerance period's weight)
    # depends on the consumers' meters too
    rest_opts, dropped = _slot_options(others, variance, max(cap // max(len(frontier), 1), 2),
                                       prune=False) if others else ([_Option((), 0.0, 0.0)], [])
    options = []
    for cost_c, _sum, acts_c in frontier:
        for o in rest_opts:
            chosen = o.actions + acts_c
            effects = tuple(e for a in chosen for e in a.effects)
            options.append(_Option(chosen, o.cost + cost_c, variance(effects)))
    return _pareto(options), dropped


def stream_combinations(s: StreamInputs, actions: list[Action], table: UncertaintyTable,
                        base: float) -> tuple[list[Combination], list[str]]:
    """Every combination (≤ one action per group) of a stream's budget actions with its exact
    gain, Pareto-pruned (a dearer combination that removes no more is dropped); the groups
    left out when there are more than MAX_COMBINATIONS.

    The stream's variance is a sum over independent slots — its activity data (the meters,
    out-of-tolerance periods) and each parameter — so each slot's options are found and
    pruned alone, then combined by adding variances (budget.py: components in quadrature)."""
    groups: dict[str, list[Action]] = defaultdict(list)
    for a in actions:
        groups[a.group].append(a)
    by_slot: dict[str, list[list[Action]]] = defaultdict(list)
    for g in groups.values():
        params = {_param_of(a) for a in g}
        slot = params.pop() if len(params) == 1 else None
        by_slot[f"param:{slot}" if slot else "activity"].append(g)

    def var(comps: list[Any]) -> float:
        return float(sum(c.u_percent ** 2 for c in comps))

    def slot_variance(slot: str) -> Callable[[tuple[tuple[str, Any], ...]], float]:
        if slot == "activity":
            return lambda eff: var(activity_components(s.with_effects(eff), table))
        name = slot.split(":", 1)[1]
        memo: dict[frozenset[tuple[str, Any]], float] = {}

        def f(eff: tuple[tuple[str, Any], ...]) -> float:
            key = frozenset(eff)
            hit = memo.get(key)
            if hit is None:
                s2 = s.with_effects(eff)
                hit = memo[key] = var([c for p in s2.params if p.name == name
                                       for c in param_components(s2, p, table)])
            return hit
        return f

    total0 = var(stream_components(s, table))
    slots, dropped = [], []
    rest = total0
    for slot, gs in sorted(by_slot.items()):
        if slot == "activity":
            opts, left = _activity_options(s, gs, table, MAX_COMBINATIONS)
        else:
            opts, left = _slot_options(gs, slot_variance(slot), MAX_COMBINATIONS)
        dropped.extend(left)
        rest -= opts[0].variance if opts and not opts[0].actions else slot_variance(slot)(())
        slots.append(opts)
    k_e = table.coverage_factor.value * s.emissions_tco2e / 100.0
    combos: list[Combination] = []
    count = 1
    for opts in slots:
        count *= len(opts)
    if count > MAX_COMBINATIONS * 16:  # keep the product in bounds: the cheapest options first
        slots = [opts[: max(2, int(len(opts) * (MAX_COMBINATIONS * 16 / count) ** (1 / len(slots))))]
                 for opts in slots]
    for pick in itertools.product(*slots):
        chosen = [a for o in pick for a in o.actions]
        if not chosen:
            continue
        v = max(rest + sum(o.variance for o in pick), 0.0)
        gain = base - k_e * sqrt(v)
        if gain <= 1e-9:
            continue
        combos.append(Combination(s.id, tuple(a.id for a in chosen), sum(o.cost for o in pick), gain))
    combos.sort(key=lambda c: (c.cost, -c.gain))
    pareto: list[Combination] = []
    for c in combos:
        if not pareto or c.gain > pareto[-1].gain + 1e-9:
            pareto.append(c)
    return pareto, dropped


def most_removed(inputs: list[StreamInputs], actions: list[Action], table: UncertaintyTable,
                 budget: float) -> Solution:
    """Plan (b): the most tonnes at risk removed for a cost within ``budget``."""
    by_stream: dict[str, list[Action]] = defaultdict(list)
    for a in actions:
        if a.effects and a.stream is not None:
            by_stream[a.stream].append(a)
    combos: list[Combination] = []
    notes: list[tuple[str, str]] = []
    for s in inputs:
        acts = by_stream.get(s.id)
        if not acts:
            continue
        found, dropped = stream_combinations(s, acts, table, at_risk(s, table))
        combos.extend(c for c in found if c.cost <= budget + 1e-9)
        if dropped:
            notes.append((f"源流 {s.id} 的措施组合过多，未考虑：{', '.join(dropped)}",
                          f"stream {s.id} has too many combinations; left out: {', '.join(dropped)}"))
    if not combos:
        return Solution([], 0.0, "empty", notes=notes)
    rows: list[tuple[dict[int, float], float | None, float | None]] = [
        ({i: c.cost for i, c in enumerate(combos)}, None, float(budget))]
    per: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(combos):
        per[c.stream].append(i)
    for members in per.values():
        if len(members) > 1:
            rows.append(({i: 1.0 for i in members}, None, 1.0))
    chosen = _milp([c.gain for c in combos], rows, maximize=True)
    if chosen is None:
        return Solution([], 0.0, "infeasible", notes=notes)
    picked = [combos[i] for i in chosen]
    ids = sorted(a for c in picked for a in c.actions)
    return Solution(ids, sum(c.cost for c in picked), "optimal",
                    removed_tco2e=sum(c.gain for c in picked), notes=notes)


# ---------------------------------------------------------------------------- baselines

def greedy_least_cost(actions: list[Action], requirements: list[Requirement]) -> Solution:
    """Baseline for (a): repeatedly take the action with the lowest cost per requirement
    unit it still meets (greedy set cover, lazily re-evaluated); it may end with
    requirements unmet (an action of the group it needed was taken for another)."""
    by_id = {a.id: a for a in actions}
    need = {r.key: r.need for r in requirements if _unmeetable(r, by_id) is None}
    chosen: list[str] = []
    used_groups: set[str] = set()

    def ratio(a: Action) -> float:
        hits = sum(1 for k in a.closes if need.get(k, 0) > 0)
        return a.cost / hits if hits else float("inf")

    heap = [(ratio(a), a.id) for a in actions if a.closes]
    heapq.heapify(heap)
    while heap and any(v > 0 for v in need.values()):
        r, aid = heapq.heappop(heap)
        a = by_id[aid]
        if a.group in used_groups or r == float("inf"):
            continue
        now = ratio(a)
        if now > r + 1e-12:
            heapq.heappush(heap, (now, aid))
            continue
        chosen.append(aid)
        used_groups.add(a.group)
        for k in a.closes:
            if need.get(k, 0) > 0:
                need[k] -= 1
    by_req = {r.key: r for r in requirements}
    unmet = [Unmet(k, by_req[k].zh, by_req[k].en) for k, v in need.items() if v > 0]
    return Solution(sorted(chosen), sum(by_id[a].cost for a in chosen),
                    "greedy" if not unmet else "greedy-incomplete", unmet)


def greedy_most_removed(inputs: list[StreamInputs], actions: list[Action],
                        table: UncertaintyTable, budget: float) -> Solution:
    """Baseline for (b): take single actions by gain per yuan while the budget lasts (a
    stream's actions are re-evaluated after one of them is taken)."""
    state = {s.id: s for s in inputs}
    risk = {sid: at_risk(s, table) for sid, s in state.items()}
    version = dict.fromkeys(state, 0)
    by_id = {a.id: a for a in actions}

    def entry(a: Action) -> tuple[float, str, int, float]:
        s = state[a.stream]  # type: ignore[index]
        gain = risk[s.id] - at_risk(s.with_effects(a.effects), table)
        ratio = gain / a.cost if a.cost > 0 else float("inf")
        return (-ratio, a.id, version[s.id], gain)

    heap = [entry(a) for a in actions if a.effects and a.stream in state]
    heapq.heapify(heap)
    spent, removed = 0.0, 0.0
    chosen: list[str] = []
    used_groups: set[str] = set()
    while heap:
        _neg, aid, ver, gain = heapq.heappop(heap)
        a = by_id[aid]
        sid = a.stream
        assert sid is not None
        if a.group in used_groups or spent + a.cost > budget + 1e-9 or gain <= 1e-9:
            continue
        if ver != version[sid]:
            heapq.heappush(heap, entry(a))
            continue
        chosen.append(aid)
        used_groups.add(a.group)
        spent += a.cost
        removed += gain
        state[sid] = state[sid].with_effects(a.effects)
        risk[sid] = at_risk(state[sid], table)
        version[sid] += 1
    return Solution(sorted(chosen), spent, "greedy", removed_tco2e=removed)
