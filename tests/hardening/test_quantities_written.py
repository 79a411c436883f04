"""Quantities as people write them (session 6): thousands grouped by spaces ("1 830 000 t", as
the specification writes 26 000 t) were refused with "unit 830 000 t unknown"; "T" for tonnes
(the tesla to pint) was answered in pint's notation "[mass] / [time] ** 2 / [current]"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., tuple[int, str]]


def test_thousands_grouped_by_spaces(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace('"1830000 t"', '"1 830 000 t"'), encoding="utf-8")
    code, out = cli("check", f, "--as-of", "2025-12-31")
    assert code == 1 and "排放总量 3,924,413.7 tCO₂e" in out, out


def test_t_for_tonnes_is_explained_without_pint_notation(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace('"1830000 t"', '"1830000 T"'), encoding="utf-8")
    code, out = cli("check", f)
    assert code == 2 and "source_streams[0].activity: “1830000 T”的量纲是其他物理量" in out, out
    assert "（T 是特斯拉；吨请写 t）" in out and "[mass]" not in out and "[current]" not in out, out
    code, out = cli("check", f, "--lang", "en")
    assert code == 2 and '("T" is the tesla; write tonnes as t)' in out and "[mass]" not in out, out
