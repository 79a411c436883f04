"""``--help --lang en`` on a command group, a mistyped command and wrong option values
(session 6): a group has no --lang option and refused it in English ("No such option:
--lang"); Typer's "Did you mean …?" was English inside a Chinese error; Typer's own usage
errors (its copy of click writes them as English f-strings, with pydantic's "Input should be
a valid integer") reached Chinese users in English."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str) -> tuple[int, str]:
    r = subprocess.run([str(Path(sys.executable).parent / "tanjiliang"), *args],
                       capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "100"})
    return r.returncode, r.stdout + r.stderr


@pytest.mark.parametrize("group", ["review", "month", "province", "data"])
def test_group_help_in_english(group: str) -> None:
    code, out = _run(group, "--help", "--lang", "en")
    assert code == 0 and "Usage: tanjiliang" in out and "No such option" not in out, out


def test_a_mistyped_command_in_one_language() -> None:
    code, out = _run("review", "prefil")
    assert code == 2 and "没有此命令：'prefil'。是否要输入 'prefill'？" in out and "Did you mean" not in out, out
    code, out = _run("review", "prefil", "--lang", "en")
    assert code == 2 and "Did you mean 'prefill'?" in out, out


@pytest.mark.parametrize(("args", "zh", "en"), [
    (("check", "x.yaml", "--format", "xml"), "“--format”的值无效：“xml”不是可选值（text、json）",
     "Invalid value for '--format': 'xml' is not one of 'text', 'json'."),
    (("plan", "x.yaml", "--budget", "abc"), "“--budget”的值无效：应为数字", "Invalid value for '--budget': must be a number"),
    (("init", "--sector", "power", "-o", "x.yaml", "--year", "abc"), "“--year”的值无效：应为整数",
     "Invalid value for '--year': must be a whole number"),
    (("check",), "缺少参数“文件”。", "Missing argument"),
    (("month", "close", "x.yaml", "--month", "2025-03"), "缺少选项“--records”。", "Missing option '--records'"),
    (("check", "x.yaml", "--pack"), "选项“--pack”需要一个值。", "requires an argument"),
    (("check", "x.yaml", "extra"), "多余的参数（extra）", "extra"),
])
def test_usage_errors_in_one_language(args: tuple[str, ...], zh: str, en: str) -> None:
    code, out = _run(*args)
    assert code == 2 and zh in out, out
    assert "Input should" not in out and "Invalid value" not in out and "Missing" not in out, out
    k = 2 if args[0] == "month" else 1  # --lang right after the command (--pack would take it)
    code, out = _run(*args[:k], "--lang", "en", *args[k:])
    assert code == 2 and en in " ".join(out.replace("│", " ").split()), out
    assert "Input should" not in out and "Value error" not in out, out
