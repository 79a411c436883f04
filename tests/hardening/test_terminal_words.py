"""Terminal reports in one language with nothing internal (issue 13's leftovers, session 6):
``check`` lists unequipped metering points by stream and quantity (not ``coal.ncv`` or
``coal@G2``) and writes tCO₂e as Chinese practice does; ``data check`` names the file layout,
the kind of reading and the comparison in words (not ``(long)``, ``amount``, ``vs``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


def test_check_names_missing_points_in_words(cli: Cli) -> None:
    code, out = cli("check", SPEC, "--as-of", "2025-12-31")
    assert code == 1, out
    line = next(x for x in out.splitlines() if x.startswith("未配备的计量点："))
    assert "入炉烟煤 活动数据（G2）" in line and "入炉烟煤 低位发热量（实验室）" in line, line
    assert "coal." not in line and "@" not in line and "carbon_content" not in line, line
    assert "tCO2e" not in out and " tCO₂e ┃" in out, out
    code, out = cli("check", SPEC, "--as-of", "2025-12-31", "--lang", "en")
    line = next(x for x in out.splitlines() if x.startswith("Metering points without an instrument:"))
    assert "入炉烟煤 NCV (Laboratory)" in line and "coal." not in line and "实验室" not in line, line


def test_data_check_names_layout_and_kind_in_words(tmp_path: Path, cli: Cli) -> None:
    readings = tmp_path / "读数.csv"
    readings.write_text("instrument,time,value,unit\nW-01,2025-01-01 00:00,100,t\n"
                        "W-01,2025-01-01 01:00,110,t\n", encoding="utf-8")
    code, out = cli("data", "check", SPEC, readings, "--from", "2025-01-01", "--to", "2025-02-01",
                    "--as-of", "2025-12-31")
    assert code == 1, out
    assert "读数.csv (长表)" in out and "│ 区间量 │" in out and "读数合计与申报值对比" in out, out
    for word in ("(long)", " amount ", " vs ", "tCO2e"):
        assert word not in out, word
    code, out = cli("data", "check", SPEC, readings, "--from", "2025-01-01", "--to", "2025-02-01",
                    "--as-of", "2025-12-31", "--lang", "en")
    assert "读数.csv (long)" in out and "metered vs declared" in out and "区间量" not in out, out


def test_below_the_key_unit_threshold_in_tco2e(tmp_path: Path, cli: Cli) -> None:
    """The key-unit finding wrote tCO2e in ASCII (its tCO₂e was lost once in a whole-file commit)."""
    text = SPEC.read_text(encoding="utf-8").replace('"1830000 t"', '"100 t"').replace('"21000 t"', '"10 t"')
    f = tmp_path / "small.yaml"
    f.write_text(text, encoding="utf-8")
    _, out = cli("check", f, "--as-of", "2025-12-31")
    assert "tCO₂e 低于" in out and "tCO2e 低于" not in out, out
