"""Issue 17 from the outside: units written by hand, ``tanjiliang check --format json`` run on
them, every expected number computed by hand (arithmetic in the comments). Keys:
docs/unit-file.md (measures lists, flows out, stock, lower_tier, anode_effects, weighing
classes); pack options: ``scope`` of cn-ets-2024 (direct basis, products deducted, indirect
apart) against henan-2025-draft (total basis, flows out reported apart)."""

from __future__ import annotations

from typing import Any

import pytest
from spec_cli import check


def unit(streams: list[dict[str, Any]], instruments: list[dict[str, Any]] | None = None,
         sector: str = "other", pack: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "tanjiliang/unit@1",
        "unit": {"name": "验收单位", "sector": sector, "year": 2025},
        "subunits": [{"id": "U1", "name": "主工序"}],
        "equipment": [{"id": "B1", "name": "主设备", "subunit": "U1"}],
        "source_streams": streams,
        "instruments": instruments or [],
    }
    if pack:
        data["pack"] = pack
    return data


def scale(iid: str, measures: Any, accuracy: str, **kw: Any) -> dict[str, Any]:
    return {"id": iid, "name": f"{iid}衡器", "type": kw.pop("type", "truck_scale"), "measures": measures,
            "at": "boundary", "accuracy": accuracy, "last_confirmed": "2025-06-01", **kw}


def stream(doc: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in doc["source_streams"] if s["id"] == sid)


def instrument(doc: dict[str, Any], iid: str) -> dict[str, Any]:
    return next(i for i in doc["instruments"] if i["id"] == iid)


def test_aluminium_pfc_from_anode_effect_minutes(tmp_path):
    data = unit([{"id": "pfc", "kind": "pfc", "activity": "100000 t", "consumers": ["B1"],
                  "anode_effects": {"minutes_per_cell_day": 0.1, "cells": 300, "technology": "CWPB"}}],
                sector="aluminium", pack="cn-ets-2024")
    _rc, doc, out = check(tmp_path, data)
    assert doc is not None, out
    # IPCC 2006 Vol. 3 Table 4.16, CWPB: S_CF4 = 0.143 kg CF4/t Al per AE-min/cell-day,
    # C2F6/CF4 = 0.121. CF4 = 0.143 × 0.1 × 100 000 t = 1 430 kg = 1.43 t;
    # C2F6 = 1.43 × 0.121 = 0.17303 t. AR5 GWP: 1.43 × 6 630 + 0.17303 × 11 100
    # = 9 480.9 + 1 920.633 = 11 401.533 tCO2e
    assert stream(doc, "pfc")["emissions_tco2e"] == pytest.approx(11401.533)
    assert "pfc.anode_effects" in [m["id"] for m in doc["metering_points"]]


@pytest.mark.parametrize(("accuracy", "e", "load", "mpe"), [
    # class III, e = 20 kg, 60 t = 3 000e > 2 000e: ±1.5e on verification, ±3e = 60 kg in
    # service → 60 / 60 000 = 0.1 %
    ("III", "20 kg", "60 t", 0.1),
    # class III, 40 t = 2 000e (≤ 2 000e): ±1.0e, in service ±2e = 40 kg → 0.1 %
    ("III", "20 kg", "40 t", 0.1),
    # class III, 10 t = 500e (≤ 500e): ±0.5e, in service ±1e = 20 kg → 0.2 %
    ("III", "20 kg", "10 t", 0.2),
    # class IIII, e = 100 kg, 60 t = 600e (200e < m ≤ 1 000e): ±1.5e, in service 3e = 300 kg → 0.5 %
    ("IIII", "100 kg", "60 t", 0.5),
])
def test_weighing_class_at_the_usual_load_is_judged(tmp_path, accuracy, e, load, mpe):
    data = unit([{"id": "lng", "kind": "combustion", "material": "lng", "activity": "20000 t",
                  "consumers": ["B1"]}],
                [scale("W1", "lng", accuracy, verification_interval=e, max_capacity="100 t", usual_load=load)])
    _rc, doc, out = check(tmp_path, data)
    assert doc is not None, out
    w = instrument(doc, "W1")
    # LNG is weighed (liquefied gases by mass): level 1 requires ±0.1 %
    assert stream(doc, "lng")["medium"] == "liquefied_gas"
    assert (w["mpe_percent"], w["required_mpe_percent"]) == (pytest.approx(mpe), pytest.approx(0.1))
    assert w["accuracy_ok"] is (mpe <= 0.1)
    assert "ACC-UNKNOWN" not in [f["code"] for f in doc["findings"]]


