"""Every command's Chinese ``--help`` shows Typer's placeholders in Chinese (session 6): the
usage line said ``[OPTIONS]``, ``COMMAND [ARGS]...`` and ``{file}``, and every option carried
Typer's Python type (``<str>``, ``<bool>``, ``<list[Path]>``). English pages keep Typer's words;
choices (``<text|json>``) are what one types and stay as they are."""

from __future__ import annotations

import re

from typer.main import get_command
from typer.testing import CliRunner

from tanjiliang.cli.app import app

#: what Typer prints of the code in a help page
CODE_WORDS = re.compile(r"\[OPTIONS\]|COMMAND \[ARGS\]|<(?:list\[)?(?:str|int|float|bool|path|Path|file|dir)\b|"
                        r"\{(?:file|unit_file|name|old|new|root|out|units|summary|standard|instrument)\}|"
                        r"UNIT_OR_FOLDER|\bLEDGER\b|\bREADINGS\b|\bFILES\b")


def every_command() -> list[list[str]]:
    root = get_command(app)
    out: list[list[str]] = [[]]

    def walk(cmd: object, path: list[str]) -> None:
        commands = getattr(cmd, "commands", {})
        for name in list(commands):
            out.append([*path, name])
            walk(commands[name], [*path, name])

    walk(root, [])
    return out


def test_chinese_help_pages_have_no_code_placeholders() -> None:
    runner = CliRunner()
    found = []
    for path in every_command():
        r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "160"})
        assert r.exit_code == 0, (path, r.output)
        found += [f"{' '.join(path) or '(root)'}: {m.group(0)}" for m in CODE_WORDS.finditer(r.output)]
    assert not found, "\n".join(found)


def test_english_help_pages_keep_typers_words() -> None:
    r = CliRunner().invoke(app, ["check", "--help", "--lang", "en"], env={"COLUMNS": "160"})
    assert "Usage: tanjiliang check [OPTIONS] {file}" in r.output and "<str>" in r.output, r.output
    r = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "160"})
    assert "用法：tanjiliang check [选项] {文件}" in r.output and "<文本>" in r.output, r.output
    assert "<text|json>" in r.output  # a choice is what one types


def test_a_missing_argument_is_named_in_chinese() -> None:
    r = CliRunner().invoke(app, ["kpi"])
    assert r.exit_code == 2 and "缺少参数“单位文件或目录”" in r.output, r.output
    r = CliRunner().invoke(app, ["kpi", "--lang", "en"])
    assert r.exit_code == 2 and "UNIT_OR_FOLDER" in r.output, r.output
