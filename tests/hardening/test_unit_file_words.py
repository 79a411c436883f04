"""A unit file's wrong values said in the user's language: the choices by their names (the file
accepts a name where a code goes), the English without pydantic's wording ("Input should be",
"Field required", "Extra inputs are not permitted") or Python's quotes (session 6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str]]
PYDANTIC = re.compile(r"Input should|Field required|Extra inputs|value_error|type=|'2025\.5'")

CASES = [
    # (replace, by, line and path, Chinese, English)
    ("year: 2025", "year: 2025.5", "7 unit.year", "“2025.5”应为整数", '"2025.5": must be a whole number'),
    ("  region: 河南省郑州市", "  region: 河南省郑州市\n  contact_person: 王五", "7 unit.contact_person",
     "未知的键（拼写错误？）", "unknown key (a typo?)"),
    ("  name: 河南豫能示例热电有限公司", "  名称: 河南豫能示例热电有限公司", "2 unit.name", "缺少必填项", "required, missing"),
    ("records_retention_years: 5", "records_retention_years: -5", "97 management.records_retention_years",
     "“-5”数值过小（应不小于 0）", '"-5": too small (at least 0)'),
    ("last_confirmed: 2025-03-10", "last_confirmed: 2026-02-30", "84 instruments[0].last_confirmed",
     "“2026-02-30”不是有效日期", '"2026-02-30": not a valid date (YYYY-MM-DD)'),
    ("    kind: combustion                    #", "    kind: burning #", "25 source_streams[0].kind",
     "“burning”不是允许的取值，应为 燃料燃烧、工业过程、购入电力、购入热力",
     '"burning" is not one of: Combustion, Process, Purchased electricity, Purchased heat'),
    ("confirmation: verification ", "confirmation: 检测 ", "82 instruments[0].confirmation",
     "“检测”不是允许的取值，应为 检定、校准 之一", '"检测" is not one of: Verification, Calibration'),
    ("type: rail_scale ", "type: 秤 ", "74 instruments[0].type",
     "“秤”不是规则包 henan-2025-draft 中的器具类型（可用：轨道衡、动态轨道衡、汽车衡",
     '"秤" is not an instrument type of pack henan-2025-draft (known: Rail scale, Dynamic (in-motion) rail scale'),
]


@pytest.mark.parametrize(("old", "new", "where", "zh", "en"), CASES, ids=[c[2].split()[1] for c in CASES])
def test_wrong_values_in_words(tmp_path: Path, spec_text: str, cli: Cli,
                               old: str, new: str, where: str, zh: str, en: str) -> None:
    assert old in spec_text
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace(old, new, 1), encoding="utf-8")
    code, out = cli("check", f, "--as-of", "2025-12-31")
    line, path = where.split(" ")
    assert code == 2 and f"{f}:{line} {path}: {zh}" in out, out
    assert "rail_scale" not in out and "belt_scale" not in out and " or " not in out, out
    code, out = cli("check", f, "--as-of", "2025-12-31", "--lang", "en")
    assert code == 2 and f"{f}:{line} {path}: {en}" in out, out
    assert not PYDANTIC.search(out), out
    assert "轨道衡" not in out and "检定" not in out, out


def test_an_interval_hint_in_chinese(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace("interval: 12 months", "interval: 十二个月"), encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and "“十二个月”不是检定周期/校准间隔（如 12个月、1 年）" in out and "months" not in out, out


def test_a_key_written_by_its_chinese_label_is_named(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace("  region: 河南省郑州市", "  所在地区: 河南省郑州市"), encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and "unit.所在地区: 未知的键；“所在地区”请写作 region" in out, out
    code, out = cli("check", f, "--lang", "en")
    assert code == 2 and 'unit.所在地区: unknown key; write "所在地区" as region' in out, out


def test_an_invisible_character_is_made_visible(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    """A zero-width space pasted into an id looked like the right id in the message."""
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace("measures: coal                      #", 'measures: "coal\\u200b"  #', 1),
                 encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and "instruments[0].measures: “coal⟨U+200B⟩”" in out, out


def test_an_empty_section_says_how_to_write_none(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text("format: tanjiliang/unit@1\nunit: {name: 空厂, year: 2025}\ninstruments:\n", encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and "instruments: 应为列表；此键下没有内容（没有条目请写 []，或删去此键）" in out, out
