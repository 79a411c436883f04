"""``--help --lang en`` on a command group and a mistyped command (session 6): a group has no
--lang option and refused it in English ("No such option: --lang"); Typer's "Did you mean …?"
was English inside a Chinese error."""

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
