"""A realistic large unit file: load and check time against a plain-pydantic baseline (issue 16).

Issue 16 (1): "A realistic 10 000-instrument unit file (full ledger fields, three confirmation
records each) loads and checks in under 1 s." This script writes such a file — an integrated
steel works with its own gas-fired power station and lime kilns, 14 sub-units, ~250 pieces of
equipment, 24 stacks, 14 source streams (by-product gases, natural gas, coal, diesel, fluxes,
electrodes, purchased electricity and steam, crude steel out, one CEMS stream) and a ledger in
which every instrument has every field of shared/spec/unit-file.md that applies to it (name,
maker, model, serial, range, accuracy of several kinds, location, what it measures, the
weighing fields of a non-automatic scale, interval, certificate, body, notes) and three
confirmation records (date, kind, result, as-found and as-left error, certificate, body,
reference standards, next due) — as YAML and JSON through the project's own writers
(``dump_yaml``/``dump_json``, what the web app exports), and prints, median of ``--runs``:

* load (``load_unit``), check (``tanjiliang.check`` of the loaded unit) and total
  (``tanjiliang.check(path)``) for each format, warm (pack and factor library already read);
* the same against a baseline an analyst would write without the project's extras (names
  read as codes, every problem at once with file/line/field, the YAML fast path):
  ``yaml.load(CSafeLoader)`` / ``json.loads`` + ``UnitFile.model_validate``, and pydantic's
  ``UnitFile.model_validate_json`` on the raw bytes;
* a fresh ``tanjiliang check FILE --format json`` process (wall time, imports included).

``--against REV`` compares instead the code of git revision ``REV`` with the working tree's (or
``--new REV2``'s) on the same files: ``--rounds`` alternating child processes each (old, new,
old, new…, so that both see the same load on a shared machine), each timing warm
``load_unit``, ``check(unit)`` and ``check(path)`` ``--runs`` times; it prints the medians over
all runs, CPU seconds, and says whether both give the same assessment.

Run: .venv/bin/python benchmarks/unitfile.py [--instruments 10000] [--runs 5] [--keep DIR]
     .venv/bin/python benchmarks/unitfile.py --keep /tmp/uf --against HEAD~3 [--new HEAD] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

AS_OF = date(2025, 12, 31)

SUBUNITS = [
    ("SINTER", "烧结工序"), ("PELLET", "球团工序"), ("BF", "炼铁工序"), ("BOF", "转炉炼钢工序"),
    ("EAF", "电炉炼钢工序"), ("CC", "连铸工序"), ("HSM", "热轧工序"), ("CRM", "冷轧工序"),
    ("LIME", "石灰窑工序"), ("POWER", "自备电厂（煤气发电）"), ("OXY", "制氧站"),
    ("WATER", "水处理中心"), ("GAS", "煤气柜与加压站"), ("AUX", "辅助生产系统"),
]
# (sub-unit, kind, name, how many, capacity)
EQUIPMENT = [
    ("SINTER", "sinter_strand", "烧结机", 3, "360 m**2"), ("SINTER", "ignition_furnace", "点火炉", 3, None),
    ("SINTER", "fan", "主抽风机", 6, "18000 kW"), ("PELLET", "rotary_kiln", "链篦机回转窑", 2, "2400000 t/a"),
    ("BF", "hot_stove", "热风炉", 12, None), ("BF", "blast_furnace", "高炉", 3, "2800 m**3"),
    ("BF", "pci_mill", "喷煤磨机", 6, "45 t/h"), ("BOF", "converter", "转炉", 3, "120 t"),
    ("BOF", "ladle_furnace", "LF精炼炉", 3, "120 t"), ("BOF", "ladle_heater", "钢包烘烤器", 12, None),
    ("EAF", "electric_arc_furnace", "电弧炉", 1, "100 t"), ("CC", "caster", "连铸机", 4, "2.2 Mt/a"),
    ("CC", "tundish_heater", "中间包烘烤器", 8, None), ("HSM", "reheating_furnace", "加热炉", 4, "300 t/h"),
    ("HSM", "mill_stand", "轧机主传动", 10, "9000 kW"), ("CRM", "annealing_furnace", "连续退火炉", 3, "120 t/h"),
    ("CRM", "galvanizing_line", "镀锌线", 2, "400000 t/a"), ("LIME", "lime_kiln", "石灰窑", 4, "600 t/d"),
    ("POWER", "boiler", "煤气锅炉", 4, "220 t/h"), ("POWER", "turbine", "汽轮发电机组", 4, "60 MW"),
    ("POWER", "coal_boiler", "燃煤锅炉", 2, "410 t/h"), ("OXY", "air_separation", "制氧机", 4, "30000 Nm3/h"),
    ("OXY", "compressor", "空压机", 12, "6300 kW"), ("WATER", "pump", "循环水泵", 40, "800 kW"),
    ("GAS", "gas_holder", "煤气柜", 3, "150000 m**3"), ("GAS", "booster", "煤气加压机", 9, "1600 kW"),
    ("AUX", "workshop", "机修车间", 6, None), ("AUX", "office", "办公及生活区", 4, None),
    ("AUX", "crane", "原料场堆取料机", 40, "1500 t/h"), ("AUX", "conveyor", "原料输送系统", 30, "2000 t/h"),
]
# Equipment kinds that burn each fuel.
BURNERS = {
    "bfg": ("hot_stove", "boiler", "reheating_furnace", "ignition_furnace"),
    "ldg": ("boiler", "reheating_furnace", "ladle_heater"),
    "cog": ("ignition_furnace", "reheating_furnace", "annealing_furnace", "galvanizing_line", "tundish_heater", "rotary_kiln"),
    "ng": ("annealing_furnace", "galvanizing_line", "ladle_heater", "tundish_heater", "lime_kiln"),
    "coal": ("coal_boiler", "pci_mill"),
    "breeze": ("sinter_strand",),
    "diesel": ("crane",),
    "limestone": ("sinter_strand", "converter", "lime_kiln"),
    "dolomite": ("sinter_strand", "converter"),
    "electrode": ("ladle_furnace", "electric_arc_furnace"),
    "steam": ("galvanizing_line", "annealing_furnace", "workshop", "office"),
}
STREAMS = [
    ("bfg", "高炉煤气", "combustion", "blast_furnace_gas", "640000 万Nm3"),
    ("ldg", "转炉煤气", "combustion", "converter_gas", "36000 万Nm3"),
    ("cog", "外购焦炉煤气", "combustion", "coke_oven_gas", "12000 万Nm3"),
    ("ng", "天然气", "combustion", "natural_gas", "5200 万Nm3"),
    ("coal", "入炉烟煤", "combustion", "bituminous_coal", "820000 t"),
    ("breeze", "烧结用焦粉", "combustion", "coke", "275000 t"),
    ("diesel", "厂内运输柴油", "combustion", "diesel", "1850 t"),
    ("limestone", "石灰石", "process", "limestone", "380000 t"),
    ("dolomite", "白云石", "process", "dolomite", "160000 t"),
    ("electrode", "石墨电极", "process", "electrode", "2400 t"),
    ("grid", "外购电力", "electricity", "grid_electricity", "1650000 MWh"),
    ("steam", "外购蒸汽", "heat", "purchased_heat", "1200000 GJ"),
]
MAKERS = {
    "electricity_meter": [("威胜集团有限公司", "DTZ341"), ("宁波三星医疗电气股份有限公司", "DTZY188"),
                          ("深圳市科陆电子科技股份有限公司", "DTSD720"), ("许继电气股份有限公司", "DSZ331"),
                          ("江苏林洋能源股份有限公司", "DTZ71")],
    "gas_flow_meter": [("重庆川仪自动化股份有限公司", "V锥 DN1600"), ("西克麦哈克（北京）仪器有限公司", "FLOWSIC600"),
                       ("艾默生过程控制有限公司", "Daniel 3410"), ("上海一诺仪表有限公司", "热式 DN800"),
                       ("开封仪表有限公司", "涡街 LUGB-DN300")],
    "steam_flow_meter": [("横河电机（中国）有限公司", "DY150"), ("开封仪表有限公司", "涡街 LUGB-DN150"),
                         ("天津市自动化仪表厂", "孔板 DN200")],
    "oil_flow_meter": [("艾默生过程控制有限公司", "CMF100"), ("浙江迪元仪表有限公司", "LC-40")],
    "belt_scale": [("赛摩智能科技集团股份有限公司", "ICS-14"), ("梅特勒-托利多（常州）称重设备系统有限公司", "MT-BS20"),
                   ("南京三埃工控有限公司", "ICS-SE")],
    "truck_scale": [("梅特勒-托利多（常州）称重设备系统有限公司", "SCS-100"), ("上海耀华称重系统有限公司", "XK3190-SCS150")],
    "rail_scale": [("中国铁道科学研究院集团有限公司", "GCU-100"), ("济南金钟电子衡器股份有限公司", "GCS-150")],
    "platform_scale": [("上海耀华称重系统有限公司", "YCS-250"), ("梅特勒-托利多（常州）称重设备系统有限公司", "PFA-3000")],
    "calorimeter": [("长沙开元仪器有限公司", "5E-C5508"), ("鹤壁市天冠仪器仪表有限公司", "ZDHW-9000")],
    "carbon_analyzer": [("长沙开元仪器有限公司", "5E-CHN2200"), ("力可（LECO）公司", "CS-844")],
    "gas_chromatograph": [("安捷伦科技有限公司", "8890 GC"), ("上海华爱色谱分析技术有限公司", "GC-9560")],
    "cems_co2_analyzer": [("聚光科技（杭州）股份有限公司", "CEMS-2000B"), ("西克麦哈克（北京）仪器有限公司", "GMS810")],
    "cems_flow_monitor": [("聚光科技（杭州）股份有限公司", "FM-100"), ("西克麦哈克（北京）仪器有限公司", "FLOWSIC100")],
    "temperature_transmitter": [("重庆川仪自动化股份有限公司", "PDS-T"), ("横河电机（中国）有限公司", "YTA110")],
    "pressure_transmitter": [("重庆川仪自动化股份有限公司", "PDS423"), ("横河电机（中国）有限公司", "EJA530E")],
    "moisture_analyzer": [("聚光科技（杭州）股份有限公司", "HM-3000"), ("维萨拉（北京）测量技术有限公司", "DMT346")],
}
BODIES = ["河南省计量测试科学研究院", "安阳市计量检定测试所", "国网河南省电力公司计量中心", "中国测试技术研究院",
          "河南省计量科学研究院", "华北国家计量测试中心", "鹤壁市质量技术监督检验测试中心"]
CERT_PREFIX = {"河南省计量测试科学研究院": "豫计检字", "安阳市计量检定测试所": "安计检", "国网河南省电力公司计量中心": "国网豫计",
               "中国测试技术研究院": "测试院校字", "河南省计量科学研究院": "豫计科校", "华北国家计量测试中心": "华北计测",
               "鹤壁市质量技术监督检验测试中心": "鹤质检"}
STANDARDS = {
    "electricity_meter": "三相电能表标准装置 0.05级（JJG 596-2012）",
    "gas_flow_meter": "音速喷嘴法气体流量标准装置 0.25级（JJG 620）",
    "steam_flow_meter": "水流量标准装置 0.1级（JJG 1029）",
    "oil_flow_meter": "体积管流量标准装置 0.05级（JJG 209）",
    "belt_scale": "链码 0.1级（JJG 195-2019 实物校验）",
    "truck_scale": "M1等级砝码 20 t（JJG 539-2016）",
    "rail_scale": "检衡车 T6 100 t（JJG 781-2019）",
    "platform_scale": "M1等级砝码 5 t（JJG 539-2016）",
    "calorimeter": "苯甲酸热值标准物质 GBW(E)130035",
    "carbon_analyzer": "煤标准物质 GBW11104",
    "gas_chromatograph": "天然气组分标准气体 GBW(E)062166",
    "cems_co2_analyzer": "二氧化碳标准气体 GBW08120（HJ 75-2017）",
    "cems_flow_monitor": "皮托管 S型 0.5级（HJ 75-2017）",
    "temperature_transmitter": "二等标准铂电阻温度计（JJF 1183）",
    "pressure_transmitter": "0.05级数字压力计（JJG 882）",
    "moisture_analyzer": "湿度发生器 0.5 %RH（JJF 1076）",
}
#: (type, accuracy choices, confirmation, interval, range)
TYPES: dict[str, tuple[list[str], str, str, str]] = {
    "electricity_meter": (["0.2S", "0.5S", "0.5S", "1", "2"], "verification", "72 months", "3×1.5(6) A 3×57.7/100 V"),
    "gas_flow_meter": (["1.0", "1.5", "1.5", "±1.0 %", "2.0"], "calibration", "24 months", "0-120000 Nm3/h"),
    "steam_flow_meter": (["1.5", "2.0", "2.5"], "calibration", "24 months", "0-80 t/h"),
    "oil_flow_meter": (["0.2", "0.5"], "verification", "12 months", "0-40 t/h"),
    "belt_scale": (["0.5", "0.5", "1"], "calibration", "1 年", "0-2000 t/h"),
    "truck_scale": (["III", "±0.1 %"], "verification", "12 months", "0-150 t"),
    "rail_scale": (["0.2", "III"], "verification", "12 months", "0-100 t"),
    "platform_scale": (["III"], "verification", "12 months", "0-3 t"),
    "calorimeter": (["±0.2 %"], "calibration", "12 months", "10-35 MJ/kg"),
    "carbon_analyzer": (["±0.5 %"], "calibration", "12 months", "0.02-100 %"),
    "gas_chromatograph": (["±1 %"], "calibration", "24 months", "C1-C6, H2, CO, CO2"),
    "cems_co2_analyzer": (["±2 %"], "calibration", "12 months", "0-25 %"),
    "cems_flow_monitor": (["±5 %"], "calibration", "12 months", "0-40 m/s"),
    "temperature_transmitter": (["0.5"], "calibration", "12 months", "0-300 °C"),
    "pressure_transmitter": (["0.5"], "calibration", "12 months", "-5-5 kPa"),
    "moisture_analyzer": (["±2 %"], "calibration", "12 months", "0-40 %"),
}
NAME = {"electricity_meter": "电能表", "gas_flow_meter": "流量计", "steam_flow_meter": "蒸汽流量计",
        "oil_flow_meter": "柴油质量流量计", "belt_scale": "电子皮带秤", "truck_scale": "汽车衡", "rail_scale": "轨道衡",
        "platform_scale": "台秤", "calorimeter": "量热仪", "carbon_analyzer": "元素分析仪",
        "gas_chromatograph": "在线气相色谱仪", "cems_co2_analyzer": "CEMS二氧化碳分析仪",
        "cems_flow_monitor": "CEMS烟气流量监测仪", "temperature_transmitter": "烟气温度变送器",
        "pressure_transmitter": "烟气压力变送器", "moisture_analyzer": "烟气湿度仪"}
LETTER = {"electricity_meter": "E", "gas_flow_meter": "G", "steam_flow_meter": "H", "oil_flow_meter": "O",
          "belt_scale": "W", "truck_scale": "W", "rail_scale": "W", "platform_scale": "W", "calorimeter": "L",
          "carbon_analyzer": "L", "gas_chromatograph": "L", "cems_co2_analyzer": "C", "cems_flow_monitor": "C",
          "temperature_transmitter": "T", "pressure_transmitter": "P", "moisture_analyzer": "C"}
GAS_NAME = {"bfg": "高炉煤气", "ldg": "转炉煤气", "cog": "焦炉煤气", "ng": "天然气"}
SOLID_NAME = {"coal": "入炉煤", "breeze": "焦粉", "limestone": "石灰石", "dolomite": "白云石", "electrode": "电极"}


def _equipment() -> list[dict[str, Any]]:
    out = []
    for sub, kind, name, n, cap in EQUIPMENT:
        words = kind.split("_")
        code = "".join(w[0] for w in words).upper() if len(words) > 1 else kind[:2].upper()
        for k in range(1, n + 1):
            e: dict[str, Any] = {"id": f"{sub}-{code}{k:02d}", "name": f"{k}号{name}", "subunit": sub,
                                 "kind": kind}
            if cap:
                e["capacity"] = cap
            out.append(e)
    return out


def realistic_unit(n_instruments: int = 10_000, seed: int = 16) -> dict[str, Any]:
    """The unit file's data (see the module docstring); deterministic for a seed."""
    rnd = random.Random(seed)
    equipment = _equipment()
    by_kind: dict[str, list[str]] = {}
    for e in equipment:
        by_kind.setdefault(e["kind"], []).append(e["id"])
    stacks = [e for e in equipment if e["kind"] in ("sinter_strand", "hot_stove", "boiler", "coal_boiler",
                                                     "lime_kiln", "reheating_furnace")][:24]
    points = [{"id": f"S{i + 1:02d}", "name": f"{e['name']}排气筒", "equipment": e["id"]} for i, e in enumerate(stacks)]
    kiln_points = [p["id"] for p, e in zip(points, stacks, strict=True) if e["kind"] == "lime_kiln"]
    streams: list[dict[str, Any]] = []
    for sid, name, kind, material, activity in STREAMS:
        users = [x for k in BURNERS.get(sid, ()) for x in by_kind[k]]
        s: dict[str, Any] = {"id": sid, "name": name, "kind": kind, "material": material, "activity": activity}
        if sid == "coal":
            s["parameters"] = {"ncv": "21.86 GJ/t", "carbon_content": {"value": "0.02658 tC/GJ", "source": "measured"},
                               "oxidation_rate": {"value": 0.98, "source": "default"}}
        if sid == "bfg":
            s["parameters"] = {"ncv": {"value": "32.6 GJ/万Nm3", "source": "measured"}}
        if sid == "grid":
            s["consumers"] = {u: w for u, w in zip([x[0] for x in SUBUNITS], _shares(len(SUBUNITS), rnd), strict=True)}
        elif users:
            s["consumers"] = users
        streams.append(s)
    streams.append({"id": "crude_steel", "name": "粗钢（固碳产品）", "kind": "product", "material": "crude_steel",
                    "direction": "out", "activity": "4050000 t", "consumers": by_kind["converter"]})
    streams.append({"id": "kiln_co2", "name": "石灰窑烟气CO2（实测）", "kind": "process", "method": "measurement",
                    "emission_points": kiln_points, "emissions": "310000 t", "uncertainty": "2.5 %"})
    places = {"combustion": equipment, "all": [s[0] for s in SUBUNITS]}
    instruments = _instruments(n_instruments, rnd, streams, by_kind, points, places)
    return {
        "format": "tanjiliang/unit@1",
        "unit": {"name": "豫北联合钢铁集团有限公司", "credit_code": "91410500706118297F", "sector": "steel",
                 "region": "河南省安阳市", "year": 2025},
        "pack": "henan-2025-draft",
        "subunits": [{"id": i, "name": n} for i, n in SUBUNITS],
        "equipment": equipment,
        "emission_points": points,
        "source_streams": streams,
        "instruments": instruments,
        "management": {
            "procedures": [
                {"title": "能源与碳排放计量管理制度", "kind": "metering_management", "issued": "2023-12-20", "number": "YB-NY-001"},
                {"title": "计量器具管理办法", "kind": "instrument_management", "issued": "2023-12-20", "number": "YB-NY-002"},
                {"title": "能源及碳排放数据采集与管理办法", "kind": "data_management", "issued": "2023-12-20", "number": "YB-NY-003"},
                {"title": "计量人员培训管理办法", "kind": "personnel_training", "issued": "2024-03-01", "number": "YB-NY-004"}],
            "personnel": [{"name": "陈志刚", "role": "碳计量负责人（能源管控中心主任）", "trained": "2025-05-16",
                           "certificate": "豫碳培2025-0311"}]
            + [{"name": f"计量员{k:02d}", "role": rnd.choice(["电能计量工程师", "煤气计量工程师", "衡器管理员", "化验室主任", "CEMS运维工程师"]),
                "trained": f"2025-0{rnd.randint(1, 9)}-{rnd.randint(10, 28)}"} for k in range(1, 31)],
            "records_retention_years": 5,
        },
    }


