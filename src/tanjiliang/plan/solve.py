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

import itertools
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from tanjiliang.plan.actions import Action, Requirement
from tanjiliang.plan.budget import StreamInputs, at_risk
from tanjiliang.plan.tables import UncertaintyTable

#: Combinations of one stream's action groups considered at most in (b); beyond it the
#: groups with the smallest gain on their own are left out (said in the result).
MAX_COMBINATIONS = 4096


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


def _milp(costs: list[float], rows: list[tuple[dict[int, float], float, float]],
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


def _unmeetable(r: Requirement, by_id: dict[str, Action]) -> Unmet | None:
    groups = {by_id[a].group for a in r.actions}
    if len(groups) >= r.need:
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
    used = sorted({a for r in reqs for a in r.actions})
    col = {a: i for i, a in enumerate(used)}
    rows: list[tuple[dict[int, float], float, float]] = []
    for r in reqs:
        rows.append(({col[a]: 1.0 for a in r.actions}, float(r.need), None))  # type: ignore[arg-type]
    groups: dict[str, list[int]] = defaultdict(list)
    for a in used:
        groups[by_id[a].group].append(col[a])
    for members in groups.values():
        if len(members) > 1:
            rows.append(({c: 1.0 for c in members}, None, 1.0))  # type: ignore[arg-type]
    chosen = _milp([by_id[a].cost for a in used], rows)
    if chosen is None:
        unmet.append(Unmet("*", "这些要求不能同时满足（同一器具或计量点的备选措施相互冲突）",
                           "the requirements cannot be met together (alternatives for one instrument or point conflict)"))
        return Solution([], 0.0, "infeasible", unmet)
    ids = [used[i] for i in chosen]
    return Solution(sorted(ids), sum(by_id[a].cost for a in ids), "partial" if unmet else "optimal", unmet)


@dataclass(slots=True)
class Combination:
    stream: str
    actions: tuple[str, ...]
    cost: float
    gain: float


def stream_combinations(s: StreamInputs, actions: list[Action], table: UncertaintyTable,
                        base: float) -> tuple[list[Combination], list[str]]:
    """Every combination (≤ one action per group) of a stream's budget actions with its exact
    gain, Pareto-pruned (a dearer combination that removes no more is dropped); the groups
    left out when there are more than MAX_COMBINATIONS."""
    groups: dict[str, list[Action]] = defaultdict(list)
    for a in actions:
        groups[a.group].append(a)
    alone = {g: max(base - at_risk(s.with_effects(a.effects), table) for a in acts)
             for g, acts in groups.items()}
    order = sorted(groups, key=lambda g: (-alone[g], g))
    kept: list[str] = []
    size = 1
    dropped: list[str] = []
    for g in order:
        if size * (len(groups[g]) + 1) <= MAX_COMBINATIONS:
            kept.append(g)
            size *= len(groups[g]) + 1
        else:
            dropped.append(g)
    options = [[None, *groups[g]] for g in kept]
    combos = []
    for pick in itertools.product(*options):
        chosen = [a for a in pick if a is not None]
        if not chosen:
            continue
        effects = tuple(e for a in chosen for e in a.effects)
        gain = base - at_risk(s.with_effects(effects), table)
        if gain <= 1e-9:
            continue
        combos.append(Combination(s.id, tuple(a.id for a in chosen), sum(a.cost for a in chosen), gain))
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
    rows: list[tuple[dict[int, float], float, float]] = [
        ({i: c.cost for i, c in enumerate(combos)}, None, float(budget))]  # type: ignore[list-item]
    per: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(combos):
        per[c.stream].append(i)
    for members in per.values():
        if len(members) > 1:
            rows.append(({i: 1.0 for i in members}, None, 1.0))  # type: ignore[arg-type]
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
    unit it still meets (classic greedy set cover)."""
    by_id = {a.id: a for a in actions}
    need = {r.key: r.need for r in requirements if _unmeetable(r, by_id) is None}
    chosen: list[str] = []
    used_groups: set[str] = set()
    while any(v > 0 for v in need.values()):
        best, best_ratio = None, float("inf")
        for a in actions:
            if a.id in chosen or a.group in used_groups:
                continue
            hits = sum(1 for k in a.closes if need.get(k, 0) > 0)
            if hits and a.cost / hits < best_ratio:
                best, best_ratio = a, a.cost / hits
        if best is None:
            break
        chosen.append(best.id)
        used_groups.add(best.group)
        for k in best.closes:
            if k in need and need[k] > 0:
                need[k] -= 1
    return Solution(sorted(chosen), sum(by_id[a].cost for a in chosen), "greedy")


def greedy_most_removed(inputs: list[StreamInputs], actions: list[Action],
                        table: UncertaintyTable, budget: float) -> Solution:
    """Baseline for (b): take single actions by gain per yuan while the budget lasts."""
    streams = {s.id: s for s in inputs}
    state = dict(streams)
    spent, chosen, used_groups = 0.0, [], set()
    removed = 0.0
    candidates = [a for a in actions if a.effects and a.stream in streams]
    while True:
        best, best_ratio, best_gain = None, 0.0, 0.0
        for a in candidates:
            if a.id in chosen or a.group in used_groups or spent + a.cost > budget + 1e-9:
                continue
            s = state[a.stream]  # type: ignore[index]
            gain = at_risk(s, table) - at_risk(s.with_effects(a.effects), table)
            ratio = gain / a.cost if a.cost > 0 else float("inf")
            if gain > 1e-9 and ratio > best_ratio:
                best, best_ratio, best_gain = a, ratio, gain
        if best is None:
            break
        chosen.append(best.id)
        used_groups.add(best.group)
        spent += best.cost
        removed += best_gain
        state[best.stream] = state[best.stream].with_effects(best.effects)  # type: ignore[index]
    return Solution(sorted(chosen), spent, "greedy", removed_tco2e=removed)
