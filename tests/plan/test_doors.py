"""The plan's doors: `tanjiliang plan` (text, JSON, report with the plan's section)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from plan_units import coal_unit
from typer.testing import CliRunner

from tanjiliang.cli.app import app

ROOT = Path(__file__).parents[2]


def _write(tmp_path: Path) -> str:
    f = tmp_path / "unit.yaml"
    f.write_text(yaml.safe_dump(coal_unit(), allow_unicode=True), encoding="utf-8")
    return str(f)


def test_text_in_chinese_by_default_and_english_on_request(tmp_path: Path) -> None:
    f = _write(tmp_path)
    zh = CliRunner().invoke(app, ["plan", f, "--as-of", "2025-12-01"])
    assert zh.exit_code == 0, zh.output
    assert "风险排放量" in zh.output and "方案乙" in zh.output and "tonnes at risk" not in zh.output
    en = CliRunner().invoke(app, ["plan", f, "--as-of", "2025-12-01", "--lang", "en", "--price", "80"])
    assert en.exit_code == 0, en.output
    assert "tonnes at risk" in en.output and "风险排放量" not in en.output and "80 CNY/tCO₂" in en.output


def test_json_is_clean_and_cited(tmp_path: Path) -> None:
    """JSON on stdout only (the solver's banner kept off it); every component cited."""
    f = _write(tmp_path)
    out = subprocess.run([str(Path(sys.executable).parent / "tanjiliang"), "plan", f, "--as-of",
                          "2025-12-01", "--format", "json", "--budget", "50000", "--lang", "en"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    data = json.loads(out.stdout)
    assert data["format"] == "tanjiliang/plan@1"
    assert data["budget_yuan"] == 50000 and data["budget_from"] == "user"
    assert data["within_budget"]["cost_yuan"] <= 50000
    assert all(c["citation"]["document"] and c["citation"]["status"] in ("V", "S", "I")
               for s in data["streams"] for c in s["components"])
    assert data["price"]["citation"]["status"] in ("V", "S", "I")


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    f = _write(tmp_path)
    r = CliRunner().invoke(app, ["plan", f, "--budget", "-1"])
    assert r.exit_code == 2
    r = CliRunner().invoke(app, ["plan", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2


def test_report_has_the_plan_section(tmp_path: Path) -> None:
    f = _write(tmp_path)
    out = tmp_path / "report.html"
    r = CliRunner().invoke(app, ["plan", f, "--as-of", "2025-12-01", "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert 'id="plan"' in html and "Uncertainty contributors" in html and "<svg" in html
    assert "风险" not in html.split('id="plan"')[1]


def test_workbook_has_the_plan_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    f = _write(tmp_path)
    out = tmp_path / "report.xlsx"
    r = CliRunner().invoke(app, ["plan", f, "--as-of", "2025-12-01", "-o", str(out)])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out)["计量的价值"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "主要贡献分量（按对总方差的贡献排序）" in texts and any("GB/T 213" in t for t in texts)
