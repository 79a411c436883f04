"""Readings CSVs as European tools and careless exports write them (session 6): "1.234,5" in a
semicolon file was read as 1.2345 (the decimal comma was recognised only without thousands
dots); a header naming one column twice silently read only the first."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


def test_decimal_comma_with_thousands_dots(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.csv"
    f.write_text("instrument;time;value;unit\nW-01;2025-01-01 00:00;1.234,5;t\nW-01;2025-01-01 01:00;1.300,0;t\n",
                 encoding="utf-8")
    _, out = cli("data", "check", SPEC, f, "--from", "2025-01-01", "--to", "2025-02-01", "--format", "json")
    d = json.loads(out[out.index("{"):])
    assert d["instruments"][0]["amount"] == 2534.5, d["instruments"]


def test_a_column_named_twice_is_refused(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.csv"
    f.write_text("instrument,time,value,value\nW-01,2025-01-01 00:00,1,2\n", encoding="utf-8")
    code, out = cli("data", "check", SPEC, f)
    assert code == 2 and f"{f}:1 [value]: 表头中此列出现了不止一次" in out, out


def test_columns_not_read_are_said(tmp_path: Path, cli: Cli) -> None:
    """A DCS quality flag or a note column in a long readings file was dropped in silence."""
    f = tmp_path / "r.csv"
    f.write_text("instrument,time,value,unit,备注,quality\nW-01,2025-01-01 00:00,100,t,夜班,good\n", encoding="utf-8")
    _, out = cli("data", "check", SPEC, f, "--from", "2025-01-01", "--to", "2025-02-01")
    assert "未读取的列：备注、quality" in out, out
    _, out = cli("data", "check", SPEC, f, "--from", "2025-01-01", "--to", "2025-02-01", "--lang", "en")
    assert "columns not read: 备注, quality" in out, out


def test_a_readings_value_quoted_in_each_languages_marks(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.csv"
    f.write_text("instrument,time,value,unit\nW-01,2025-01-01 00:00,100,furlong\n", encoding="utf-8")
    _, out = cli("data", "check", SPEC, f, "--from", "2025-01-01", "--to", "2025-02-01", "--lang", "en")
    assert '[unit] "furlong":' in out and "“" not in out, out
    _, out = cli("data", "check", SPEC, f, "--from", "2025-01-01", "--to", "2025-02-01")
    assert "[unit] “furlong”:" in out, out
