"""Bad input: each kind of error names file, line and key path, in zh and en; exit 2 and
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.errors import LoadError
from tanjiliang.model.load import load_unit
from tanjiliang.model.uscc import uscc_check_digit, uscc_problem

SPEC = Path(__file__).parent.parent / "data" / "spec-example.yaml"


def _errors(text: str, name: str = "plant.yaml") -> LoadError:
    with pytest.raises(LoadError) as exc:
        load_unit(name, text)
    return exc.value


def _spec_with(old: str, new: str) -> str:
    text = SPEC.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_spec_example_loads():
    unit = load_unit(SPEC)
    assert [s.id for s in unit.source_streams] == ["coal", "oil", "power", "lime", "ng"]


def test_wrong_dimension_names_line_and_path():
    text = _spec_with('activity: "310 t"', 'activity: "310 MWh/t"')
    err = _errors(text)
    [issue] = err.issues
    assert issue.file == "plant.yaml"
    assert issue.line == _line_of(text, "310 MWh/t")
    assert issue.path == "source_streams[1].activity"
    assert "expected mass or volume" in issue.en
    assert "量纲" in issue.zh


def test_bad_accuracy_class_message_matches_spec_example():
    text = _spec_with('accuracy: "0.2"', 'accuracy: "0.7S"')
    [issue] = _errors(text).issues
    assert issue.path == "instruments[0].accuracy"
    assert issue.line == _line_of(text, '"0.7S"')
    assert '"0.7S" is not an accuracy class or MPE' in issue.message("en")
    assert issue.message("en").startswith(f"plant.yaml:{issue.line} instruments[0].accuracy:")


def test_unknown_reference():
    text = _spec_with("consumers: [AUX]\n  - id: lime", "consumers: [AUX2]\n  - id: lime")
    [issue] = _errors(text).issues
    assert issue.path == "source_streams[2].consumers"
    assert '"AUX2" is not a sub-unit or equipment' in issue.en
    assert issue.line == _line_of(text, "[AUX2]")


def test_unknown_measures_and_place():
    text = _spec_with("measures: coal  ", "measures: coal.moisture  ").replace("at: boundary  ", "at: roof  ", 1)
    issues = _errors(text).issues
    assert {i.path for i in issues} == {"instruments[0].measures", "instruments[0].at"}


def test_duplicate_id_names_both_places():
    text = _spec_with("{id: G2, name: 2号机组}", "{id: G1, name: 2号机组}")
    [issue] = [i for i in _errors(text).issues if i.path.endswith(".id")]
    assert issue.path == "subunits[1].id"
    assert "duplicate id" in issue.en and "subunits[0]" in issue.en


def test_bad_date():
    text = _spec_with("last_confirmed: 2025-03-10", "last_confirmed: 2025-02-30")
    [issue] = _errors(text).issues
    assert issue.path == "instruments[0].last_confirmed"
    assert "YYYY-MM-DD" in issue.zh
    assert issue.line == _line_of(text, "2025-02-30")


def test_bad_check_digit():
    text = _spec_with("91410100MA44ABCD1F", "91410100MA44ABCD1X")
    [issue] = _errors(text).issues
    assert issue.path == "unit.credit_code"
    assert "check digit" in issue.en and "GB 32100" in issue.zh


def test_uscc_check_digit_algorithm():
    # GB 32100-2015: weights 3^(i-1) mod 31; the spec example's code is valid
    assert uscc_check_digit("91410100MA44ABCD1") == "F"
    assert uscc_problem("91350100M000100Y43") is None  # a widely published valid code
    assert uscc_problem("91350100M000100Y44") is not None


def test_malformed_yaml_names_line():
    text = "format: tanjiliang/unit@1\nunit: {name: x, year: 2025\nsubunits: []\n"
    [issue] = _errors(text).issues
    assert issue.line in (2, 3)
    assert "YAML" in issue.en and "YAML 语法错误" in issue.zh


@pytest.mark.parametrize("junk", ["\x03", "a: 1\nb: \x07\n", "\ufffe"])
def test_control_characters_are_bad_input_not_a_crash(junk):
    err = _errors(junk)
    assert err.issues and err.issues[0].file == "plant.yaml"
    assert err.issues[0].line is not None


def test_unknown_key_is_rejected():
    text = _spec_with("    status: in_use  ", "    stauts: in_use  ")
    [issue] = _errors(text).issues
    assert issue.path == "instruments[0].stauts"
    assert "未知的键" in issue.zh


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("91410100MA44ABCD1X", "校验码错误：应为“F”", 'wrong check digit: expected "F"'),
    ("9141010OMA44ABCD1F", "含非法字符“O”", 'contains the character "O", not allowed'),
])
def test_credit_code_problem_is_at_its_own_line_and_path(code, zh, en):
    """A wrong check digit or an illegal character is at ``unit.credit_code`` (its line),
    not at ``unit:`` (s9 probe finding 6)."""
    text = _spec_with("credit_code: 91410100MA44ABCD1F", f"credit_code: {code}")
    [issue] = _errors(text).issues
    assert (issue.path, issue.line) == ("unit.credit_code", _line_of(text, code))
    assert issue.line != _line_of(text, "unit:")
    assert issue.message("zh").startswith(f"plant.yaml:{issue.line} unit.credit_code: ") and zh in issue.zh
    assert en in issue.en


def test_negative_activity_is_at_the_activity():
    """A model validator's problem about one key names that key (``problem(..., at=)``)."""
    text = _spec_with('activity: "310 t"', 'activity: "-310 t"')
    [issue] = _errors(text).issues
    assert (issue.path, issue.line) == ("source_streams[1].activity", _line_of(text, '"-310 t"'))
    assert issue.message("en") == (f"plant.yaml:{issue.line} source_streams[1].activity: activity cannot be "
                                   "negative; an export is written direction: out")