def test_lpg_on_a_platform_scale_and_a_scale_weighing_two_materials(tmp_path):
    data = unit([{"id": "lpg", "kind": "combustion", "material": "lpg", "activity": "200 t", "consumers": ["B1"]},
                 {"id": "lime", "kind": "process", "material": "limestone", "activity": "100000 t",
                  "consumers": ["B1"]}],
                [scale("W1", ["lime", "lpg"], "III", verification_interval="20 kg", max_capacity="100 t",
                       usual_load="60 t"),
                 scale("W2", "lpg", "±0.1 %", type="platform_scale")])
    _rc, doc, out = check(tmp_path, data)
    assert doc is not None, out
    w1 = instrument(doc, "W1")
    assert w1["targets"] == ["lime", "lpg"] and w1["points"] == ["lime@boundary", "lpg@boundary"]
    assert [m["status"] for m in doc["metering_points"] if m["id"] in ("lime@boundary", "lpg@boundary")] == [
        "conforming", "conforming"]
    # LPG 50.179 GJ/t × 0.0172 tC/GJ × 0.98 × 44/12 = 3.10133 t/t × 200 t = 620.27 t
    assert stream(doc, "lpg")["emissions_tco2e"] == pytest.approx(620.266, abs=0.01)


STEEL = [
    # stock: 100 000 + 5 000 − 8 000 = 97 000 t × 3 t/t = 291 000 t
    {"id": "coke", "kind": "combustion", "material": "coke", "consumers": ["B1"],
     "stock": {"receipts": "100000 t", "opening": "5000 t", "closing": "8000 t", "method": "盘库",
               "uncertainty": "1 %", "date": "2025-12-31"},
     "parameters": {"emission_factor": "3 t/t"}},
    # a product carrying carbon out: 500 000 t × 0.01 = 5 000 t
    {"id": "steel", "kind": "product", "direction": "out", "activity": "500000 t",
     "parameters": {"emission_factor": "0.01 t/t"}, "consumers": ["B1"]},
    # exported electricity: 10 000 MWh × 0.5703 = 5 703 t
    {"id": "eout", "kind": "electricity", "direction": "out", "material": "grid_electricity",
     "activity": "10000 MWh", "consumers": ["B1"]},
    # purchased electricity: 20 000 MWh × 0.5703 = 11 406 t (indirect)
    {"id": "grid", "kind": "electricity", "material": "grid_electricity", "activity": "20000 MWh",
     "consumers": ["B1"]},
]


def test_national_market_deducts_products_and_reports_electricity_apart(tmp_path):
    _rc, doc, out = check(tmp_path, unit(STEEL, sector="steel", pack="cn-ets-2024"))
    assert doc is not None, out
    e = doc["emissions"]
    # direct 291 000 − product 5 000 = 286 000; electricity bought and sent out apart
    assert e["total_tco2e"] == pytest.approx(286000)
    assert e["by_stream"]["steel"] == pytest.approx(-5000)
    assert e["reported_apart"] == {"eout": pytest.approx(5703), "grid": pytest.approx(11406)}
    assert (e["key_unit_basis"], e["key_unit_tco2e"]) == ("direct", pytest.approx(286000))
    assert stream(doc, "coke")["stock"]["consumption"] == "97000 t"
    assert {"coke.stock", "steel@boundary", "eout@boundary"} <= {m["id"] for m in doc["metering_points"]}


