"""A new user's messy files fed to every command (session 6, input hardening): the exit code,
no traceback, the file, line and field named, one language per message.

``cli`` runs the installed command's path (the Typer app inside its safety net) in this
process and returns (exit code, everything printed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tanjiliang.cli import safety
from tanjiliang.cli.app import app

SPEC = Path(__file__).parents[1] / "data" / "spec-example.yaml"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as e:
        safety.run(lambda: app(args, prog_name="tanjiliang"), args)
    out = capsys.readouterr()
    code = e.value.code if isinstance(e.value.code, int) else (0 if e.value.code is None else 1)
    return code, out.err + out.out


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    def run(*args: str) -> tuple[int, str]:
        return run_cli([str(a) for a in args], capsys)
    return run


@pytest.fixture
def spec_text() -> str:
    return SPEC.read_text(encoding="utf-8")


def latin_words(text: str) -> set[str]:
    """Runs of three or more Latin letters (English words, snake_case codes) in ``text``."""
    import re

    return set(re.findall(r"[A-Za-z_]{3,}", text))
