"""``tanjiliang review`` and ``tanjiliang province`` commands."""

from __future__ import annotations

import json
from pathlib import Path

from review_fixtures import completed_review
from typer.testing import CliRunner

from tanjiliang.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_cli_review_checklist_in_english_only():
    r = runner.invoke(app, ["review", "checklist", "--lang", "en"])
    assert r.exit_code == 0 and "Equipping" in r.output and "配备" not in r.output


def test_cli_review_prefill_from_a_unit_file():
    r = runner.invoke(app, ["review", "prefill", str(ROOT / "tests/data/spec-example.yaml"),
                            "--as-of", "2026-03-01"])
    assert r.exit_code == 0 and "EQ-RATE" in r.output and "不符合" in r.output


def test_cli_review_verify_and_report(tmp_path: Path, checklist, reviewer, enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise)
    f = tmp_path / "review.json"
    f.write_text(json.dumps(rv.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["review", "verify", str(f)]).exit_code == 0
    out = tmp_path / "r.xlsx"
    assert runner.invoke(app, ["review", "report", str(f), "-o", str(out)]).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    data = json.loads(f.read_text(encoding="utf-8"))
    data["items"][0]["reason"] = "changed after signing"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["review", "verify", str(f)])
    assert r.exit_code == 1 and "不一致" in r.output


def test_cli_province_generate_and_reassess(tmp_path: Path):
    r = runner.invoke(app, ["province", "generate", str(tmp_path), "--units", "4",
                            "--instruments", "30", "--years", "2025"])
    assert r.exit_code == 0
    r = runner.invoke(app, ["province", "reassess", str(tmp_path), "--workers", "1",
                            "--lang", "en"])
    assert r.exit_code == 0 and "assessed 4 units" in r.output
    assert (tmp_path / "summary.parquet").exists()


def test_cli_audit_verify_on_a_database_not_set_up(tmp_path: Path) -> None:
    """A fresh process (Django not yet set up): exit 2 naming the database, no traceback."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    env = {**os.environ, "TANJILIANG_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    r = subprocess.run([sys.executable, "-c", "from tanjiliang.cli.app import main; main()",
                        "audit", "verify", "--database", url, "--lang", "en"],
                       capture_output=True, text=True,
                       env=env, timeout=120, check=False)
    assert r.returncode == 2, r.stderr[-2000:]
    assert "not set up" in r.stderr and "Traceback" not in r.stderr