def _shares(n: int, rnd: random.Random) -> list[float]:
    raw = [rnd.randint(2, 20) for _ in range(n)]
    shares = [round(r / sum(raw), 4) for r in raw]
    shares[-1] = round(1 - sum(shares[:-1]), 4)
    return shares


def _instruments(n: int, rnd: random.Random, streams: list[dict[str, Any]], by_kind: dict[str, list[str]],
                 points: list[dict[str, Any]], places: dict[str, Any]) -> list[dict[str, Any]]:
    consumers = {s["id"]: list(s.get("consumers") or ()) for s in streams}
    # The CEMS and laboratory rows first (a fixed set), then the metering points' instruments.
    rows: list[tuple[str, Any, str]] = []
    for p in points:
        for typ, q in (("cems_co2_analyzer", "co2"), ("cems_flow_monitor", "flow"), ("temperature_transmitter", "temperature"),
                       ("pressure_transmitter", "pressure"), ("moisture_analyzer", "moisture")):
            rows.append((typ, f"{p['id']}.{q}", p["id"]))
    for k in range(6):
        rows.append(("calorimeter", "coal.ncv", "lab"))
        rows.append(("carbon_analyzer", "coal.carbon_content", "lab"))
        rows.append(("gas_chromatograph", ["bfg.ncv", "ldg.ncv", "cog.ncv"][k % 3], "lab"))
    rows.append(("gas_chromatograph", ["bfg.ncv", "bfg.carbon_content"], "lab"))
    mix = [("electricity_meter", "grid", 52), ("gas_flow_meter", "bfg", 6), ("gas_flow_meter", "ldg", 3),
           ("gas_flow_meter", "cog", 3), ("gas_flow_meter", "ng", 5), ("steam_flow_meter", "steam", 6),
           ("oil_flow_meter", "diesel", 3), ("belt_scale", "coal", 4), ("belt_scale", "breeze", 2),
           ("belt_scale", "limestone", 3), ("belt_scale", "dolomite", 2), ("truck_scale", "limestone", 2),
           ("truck_scale", "dolomite", 1), ("rail_scale", "coal", 1), ("platform_scale", "electrode", 1),
           ("platform_scale", "crude_steel", 1), ("electricity_meter", "grid", 5)]
    weights = [w for *_, w in mix]
    while len(rows) < n:
        typ, sid, _ = rnd.choices(mix, weights)[0]
        where = consumers.get(sid) or ["boundary"]
        if sid == "grid":  # sub-meters in every sub-unit and on most equipment
            where = places["all"] + [e["id"] for e in places["combustion"]]
        at = "boundary" if rnd.random() < 0.03 else rnd.choice(where)
        rows.append((typ, sid, at))
    out = []
    seq: dict[str, int] = {}
    for typ, measures, at in rows[:n]:
        letter = LETTER[typ]
        seq[letter] = seq.get(letter, 0) + 1
        out.append(_instrument(f"{letter}-{seq[letter]:05d}", typ, measures, at, rnd))
    return out


