"""A generated large plant for testing and benchmarking the diagram and the reports.

``synthetic_plant()`` writes a unit file (``tanjiliang/unit@1``) of a fictitious power and
process site with 30 sub-units, 90 pieces of equipment, coal, gas, electricity, heat and
process streams, three CEMS stacks and an instrument ledger covering most, not all, of the
metering points (some with a too-large MPE, some overdue), so that every point status and
most findings occur: 311 metering points (306 required) under the default pack. Deterministic: the same
arguments give the same file. The numbers are invented test data, not factors.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import yaml

from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import UnitFile

#: (stream id prefix, name zh, material, kind, activity unit, amount per stream, instrument
#: type and accuracy at the boundary, at sub-units and equipment)
_COAL = ("coal", "入炉烟煤", "bituminous_coal", "combustion", "t", 160_000,
         ("rail_scale", "0.1"), ("belt_scale", "0.5"))
_GAS = ("ng", "天然气", "natural_gas", "combustion", "万Nm3", 900,
        ("gas_flow_meter", "1.0"), ("gas_flow_meter", "1.5"))
_POWER = ("power", "外购电力", "grid_electricity", "electricity", "MWh", 90_000,
          ("electricity_meter", "0.2S"), ("electricity_meter", "0.5S"))
_HEAT = ("steam", "外购蒸汽", "purchased_heat", "heat", "GJ", 260_000,
         ("steam_flow_meter", "1.5"), ("steam_flow_meter", "2.5"))
_LIME = ("lime", "脱硫石灰石", "limestone", "process", "t", 60_000,
         ("truck_scale", "0.1"), ("belt_scale", "0.5"))
_DIESEL = ("oil", "点火柴油", "diesel", "combustion", "t", 120,
           ("oil_flow_meter", "0.5"), ("oil_flow_meter", "0.5"))
_CEMS = (("co2", "cems_co2_analyzer"), ("flow", "cems_flow_monitor"),
         ("temperature", "temperature_transmitter"), ("pressure", "pressure_transmitter"),
         ("moisture", "moisture_analyzer"))


def synthetic_data(n_subunits: int = 30, equipment_per_subunit: int = 3, coal_streams: int = 10,
                   coal_fanout: int = 6, gas_streams: int = 2, cems_stacks: int = 3,
                   coverage: float = 0.85, seed: int = 7, year: int = 2025) -> dict[str, Any]:
    """The unit-file data of the generated plant."""
    rnd = random.Random(seed)
    as_of = date(year, 12, 31)
    subunits = [{"id": f"SU{i:02d}", "name": f"{i}号生产单元"} for i in range(1, n_subunits + 1)]
    equipment: list[dict[str, Any]] = []
    for i, su in enumerate(subunits, 1):
        for k in range(1, equipment_per_subunit + 1):
            kind = "boiler" if k <= 2 else "furnace"
            equipment.append({"id": f"E{i:02d}{k}", "name": f"{i}-{k}号{'锅炉' if k <= 2 else '窑炉'}",
                              "subunit": su["id"], "kind": kind})
    boilers = [e for e in equipment if e["kind"] == "boiler"]
    furnaces = [e for e in equipment if e["kind"] == "furnace"]
    streams: list[dict[str, Any]] = []
    instruments: list[dict[str, Any]] = []
    plan: list[tuple[dict[str, Any], tuple[Any, ...], list[str]]] = []

    def add_stream(spec: tuple[Any, ...], sid: str, name: str, consumers: list[str],
                   amount: float, params: dict[str, Any] | None = None) -> dict[str, Any]:
        s: dict[str, Any] = {"id": sid, "name": name, "kind": spec[3], "material": spec[2],
                             "activity": f"{amount:g} {spec[4]}", "consumers": consumers}
        if params:
            s["parameters"] = params
        streams.append(s)
        plan.append((s, spec, consumers))
        return s

    n_su = len(subunits)
    for c in range(coal_streams):
        start = (c * coal_fanout) % n_su
        sus = {subunits[(start + j) % n_su]["id"] for j in range(coal_fanout)}
        cons = [e["id"] for e in boilers if e["subunit"] in sus]
        add_stream(_COAL, f"coal{c + 1}", f"{_COAL[1]}{c + 1}", cons,
                   _COAL[5] * (1 + 0.25 * rnd.random()),
                   {"ncv": f"{21 + rnd.random() * 2:.2f} GJ/t",
                    "carbon_content": {"value": f"{0.0258 + rnd.random() * 0.001:.5f} tC/GJ",
                                       "source": "measured"}})
    per = max(1, len(furnaces) // max(gas_streams, 1))
    for g in range(gas_streams):
        cons = [e["id"] for e in furnaces[g * per:(g + 1) * per]]
        add_stream(_GAS, f"ng{g + 1}", f"{_GAS[1]}{g + 1}", cons, _GAS[5] * (1 + rnd.random()))
    add_stream(_POWER, "power", _POWER[1], [s["id"] for s in subunits], _POWER[5])
    add_stream(_HEAT, "steam", _HEAT[1], [s["id"] for s in subunits[: max(1, n_su // 3)]], _HEAT[5])
    add_stream(_LIME, "lime", _LIME[1], [s["id"] for s in subunits[: max(1, n_su // 5)]], _LIME[5])
    add_stream(_DIESEL, "oil", _DIESEL[1], [e["id"] for e in boilers[:4]], _DIESEL[5])

    emission_points = [{"id": f"S{i:02d}", "name": f"{i}号烟囱", "subunit": su["id"]}
                       for i, su in enumerate(subunits, 1) if i > cems_stacks]
    for k in range(1, cems_stacks + 1):
        f = furnaces[k - 1]
        emission_points.insert(k - 1, {"id": f"K{k}", "name": f"{k}号窑尾烟囱", "equipment": f["id"]})
        streams.append({"id": f"calc{k}", "name": f"{k}号窑碳酸盐分解CO2（实测）", "kind": "process",
                        "method": "measurement", "emission_points": [f"K{k}"],
                        "emissions": f"{int(40_000 + 20_000 * rnd.random())} t",
                        "uncertainty": "4 %"})

    counter = {"n": 0}

    def instrument(type_: str, measures: str, at: str, accuracy: str, name: str) -> None:
        if rnd.random() > coverage:
            return
        counter["n"] += 1
        roll = rnd.random()
        if roll < 0.06:
            last = as_of - timedelta(days=500)  # overdue
        elif roll < 0.10:
            last = as_of - timedelta(days=350)  # due soon
        else:
            last = as_of - timedelta(days=rnd.randint(20, 300))
        acc = accuracy
        if rnd.random() < 0.06:
            acc = {"0.1": "0.2", "0.5": "1.0", "0.2S": "1.0", "0.5S": "2.0", "1.0": "2.5",
                   "1.5": "2.5", "2.5": "4.0"}.get(accuracy, accuracy)
        instruments.append({"id": f"M{counter['n']:04d}", "name": name, "type": type_,
                            "measures": measures, "at": at, "accuracy": acc,
                            "confirmation": "verification", "last_confirmed": last.isoformat(),
                            "status": "in_use"})

    sub_of = {e["id"]: e["subunit"] for e in equipment}
    for st, spec, cons in plan:
        (t1, a1), (t2, a2) = spec[6], spec[7]
        instrument(t1, st["id"], "boundary", a1, f"{st['name']}入厂计量")
        for su_id in sorted({sub_of.get(c, c) for c in cons}):
            eqs = [c for c in cons if sub_of.get(c) == su_id]
            if len(eqs) == 1:  # one consumer in the sub-unit: one point for both places
                instrument(t2, st["id"], eqs[0], a2, f"{st['name']}{eqs[0]}计量")
                continue
            instrument(t2, st["id"], su_id, a2, f"{st['name']}{su_id}计量")
            for eq_id in eqs:
                instrument(t2, st["id"], eq_id, a2, f"{st['name']}{eq_id}计量")
        if "parameters" in st:
            instrument("calorimeter", f"{st['id']}.ncv", "lab", "0.2", "量热仪")
            instrument("carbon_analyzer", f"{st['id']}.carbon_content", "lab", "0.5", "元素分析仪")
    for k in range(1, cems_stacks + 1):
        for q, ty in _CEMS:
            instrument(ty, f"K{k}.{q}", f"K{k}", "2.0", f"K{k} CEMS {q}")

    return {
        "format": "tanjiliang/unit@1",
        "unit": {"name": "示例综合能源化工有限公司（生成）", "sector": "power", "region": "河南省",
                 "year": year},
        "subunits": subunits,
        "equipment": equipment,
        "emission_points": emission_points,
        "source_streams": streams,
        "instruments": instruments,
    }


def synthetic_yaml(**kw: Any) -> str:
    return yaml.safe_dump(synthetic_data(**kw), allow_unicode=True, sort_keys=False, width=120)


def synthetic_plant(**kw: Any) -> UnitFile:
    """The generated plant, loaded through the ordinary unit-file loader."""
    return load_unit("synthetic-plant.yaml", synthetic_yaml(**kw))
