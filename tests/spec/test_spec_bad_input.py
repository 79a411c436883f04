"""unit-file.md: "must reject anything else with an error naming the file, line and key path";
`check` exits 2 on bad input and writes nothing. Each problem is said once and only where it
is: before, a stream with a wrong value made every instrument measuring it report "“coal” is
not a stream …" (an id the file defines), and a wrong ``format`` was said twice."""

from __future__ import annotations

import re

import pytest
from spec_cli import check, tonnes, unit

WHERE = re.compile(r"^\S*plant\.yaml:(\d+) (\S+): ")


def problems(out: str) -> list[tuple[int, str]]:
    """(line, key path) of every problem printed."""
    return [(int(m[1]), m[2]) for m in map(WHERE.match, out.splitlines()) if m]


def good() -> dict[str, object]:
    scale = {"id": "W-01", "name": "汽车衡", "type": "truck_scale", "measures": "lime", "at": "boundary",
             "accuracy": "0.1", "last_confirmed": "2025-03-10", "status": "in_use"}
    return unit([tonnes("lime", "30000", consumers=["B1"])], [scale])


@pytest.mark.parametrize(("where", "key", "value", "path"), [
    ("instruments", "accuracy", "0.7S", "instruments[0].accuracy"),
    ("instruments", "last_confirmed", "2025-13-01", "instruments[0].last_confirmed"),
    ("instruments", "colour", "red", "instruments[0].colour"),           # an unknown key
    ("instruments", "at", "B9", "instruments[0].at"),                    # an undefined place
    ("instruments", "measures", "coke", "instruments[0].measures"),      # an undefined stream
    ("source_streams", "activity", "30000 GJ/t", "source_streams[0].activity"),  # wrong dimension
    ("source_streams", "consumers", ["B9"], "source_streams[0].consumers"),
    # shares summing to 0.9: placed at consumers (before: at source_streams[0])
    ("source_streams", "consumers", {"B1": 0.5, "U1": 0.4}, "source_streams[0].consumers"),
])
def test_one_wrong_value_one_problem_at_its_line(tmp_path, where, key, value, path):
    data = good()
    data[where][0][key] = value  # type: ignore[index]
    rc, doc, out = check(tmp_path, data)
    assert rc == 2 and doc is None
    assert [p for _, p in problems(out)] == [path], out


def test_a_wrong_stream_does_not_make_its_instrument_wrong(tmp_path):
    data = good()
    data["source_streams"][0]["activity"] = "30000 GJ/t"  # type: ignore[index]
    data["instruments"][0]["at"] = "nowhere"  # type: ignore[index]
    rc, _, out = check(tmp_path, data, "--lang", "en")
    assert rc == 2
    # two mistakes, two problems; instruments[0].measures ("lime") is defined and not one of them
    assert [p for _, p in problems(out)] == ["source_streams[0].activity", "instruments[0].at"], out
    assert "is not a stream" not in out


def test_wrong_format_said_once(tmp_path):
    data = good()
    data["format"] = "tanjiliang/unit@2"
    rc, _, out = check(tmp_path, data)
    assert rc == 2
    assert problems(out) == [(1, "format")], out


def test_duplicate_id_names_both_places(tmp_path):
    data = good()
    data["instruments"].append(dict(data["instruments"][0]))  # type: ignore[union-attr, index]
    rc, _, out = check(tmp_path, data, "--lang", "en")
    assert rc == 2
    assert [p for _, p in problems(out)] == ["instruments[1].id"]
    assert 'duplicate id "W-01"' in out and "instruments[0]" in out


def test_bad_input_writes_no_report(tmp_path):
    data = good()
    data["instruments"][0]["accuracy"] = "0.7S"  # type: ignore[index]
    for ext in ("html", "xlsx"):
        rc, _, _out = check(tmp_path, data, "--format", "text", "-o", str(tmp_path / f"report.{ext}"))
        assert rc == 2
    assert not list(tmp_path.glob("report.*"))


def test_credit_code_check_digit(tmp_path):
    """unit-file.md: credit_code optional; if given, its GB 32100 check digit must be right."""
    data = good()
    data["unit"]["credit_code"] = "91410100MA44ABCD1F"  # type: ignore[index]  # the spec's example
    assert check(tmp_path, data)[0] == 0
    data["unit"]["credit_code"] = "91410100MA44ABCD1X"  # type: ignore[index]
    rc, _, out = check(tmp_path, data)
    assert rc == 2 and "F" in out


@pytest.mark.parametrize(("text", "where"), [
    # a key written twice: the second one's line and its key path
    ("format: tanjiliang/unit@1\nunit:\n  name: 甲\n  name: 乙\n  year: 2025\n", "plant.yaml:4 unit.name:"),
    ("format: tanjiliang/unit@1\nunit: {name: x, year: 2025}\ninstruments:\n"
     "  - {id: W, name: w, type: truck_scale, measures: s, at: boundary, at: lab}\n", "plant.yaml:4 instruments[0].at:"),
])
def test_duplicate_key_names_line_and_key_path(tmp_path, text, where):
    rc, doc, out = check(tmp_path, text)
    assert rc == 2 and doc is None
    assert where in out, out
