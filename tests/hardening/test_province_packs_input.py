"""province generate/publish and packs diff fed wrong input (session 6): --years abc and a
folder given to publish ended in tracebacks (ValueError, polars' InvalidOperationError);
--units -1 "generated -1 units"; a missing folder for packs diff printed "[Errno 2] No such
file or directory" on a Chinese command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


@pytest.mark.parametrize(("args", "zh"), [
    (("--units", "1", "--years", "abc"), "--years: “abc”不是报告年度"),
    (("--units", "-1"), "--units: “-1”应为至少 1 个单位"),
    (("--units", "1", "--instruments", "-5"), "--instruments: “-5”不能为负"),
])
def test_generate_refuses_wrong_numbers(tmp_path: Path, cli: Cli, args: tuple[str, ...], zh: str) -> None:
    code, out = cli("province", "generate", tmp_path / "p", *args)
    assert code == 2 and zh in out and "Traceback" not in out, out
    assert not (tmp_path / "p").exists()


def test_publish_refuses_what_is_not_a_summary(tmp_path: Path, cli: Cli) -> None:
    code, out = cli("province", "publish", tmp_path)
    assert code == 2 and "不是 province reassess 写出的汇总文件" in out and "Traceback" not in out, out
    code, out = cli("province", "publish", SPEC, "--lang", "en")
    assert code == 2 and "not the summary file province reassess writes" in out, out


def test_packs_diff_on_a_missing_folder_in_chinese(tmp_path: Path, cli: Cli) -> None:
    code, out = cli("packs", "diff", "henan-2025-draft", "eu-mrr-2018", tmp_path / "nonexist")
    assert code == 2 and "文件或文件夹不存在" in out and "Errno" not in out and "No such file" not in out, out


def test_month_export_refuses_a_workbook_named_otherwise(tmp_path: Path, cli: Cli) -> None:
    code, out = cli("month", "export", SPEC, "--records", tmp_path, "-o", tmp_path / "存证.txt")
    assert code == 2 and "存证.txt: 文件须为 .xlsx" in out and not (tmp_path / "存证.txt").exists(), out
