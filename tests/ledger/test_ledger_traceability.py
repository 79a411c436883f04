"""Confirmation history: reverse traceability (which instruments did standard X confirm) and
the forward chain; status from the latest record (the short last_confirmed form stays valid)."""

from __future__ import annotations

from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.ledger import confirmed_by, traceability_chain
from tanjiliang.model.load import load_unit

UNIT = """format: tanjiliang/unit@1
unit: {name: 溯源测试, year: 2025}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100000 t", parameters: {ncv: "22 GJ/t"}}
instruments:
  - id: STD-W
    name: 标准砝码组
    type: platform_scale
    measures: coal
    at: boundary
    serial: "M1-2020-7"
    confirmations:
      - {date: 2025-01-05, kind: calibration, certificate: "国计2025-001", body: 中国计量科学研究院, standards: [国家基准]}
  - id: W-01
    name: 轨道衡
    type: rail_scale
    measures: coal
    at: boundary
    confirmations:
      - {date: 2024-03-01, kind: verification, standards: [STD-W]}
      - {date: 2025-03-01, kind: verification, standards: ["ｍ1-2020-7"]}
  - id: W-02
    name: 汽车衡
    type: truck_scale
    measures: coal
    at: boundary
    last_confirmed: 2025-02-01
  - id: L-01
    name: 量热仪
    type: calorimeter
    measures: coal.ncv
    at: lab
    confirmations:
      - {date: 2025-04-01, kind: calibration, standards: [W-01, 苯甲酸标准物质]}
"""


def _unit(tmp_path):
    p = tmp_path / "u.yaml"
    p.write_text(UNIT, encoding="utf-8")
    return p


def test_reverse_traceability_direct_and_by_serial(tmp_path) -> None:
    unit = load_unit(_unit(tmp_path))
    hits = confirmed_by(unit, "STD-W")
    # named by id in 2024 and by serial (full-width, other case) in 2025
    assert [(h.instrument, h.record.date.isoformat(), h.depth) for h in hits] == \
        [("W-01", "2024-03-01", 1), ("W-01", "2025-03-01", 1)]
    assert confirmed_by(unit, "W-02") == []


def test_reverse_traceability_transitive(tmp_path) -> None:
    unit = load_unit(_unit(tmp_path))
    hits = confirmed_by(unit, "STD-W", transitive=True)
    assert [(h.instrument, h.depth, h.via) for h in hits][-1] == ("L-01", 2, ("STD-W", "W-01"))


def test_forward_chain_stops_outside_the_ledger(tmp_path) -> None:
    unit = load_unit(_unit(tmp_path))
    assert traceability_chain(unit, "L-01") == [
        ("L-01", "W-01", "W-01"), ("L-01", "苯甲酸标准物质", None),
        ("W-01", "ｍ1-2020-7", "STD-W"), ("STD-W", "国家基准", None)]


def test_trace_cli(tmp_path) -> None:
    r = CliRunner().invoke(app, ["ledger", "trace", str(_unit(tmp_path)), "STD-W", "--transitive", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "W-01" in r.output and "L-01" in r.output


def test_status_from_latest_record(tmp_path) -> None:
    from datetime import date

    from tanjiliang.assess.engine import assess

    a = assess(load_unit(_unit(tmp_path)), None, date(2025, 12, 31))
    by = {i.id: i for i in a.instruments}
    assert by["W-01"].last_confirmed == date(2025, 3, 1)  # the latest of two records
    assert by["W-02"].last_confirmed == date(2025, 2, 1)  # the short form
