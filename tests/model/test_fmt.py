"""`tanjiliang fmt`: canonical rewriting that loses nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.load import has_comments, load_unit
from tanjiliang.model.write import dump_json, dump_yaml, unit_to_data

SPEC = Path(__file__).parent.parent / "data" / "spec-example.yaml"


def test_fmt_round_trip_keeps_every_value():
    unit = load_unit(SPEC)
    again = load_unit("x.yaml", dump_yaml(unit))
    assert unit_to_data(again) == unit_to_data(unit)
    assert dump_yaml(again) == dump_yaml(unit)  # idempotent


def test_fmt_keeps_values_as_written():
    text = dump_yaml(load_unit(SPEC))
    for written in ("1830000 t", "22.35 GJ/t", "389.31 GJ/万Nm3", "'0.2'", "2019-0032", "56.1 t/TJ"):
        assert written in text


def test_json_round_trip():
    unit = load_unit(SPEC)
    again = load_unit("x.json", dump_json(unit))
    assert unit_to_data(again) == unit_to_data(unit)


def test_comment_detection():
    assert has_comments("a: 1  # note\n")
    assert not has_comments("a: '# not a comment'\nb: \"x#y\"\n")


def test_fmt_refuses_to_drop_comments(tmp_path):
    f = tmp_path / "u.yaml"
    original = SPEC.read_text(encoding="utf-8")
    f.write_text(original, encoding="utf-8")
    r = CliRunner().invoke(app, ["fmt", str(f), "--lang", "en"])
    assert r.exit_code == 2 and "comments" in r.output
    assert f.read_text(encoding="utf-8") == original
    r = CliRunner().invoke(app, ["fmt", str(f), "--drop-comments"])
    assert r.exit_code == 0
    assert unit_to_data(load_unit(f)) == unit_to_data(load_unit(SPEC))
    assert CliRunner().invoke(app, ["fmt", str(f), "--check"]).exit_code == 0


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=20).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(name=names, serial=names, accuracy=st.sampled_from(["0.5", "0.2S", "III", "±0.1 %", "1.0"]))
def test_fmt_loses_nothing_for_any_text(name, serial, accuracy):
    unit = load_unit(SPEC)
    unit.unit.name = name
    unit.instruments[0].serial = serial
    unit.instruments[0].accuracy = accuracy
    again = load_unit("x.yaml", dump_yaml(unit))
    assert again.unit.name == name
    assert again.instruments[0].serial == serial
    assert again.instruments[0].accuracy == accuracy
