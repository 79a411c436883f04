"""Dates on the command line written as the unit file and the ledger accept them (session 6):
``--as-of 2025/12/31`` was refused while the unit file beside it said 2025/3/2; 2026-02-30 is
refused naming the option, in one language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


@pytest.mark.parametrize("text", ["2025/12/31", "2025年12月31日", "2025.12.31"])
def test_as_of_as_people_write_it(cli: Cli, text: str) -> None:
    code, out = cli("check", SPEC, "--as-of", text)
    assert code == 1 and "评价日期 2025-12-31" in out, out


def test_an_impossible_date_is_refused(cli: Cli, tmp_path: Path) -> None:
    code, out = cli("check", SPEC, "--as-of", "2026-02-30")
    assert code == 2 and "--as-of: “2026-02-30”不是日期（如 2025-12-31" in out, out
    code, out = cli("check", SPEC, "--as-of", "2026-02-30", "--lang", "en")
    assert code == 2 and '--as-of: "2026-02-30" is not a date (e.g. 2025-12-31, 2025/12/31)' in out, out
    f = tmp_path / "r.csv"
    f.write_text("instrument,time,value\nW-01,2025-01-01 00:00,1\n", encoding="utf-8")
    code, out = cli("data", "check", SPEC, f, "--from", "2025/13/1")
    assert code == 2 and "--from: “2025/13/1”不是日期" in out, out