def test_default_pack_reports_flows_out_apart_and_counts_indirect(tmp_path):
    _rc, doc, out = check(tmp_path, unit(STEEL, sector="steel"))
    assert doc is not None, out
    e = doc["emissions"]
    # 291 000 + 11 406 (indirect included); products and exports apart: 5 000 + 5 703
    assert e["total_tco2e"] == pytest.approx(302406)
    assert e["reported_apart"] == {"steel": pytest.approx(5000), "eout": pytest.approx(5703)}
    assert e["exported_tco2e"] == pytest.approx(10703)
    assert e["key_unit_basis"] == "total"


def test_key_unit_basis_direct_only_in_the_national_market_pack(tmp_path):
    streams = [
        {"id": "proc", "kind": "process", "activity": "27000 t", "parameters": {"emission_factor": "1 t/t"}},
        {"id": "prod", "kind": "product", "direction": "out", "activity": "2000 t",
         "parameters": {"emission_factor": "1 t/t"}},
        {"id": "grid", "kind": "electricity", "material": "grid_electricity", "activity": "10000 MWh"},
    ]
    # henan: total 27 000 + 5 703 = 32 703 ≥ 26 000 → key unit
    _rc, doc, out = check(tmp_path, unit(streams, sector="steel"))
    assert doc is not None and doc["key_emission_unit"] is True, out
    # cn-ets-2024: direct 27 000 − product 2 000 = 25 000 < 26 000 → not a key unit
    _rc, doc, out = check(tmp_path, unit(streams, sector="steel", pack="cn-ets-2024"))
    assert doc is not None, out
    assert doc["emissions"]["key_unit_tco2e"] == pytest.approx(25000)
    assert doc["key_emission_unit"] is False


def test_stock_consumption_is_said_in_the_unit_the_file_wrote(tmp_path):
    """1 万t + 100 t − 0.05 万t = 10 000 + 100 − 500 = 9 600 t = 0.96 万t. Before, the JSON
    (in either language) said "0.96 万吨", pint's symbol, not the file's unit."""
    data = unit([{"id": "c", "kind": "process", "parameters": {"emission_factor": "1 t/t"},
                  "stock": {"receipts": "1 万t", "opening": "100 t", "closing": "0.05 万t"}}])
    for lang in ("zh", "en"):
        _rc, doc, out = check(tmp_path, data, "--lang", lang)
        assert doc is not None, out
        assert stream(doc, "c")["stock"]["consumption"] == "0.96 万t"
        assert stream(doc, "c")["emissions_tco2e"] == pytest.approx(9600)


def test_stock_closing_above_what_was_available_is_refused(tmp_path):
    data = unit([{"id": "c", "kind": "process", "parameters": {"emission_factor": "1 t/t"},
                  "stock": {"receipts": "1000 t", "opening": "100 t", "closing": "1200 t"}}])
    rc, _doc, out = check(tmp_path, data, "--lang", "en")
    assert rc == 2 and "source_streams[0].stock" in out


def test_justified_lower_tier_in_json_and_finding(tmp_path):
    data = unit([{"id": "coal", "kind": "combustion", "material": "bituminous_coal", "activity": "100000 t",
                  "parameters": {"ncv": "20 GJ/t", "carbon_content": "0.026 tC/GJ", "oxidation_rate": 0.99},
                  "consumers": ["B1"],
                  "lower_tier": {"tier": 1, "reason": "技术不可行", "date": "2025-03-01"}}],
                [{"id": "W1", "name": "皮带秤", "type": "belt_scale", "measures": "coal", "at": "B1",
                  "accuracy": "2", "last_confirmed": "2025-06-01"}], sector="cement", pack="cn-ets-2024")
    _rc, doc, out = check(tmp_path, data)
    assert doc is not None, out
    s = stream(doc, "coal")
    # 100 000 t × 20 × 0.026 × 0.99 × 44/12 = 188 760 t: category B, a major stream needs
    # tier 4; the belt scale's ±2 % reaches tier 3 only, and the justified tier is 1
    assert s["emissions_tco2e"] == pytest.approx(188760)
    assert (s["tier_required"], s["tier_achieved"]) == (4, 3)
    assert s["lower_tier"]["tier"] == 1 and s["lower_tier"]["reason"] == "技术不可行"
    codes = {f["code"]: f for f in doc["findings"] if f["subject"] == "coal"}
    assert "TIER-JUSTIFIED" in codes and "TIER-SHORT" not in codes
    assert "技术不可行" in codes["TIER-JUSTIFIED"]["message"]


