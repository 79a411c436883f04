"""`tanjiliang fmt`: canonical rewriting that loses nothing (docs/unit-file.md, "Canonical form")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.load import has_comments, load_unit
from tanjiliang.model.write import dump_json, dump_yaml, unit_to_data, without_comments

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


# ------------------------------------------------------------------ numbers as a person writes them

def test_a_whole_number_is_written_as_one(tmp_path):
    """``records_retention_years: 5`` stays ``5`` (was ``5.0``), a share of 1 stays ``1``; the
    loader reads them back as the same floats, and a file with ``5`` is canonical."""
    unit = load_unit(SPEC)
    assert unit.management is not None and unit.management.records_retention_years == 5.0
    unit.source_streams[0].consumers = {"B1": 1.0}
    text = dump_yaml(unit)
    assert "records_retention_years: 5\n" in text and "5.0" not in text
    assert "{B1: 1}" in text
    assert unit_to_data(load_unit("x.yaml", text)) == unit_to_data(unit)
    js = dump_json(unit)
    assert '"records_retention_years": 5\n' in js and '"B1": 1\n' in js
    assert unit_to_data(load_unit("x.json", js)) == unit_to_data(unit)
    f = tmp_path / "u.yaml"
    f.write_text(text, encoding="utf-8")
    assert CliRunner().invoke(app, ["fmt", str(f), "--check"]).exit_code == 0


@settings(max_examples=80, deadline=None)
@given(years=st.one_of(st.integers(0, 10**6).map(float), st.floats(0, 1e300, allow_nan=False)),
       share=st.floats(0, 1, exclude_min=True, exclude_max=True))
def test_numbers_round_trip_exactly(years, share):
    unit = load_unit(SPEC)
    assert unit.management is not None
    unit.management.records_retention_years = years
    unit.source_streams[0].consumers = {"B1": share, "B2": 1 - share}
    for name, text in (("x.yaml", dump_yaml(unit)), ("x.json", dump_json(unit))):
        again = load_unit(name, text)
        assert again.management is not None
        assert again.management.records_retention_years == years
        assert again.source_streams[0].consumers == {"B1": share, "B2": 1 - share}
        assert unit_to_data(again) == unit_to_data(unit)


# ------------------------------------------------------------------ text that reads as a number

#: Each a number, a boolean or null to some YAML 1.1 or 1.2 reader when written plain.
NOT_TEXT = ["1e3", "1E+3", "0x1A", "0o17", "017", "0b101", ".5", "-.5", "+1", "1_000", "12:30", "1.",
            "yes", "no", "y", "N", "on", "Off", "true", "False", "~", "null", "NULL", "NaN", "nan",
            ".inf", "-.Inf", "inf", "Infinity", "5", "0.50"]


def _plain_scalars(text: str) -> set[str]:
    import yaml

    return {tok.value for tok in yaml.scan(text, Loader=yaml.SafeLoader)
            if isinstance(tok, yaml.ScalarToken) and tok.plain}


def _style(text: str, *path: str | int) -> str | None:
    """How the scalar at ``path`` is written: None plain, ``'`` or ``"`` quoted."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key in path:
        node = node.value[key] if isinstance(key, int) else next(v for k, v in node.value if k.value == key)
    return node.style


@pytest.mark.parametrize("value", NOT_TEXT)
def test_text_a_yaml_reader_would_not_read_as_text_is_quoted(value):
    import yaml

    unit = load_unit(SPEC)
    unit.instruments[0].serial = value
    unit.subunits[0].name = value
    text = dump_yaml(unit)
    # quoted, for a 1.2 reader as for a 1.1 one (a flow mapping and a block one)
    assert _style(text, "instruments", 0, "serial") in ("'", '"')
    assert _style(text, "subunits", 0, "name") in ("'", '"')
    assert yaml.safe_load(text)["instruments"][0]["serial"] == value
    again = load_unit("x.yaml", text)  # the product's own loader: the same text
    assert again.instruments[0].serial == value and again.subunits[0].name == value
    assert unit_to_data(again) == unit_to_data(unit)


def test_ordinary_text_stays_plain():
    unit = load_unit(SPEC)
    plain = _plain_scalars(dump_yaml(unit))
    assert {"2019-0032", "B1", "1830000 t"} <= plain
    for value in ("2019-0032", "JL-01", "0.5S", "III", "e3", "1e", "nano", "yesno", "1.0级", "0xZ"):
        unit.instruments[0].serial = value
        assert value in _plain_scalars(dump_yaml(unit)), value


