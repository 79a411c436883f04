"""Budget and plan speed (issue 15): a generated unit with 10 000 instruments.

Prints, per size: assessment time, budget time, candidate actions, plan (a) least cost and
plan (b) within a budget with HiGHS, and the greedy baselines of both (cost of (a), tonnes
removed by (b)), so that the solver's answers can be compared with the straightforward ones.
Target: budget and plan under 5 s for 10 000 instruments.
Run: .venv/bin/python benchmarks/plan.py [--sizes 1000,10000] [--budget 2000000]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date

from tanjiliang.check import check_full
from tanjiliang.model.unit import UnitFile
from tanjiliang.plan.actions import candidate_actions
from tanjiliang.plan.budget import gather_inputs, unit_budget
from tanjiliang.plan.plan import action_views
from tanjiliang.plan.solve import greedy_least_cost, greedy_most_removed, least_cost, most_removed
from tanjiliang.plan.tables import bundled_costs, uncertainty_table
from tanjiliang.rules import bundled_library, load_pack

AS_OF = date(2025, 12, 1)
COALS = ["bituminous_coal", "anthracite", "lignite"]
GASES = ["natural_gas", "coke_oven_gas", "blast_furnace_gas"]


def generate(n_instruments: int, seed: int = 15) -> dict:
    """A plant of many sub-units, each burning its own coal and gas streams and buying
    electricity, with weigh feeders, flow meters and electricity meters of mixed classes,
    some overdue, some missing, some with an out-of-tolerance record; laboratories
    measuring NCV and carbon for part of the coal."""
    rng = random.Random(seed)
    n_sub = max(2, n_instruments // 100)
    subunits, equipment, streams, instruments = [], [], [], []
    n = 0

    def add(**kw: object) -> None:
        nonlocal n
        n += 1
        last = "2025-06-01" if rng.random() > 0.08 else "2023-05-01"
        ins = {"id": f"I{n:05d}", "name": f"器具{n}", "last_confirmed": last, "status": "in_use", **kw}
        if rng.random() < 0.03:
            ins["confirmations"] = [
                {"date": "2025-03-01", "kind": "verification", "result": "fail", "as_found": f"+{rng.choice([0.4, 0.8, 1.5])} %"},
                {"date": last, "kind": "verification", "result": "pass"}] if last.startswith("2025") else None
        instruments.append(ins)

    for u in range(n_sub):
        sid = f"U{u}"
        subunits.append({"id": sid, "name": f"{u}号生产线"})
        eqs = [f"E{u}_{k}" for k in range(8)]
        equipment.extend({"id": e, "name": f"{e}设备", "subunit": sid} for e in eqs)
        coal, gas, grid = f"coal{u}", f"gas{u}", f"grid{u}"
        params = {}
        if rng.random() < 0.5:
            params = {"ncv": "21.0 GJ/t", "carbon_content": {"value": "0.0262 tC/GJ", "source": "measured"}}
        streams.append({"id": coal, "name": f"{u}号线燃煤", "kind": "combustion", "material": rng.choice(COALS),
                        "activity": f"{rng.randint(20, 200) * 1000} t", "consumers": eqs[:4],
                        **({"parameters": params} if params else {})})
        streams.append({"id": gas, "name": f"{u}号线煤气", "kind": "combustion", "material": rng.choice(GASES),
                        "activity": f"{rng.randint(100, 3000)} 万Nm3", "consumers": eqs[4:]})
        streams.append({"id": grid, "name": f"{u}号线电力", "kind": "electricity", "material": "grid_electricity",
                        "activity": f"{rng.randint(10, 200) * 1000} MWh", "consumers": eqs})
        if rng.random() < 0.9:
            add(name="汽车衡", type="truck_scale", measures=coal, at="boundary", accuracy="±0.1 %")
        for e in eqs[:4]:
            if rng.random() < 0.93:
                add(type="belt_scale", measures=coal, at=e, accuracy=rng.choice(["0.5", "0.5", "1.0", "0.2"]))
        if params:
            add(type="calorimeter", measures=f"{coal}.ncv", at="lab")
            add(type="carbon_analyzer", measures=f"{coal}.carbon_content", at="lab")
        add(type="gas_flow_meter", measures=gas, at="boundary", accuracy=rng.choice(["1.0", "1.5", "2.0"]))
        for e in eqs[4:]:
            if rng.random() < 0.95:
                add(type="gas_flow_meter", measures=gas, at=e, accuracy=rng.choice(["1.5", "2.0", "2.5"]))
        add(type="electricity_meter", measures=grid, at="boundary", accuracy=rng.choice(["0.2S", "0.5S"]))
        for e in eqs:
            add(type="electricity_meter", measures=grid, at=e, accuracy=rng.choice(["0.5S", "1.0", "2.0"]))
    # fill up to the size with spare (standby) meters
    k = 0
    while n < n_instruments:
        u = k % n_sub
        add(type="electricity_meter", measures=f"grid{u}", at=f"E{u}_{k % 8}", accuracy="1.0", status="standby")
        k += 1
    return {"format": "tanjiliang/unit@1",
            "unit": {"name": "基准测试单位", "sector": "other", "year": 2025},
            "subunits": subunits, "equipment": equipment, "source_streams": streams,
            "instruments": instruments[:n_instruments],
            "management": {"procedures": [{"title": t, "kind": t} for t in (
                "metering_management", "instrument_management", "data_management", "personnel_training")],
                "personnel": [{"name": "张工", "role": "碳计量负责人"}], "records_retention_years": 5}}


class Clock:
    """Wall-clock and CPU seconds of each step (the machine is shared: CPU time is the
    figure that does not depend on the other processes' load)."""

    def __init__(self) -> None:
        self.marks = [(time.perf_counter(), time.process_time())]

    def lap(self) -> str:
        self.marks.append((time.perf_counter(), time.process_time()))
        (w0, c0), (w1, c1) = self.marks[-2], self.marks[-1]
        return f"{w1 - w0:6.2f} s wall {c1 - c0:6.2f} s CPU"

    def since(self, i: int) -> str:
        (w0, c0), (w1, c1) = self.marks[i], self.marks[-1]
        return f"{w1 - w0:6.2f} s wall {c1 - c0:6.2f} s CPU"


def run(size: int, budget: float) -> None:
    unit = UnitFile.model_validate(generate(size))
    pack = load_pack("henan-2025-draft")
    lib, table, cat = bundled_library(), uncertainty_table(), bundled_costs()
    clock = Clock()
    a = check_full(unit, pack, AS_OF, library=lib).assessment
    t_assess = clock.lap()
    inputs = gather_inputs(unit, a, lib, table)
    ub = unit_budget(inputs, table)
    t_budget = clock.lap()
    actions, reqs = candidate_actions(unit, a, pack.pack, lib, cat, inputs)
    action_views(inputs, actions, table, 97.49)
    t_actions = clock.lap()
    lc = least_cost(actions, reqs)
    t_a = clock.lap()
    wb = most_removed(inputs, actions, table, budget)
    t_b = clock.lap()
    t_total = clock.since(1)
    g_lc = greedy_least_cost(actions, reqs)
    t_ga = clock.lap()
    g_wb = greedy_most_removed(inputs, actions, table, budget)
    t_gb = clock.lap()
    print(f"--- {size} instruments, {len(unit.source_streams)} streams, {len(a.points)} points, "
          f"{len(a.findings)} findings (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"assessment (the door)    {t_assess}")
    print(f"budget                   {t_budget}   U = {ub.expanded_percent:.3f} % of "
          f"{ub.total_tco2e:,.0f} t; at risk {ub.expanded_tco2e:,.0f} t (Σ streams {ub.sum_at_risk_tco2e:,.0f} t)")
    print(f"actions + Art. 18        {t_actions}   {len(actions)} actions, {len(reqs)} requirements")
    print(f"plan (a) HiGHS           {t_a}   cost {lc.cost:,.0f} 元, {len(lc.actions)} actions, "
          f"{lc.status}, unmet {len(lc.unmet)}")
    print(f"plan (b) HiGHS           {t_b}   budget {budget:,.0f} 元: removed {wb.removed_tco2e:,.0f} t "
          f"for {wb.cost:,.0f} 元 ({len(wb.actions)} actions)")
    print(f"budget + plans           {t_total}   (target < 5 s)")
    print(f"greedy (a) baseline      {t_ga}   cost {g_lc.cost:,.0f} 元 "
          f"({(g_lc.cost / lc.cost - 1) * 100 if lc.cost else 0:+.1f} % vs HiGHS), "
          f"{len(g_lc.unmet)} requirements left unmet")
    print(f"greedy (b) baseline      {t_gb}   removed {g_wb.removed_tco2e:,.0f} t for {g_wb.cost:,.0f} 元 "
          f"({(g_wb.removed_tco2e / wb.removed_tco2e - 1) * 100 if wb.removed_tco2e else 0:+.1f} % vs HiGHS)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--budget", type=float, default=2_000_000.0)
    args = ap.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.budget)


if __name__ == "__main__":
    main()
