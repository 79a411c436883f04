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


def test_thousands_grouped_by_commas_are_read(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace('"1830000 t"', '"1,830,000 t"'), encoding="utf-8")
    code, out = cli("check", f, "--as-of", "2025-12-31")
    assert code == 1 and "排放总量 3,924,413.7 tCO₂e" in out, out


def test_a_comma_that_groups_no_thousands_is_refused_not_read_100_times_larger(
        tmp_path: Path, spec_text: str, cli: Cli) -> None:
    """Probe s10 web #4: "21,46 GJ/t" was stored as 2146 GJ/t (a decimal comma), and a unit of
    5 Mt read as 502 Mt; now refused at the field, saying how to write it."""
    for written in ('"18,30000 t"', '"1830,000 t"', '"1,8300,00 t"'):
        f = tmp_path / "unit.yaml"
        f.write_text(spec_text.replace('"1830000 t"', written), encoding="utf-8")
        code, out = cli("check", f)
        assert code == 2 and "source_streams[0].activity:" in out and "中的逗号不是千位分隔符" in out, (written, out)
    code, out = cli("check", f, "--lang", "en")
    assert code == 2 and "does not separate thousands" in out, out


def test_the_quantity_reader_and_the_words_agree_on_commas() -> None:
    import pytest

    from tanjiliang.model.names import quantity_text, ungrouped
    from tanjiliang.units.registry import QuantityError, parse_quantity

    assert ungrouped("2,450,000.5") == "2450000.5" and ungrouped("21,46") is None and ungrouped("12") == "12"
    assert quantity_text("2,450,000 t")[0] == "2450000 t"
    assert quantity_text("21,46 GJ/t") == ("21,46 GJ/t", None)
    with pytest.raises(QuantityError):
        parse_quantity("21,46 GJ/t")