def test_ledger_export_gives_a_weighing_class_its_mpe_at_the_usual_load(tmp_path):
    """The ledger's computed column 最大允许误差(%) was empty for class III/IIII scales though the
    assessment judges them at ±0.1 % / ±0.5 % (same arithmetic as above)."""
    import yaml
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from tanjiliang.cli.app import app

    data = unit([{"id": "lime", "kind": "process", "material": "limestone", "activity": "100000 t",
                  "consumers": ["B1"]}],
                [scale("W1", "lime", "III", verification_interval="20 kg", max_capacity="100 t", usual_load="60 t"),
                 scale("W2", "lime", "IIII", verification_interval="100 kg", max_capacity="100 t", usual_load="60 t")])
    f = tmp_path / "plant.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = CliRunner().invoke(app, ["ledger", "export", str(f), "-o", str(tmp_path / "台账.xlsx")])
    assert r.exit_code == 0, r.output
    rows = list(load_workbook(tmp_path / "台账.xlsx").worksheets[0].iter_rows(values_only=True))
    head = [str(h).split("\n")[0] for h in rows[0]]
    mpe = {row[head.index("管理编号")]: row[head.index("最大允许误差(%)")] for row in rows[1:] if row[0]}
    assert mpe == {"W1": "0.1", "W2": "0.5"}
    r = CliRunner().invoke(app, ["ledger", "import", str(f), str(tmp_path / "台账.xlsx"), "--dry-run"])
    assert r.exit_code == 0 and "未变 2 台" in r.output, r.output  # the column is not read back


@pytest.mark.parametrize(("gwp", "tco2e"), [
    ("AR4", 12678.666),  # 1.43 × 7 390 + 0.17303 × 12 200 = 10 567.7 + 2 110.966
    ("SAR", 10886.876),  # 1.43 × 6 500 + 0.17303 × 9 200 = 9 295 + 1 591.876
])
def test_the_file_gwp_set_weighs_cf4_and_c2f6(tmp_path, gwp, tco2e):
    data = unit([{"id": "pfc", "kind": "pfc", "activity": "100000 t", "consumers": ["B1"],
                  "anode_effects": {"minutes_per_cell_day": 0.1, "cells": 300, "technology": "CWPB"}}],
                sector="aluminium", pack="cn-ets-2024")
    data["gwp"] = gwp
    _rc, doc, out = check(tmp_path, data)
    assert doc is not None, out
    assert stream(doc, "pfc")["emissions_tco2e"] == pytest.approx(tco2e)


def test_a_stream_given_by_its_stock_change_is_metered_and_closed_monthly(tmp_path):
    """Coke given only by its stock change (no ``activity``) with a stock-take instrument on
    ``coke.stock`` and a truck scale on ``coke``. Before: ``data check`` and ``month close``
    crashed (AttributeError: 'Parameters' object has no attribute 'stock'); without the
    stock-take, the month's coke emissions were null (no declared activity to take the rate
    from) and the month filed 0.0 tCO₂e."""
    import datetime as dt

    import yaml
    from typer.testing import CliRunner

    from tanjiliang.cli.app import app

    data = unit([STEEL[0]],
                [scale("W1", "coke", "±0.1 %"),
                 {"id": "S1", "name": "激光盘煤仪", "type": "stock_take", "measures": "coke.stock",
                  "at": "boundary", "accuracy": "±1 %", "last_confirmed": "2025-01-02"}], sector="steel")
    data["instruments"][0]["last_confirmed"] = "2025-01-02"
    f = tmp_path / "plant.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    csv = tmp_path / "r.csv"
    csv.write_text("instrument,time,value,unit,kind\n" + "".join(
        f"W1,{dt.date(2025, 3, 1) + dt.timedelta(days=i)}T00:00,270,t,amount\n" for i in range(31)),
        encoding="utf-8")
    r = CliRunner().invoke(app, ["data", "check", str(f), str(csv), "--from", "2025-03-01", "--to", "2025-04-01",
                                 "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    r = CliRunner().invoke(app, ["month", "close", str(f), str(csv), "--month", "2025-03",
                                 "--records", str(tmp_path / "rec"), "--filed-at", "2025-04-05"])
    assert r.exit_code == 0, r.output
    import json

    d = json.loads((tmp_path / "rec" / "2025-03.v1.json").read_text(encoding="utf-8"))
    coke = next(s for s in d["streams"] if s["id"] == "coke")
    # 31 × 270 t = 8 370 t × 3 t/t = 25 110 t (declared 97 000 t = 100 000 + 5 000 − 8 000)
    assert (coke["activity"], coke["emissions_tco2e"]) == (pytest.approx(8370), pytest.approx(25110))


