"""Smaller s10 findings (#17): `kpi --top -1` refused; `remind --demo` before the demo database
exists says to make it; an overdue instrument's reminder says when it fell due."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.web.month.reminders import UnitReminders, message_text

run = CliRunner().invoke

UNIT = """format: tanjiliang/unit@1
unit: {name: 小项测试, year: 2025}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100000 t"}
instruments:
  - {id: W-01, name: 汽车衡, type: truck_scale, measures: coal, at: boundary, last_confirmed: 2025-03-01}
"""


def test_kpi_top_negative_is_refused(tmp_path: Path) -> None:
    (tmp_path / "u.yaml").write_text(UNIT, encoding="utf-8")
    r = run(app, ["kpi", str(tmp_path / "u.yaml"), "--top", "-1"])
    assert r.exit_code == 2 and "--top" in r.output and "不小于 0" in r.output, r.output
    assert run(app, ["kpi", str(tmp_path / "u.yaml"), "--top", "0"]).exit_code == 0


def test_remind_demo_without_the_demo_database_says_how_to_make_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANJILIANG_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    r = run(app, ["remind", "--demo", "--as-of", "2025-12-31"])
    assert r.exit_code == 2
    assert "tanjiliang demo --no-serve" in r.output and "DATABASE_URL" not in r.output, r.output
    r = run(app, ["remind", "--demo", "--lang", "en"])
    assert r.exit_code == 2 and "run tanjiliang demo --no-serve first" in r.output, r.output


def test_overdue_reminder_says_when_it_fell_due() -> None:
    items = [UnitReminders(1, "测试厂", 2025, [
        {"id": "W-01", "name": "汽车衡", "state": "overdue", "word": "已过期", "next_due": "2025-11-20"},
        {"id": "W-02", "name": "皮带秤", "state": "due_soon", "word": "即将到期", "next_due": "2026-01-10"}])]
    _, zh = message_text("张三", items, "zh")
    assert "W-01 汽车衡：已于 2025-11-20 到期，请尽快检定/校准" in zh
    assert "应于 2025-11-20 前" not in zh
    assert "W-02 皮带秤：即将到期，应于 2026-01-10 前确认" in zh
    _, en = message_text("Zhang", items, "en")
    assert "W-01 汽车衡: overdue since 2025-11-20; have it verified or calibrated now" in en
