"""`tanjiliang check` per the command-line contract (unit-file.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from unit_builders import base_unit, instrument, stream

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/unit.yaml"))


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def _write(tmp_path, data) -> str:
    f = tmp_path / "unit.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(f)


def test_exit_0_when_conforming(tmp_path):
    f = _write(tmp_path, base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary")]))
    r = _invoke("check", f, "--as-of", "2025-12-31")
    assert r.exit_code == 0, r.output
    assert "结论" in r.output and "符合" in r.output


def test_exit_1_when_nonconforming_and_english(tmp_path):
    f = _write(tmp_path, base_unit(source_streams=[stream("s", 30000)]))
    r = _invoke("check", f, "--as-of", "2025-12-31", "--lang", "en")
    assert r.exit_code == 1
    assert "Conclusion: non-conforming" in r.output and "结论" not in r.output


def test_bad_as_of_is_exit_2(tmp_path):
    f = _write(tmp_path, base_unit(source_streams=[stream("s", 30000)]))
    assert _invoke("check", f, "--as-of", "31/12/2025").exit_code == 2


def test_json_contract_keys_and_types(spec_example_path):
    r = _invoke("check", spec_example_path, "--as-of", "2025-12-31", "--format", "json")
    assert r.exit_code == 1
    j = json.loads(r.output)
    assert j["format"] == "tanjiliang/assessment@1"
    assert set(j["pack"]) >= {"name", "version"} and j["pack"]["name"] == "henan-2025-draft"
    assert j["unit"]["name"] == "河南豫能示例热电有限公司" and j["unit"]["year"] == 2025
    assert set(j["emissions"]) >= {"total_tco2e", "biogenic_tco2", "by_stream"}
    assert isinstance(j["key_emission_unit"], bool) and j["installation_category"] in "ABC"
    for s in j["source_streams"]:
        assert set(s) >= {"id", "emissions_tco2e", "share", "class", "tier_required", "tier_achieved",
                          "uncertainty_percent"}
        assert s["class"] in ("major", "minor", "de_minimis")
    for p in j["metering_points"]:
        assert set(p) >= {"id", "stream", "quantity", "level", "required", "instruments", "status"}
    for r_ in j["equipping_rates"]:
        assert set(r_) >= {"medium", "level", "required", "equipped", "rate_percent", "required_percent", "meets"}
    for i in j["instruments"]:
        assert set(i) >= {"id", "level", "calibration_status", "next_due", "accuracy_ok"}
        assert i["calibration_status"] in ("valid", "due_soon", "overdue", "out_of_service", "unknown")
    for f in j["findings"]:
        assert set(f) >= {"code", "severity", "clause", "subject", "message"}
        assert f["severity"] in ("nonconformity", "observation")
    assert j["conclusion"] == "nonconforming"
    # the spec example's exact answers (hand-computed in tests/assess and tests/emissions)
    assert j["emissions"]["total_tco2e"] == pytest.approx(3924413.66, abs=0.01)
    assert {s["id"]: s["class"] for s in j["source_streams"]} == {
        "coal": "major", "oil": "de_minimis", "power": "de_minimis", "lime": "de_minimis", "ng": "de_minimis"}
    assert sorted(f["code"] for f in j["findings"]) == ["ACC-MPE", "EQ-RATE", "EQ-RATE", "MGMT-PROCEDURE",
                                                        "MGMT-PROCEDURE"]


def test_json_message_in_chosen_language(spec_example_path):
    en = json.loads(_invoke("check", spec_example_path, "--format", "json", "--lang", "en").output)
    assert all(f["message"] == f["message_en"] for f in en["findings"])


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_follow_the_contract(name):
    r = _invoke("check", str(ROOT / "examples" / name / "unit.yaml"), "--as-of", "2025-12-31", "--format", "json")
    assert r.exit_code in (0, 1), r.output
    j = json.loads(r.output)
    assert (r.exit_code == 1) == (j["conclusion"] == "nonconforming")
    assert j["key_emission_unit"] is True


def test_six_examples_exist():
    assert EXAMPLES == ["aluminium", "cement", "chemical", "lime", "power", "steel"]


def test_packs_list_and_show():
    r = _invoke("packs", "list", "--lang", "en")
    assert r.exit_code == 0 and "henan-2025-draft" in r.output and "eu-mrr-2018" in r.output
    r = _invoke("packs", "show", "henan-2025-draft")
    assert r.exit_code == 0 and "26000" in r.output and "V 已核实" in r.output and "I 推断" in r.output


def test_pack_by_path_works_like_bundled(tmp_path, spec_example_path):
    from importlib import resources

    text = (resources.files("tanjiliang.rules") / "packs" / "henan-2025-draft.yaml").read_text(encoding="utf-8")
    # a provincial official drops in a stricter belt-scale requirement (0.2 instead of 0.5)
    custom = tmp_path / "henan-final.yaml"
    custom.write_text(text.replace("name: henan-2025-draft", "name: henan-final").replace(
        "{groups: [dynamic_weighing], max_mpe_percent: 0.5", "{groups: [dynamic_weighing], max_mpe_percent: 0.2"),
        encoding="utf-8")
    text = _invoke("check", spec_example_path, "--pack", str(custom), "--lang", "en")
    assert text.exit_code == 1 and "Solid fuels" in text.output, text.output  # the text report too
    j = json.loads(_invoke("check", spec_example_path, "--pack", str(custom), "--format", "json").output)
    assert j["pack"]["name"] == "henan-final"
    w11 = next(i for i in j["instruments"] if i["id"] == "W-11")
    assert w11["accuracy_ok"] is False


def test_unknown_pack_is_exit_2(spec_example_path):
    r = _invoke("check", spec_example_path, "--pack", "no-such-pack", "--lang", "en")
    assert r.exit_code == 2 and "no bundled pack" in r.output