@pytest.mark.parametrize(("stock_unc", "tco2e_unc"), [
    # the stock's own 1 %: √((0.1 % · 100 000)² + (1 % · 5 000)² + (1 % · 8 000)²) / 97 000
    # = √(100² + 50² + 80²) / 97 000 = 137.48 / 97 000 = 0.14173 %
    ("1 %", 0.14173),
    # none stated: the stock-take instrument's ±5 %: √(100² + 250² + 400²) / 97 000
    # = 482.18 / 97 000 = 0.49709 %
    (None, 0.49709),
])
def test_stock_change_uncertainty_uses_the_stock_take_and_not_the_receipts_scale_alone(
        tmp_path, stock_unc, tco2e_unc):
    """Before: 0.1 % in both cases — the coke's one consumer folds into the boundary point, so
    the truck scale weighing the receipts counted as measuring the consumption, and the
    stock-take instrument's MPE was never used."""
    coke = {**STEEL[0], "stock": {**STEEL[0]["stock"]}}
    if stock_unc is None:
        del coke["stock"]["uncertainty"]
    else:
        coke["stock"]["uncertainty"] = stock_unc
    data = unit([coke], [scale("W1", "coke", "±0.1 %"),
                         {"id": "S1", "name": "激光盘煤仪", "type": "stock_take", "measures": "coke.stock",
                          "at": "boundary", "accuracy": "±5 %", "last_confirmed": "2025-06-01"}], sector="steel")
    _rc, doc, out = check(tmp_path, data)
    assert doc is not None, out
    assert stream(doc, "coke")["uncertainty_percent"] == pytest.approx(tco2e_unc, abs=1e-5)


def test_out_of_tolerance_on_a_stock_only_stream_carries_the_readings_tonnes(tmp_path):
    """The coke scale W1 (given only by its stock change) failed on 15 April at +0.5 %. Before,
    CAL-OOT ignored its readings for a stream without ``activity`` and estimated the tonnes
    pro rata over the year: 291 000 × 103 / 365 = 82 117.8 t."""
    import datetime as dt

    coke = {**STEEL[0]}
    data = unit([coke], [{**scale("W1", "coke", "±0.1 %"), "last_confirmed": None,
                          "confirmations": [{"date": "2025-01-02", "kind": "verification"},
                                            {"date": "2025-04-15", "kind": "verification", "result": "fail",
                                             "as_found": "+0.5 %"}]}], sector="steel")
    del data["instruments"][0]["last_confirmed"]
    csv = tmp_path / "r.csv"
    csv.write_text("instrument,time,value,unit,kind\n" + "".join(
        f"W1,{dt.date(2025, 3, 1) + dt.timedelta(days=i)}T00:00,270,t,amount\n" for i in range(31)),
        encoding="utf-8")
    _rc, doc, out = check(tmp_path, data, "--readings", str(csv))
    assert doc is not None, out
    (f,) = [f for f in doc["findings"] if f["code"] == "CAL-OOT"]
    # readings in (2 Jan, 15 Apr]: March 31 × 270 t = 8 370 t × 3 t/t = 25 110 t; +0.5 % → 125.55 t
    assert "8,370.000 t" in f["message"] and "25,110.0" in f["message"] and "+125.5" in f["message"], f["message"]
