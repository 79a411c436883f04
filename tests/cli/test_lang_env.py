"""``TANJILIANG_LANG`` is the default of every command's ``--lang`` (s9 probe finding 9: it
switched ``--help`` only, and ``check`` went on answering in Chinese). An explicit ``--lang``
wins; a value that is no language is refused, naming the variable."""

from __future__ import annotations

import re

import pytest
import yaml
from typer.main import get_command
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from unit_builders import base_unit, instrument, stream

CJK = re.compile(r"[\u4e00-\u9fff]")


def _write(tmp_path, data, name: str = "unit.yaml") -> str:
    f = tmp_path / name
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(f)


def _run(args: list[str], lang: str | None):
    return CliRunner().invoke(app, args, env={"TANJILIANG_LANG": lang, "LANG": "C.UTF-8", "LC_ALL": None,
                                              "LC_MESSAGES": None})


def test_check_output_in_english_by_the_variable_alone(tmp_path):
    data = base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")])
    data["unit"]["name"] = "Plant"  # the one name the user wrote is not Chinese either
    f = _write(tmp_path, data)
    r = _run(["check", f, "--as-of", "2025-12-31"], "en")
    assert r.exit_code == 0, r.output
    assert "Conclusion: conforming" in r.output
    assert not CJK.search(r.output), r.output
    zh = _run(["check", f, "--as-of", "2025-12-31"], None)
    assert "结论" in zh.output and "Conclusion" not in zh.output  # Chinese without it


def test_bad_input_error_in_english_by_the_variable_alone(tmp_path):
    data = base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")])
    data["instruments"][0]["accuracy"] = "0.7S"
    f = _write(tmp_path, data)
    r = _run(["check", f], "en")
    assert r.exit_code == 2
    assert "bad input, nothing written" in r.output
    assert 'instruments[0].accuracy: "0.7S" is not an accuracy class' in r.output
    assert not CJK.search(r.output), r.output


def test_an_explicit_lang_wins(tmp_path):
    f = _write(tmp_path, base_unit(source_streams=[stream("s", 30000)]))
    r = _run(["check", f, "--as-of", "2025-12-31", "--lang", "zh"], "en")
    assert r.exit_code == 1 and "结论：不符合" in r.output and "Conclusion" not in r.output


@pytest.mark.parametrize(("lang", "words"), [
    (None, ["TANJILIANG_LANG", "“fr”不是可选值"]),
    ("en", ["env var: 'TANJILIANG_LANG'", "'fr' is not one of 'zh', 'en'"]),
])
def test_a_value_that_is_no_language_is_refused(tmp_path, lang, words):
    f = _write(tmp_path, base_unit(source_streams=[stream("s", 30000)]))
    env = {"TANJILIANG_LANG": "fr", "LANG": "en_US.UTF-8" if lang == "en" else "C.UTF-8", "LC_ALL": None,
           "LC_MESSAGES": None}
    r = CliRunner().invoke(app, ["check", f], env=env)
    assert r.exit_code == 2
    text = " ".join(r.output.replace("│", " ").split())  # the error box's lines joined
    for w in words:
        assert w in text, r.output


def _commands_with_lang() -> list[list[str]]:
    out: list[list[str]] = []

    def walk(cmd, path: list[str]) -> None:
        if any(p.name == "lang" for p in cmd.params):
            out.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return out


def test_every_lang_option_takes_the_variable():
    paths = _commands_with_lang()
    assert ["check"] in paths and ["ledger", "import"] in paths and len(paths) > 15
    missing = [" ".join(p) for p in paths
               if "TANJILIANG_LANG" not in _run([*p, "--help"], "en").output]
    assert not missing
