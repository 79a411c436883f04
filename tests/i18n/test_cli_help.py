"""Issue 13: each command's ``--help`` is in one language — Chinese by default, English with
``--lang en`` — for every command and option of the command tree."""

from __future__ import annotations

import pytest
from leaks import UserWords, leaks
from typer.main import get_command
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.cli.localise import pick_help

# Placeholders and syntax a help text shows as written (date formats, file suffixes, metavars).
SYNTAX = UserWords(["YYYY-MM-DD", "YYYY-MM", "xlsx", "csv", "json", "yaml", "yml", "parquet",
                    "svg", "png", "pdf", "html", "text", "zh", "en", "Parquet", "ppm",
                    # option values, program and variable names typed as written
                    "dry", "wet", "DATABASE_URL", "gunicorn", "b", "DAS"])


def _texts() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(cmd, path: str) -> None:
        out.append((path, cmd.help or ""))
        for p in cmd.params:
            out.append((f"{path} {p.name}", getattr(p, "help", None) or ""))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(get_command(app), "tanjiliang")
    return [(w, t) for w, t in out if t]


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_every_help_text_in_one_language(lang: str) -> None:
    found = []
    for where, text in _texts():
        shown = pick_help(text, lang) or ""
        found += [f"{where}: {x}" for x in leaks(shown, lang, SYNTAX)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("args", "word", "absent"), [
    (["check", "--help"], "用法", "Usage"),
    (["check", "--help", "--lang", "en"], "Usage", "用法"),
    (["--help"], "命令", "Commands"),
])
def test_help_pages_follow_the_language(args: list[str], word: str, absent: str) -> None:
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert word in r.output and absent not in r.output
