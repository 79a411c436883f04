"""unit-file.md: stream parameters — "must reject anything else with an error naming the file,
line and key path"; exit 2, nothing written. A parameter outside its physical range is such a
value: before, an oxidation rate of 1.5 or a negative NCV or carbon content was taken (the total
uses absolute values, so a typing mistake gave a plausible number), and ``oxidation_rate: "5 t"``
ended in a traceback. A negative emission factor stays allowed: it is how a file written with
the spec's fields alone gives a stream negative emissions, which default-pack.md counts by
absolute value."""

from __future__ import annotations

import pytest
from spec_cli import check, unit


def coal(**params: object) -> dict[str, object]:
    return {"id": "coal", "name": "烟煤", "kind": "combustion", "material": "bituminous_coal",
            "activity": "20000 t", "parameters": {"ncv": "22 GJ/t", "carbon_content": "0.026 tC/GJ", **params}}


@pytest.mark.parametrize(("params", "path", "words"), [
    ({"oxidation_rate": 1.5}, "parameters.oxidation_rate", "1.5"),
    ({"oxidation_rate": "150 %"}, "parameters.oxidation_rate", "150 %"),
    ({"oxidation_rate": -0.5}, "parameters.oxidation_rate", "-0.5"),
    ({"oxidation_rate": 0}, "parameters.oxidation_rate", "0"),
    ({"oxidation_rate": "5 t"}, "parameters.oxidation_rate", "5 t"),
    ({"ncv": "-22 GJ/t"}, "parameters.ncv", "-22 GJ/t"),
    ({"ncv": "0 GJ/t"}, "parameters.ncv", "0 GJ/t"),
    # "a quantity in a unit of the wrong dimension is an error", also beside an emission factor
    # that leaves it unused (before: taken silently)
    ({"ncv": "22 GJ", "emission_factor": "2 t/t"}, "parameters.ncv", "22 GJ"),
    ({"ncv": 22, "emission_factor": "2 t/t"}, "parameters.ncv", "22"),
    ({"carbon_content": "26 GJ/t", "emission_factor": "2 t/t"}, "parameters.carbon_content", "26 GJ/t"),
    ({"carbon_content": {"value": "-0.026 tC/GJ", "source": "measured"}}, "parameters.carbon_content", "-0.026"),
])
def test_out_of_range_parameter_is_bad_input(tmp_path, params, path, words):
    rc, doc, out = check(tmp_path, unit([coal(**params)]), "--lang", "en")
    assert rc == 2 and doc is None, out
    # plant.yaml:<line> source_streams[0].parameters.<name>: …
    line = next(x for x in out.splitlines() if path in x)
    assert line.split(" ")[0].split(":")[0].endswith("plant.yaml") and line.split(" ")[0].split(":")[1].isdigit()
    assert f"source_streams[0].{path}:" in line and words in line
    assert not list(tmp_path.glob("*.html"))


@pytest.mark.parametrize("rate", [1, "100 %", 0.99, "99 %", "0.5"])
def test_oxidation_rate_in_range_is_taken(tmp_path, rate):
    rc, doc, out = check(tmp_path, unit([coal(oxidation_rate=rate)]))
    assert rc in (0, 1), out
    assert doc is not None
    # E = 20 000 t × 22 GJ/t × 0.026 tC/GJ × OF × 44/12 = 11 440 tC × OF × 44/12 = 41 946.67 × OF
    of = {1: 1.0, "100 %": 1.0, 0.99: 0.99, "99 %": 0.99, "0.5": 0.5}[rate]
    assert doc["emissions"]["total_tco2e"] == pytest.approx(11440 * of * 44 / 12, abs=0.01)


def test_zero_carbon_and_zero_factor_are_allowed(tmp_path):
    """A carbon-free fuel (hydrogen) or a zero factor is possible: zero is not negative."""
    rc, doc, out = check(tmp_path, unit([coal(carbon_content="0 tC/GJ")]))
    assert rc in (0, 1), out
    assert doc is not None and doc["emissions"]["total_tco2e"] == 0.0


def test_negative_factor_counts_by_absolute_value(tmp_path):
    """default-pack.md: "Totals use absolute values of all streams' emissions"; classes sort by
    absolute value (ties by id)."""
    lime = {"id": "lime", "name": "石灰石", "kind": "process", "material": "limestone", "activity": "60000 t",
            "parameters": {"emission_factor": "1 t/t"}}
    out = {"id": "out", "name": "固碳产品", "kind": "process", "material": "limestone", "activity": "10000 t",
           "parameters": {"emission_factor": "-1 t/t"}}
    rc, doc, text = check(tmp_path, unit([lime, out]))
    assert rc in (0, 1), text
    assert doc is not None
    # T = |60 000| + |−10 000| = 70 000; Tdm = max(1000, 1400) = 1400; Tmin = max(5000, 7000) = 7000:
    # |−10 000| is above both, so "out" is major
    assert doc["emissions"]["total_tco2e"] == 70000.0
    assert doc["emissions"]["by_stream"]["out"] == -10000.0
    assert {s["id"]: s["class"] for s in doc["source_streams"]} == {"lime": "major", "out": "major"}
