"""A generated province for scale tests and demonstrations (issue 6 §6, docs/review.md).

``generate_unit(seed, index, year)`` returns unit-file data (``tanjiliang/unit@1``) that
depends only on its arguments: the same seed gives the same province on any machine
(``random.Random`` seeded with a string hashes it with SHA-512). Units are spread over the
18 prefecture-level divisions of Henan and eight sectors; each has sub-units, equipment,
sector-typical source streams, a ledger of ``instruments`` instruments (the required ones at
every level plus sub-metering) and management data, with a deterministic share of defects
(missing instruments, overdue confirmations, poor accuracy, missing procedures) so that the
overview shows both conclusions. All values are synthetic: nothing here is data about a real
enterprise.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tanjiliang.model.uscc import uscc_check_digit
from tanjiliang.model.write import atomic_write

#: Henan's prefecture-level divisions with their administrative division code prefix
#: (GB/T 2260), used for the credit code's registration authority digits.
CITIES: tuple[tuple[str, str], ...] = (
    ("郑州市", "410100"), ("开封市", "410200"), ("洛阳市", "410300"), ("平顶山市", "410400"),
    ("安阳市", "410500"), ("鹤壁市", "410600"), ("新乡市", "410700"), ("焦作市", "410800"),
    ("濮阳市", "410900"), ("许昌市", "411000"), ("漯河市", "411100"), ("三门峡市", "411200"),
    ("南阳市", "411300"), ("商丘市", "411400"), ("信阳市", "411500"), ("周口市", "411600"),
    ("驻马店市", "411700"), ("济源市", "419001"),
)
#: Sector weights of the generated province (synthetic).
SECTORS: tuple[tuple[str, int, str], ...] = (
    ("power", 30, "热电"), ("cement", 16, "水泥"), ("steel", 10, "钢铁"),
    ("aluminium", 6, "铝业"), ("chemical", 14, "化工"), ("petrochemical", 4, "石化"),
    ("glass", 8, "玻璃"), ("paper", 12, "纸业"),
)
_NAMES = "豫华中原恒通宏达金源新兴东方天宇鑫盛瑞丰永安泰和嵩岳伏牛黄河淮源"

#: stream template: id, name, kind, material, medium family, share of the unit's emissions
_STREAMS: dict[str, list[tuple[str, str, str, str, str, float]]] = {
    "power": [("coal", "入炉烟煤", "combustion", "bituminous_coal", "solid", 0.93),
              ("oil", "点火柴油", "combustion", "diesel", "liquid", 0.004),
              ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.066)],
    "cement": [("coal", "燃煤", "combustion", "bituminous_coal", "solid", 0.35),
               ("lime", "石灰石", "process", "limestone", "process", 0.55),
               ("oil", "柴油", "combustion", "diesel", "liquid", 0.01),
               ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.09)],
    "steel": [("coke", "焦炭", "combustion", "coke", "solid", 0.55),
              ("coal", "喷吹煤", "combustion", "bituminous_coal", "solid", 0.2),
              ("ng", "天然气", "combustion", "natural_gas", "gas", 0.05),
              ("dolo", "白云石", "process", "dolomite", "process", 0.05),
              ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.15)],
    "aluminium": [("anode", "预焙阳极", "process", "carbon_anode", "process", 0.2),
                  ("ng", "天然气", "combustion", "natural_gas", "gas", 0.05),
                  ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.75)],
    "chemical": [("coal", "原料煤", "combustion", "bituminous_coal", "solid", 0.6),
                 ("ng", "天然气", "combustion", "natural_gas", "gas", 0.15),
                 ("steam", "外购蒸汽", "heat", "purchased_heat", "heat", 0.1),
                 ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.15)],
    "petrochemical": [("fo", "燃料油", "combustion", "fuel_oil", "liquid", 0.3),
                      ("ng", "天然气", "combustion", "natural_gas", "gas", 0.4),
                      ("power", "外购电力", "electricity", "grid_electricity", "electricity",
                       0.3)],
    "glass": [("ng", "天然气", "combustion", "natural_gas", "gas", 0.6),
              ("soda", "纯碱", "process", "soda_ash", "process", 0.1),
              ("dolo", "白云石", "process", "dolomite", "process", 0.05),
              ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.25)],
    "paper": [("coal", "燃煤", "combustion", "bituminous_coal", "solid", 0.55),
              ("ng", "天然气", "combustion", "natural_gas", "gas", 0.1),
              ("steam", "外购蒸汽", "heat", "purchased_heat", "heat", 0.1),
              ("power", "外购电力", "electricity", "grid_electricity", "electricity", 0.25)],
}
#: tCO2e per unit of activity (synthetic round values to size the activity; the assessment
#: computes the real emissions from the factor library)
_PER_UNIT = {"bituminous_coal": (1.9, "t"), "diesel": (3.1, "t"), "fuel_oil": (3.2, "t"),
             "coke": (2.9, "t"), "natural_gas": (21.6, "万Nm3"), "limestone": (0.44, "t"),
             "dolomite": (0.477, "t"), "soda_ash": (0.415, "t"), "carbon_anode": (3.58, "t"),
             "grid_electricity": (0.57, "MWh"), "purchased_heat": (0.11, "GJ")}
#: instrument type, accuracy, confirmation per medium family and level (1 boundary, 2, 3)
_TYPES = {
    "solid": (("rail_scale", "0.1"), ("belt_scale", "0.5"), ("belt_scale", "0.5")),
    "process": (("truck_scale", "0.1"), ("belt_scale", "0.5"), ("belt_scale", "0.5")),
    "liquid": (("oil_flow_meter", "0.5"), ("oil_flow_meter", "0.5"), ("oil_flow_meter", "0.5")),
    "gas": (("gas_flow_meter", "1.5"), ("gas_flow_meter", "2.0"), ("gas_flow_meter", "2.0")),
    "electricity": (("electricity_meter", "0.2S"), ("electricity_meter", "0.5S"),
                    ("electricity_meter", "0.5S")),
    "heat": (("heat_meter", "2.5"), ("heat_meter", "2.5"), ("heat_meter", "2.5")),
}
_INTERVAL = {"electricity_meter": 72, "gas_flow_meter": 24, "heat_meter": 24}


@dataclass(frozen=True)
class UnitKey:
    index: int
    credit_code: str
    name: str
    city: str
    sector: str


def _pick_sector(rng: random.Random) -> tuple[str, str]:
    total = sum(w for _, w, _ in SECTORS)
    x = rng.uniform(0, total)
    for sector, w, word in SECTORS:
        x -= w
        if x <= 0:
            return sector, word
    return SECTORS[-1][0], SECTORS[-1][2]


def _credit_code(rng: random.Random, division: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + division + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc_check_digit(body)


def unit_key(seed: int, index: int) -> UnitKey:
    """Identity of generated unit ``index`` (the same in every year)."""
    rng = random.Random(f"tanjiliang-province:{seed}:{index}")
    city, division = rng.choice(CITIES)
    sector, word = _pick_sector(rng)
    a, b = rng.sample(_NAMES, 2)
    name = f"{city[:-1]}{a}{b}{word}有限公司（第{index + 1:04d}号）"
    return UnitKey(index, _credit_code(rng, division), name, city, sector)


def _date(as_of: date, rng: random.Random, months_back: tuple[float, float]) -> str:
    days = int(rng.uniform(*months_back) * 30.44)
    return (as_of - timedelta(days=days)).isoformat()


def generate_unit(seed: int, index: int, year: int, instruments: int = 500) -> dict[str, Any]:
    """Unit-file data of unit ``index`` for ``year`` (deterministic)."""
    key = unit_key(seed, index)
    shape = random.Random(f"tanjiliang-province:{seed}:{index}:shape")
    rng = random.Random(f"tanjiliang-province:{seed}:{index}:{year}")
    as_of = date(year, 12, 31)
    # ~8 % below the 26 000 t threshold (voluntary), the rest log-uniform to 5 Mt
    base = (shape.uniform(8_000, 26_000) if shape.random() < 0.08
            else 10 ** shape.uniform(4.42, 6.7))
    total = base * (1 + 0.04 * (year - 2025)) * rng.uniform(0.95, 1.05)
    n_sub = shape.randint(3, 8)
    subunits = [{"id": f"L{i + 1}", "name": f"{i + 1}号生产线"} for i in range(n_sub)]
    equipment = []
    for s in subunits:
        for j in range(shape.randint(2, 5)):
            equipment.append({"id": f"{s['id']}E{j + 1}", "name": f"{s['name']}{j + 1}号设施",
                              "subunit": s["id"]})
    eq_ids = [e["id"] for e in equipment]
    # quality improves over the years (the trend the regulator looks for)
    quality = shape.random() + 0.08 * (year - 2023)
    streams, ledger = [], []
    counter = 0

    # defects by unit: quality < 0.45 → some overdue confirmations; < 0.2 → some without any;
    # < 0.3 → some instruments of a poorer class; < 0.15 / 0.25 → missing instruments (EQ-RATE)
    p_overdue = 0.01 if quality < 0.45 else 0.0
    p_none = 0.004 if quality < 0.2 else 0.0
    p_class = 0.01 if quality < 0.3 else 0.0

    def add(inst_type: str, accuracy: str, measures: str, at: str, level_name: str,
            filler: bool = False) -> None:
        nonlocal counter
        counter += 1
        interval = _INTERVAL.get(inst_type, 12)
        roll = rng.random()
        entry: dict[str, Any] = {
            "id": f"M{counter:04d}", "name": f"{level_name}{measures}计量{counter}",
            "type": inst_type, "measures": measures, "at": at, "accuracy": accuracy,
            "confirmation": "verification" if inst_type.endswith("scale")
            or inst_type == "electricity_meter" else "calibration",
            "serial": f"{key.credit_code[-6:]}-{counter:04d}", "status": "in_use",
        }
        if roll < p_none:
            pass  # no confirmation on record (CAL-NONE)
        elif roll < p_none + p_overdue:
            entry["last_confirmed"] = _date(as_of, rng, (interval + 1, interval + 14))
        else:
            entry["last_confirmed"] = _date(as_of, rng, (0.2, interval - 0.5))
        if rng.random() < p_class:
            entry["accuracy"] = {"0.1": "0.5", "0.5": "1.0", "0.2S": "1.0", "0.5S": "2.0",
                                 "1.0": "2.0"}.get(accuracy, accuracy)
        if filler and rng.random() < 0.01:
            entry["status"] = "standby"
        ledger.append(entry)

    for sid, name, kind, material, family, share in _STREAMS[key.sector]:
        per, amount_unit = _PER_UNIT[material]
        amount = max(total * share / per, 1.0)
        consumers = shape.sample(eq_ids, k=min(len(eq_ids), shape.randint(1, 4)))
        stream: dict[str, Any] = {"id": sid, "name": name, "kind": kind, "material": material,
                                  "activity": f"{amount:.1f} {amount_unit}",
                                  "consumers": consumers}
        if material == "bituminous_coal":
            stream["parameters"] = {"ncv": f"{rng.uniform(19.5, 23.5):.2f} GJ/t",
                                    "carbon_content": {
                                        "value": f"{rng.uniform(0.0255, 0.0275):.5f} tC/GJ",
                                        "source": "measured"}}
            add("calorimeter", "0.1", f"{sid}.ncv", "lab", "化验室")
            add("carbon_analyzer", "0.5", f"{sid}.carbon_content", "lab", "化验室")
        streams.append(stream)
        types = _TYPES[family]
        # a deterministic share of units lacks a required instrument (EQ-RATE)
        skip_boundary = quality < 0.12 and sid == streams[0]["id"]
        if not skip_boundary:
            add(*types[0], sid, "boundary", "进厂")
        for eq in consumers:
            sub = eq.split("E")[0]
            if quality < 0.25 and rng.random() < 0.5:
                continue
            add(*types[1], sid, sub, "车间")
            add(*types[2], sid, eq, "设施")
    power = next((s["id"] for s in streams if s["kind"] == "electricity"), None)
    places = [s["id"] for s in subunits] + eq_ids
    while len(ledger) < instruments and power is not None:
        at = rng.choice(places)
        add("electricity_meter", "0.5S", power, at, "分项", filler=True)
    procedures = [
        {"title": "碳计量管理制度", "kind": "metering_management", "issued": f"{year - 1}-01-15"},
        {"title": "碳计量器具管理办法", "kind": "instrument_management",
         "issued": f"{year - 1}-01-15"},
        {"title": "碳计量数据管理制度", "kind": "data_management", "issued": f"{year - 1}-02-01"},
        {"title": "计量人员培训制度", "kind": "personnel_training", "issued": f"{year - 1}-02-01"},
    ]
    if quality < 0.3:
        procedures.pop(rng.randrange(len(procedures)))
    unit: dict[str, Any] = {
        "format": "tanjiliang/unit@1",
        "unit": {"name": key.name, "credit_code": key.credit_code, "sector": key.sector,
                 "region": f"河南省{key.city}", "year": year},
        "pack": "henan-2025-draft",
        "subunits": subunits, "equipment": equipment, "source_streams": streams,
        "instruments": ledger[:instruments],
    }
    if quality > 0.05:
        unit["management"] = {
            "procedures": procedures,
            "personnel": [{"name": f"{rng.choice('王李张刘陈杨赵黄周吴')}工", "role": "碳计量负责人",
                           "trained": f"{year}-04-20"}],
            "records_retention_years": 5 if quality > 0.15 else 3,
        }
    return unit


# ------------------------------------------------------------------------------- files

MANIFEST = "province.json"


def unit_path(root: Path, year: int, code: str) -> Path:
    return root / "units" / str(year) / f"{code}.json.gz"


def write_province(root: Path, seed: int = 2025, units: int = 2000, instruments: int = 500,
                   years: tuple[int, ...] = (2023, 2024, 2025)) -> dict[str, Any]:
    """Write the province under ``root``: one gzipped JSON unit file per unit and year, and a
    manifest (seed, sizes, the unit list) that ``reassess`` reads."""
    root.mkdir(parents=True, exist_ok=True)
    keys = [unit_key(seed, i) for i in range(units)]
    for year in years:
        folder = root / "units" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for k in keys:
            data = generate_unit(seed, k.index, year, instruments)
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            atomic_write(unit_path(root, year, k.credit_code),
                         gzip.compress(text.encode("utf-8"), compresslevel=1, mtime=0))
    manifest = {"format": "tanjiliang/province@1", "seed": seed, "units": units,
                "instruments": instruments, "years": list(years),
                "unit_list": [{"index": k.index, "credit_code": k.credit_code, "name": k.name,
                               "city": k.city, "sector": k.sector} for k in keys]}
    atomic_write(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def iter_unit_files(root: Path, years: list[int] | None = None) -> Iterator[tuple[int, Path]]:
    m = read_manifest(root)
    for year in years or m["years"]:
        for u in m["unit_list"]:
            yield year, unit_path(root, year, u["credit_code"])