def test_duplicate_yaml_key():
    text = "format: tanjiliang/unit@1\nunit: {name: x, year: 2025}\nunit: {name: y, year: 2025}\n"
    [issue] = _errors(text).issues
    assert issue.line == 3 and "duplicate key" in issue.en


def test_all_problems_reported_at_once():
    text = _spec_with('activity: "310 t"', 'activity: "310 K"')
    text = text.replace('accuracy: "0.2"', 'accuracy: "0.7S"').replace("2025-06-01", "2025-13-01")
    assert len(_errors(text).issues) == 3


def test_json_files_get_lines_too():
    import json

    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    data["instruments"][1]["status"] = "broken"
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    [issue] = _errors(text, "plant.json").issues
    assert issue.path == "instruments[1].status"
    assert issue.line == _line_of(text, '"broken"')


BAD = {  # kind of error → (edit of the spec example, the key path the message must name)
    "wrong dimension": (('activity: "310 t"', 'activity: "310 MWh/t"'), "source_streams[1].activity"),
    "bad accuracy": (('accuracy: "0.2"', 'accuracy: "0.7S"'), "instruments[0].accuracy"),
    "unknown reference": (("consumers: [AUX]\n  - id: lime", "consumers: [AUX2]\n  - id: lime"), "source_streams[2].consumers"),
    "duplicate id": (("{id: G2, name: 2号机组}", "{id: W-11, name: 2号机组}"), "instruments[1].id"),
    "bad date": (("last_confirmed: 2025-03-10", "last_confirmed: 2025-02-30"), "instruments[0].last_confirmed"),
    "bad check digit": (("91410100MA44ABCD1F", "91410100MA44ABCD1X"), "unit.credit_code"),
    "negative activity": (('activity: "310 t"', 'activity: "-310 t"'), "source_streams[1].activity"),
    "malformed YAML": (("  - {id: G2, name: 2号机组}", "  - {id: G2, name: 2号机组"), ""),
}


@pytest.mark.parametrize("kind", sorted(BAD))
@pytest.mark.parametrize("lang,needle", [("zh", "输入有误"), ("en", "bad input")])
@pytest.mark.parametrize("output", ["report.html", "report.xlsx"])
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, kind, lang, needle, output):
    (old, new), path = BAD[kind]
    bad = tmp_path / "plant.yaml"
    bad.write_text(_spec_with(old, new), encoding="utf-8")
    out = tmp_path / output
    result = CliRunner().invoke(app, ["check", str(bad), "--output", str(out), "--lang", lang])
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "plant.yaml:" in result.output and path in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plant.yaml"]


def test_cli_unknown_instrument_type_is_bad_input(tmp_path):
    bad = tmp_path / "plant.yaml"
    bad.write_text(_spec_with("type: belt_scale", "type: laser_scale"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert "instruments[1].type" in result.output and "laser_scale" in result.output


def test_cli_unknown_material_is_bad_input(tmp_path):
    bad = tmp_path / "plant.yaml"
    bad.write_text(_spec_with("material: diesel", "material: unobtainium"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert "source_streams[1].material" in result.output
