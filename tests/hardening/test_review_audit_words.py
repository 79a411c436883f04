"""``review verify`` on a file that is not a review record and ``audit verify`` without a
database (session 6): the JSON parser's and pydantic's English, the field names and "the local
SQLite database" reached Chinese users."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


def _latin(out: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z_]{3,}", out.split(": ", 1)[-1]) if w not in {"JSON", "SQLite"}]


def test_review_verify_on_a_yaml_file(cli: Cli) -> None:
    code, out = cli("review", "verify", SPEC)
    assert code == 2 and "不是审查记录：JSON 语法错误：此处应为一个值" in out and not _latin(out), out


def test_review_verify_on_other_json(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.json"
    f.write_text('{"a": 1}', encoding="utf-8")
    code, out = cli("review", "verify", f)
    assert code == 2 and "不是本系统导出的审查记录（" in out and not _latin(out), out
    code, out = cli("review", "verify", f, "--lang", "en")
    assert code == 2 and "not a review record" in out and "Field required" not in out, out
