"""YAML's booleans where a number or a text goes (session 6): ``records_retention_years: yes``
became 1 year and a consumer share ``B1: true`` became 1, silently; ``model: NO`` was refused
as "应为文字" without saying why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str]]


@pytest.mark.parametrize(("old", "new", "where"), [
    ("records_retention_years: 5", "records_retention_years: yes", "97 management.records_retention_years"),
    ("year: 2025", "year: true", "7 unit.year"),
    ("consumers: {B1: 0.5, B2: 0.5}", "consumers: {B1: on, B2: 0.5}", "33 source_streams[0].consumers.B1"),
])
def test_a_boolean_where_a_number_goes_is_refused(tmp_path: Path, spec_text: str, cli: Cli,
                                                  old: str, new: str, where: str) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace(old, new, 1), encoding="utf-8")
    line, path = where.split(" ")
    code, out = cli("check", f, "--as-of", "2025-12-31")
    assert code == 2 and f"{f}:{line} {path}: 应为数值，不是真假值" in out, out
    assert "数值过小" not in out, out  # said once, not also as "1 < 1990"
    code, out = cli("check", f, "--as-of", "2025-12-31", "--lang", "en")
    assert code == 2 and f"{f}:{line} {path}: must be a number, not true or false" in out, out


def test_a_boolean_where_a_text_goes_says_to_quote_it(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace("model: GCU-100", "model: NO"), encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and "instruments[0].model: 应为文字（yes、no、on、off、true、false 不加引号会被读作真假值，请加引号）" in out, out