# ------------------------------------------------------------------ comments: --stdout and --check

def test_stdout_says_how_many_comment_lines_it_leaves_out(tmp_path):
    f = tmp_path / "u.yaml"
    original = SPEC.read_text(encoding="utf-8")
    f.write_text(original, encoding="utf-8")
    n = sum(1 for line in original.splitlines() if "#" in line)
    assert n > 5
    r = CliRunner().invoke(app, ["fmt", str(f), "--stdout"])
    assert r.exit_code == 0
    assert r.stdout == dump_yaml(load_unit(SPEC))
    assert f"{n} 行注释" in r.stderr and "--drop-comments" in r.stderr
    r = CliRunner().invoke(app, ["fmt", str(f), "--stdout", "--lang", "en"])
    assert f"{n} comment lines" in r.stderr and "--drop-comments" in r.stderr
    assert f.read_text(encoding="utf-8") == original
    f.write_text(dump_yaml(load_unit(SPEC)), encoding="utf-8")  # no comments: nothing to say
    r = CliRunner().invoke(app, ["fmt", str(f), "--stdout"])
    assert r.exit_code == 0 and r.stderr == ""


def _with_comments(canonical: str) -> str:
    """The canonical text with comments of every kind added: a header, a comment line above a
    section (between the blank lines), a trailing comment, and a comment line after the end."""
    lines = canonical.splitlines(keepends=True)
    out = ["# 单位文件 — header\n", "\n"]
    for line in lines:
        if line.startswith("instruments:"):
            out.append("# 计量器具\n")
        if line.startswith("pack:"):
            line = line.rstrip("\n") + "   # 规则包\n"
        out.append(line)
    out.append("\n# end\n")
    return "".join(out)


def test_check_judges_the_file_apart_from_its_comments(tmp_path):
    canonical = dump_yaml(load_unit(SPEC))
    f = tmp_path / "u.yaml"
    f.write_text(_with_comments(canonical), encoding="utf-8")
    assert has_comments(f.read_text(encoding="utf-8"))
    r = CliRunner().invoke(app, ["fmt", str(f), "--check"])
    assert r.exit_code == 0, r.output
    # a layout that is not canonical is still said, comments or not
    f.write_text(_with_comments(canonical.replace("\n\ninstruments:", "\n\n\ninstruments:")), encoding="utf-8")
    r = CliRunner().invoke(app, ["fmt", str(f), "--check"])
    assert r.exit_code == 1 and "不是规范格式" in r.stderr
    f.write_text(_with_comments(canonical.replace("records_retention_years: 5", "records_retention_years: 5.0")),
                 encoding="utf-8")
    assert CliRunner().invoke(app, ["fmt", str(f), "--check"]).exit_code == 1


def test_a_hash_inside_a_value_is_no_comment(tmp_path):
    unit = load_unit(SPEC)
    unit.instruments[0].serial = "A # 1"
    unit.instruments[0].name = "#2 秤"
    canonical = dump_yaml(unit)
    assert not has_comments(canonical)
    f = tmp_path / "u.yaml"
    f.write_text(canonical.replace("A # 1'", "A # 1'  # a real one"), encoding="utf-8")
    assert without_comments(f.read_text(encoding="utf-8")) == (canonical, 1)
    assert CliRunner().invoke(app, ["fmt", str(f), "--check"]).exit_code == 0


@pytest.mark.parametrize(("text", "bare"), [
    ("a: 1  # c\nb: '# x'\n", "a: 1\nb: '# x'\n"),
    ("# h\n\n# h2\n\nformat: x\n", "format: x\n"),
    ("a: 1\n\n# c\n\nb: 2\n", "a: 1\n\nb: 2\n"),
    ("a: 1\n# c\n\nb: 2\n", "a: 1\n\nb: 2\n"),
    ("a: 1\n\n# c\nb: 2\n", "a: 1\n\nb: 2\n"),
    ("a: 1\n\n\n# c\nb: 2\n", "a: 1\n\n\nb: 2\n"),  # blank lines the user wrote together stay
    ("a: 1\n\n# end\n", "a: 1\n"),
    ("a: |\n  # kept: inside a block scalar\n  z\nb: c#d # gone\n", "a: |\n  # kept: inside a block scalar\n  z\nb: c#d\n"),
    ("a: [1, 2] # c\r\nb: 2\r\n", "a: [1, 2]\r\nb: 2\r\n"),
])
def test_without_comments(text, bare):
    assert without_comments(text)[0] == bare
