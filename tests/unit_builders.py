"""Builders for small unit files written in a test and loaded like a user's file."""


from __future__ import annotations

import copy
from datetime import date
from typing import Any

import yaml

from tanjiliang.assess.engine import assess
from tanjiliang.assess.result import Assessment
from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules.load import load_pack

AS_OF = date(2025, 12, 31)


def base_unit(**over: Any) -> dict[str, Any]:
    """A minimal key emission unit: one coal stream of 100 000 t into one boiler."""
    data: dict[str, Any] = {
        "format": "tanjiliang/unit@1",
        "unit": {"name": "测试单位", "sector": "other", "year": 2025},
        "subunits": [{"id": "U1", "name": "1号机组"}],
        "equipment": [{"id": "B1", "name": "1号锅炉", "subunit": "U1"}],
        "source_streams": [],
        "instruments": [],
        "management": {
            "procedures": [{"title": t, "kind": t} for t in (
                "metering_management", "instrument_management", "data_management", "personnel_training")],
            "personnel": [{"name": "张工", "role": "碳计量负责人"}],
            "records_retention_years": 5,
        },
    }
    data.update(copy.deepcopy(over))
    return data


def stream(sid: str, tco2: float, consumers: Any = None, **kw: Any) -> dict[str, Any]:
    """A stream whose emissions are exactly ``tco2`` t (activity in t × 1 t/t)."""
    s: dict[str, Any] = {"id": sid, "name": sid, "kind": "process", "material": "limestone",
                         "activity": f"{tco2} t", "parameters": {"emission_factor": "1 t/t"}}
    if consumers is not None:
        s["consumers"] = consumers
    s.update(kw)
    return s


def instrument(iid: str, measures: str, at: str, **kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"id": iid, "name": iid, "type": "truck_scale", "measures": measures, "at": at,
                         "accuracy": "0.1", "last_confirmed": "2025-06-01", "status": "in_use"}
    d.update(kw)
    return d


def load(data: dict[str, Any], name: str = "unit.yaml") -> UnitFile:
    return load_unit(name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def run(data: dict[str, Any], as_of: date = AS_OF, pack: str | None = None) -> Assessment:
    return assess(load(data), load_pack(pack), as_of)


