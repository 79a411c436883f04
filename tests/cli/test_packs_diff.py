"""``tanjiliang packs diff OLD NEW UNIT_OR_FOLDER...`` (issue 11 §7) and ``province reassess
--pack``: what changes unit by unit between two packs, as text, JSON and XLSX."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from unit_builders import base_unit, instrument, stream

ROOT = Path(__file__).resolve().parents[2]
HENAN = ROOT / "src" / "tanjiliang" / "rules" / "packs" / "henan-2025-draft.yaml"


def _unit(tmp_path: Path, name: str, tco2: str) -> Path:
    p = tmp_path / "units" / name
    p.parent.mkdir(exist_ok=True)
    p.write_text(yaml.safe_dump(base_unit(source_streams=[stream("s", tco2)],
                                          instruments=[instrument("W", "s", "boundary")]), allow_unicode=True))
    return p


def _stricter(tmp_path: Path) -> Path:
    # the "official" pack of the walk-through: key-unit threshold 20 000 t instead of 26 000 t
    text = HENAN.read_text(encoding="utf-8")
    text = re.sub(r"(key_emission_threshold_tco2e: \{value: )26000", r"\g<1>20000", text)
    text = text.replace("name: henan-2025-draft", "name: henan-2026").replace("status: draft", "status: official")
    path = tmp_path / "henan-2026.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packs_diff_text_json_xlsx(tmp_path):
    _unit(tmp_path, "a.yaml", "22000")   # below 26 000 (voluntary), above 20 000 (key unit)
    _unit(tmp_path, "b.yaml", "30000")   # a key unit under both
    new = _stricter(tmp_path)
    folder = str(tmp_path / "units")
    r = CliRunner().invoke(app, ["packs", "diff", "henan-2025-draft", str(new), folder, "--format", "json",
                                 "--as-of", "2025-12-31", "-o", str(tmp_path / "d.xlsx")])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["format"] == "tanjiliang/packs-diff@1" and data["new"]["name"] == "henan-2026"
    a, b = data["units"]
    assert {"kind": "key_unit", "subject": "unit", "old": False, "new": True} in a["changes"]
    assert {"kind": "finding", "subject": "SCOPE-VOLUNTARY unit", "old": "observation", "new": None} in a["changes"]
    assert b["changes"] == [] and data["changed"] == 1
    wb = load_workbook(tmp_path / "d.xlsx")
    assert wb.sheetnames == ["单位", "变化", "规则包"] and wb["变化"].max_row == 1 + len(a["changes"])
    text = CliRunner().invoke(app, ["packs", "diff", "henan-2025-draft", str(new), folder, "--lang", "en"])
    assert text.exit_code == 0 and "key emission unit unit: no → yes" in text.output
    assert "2 units, 1 changed, 0 with another conclusion" in text.output


def test_packs_diff_broken_pack_or_unit_is_exit_2(tmp_path):
    _unit(tmp_path, "a.yaml", "30000")
    bad = tmp_path / "bad.yaml"
    bad.write_text(HENAN.read_text(encoding="utf-8").replace("  CAL-NONE:", "  CAL-NONE-X:"), encoding="utf-8")
    r = CliRunner().invoke(app, ["packs", "diff", "henan-2025-draft", str(bad), str(tmp_path / "units"), "--lang", "en"])
    assert r.exit_code == 2 and "Traceback" not in r.output and "findings" in r.output
    (tmp_path / "units" / "broken.yaml").write_text("unit: [", encoding="utf-8")
    r = CliRunner().invoke(app, ["packs", "diff", "henan-2025-draft", "eu-mrr-2018", str(tmp_path / "units")])
    assert r.exit_code == 2 and "broken.yaml" in r.output


def test_province_reassess_with_a_pack(tmp_path):
    root = tmp_path / "prov"
    r = CliRunner().invoke(app, ["province", "generate", str(root), "--units", "3", "--instruments", "5"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["province", "reassess", str(root), "--workers", "1", "--pack", "eu-mrr-2018",
                                 "--lang", "en"])
    assert r.exit_code == 0, r.output
    import polars as pl

    df = pl.read_parquet(root / "summary.parquet")
    assert set(df["pack"].to_list()) == {"eu-mrr-2018"}
    bad = CliRunner().invoke(app, ["province", "reassess", str(root), "--workers", "1", "--pack", "no-such-pack"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_packs_show_lists_the_scope_options_a_pack_sets():
    r = CliRunner().invoke(app, ["packs", "show", "cn-ets-2024", "--lang", "en"])
    assert r.exit_code == 0 and "key-unit basis" in r.output and "indirect emissions" in r.output
    r = CliRunner().invoke(app, ["packs", "show", "henan-2025-draft", "--lang", "en"])
    assert r.exit_code == 0 and "key-unit basis" not in r.output


def test_packs_show_in_words():
    """Issue 13: rules and citations in words — status words, Chinese titles, 转引, levels."""
    zh = CliRunner().invoke(app, ["packs", "show", "henan-2025-draft"], terminal_width=200)
    assert zh.exit_code == 0, zh.output
    for words in ("V 已核实", "I 推断", "S 转引", "一级、二级、三级", "累计判定", "≥ 26000 tCO₂e",
                  "欧盟委员会 (EU) 2018/2066 号实施条例", "第19条第3款(b)项", "微量源流阈值 下限"):
        assert words in zh.output, words
    for code in ("joint", "de_minimis", "floor_tco2e", "> previous", "solid_fuel"):
        assert code not in zh.output, code
    en = CliRunner().invoke(app, ["packs", "show", "henan-2025-draft", "--lang", "en"], terminal_width=200)
    assert "S secondary" in en.output and "Art. 19(3)(b)" in en.output and "level 1, level 2, level 3" in en.output
