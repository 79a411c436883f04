"""unit-file.md: stream parameters — "must reject anything else with an error naming the file,
line and key path"; exit 2, nothing written. A parameter outside its physical range is such a
value: before, an oxidation rate of 1.5 or a negative NCV, carbon content or emission factor
was taken (the total uses absolute values, so a typing mistake gave a plausible number), and
``oxidation_rate: "5 t"`` ended in a traceback."""

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
    ({"carbon_content": {"value": "-0.026 tC/GJ", "source": "measured"}}, "parameters.carbon_content", "-0.026"),
    ({"emission_factor": "-1 t/t"}, "parameters.emission_factor", "-1 t/t"),
    ({"emission_factor": {"CO2": "56.1 t/TJ", "CH4": "-1 kg/TJ"}}, "parameters.emission_factor", "-1 kg/TJ"),
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