def _instrument(iid: str, typ: str, measures: Any, at: str, rnd: random.Random) -> dict[str, Any]:
    accuracies, confirmation, interval, rng = TYPES[typ]
    maker, model = rnd.choice(MAKERS[typ])
    accuracy = rnd.choice(accuracies)
    what = measures if isinstance(measures, str) else measures[0]
    stream = what.partition(".")[0]
    where = "厂界" if at == "boundary" else ("化验室" if at == "lab" else at)
    name = f"{where}{GAS_NAME.get(stream, SOLID_NAME.get(stream, ''))}{NAME[typ]}"
    months = 72 if typ == "electricity_meter" else 24 if interval.startswith("24") else 12
    # three records, a confirmation interval apart, the last in 2025 (a few early in 2026:
    # after the assessment date, left out of the assessment)
    last = date(2025, 1, 1) + timedelta(days=rnd.randint(0, 364 + (20 if rnd.random() < 0.01 else 0)))
    if months > 24:
        last = date(rnd.randint(2020, 2025), rnd.randint(1, 12), rnd.randint(1, 28))
    step = timedelta(days=round(months * 30.44))
    body = "国网河南省电力公司计量中心" if typ == "electricity_meter" else rnd.choice(BODIES)
    records = []
    for k in (2, 1, 0):
        d = last - k * step
        result = "pass" if rnd.random() > 0.02 else rnd.choice(["limited", "fail"])
        err = rnd.uniform(-0.8, 0.8) * (float(accuracy.strip("±% S")) if accuracy[0].isdigit() or accuracy[0] == "±" else 0.5)
        records.append({
            "date": d.isoformat(), "kind": confirmation, "result": result,
            "as_found": f"{err:+.2f} %", "as_left": f"{err / 3:+.2f} %",
            "certificate": f"{CERT_PREFIX[body]}{d.year}-{rnd.randint(1, 39999):05d}", "body": body,
            "standards": [STANDARDS[typ]], "next_due": (d + step).isoformat()})
    ins: dict[str, Any] = {
        "id": iid, "name": name, "type": typ, "measures": measures, "at": at, "accuracy": accuracy,
        "range": rng, "model": model, "manufacturer": maker,
        "serial": f"{model.split()[0][:6].upper()}-{last.year - rnd.randint(1, 8)}-{rnd.randint(1, 99999):05d}",
        "confirmation": confirmation, "interval": interval, "last_confirmed": records[-1]["date"],
        "certificate": records[-1]["certificate"], "confirmed_by": body,
        "status": "in_use" if rnd.random() > 0.07 else rnd.choice(["standby", "standby", "out_of_service"]),
        "confirmations": records,
    }
    if typ in ("truck_scale", "rail_scale", "platform_scale") and accuracy == "III":
        cap = {"truck_scale": (150, "50 kg", 45), "rail_scale": (100, "50 kg", 70), "platform_scale": (3, "1 kg", 1.5)}[typ]
        ins["max_capacity"], ins["verification_interval"], ins["usual_load"] = f"{cap[0]} t", cap[1], f"{cap[2]} t"
        ins["notes"] = f"检定证书注明“Ⅲ级（中准确度级），e = {cap[1]}，Max = {cap[0]} t”"
    elif rnd.random() < 0.1:
        ins["notes"] = rnd.choice(["2024年大修后重新安装", "DCS远传，月度与手抄值核对", "贸易结算表计，双方共同封印",
                                   "备用表计，主表检定期间投用", "更换传感器后校准"])
    return ins


