"""The one door (issue 11): ``tanjiliang.check`` is the function every door calls; the CLI's
JSON is its JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

import tanjiliang
from tanjiliang.check import check, check_full
from tanjiliang.cli.app import app

SPEC = Path(__file__).resolve().parents[1] / "data" / "spec-example.yaml"


def test_tanjiliang_check_is_callable_as_the_package_attribute():
    import tanjiliang.check as module  # importing the submodule must not break tanjiliang.check(...)

    a = tanjiliang.check(SPEC, as_of=date(2025, 12, 31))
    assert a.as_of == date(2025, 12, 31) and callable(module)
    assert module(SPEC, as_of=date(2025, 12, 31)).to_json() == a.to_json()


def test_cli_json_is_the_doors_json():
    r = CliRunner().invoke(app, ["check", str(SPEC), "--as-of", "2025-12-31", "--format", "json"])
    assert json.loads(r.output) == json.loads(json.dumps(check(SPEC, None, date(2025, 12, 31)).to_json()))


def test_check_full_returns_what_it_was_computed_from():
    done = check_full(SPEC, "eu-mrr-2018", date(2025, 12, 31))
    assert done.pack.name == "eu-mrr-2018" and done.assessment.pack_name == "eu-mrr-2018"
    assert done.unit.unit.name == done.assessment.unit_name and done.data is None


def test_text_report_states_key_unit_basis_and_streams_reported_apart():
    steel = Path(__file__).resolve().parents[2] / "examples" / "steel" / "unit.yaml"
    r = CliRunner().invoke(app, ["check", str(steel), "--pack", "cn-ets-2024", "--as-of", "2025-12-31",
                                 "--lang", "en"])
    assert r.exit_code in (0, 1), r.output
    assert "key-unit basis: direct emissions" in r.output and "reported apart (not in the total): grid" in r.output
