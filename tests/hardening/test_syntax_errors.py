"""A unit file, pack or cost file with a YAML or JSON syntax error: the Chinese message says
what is wrong in Chinese, never the parser's English (issue 13); the English keeps it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str]]

YAML_CASES = [
    # (what the user did, replace, by, line, Chinese words)
    ("unclosed brace", "  - {id: G1, name: 1号机组}", "  - {id: G1, name: 1号机组", 12, "右花括号"),
    ("unclosed bracket", "consumers: [B1, B2]", "consumers: [B1, B2", 40, "右方括号"),
    ("tab indentation", "  name: 河南豫能示例热电有限公司", "\tname: 河南豫能示例热电有限公司", 3, "制表符"),
    ("colon in a value", "  region: 河南省郑州市", "  region: 河南省: 郑州市", 6, "加引号"),
    ("indentation", "  region: 河南省郑州市", "   region: 河南省郑州市", 6, "缩进不对"),
    ("backslash path", "  region: 河南省郑州市", '  region: "C:\\data\\x"', 6, "反斜杠"),
]


def _english(text: str) -> list[str]:
    """English words of the error lines (the file name aside)."""
    words = []
    for line in text.splitlines()[1:]:
        msg = line.split(": ", 1)[-1]
        words += [w for w in re.findall(r"[A-Za-z]{3,}", msg) if w not in {"YAML", "JSON", "UTF"}]
    return words


@pytest.mark.parametrize(("what", "old", "new", "line", "zh"), YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_yaml_syntax_in_chinese(tmp_path: Path, spec_text: str, cli: Cli,
                                what: str, old: str, new: str, line: int, zh: str) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace(old, new), encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and f"{f}:{line}: YAML 语法错误：" in out and zh in out, out
    assert not _english(out), out
    code, out = cli("check", f, "--lang", "en")
    assert code == 2 and "YAML syntax error" in out and not re.search(r"[\u4e00-\u9fff]", out.split(":", 2)[-1]
                                                                      .replace(new.strip(), "")), out


@pytest.mark.parametrize(("text", "zh"), [
    ('{"format": "tanjiliang/unit@1",}', "末尾多了逗号"),
    ("{'format': 'tanjiliang/unit@1'}", "单引号"),
    ('{"format" "tanjiliang/unit@1"}', "冒号"),
    ('{"format": "tanjiliang/unit@1', "双引号"),
])
def test_json_syntax_in_chinese(tmp_path: Path, cli: Cli, text: str, zh: str) -> None:
    f = tmp_path / "unit.json"
    f.write_text(text, encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and f"{f}:1: JSON 语法错误：" in out and zh in out, out
    assert not _english(out), out


def test_a_pack_with_a_syntax_error_in_chinese(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    unit = tmp_path / "unit.yaml"
    unit.write_text(spec_text, encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text("format: x\npack: [\n", encoding="utf-8")
    code, out = cli("check", unit, "--pack", pack)
    assert code == 2 and f"{pack}:3: YAML 语法错误：" in out and not _english(out), out
