"""Huge numbers and files not in UTF-8: an error naming the file and line, or a result — never
a traceback (session 6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., tuple[int, str]]


def test_a_number_beyond_float_is_named_not_a_crash(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace('"1830000 t"', '"1e400 t"'), encoding="utf-8")
    for lang, words in (("zh", "不是有限的数值"), ("en", "is not a finite number")):
        code, out = cli("check", f, "--lang", lang)
        assert code == 2, out
        assert "Traceback" not in out and "InvalidOperation" not in out
        assert f"{f}:27 source_streams[0].activity" in out and words in out


def test_a_huge_finite_activity_is_assessed_and_drawn(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    """10³⁵ t rounded to the pack's decimals needs more than decimal's 28 digits."""
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text.replace('"1830000 t"', '"183000000000000000000000000000000000 t"'), encoding="utf-8")
    code, out = cli("check", f, "--as-of", "2025-12-31")
    assert code == 1 and "Traceback" not in out, out
    code, out = cli("diagram", f, "-o", tmp_path / "flow.svg")
    assert code == 0 and (tmp_path / "flow.svg").exists(), out


def test_a_gbk_unit_file_is_named_as_such(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_bytes(spec_text.encode("gbk"))
    code, out = cli("check", f)
    assert code == 2 and f"{f}:3" in out and "GBK" in out and "另存为 UTF-8" in out, out
    code, out = cli("check", f, "--lang", "en")
    assert code == 2 and "save it as UTF-8" in out, out


def test_a_folder_holding_a_gbk_file_does_not_crash_kpi(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    (tmp_path / "good.yaml").write_text(spec_text, encoding="utf-8")
    (tmp_path / "gbk.yaml").write_bytes(spec_text.encode("gbk"))
    _, out = cli("kpi", tmp_path, "--as-of", "2025-12-31")
    assert "Traceback" not in out and "UnicodeDecodeError" not in out, out
    assert "gbk.yaml" in out and "UTF-8" in out, out


def test_fmt_check_says_why_it_fails(tmp_path: Path, spec_text: str, cli: Cli) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(spec_text, encoding="utf-8")  # comments and flow style: not canonical
    code, out = cli("fmt", f, "--check")
    assert code == 1 and f"{f}：不是规范格式（运行 tanjiliang fmt 改写）" in out, out
    code, out = cli("fmt", f, "--check", "--lang", "en")
    assert code == 1 and "not in canonical form" in out, out
