"""unit-file.md marks ``unit.name`` "# required" and no other name: a minimal file whose
sub-units, equipment, emission points and streams carry only their ids is valid (before: exit 2,
"required, missing" for every item's name). Such an item is shown by its id, and the file is
written back (``fmt``) as it was. An instrument keeps its name (the ledger's 名称)."""

from __future__ import annotations

import yaml
from spec_cli import check
from typer.testing import CliRunner

from tanjiliang.cli.app import app

MINIMAL = {
    "format": "tanjiliang/unit@1",
    "unit": {"name": "最小单位", "year": 2025},
    "subunits": [{"id": "U1"}],
    "equipment": [{"id": "B1", "subunit": "U1"}],
    "emission_points": [{"id": "S1", "equipment": "B1"}],
    "source_streams": [{"id": "lime", "kind": "process", "material": "limestone", "activity": "100000 t",
                        "consumers": ["B1"]}],
    "instruments": [{"id": "W", "name": "汽车衡", "type": "truck_scale", "measures": "lime", "at": "boundary",
                     "accuracy": "0.1", "last_confirmed": "2025-06-01"}],
}


def test_items_without_names_are_valid_and_shown_by_id(tmp_path):
    rc, doc, out = check(tmp_path, MINIMAL)
    assert rc in (0, 1), out
    assert doc is not None
    # limestone 0.440 t/t (library) × 100 000 t = 44 000 t
    assert doc["emissions"]["total_tco2e"] == 44000.0
    assert doc["source_streams"][0]["name"] == "lime"
    assert [(s["id"], s["name"]) for s in doc["subunits"]] == [("U1", "U1")]


def test_fmt_writes_no_name_that_was_not_there(tmp_path):
    f = tmp_path / "plant.yaml"
    f.write_text(yaml.safe_dump(MINIMAL, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = CliRunner().invoke(app, ["fmt", str(f), "--stdout"])
    assert r.exit_code == 0, r.output
    back = yaml.safe_load(r.stdout)
    assert back["subunits"] == [{"id": "U1"}] and "name" not in back["source_streams"][0]


def test_an_instrument_still_needs_its_name(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    del data["instruments"][0]["name"]
    rc, _, out = check(tmp_path, data, "--lang", "en")
    assert rc == 2 and "instruments[0].name" in out


def test_no_required_point_prints_no_empty_rates_table(tmp_path):
    """default-pack.md: "A row with no required point is omitted"; with none at all the terminal
    report printed an empty, column-wrapped table titled 计量器具配备率 — now it prints none."""
    rc, _, out = check(tmp_path, {"format": "tanjiliang/unit@1", "unit": {"name": "空单位", "year": 2025}},
                       "--format", "text")
    assert rc == 0, out
    assert "配备率" not in out and "结论" in out
    rc, _, out = check(tmp_path, MINIMAL, "--format", "text")
    assert "计量器具配备率" in out


def _no_material(kind: str) -> dict[str, object]:
    return {"format": "tanjiliang/unit@1", "unit": {"name": "无物料", "year": 2025},
            "source_streams": [{"id": "x", "kind": kind, "activity": "30000 t", "parameters": {"emission_factor": "1 t/t"}}]}


def test_process_stream_without_material_is_a_process_material(tmp_path):
    """unit-file.md: ``material`` "supplies defaults" — a process stream whose factor is given
    needs none; default-pack.md's media table puts process streams under process_material.
    Before: exit 2, 'material "None" is in no medium of the pack; set medium' (a key the spec
    does not have)."""
    rc, doc, out = check(tmp_path, _no_material("process"))
    assert rc == 1, out
    assert doc is not None
    assert (doc["source_streams"][0]["medium"], doc["source_streams"][0]["class"]) == ("process_material", "major")
    assert [(m["id"], m["level"]) for m in doc["metering_points"]] == [("x@boundary", 1)]


def test_fuel_without_material_says_so(tmp_path):
    """A fuel's medium (solid, liquid, gas) decides its rates and accuracy: not guessed, and the
    message no longer reads material “None”."""
    rc, _, out = check(tmp_path, _no_material("combustion"), "--lang", "en")
    assert rc == 2
    assert "plant.yaml:" in out and "source_streams[0]: no material" in out and '"None"' not in out