# --------------------------------------------------------------------------- measuring

Timing = tuple[float, float]  # median wall seconds, median CPU seconds


def _median(fn: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """Median wall and CPU time of ``runs`` calls, and the last result (the machine is shared:
    wall time includes waiting for a core, CPU time does not)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return (statistics.median(walls), statistics.median(cpus)), result


def _summary(a: Any) -> str:
    """What must not change between the ways of loading: the assessment's JSON."""
    return json.dumps(a.to_json("en"), sort_keys=True, ensure_ascii=False, default=str)


def measure(files: dict[str, Path], runs: int) -> list[tuple[str, str, Timing, Timing, Timing]]:
    """Per format: the project's load, check and total, then the baselines' (load + the same
    check). Warns when any way of loading gives another assessment."""
    import yaml

    import tanjiliang
    from tanjiliang.model.load import load_unit
    from tanjiliang.model.unit import UnitFile
    from tanjiliang.rules import bundled_library, load_pack

    pack = load_pack("henan-2025-draft")
    bundled_library()
    rows = []
    answers = set()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for fmt, path in files.items():
        raw = path.read_bytes()
        t_load, unit = _median(lambda p=path: load_unit(p), runs)
        t_check, a = _median(lambda u=unit: tanjiliang.check(u, pack, AS_OF), runs)
        t_total, _ = _median(lambda p=path: tanjiliang.check(p, pack, AS_OF), runs)
        answers.add(_summary(a))
        rows.append((fmt, "tanjiliang: load_unit, check(unit), check(path)", t_load, t_check, t_total))
        if fmt == "yaml":
            base = [("baseline: yaml.load(CSafeLoader) + model_validate",
                     lambda r=raw: UnitFile.model_validate(yaml.load(r, Loader=loader)))]
        else:
            base = [("baseline: json.loads + model_validate", lambda r=raw: UnitFile.model_validate(json.loads(r))),
                    ("baseline: model_validate_json(bytes)", lambda r=raw: UnitFile.model_validate_json(r))]
        for label, fn in base:
            t_bl, bu = _median(fn, runs)
            t_bc, ba = _median(lambda u=bu: tanjiliang.check(u, pack, AS_OF), runs)
            answers.add(_summary(ba))
            rows.append((fmt, label, t_bl, t_bc, (t_bl[0] + t_bc[0], t_bl[1] + t_bc[1])))
    if len(answers) != 1:
        print(f"WARNING: {len(answers)} different assessments from the ways of loading", file=sys.stderr)
    return rows


def fresh_process(path: Path, runs: int) -> Timing:
    """``tanjiliang check FILE --format json`` in a new process: median wall and CPU (the
    child's user + system) seconds."""
    exe = Path(sys.executable).with_name("tanjiliang")
    cmd = [str(exe), "check", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"]
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        walls.append(time.perf_counter() - t)
        after = os.times()
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode())
    return statistics.median(walls), statistics.median(cpus)


def write_files(folder: Path, n: int, reuse: bool = False) -> dict[str, Path]:
    """The unit as YAML and JSON through the project's writers (``reuse``: keep files that
    are already there; writing 10 000 instruments through PyYAML takes ~1 min)."""
    from tanjiliang.model.unit import UnitFile
    from tanjiliang.model.write import dump_json, dump_yaml

    files = {"yaml": folder / f"unit-{n}.yaml", "json": folder / f"unit-{n}.json"}
    if reuse and all(p.exists() for p in files.values()):
        return files
    unit = UnitFile.model_validate(realistic_unit(n))
    files["yaml"].write_text(dump_yaml(unit), encoding="utf-8")
    files["json"].write_text(dump_json(unit), encoding="utf-8")
    return files


def reference_loop() -> float:
    """CPU seconds of a 10⁷-step Python loop (``s += i``): the machine's speed at the time, so
    that figures taken on a shared, loaded machine can be compared (median of 3)."""
    cpus = []
    for _ in range(3):
        c, s = time.process_time(), 0
        for i in range(10_000_000):
            s += i
        cpus.append(time.process_time() - c)
    return statistics.median(cpus)


_CHILD = """
import hashlib, json, sys, time
from datetime import date
from pathlib import Path
import tanjiliang
from tanjiliang.model.load import load_unit
from tanjiliang.rules import bundled_library, load_pack
pack = load_pack("henan-2025-draft"); bundled_library()
as_of, runs, out = date.fromisoformat(sys.argv[1]), int(sys.argv[2]), {}
for arg in sys.argv[3:]:
    p = Path(arg)
    load_unit(p)  # warm: every lazily read table read once
    rows = {"load": [], "check": [], "total": []}
    for _ in range(runs):
        c = time.process_time(); u = load_unit(p); rows["load"].append(time.process_time() - c)
        c = time.process_time(); a = tanjiliang.check(u, pack, as_of); rows["check"].append(time.process_time() - c)
        del u
        c = time.process_time(); tanjiliang.check(p, pack, as_of); rows["total"].append(time.process_time() - c)
    text = json.dumps(a.to_json("en"), sort_keys=True, ensure_ascii=False, default=str)
    rows["answer"] = hashlib.sha256(text.encode()).hexdigest()
    out[p.suffix[1:]] = rows
print(json.dumps(out))
"""


def compare(files: dict[str, Path], rev: str, rounds: int, runs: int, new: str | None = None) -> None:
    """``rev``'s code against the working tree's (or revision ``new``'s), alternating child
    processes (see the module docstring): CPU seconds, medians over every run of every round."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"old": Path(tmp) / "old" / "src", "new": root / "src"}
        for side, r in (("old", rev), ("new", new)):
            if r is not None:
                trees[side] = Path(tmp) / side / "src"
                trees[side].parent.mkdir()
                archive = subprocess.run(["git", "-C", str(root), "archive", r, "src"], capture_output=True, check=True)
                subprocess.run(["tar", "-x", "-C", str(trees[side].parent)], input=archive.stdout, check=True)
        got: dict[str, dict[str, dict[str, Any]]] = {"old": {}, "new": {}}
        loops = [reference_loop()]
        for _ in range(rounds):
            for side, src in trees.items():
                done = subprocess.run([sys.executable, "-c", _CHILD, AS_OF.isoformat(), str(runs),
                                       *map(str, files.values())], capture_output=True, text=True,
                                      env={**os.environ, "PYTHONPATH": str(src)})
                if done.returncode:
                    raise SystemExit(done.stderr)
                for fmt, rows in json.loads(done.stdout).items():
                    mine = got[side].setdefault(fmt, {"load": [], "check": [], "total": [], "answer": set()})
                    for k in ("load", "check", "total"):
                        mine[k] += rows[k]
                    mine["answer"].add(rows["answer"])
            loops.append(reference_loop())
    print(f"{rev} (old) against {new or 'the working tree'} (new): {rounds} alternating rounds × {runs} runs, warm, "
          f"CPU seconds, medians; load average now {os.getloadavg()[0]:.2f}; a 10⁷-step Python loop "
          f"took {min(loops):.2f}–{max(loops):.2f} s CPU meanwhile")
    print(f"{'format':<6} {'':<4} {'load':>7} {'check':>7} {'total':>7}  same assessment")
    for fmt in files:
        for side in ("old", "new"):
            r = got[side][fmt]
            same = r["answer"] == got["old"][fmt]["answer"] and len(r["answer"]) == 1
            print(f"{fmt:<6} {side:<4} " + " ".join(f"{statistics.median(r[k]):>7.3f}" for k in ("load", "check", "total"))
                  + f"  {'yes' if same else 'NO'}")


def _cell(t: Timing) -> str:
    return f"{t[0]:>6.3f} / {t[1]:<6.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instruments", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="write the files into this folder, keep them, reuse them next time")
    ap.add_argument("--against", metavar="REV", help="compare git revision REV's code with the working tree's")
    ap.add_argument("--rounds", type=int, default=3, help="with --against: alternating processes per side")
    ap.add_argument("--new", metavar="REV", help="with --against: this revision's code instead of the working tree's")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = write_files(folder, args.instruments, reuse=args.keep is not None)
        if args.against:
            compare(files, args.against, args.rounds, args.runs, args.new)
            return
        sizes = ", ".join(f"{f} {p.stat().st_size / 1e6:.1f} MB" for f, p in files.items())
        print(f"a 10⁷-step Python loop: {reference_loop():.2f} s CPU (the machine's speed now)")
        print(f"{args.instruments} instruments, 3 confirmation records each ({sizes}); median of {args.runs} runs, "
              f"warm; seconds wall / CPU; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"{'format':<6} {'how':<52} {'load':^15} {'check':^15} {'total':^15}")
        for fmt, label, t_load, t_check, t_total in measure(files, args.runs):
            print(f"{fmt:<6} {label:<52} {_cell(t_load)} {_cell(t_check)} {_cell(t_total)}")
        for fmt, path in files.items():
            t = fresh_process(path, max(1, args.runs // 2 + 1))
            print(f"{fmt:<6} {'fresh process: tanjiliang check FILE --format json':<52} {'':>15} {'':>15} {_cell(t)}")
        print(f"load average after: {os.getloadavg()[0]:.2f}; a 10⁷-step Python loop: {reference_loop():.2f} s CPU")


if __name__ == "__main__":
    main()
