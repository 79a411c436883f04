"""Done-when of issue 3: from an Excel ledger and a year of meter exports to a check that names
the overdue, out-of-tolerance and unreconciled instruments, the missing data and the tonnes at
stake."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from openpyxl import load_workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.data.synth import plant_year

FIXTURE = Path(__file__).parent / "fixtures" / "plant.yaml"


def _ledger_with_a_failed_confirmation(runner: CliRunner, folder: Path) -> Path:
    """The exported ledger, in which the enterprise records that E-13 failed its
    verification on 1 August."""
    ledger = folder / "台账.xlsx"
    assert runner.invoke(app, ["ledger", "export", str(FIXTURE), "-o", str(ledger)]).exit_code == 0
    wb = load_workbook(ledger)
    ws = wb["确认记录 Confirmations"]
    ws.append(["E-13", "2025-01-10", "检定", "合格", "+0.1 %", "豫计2025-0110", "河南省计量院", "STD-E"])
    ws.append(["E-13", "2025-08-01", "检定", "不合格", "-5 %", "豫计2025-0801", "河南省计量院", "STD-E"])
    wb.save(ledger)
    return ledger


def test_excel_ledger_and_meter_exports_to_findings(tmp_path) -> None:
    runner = CliRunner()
    ledger = _ledger_with_a_failed_confirmation(runner, tmp_path)
    df, _ = plant_year()
    exports = []
    for ident, part in df.partition_by("instrument", as_dict=True).items():  # one export per meter
        path = tmp_path / f"{ident[0]}.csv"
        part.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).write_csv(path)
        exports.append(str(path))
    r = runner.invoke(app, ["data", "check", str(FIXTURE), *exports, "--ledger", str(ledger),
                            "--format", "json", "--as-of", "2026-06-30", "--lang", "en"])
    assert r.exit_code == 1, r.output
    out = json.loads(r.output)
    by_code: dict[str, list[dict]] = {}
    for f in out["findings"] + out["assessment_findings"]:
        by_code.setdefault(f["code"], []).append(f)
    [oot] = by_code["CAL-OOT"]
    assert oot["subject"] == "E-13" and oot["data"]["tco2e_correction"] > 0
    assert {f["subject"] for f in by_code["CAL-OVERDUE"]} >= {"W-01"}  # due 2026-03-10
    assert any("2025-07" in f["message"] and f["subject"] == "E-01" for f in by_code["DATA-RECON"])
    [missing] = by_code["DATA-MISSING"]
    assert missing["subject"] == "coal" and missing["data"]["tco2e_at_stake"] > 9000


def test_check_with_ledger_and_readings_names_the_tonnes_at_stake(tmp_path) -> None:
    """The same journey through `tanjiliang check --ledger --readings` (issue 3 'done when')."""
    runner = CliRunner()
    ledger = _ledger_with_a_failed_confirmation(runner, tmp_path)
    df, _ = plant_year()
    readings = tmp_path / "readings.parquet"
    df.write_parquet(readings)
    r = runner.invoke(app, ["check", str(FIXTURE), "--ledger", str(ledger), "--readings", str(readings),
                            "--format", "json", "--as-of", "2026-06-30", "--lang", "en"])
    assert r.exit_code == 1, r.output
    out = json.loads(r.output)
    codes = {f["code"] for f in out["findings"]}
    assert {"CAL-OOT", "CAL-OVERDUE", "DATA-RECON", "DATA-MISSING"} <= codes
    oot = next(f for f in out["findings"] if f["code"] == "CAL-OOT")
    assert oot["subject"] == "E-13" and oot["data"]["tco2e_correction"] > 0
    assert out["conclusion"] == "nonconforming"
    severities = [f["severity"] for f in out["findings"]]
    assert severities == sorted(severities, key=lambda s: s != "nonconformity")
    # a readings file that cannot be read is bad input: exit 2, named
    bad = tmp_path / "bad.csv"
    bad.write_text("no,such,columns\n1,2,3\n", encoding="utf-8")
    r = runner.invoke(app, ["check", str(FIXTURE), "--readings", str(bad), "--lang", "en"])
    assert r.exit_code == 2 and "bad.csv" in r.output
