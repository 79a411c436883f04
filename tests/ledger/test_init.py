"""``tanjiliang init --sector S -o FILE``: a valid, commented unit file for each kind of plant
and the matching ledger beside it; each loads, assesses and imports (issue 12, item 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanjiliang.assess.engine import assess
from tanjiliang.cli.app import app
from tanjiliang.ledger.excel import read_changes
from tanjiliang.ledger.starters import SECTORS
from tanjiliang.model.load import load_unit


@pytest.mark.parametrize("sector", SECTORS)
def test_init_writes_a_unit_file_and_ledger_that_load_and_check(tmp_path: Path, sector: str) -> None:
    out = tmp_path / "plant.yaml"
    r = CliRunner().invoke(app, ["init", "--sector", sector, "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ") and "# 次级单位" in text and "# 计量器具台账" in text  # commented in Chinese
    unit = load_unit(out)
    assert unit.instruments and unit.source_streams and unit.management is not None
    result = assess(unit, as_of=date(2025, 12, 31))
    assert result.instruments
    book = tmp_path / "plant-台账.xlsx"
    assert book.exists()
    cs, _ = read_changes(unit, book)  # the ledger template is the unit's own ledger
    assert cs.empty and not cs.absent and len(cs.unchanged) == len(unit.instruments)
    r = CliRunner().invoke(app, ["check", str(out), "--as-of", "2025-12-31"])
    assert r.exit_code in (0, 1), r.output


def test_init_does_not_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "plant.yaml"
    out.write_text("mine", encoding="utf-8")
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out)])
    assert r.exit_code == 2 and out.read_text(encoding="utf-8") == "mine"
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out), "--force"])
    assert r.exit_code == 0, r.output
    assert load_unit(out).equipment[1].name == "2号燃气锅炉"


def test_init_in_english_names_its_ledger_in_english(tmp_path: Path) -> None:
    # an English user meets no Chinese file name they did not write (issue 13)
    out = tmp_path / "plant.yaml"
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "plant-ledger.xlsx").exists() and not (tmp_path / "plant-台账.xlsx").exists()
    assert "台账" not in r.output, r.output
