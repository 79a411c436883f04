"""The one registry of finding codes (assess/findings.py): every pack checked against it at
load, readings findings from the pack, checklists for every pack, the docs table generated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanjiliang.assess.findings import REGISTRY, make_finding, markdown_table
from tanjiliang.cli.app import app
from tanjiliang.model.errors import LoadError
from tanjiliang.review.checklist import checklist_for_pack, load_checklist
from tanjiliang.rules.load import bundled_pack_names, load_pack
from unit_builders import base_unit, instrument, load, stream

ROOT = Path(__file__).resolve().parents[2]
HENAN = ROOT / "src" / "tanjiliang" / "rules" / "packs" / "henan-2025-draft.yaml"


@pytest.mark.parametrize("name", bundled_pack_names())
def test_every_bundled_pack_defines_exactly_the_registry_codes(name):
    assert set(load_pack(name).pack.findings) == set(REGISTRY)


@pytest.mark.parametrize("name", bundled_pack_names())
def test_every_bundled_pack_has_a_review_checklist(name):
    lc = load_checklist(name)
    assert lc.checklist.finding_codes() <= set(REGISTRY)
    assert checklist_for_pack(load_pack(name)).sha256 == lc.sha256


def _pack_without(tmp_path: Path, code: str, extra: str = "") -> Path:
    text = HENAN.read_text(encoding="utf-8")
    text = re.sub(rf"^  {re.escape(code)}: .*\n", "", text, flags=re.M) if code else text
    path = tmp_path / "my-pack.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_pack_missing_a_code_is_refused_at_load_naming_the_line(tmp_path):
    path = _pack_without(tmp_path, "DATA-RECON")
    with pytest.raises(LoadError) as err:
        load_pack(path)
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.startswith("findings:"))
    assert err.value.message("en") == (f"{path}:{line} findings: the pack lacks finding codes: DATA-RECON "
                                       "(each needs severity, clause, title)")


def test_pack_with_an_unknown_code_is_refused_at_load(tmp_path):
    extra = '  NEW-CODE: {severity: observation, clause: "x", title: {zh: 新, en: new}}\n'
    path = _pack_without(tmp_path, "", extra)
    with pytest.raises(LoadError) as err:
        load_pack(path)
    n = len(path.read_text().splitlines())
    assert err.value.message("en").startswith(f'{path}:{n} findings.NEW-CODE: unknown finding code "NEW-CODE"')


def test_cli_exit_2_never_a_traceback_for_a_broken_pack(tmp_path):
    unit = tmp_path / "unit.yaml"
    import yaml

    unit.write_text(yaml.safe_dump(base_unit(source_streams=[stream("s", 30000)]), allow_unicode=True))
    path = _pack_without(tmp_path, "CAL-NONE")
    r = CliRunner().invoke(app, ["check", str(unit), "--pack", str(path), "--lang", "en"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "findings: the pack lacks finding codes: CAL-NONE" in r.output


def test_readings_findings_take_severity_and_clause_from_the_pack(tmp_path):
    text = HENAN.read_text(encoding="utf-8").replace(
        "  DATA-RECON: {severity: observation, clause: \"HN 6.4 碳计量数据管理\"",
        "  DATA-RECON: {severity: nonconformity, clause: \"X 9.9\"")
    path = tmp_path / "strict.yaml"
    path.write_text(text, encoding="utf-8")
    f = make_finding(load_pack(path).pack, "DATA-RECON", "M1", "z", "e", {"a": 1})
    assert (f.severity, f.clause, f.data) == ("nonconformity", "X 9.9", {"a": 1})


def test_oot_finding_clause_from_the_pack():
    from tanjiliang.assess.engine import assess
    from tanjiliang.data.oot import oot_findings

    ins = instrument("W1", "s", "boundary", last_confirmed="2025-03-01", confirmations=[
        {"date": "2025-03-01", "kind": "verification", "result": "fail", "as_found": "+0.5 %"}])
    unit = load(base_unit(source_streams=[stream("s", 30000)], instruments=[ins]))
    pack = load_pack("henan-2025-draft")
    [f] = oot_findings(unit, assess(unit, pack), None, pack.pack)
    assert (f.code, f.severity, f.clause) == ("CAL-OOT", pack.pack.findings["CAL-OOT"].severity,
                                              pack.pack.findings["CAL-OOT"].clause)


def test_user_pack_without_checklist_gets_a_derived_one_and_review_works(tmp_path):
    from tanjiliang.assess.engine import assess
    from tanjiliang.review.auto import prefill

    path = tmp_path / "mine.yaml"
    path.write_text(HENAN.read_text(encoding="utf-8").replace("name: henan-2025-draft", "name: mine"),
                    encoding="utf-8")
    loaded = load_pack(path)
    lc = checklist_for_pack(loaded)
    assert lc.origin.startswith("derived:")
    codes = lc.checklist.finding_codes()
    assert codes == {c for c, f in REGISTRY.items() if f.stage != "readings"}
    # the review names the pack by path and finds the same checklist again
    assert load_checklist(lc.checklist.pack).sha256 == lc.sha256
    unit = load(base_unit(source_streams=[stream("s", 30000)], instruments=[instrument("W", "s", "boundary", accuracy="0.5")]))
    results = {r.item: r.result for r in prefill(lc.checklist, assess(unit, loaded))}
    acc = next(i.id for i in lc.checklist.items() if i.auto and i.auto.findings == ["ACC-MPE"])
    assert results[acc] == "nonconforming"


def test_user_pack_checklist_beside_it_is_used(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(HENAN.read_text(encoding="utf-8"), encoding="utf-8")
    beside = tmp_path / "mine.checklist.yaml"
    src = ROOT / "src" / "tanjiliang" / "rules" / "checklists" / "henan-2025-draft.yaml"
    beside.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    assert checklist_for_pack(load_pack(path)).origin == str(beside)


def test_docs_finding_table_is_generated_from_the_registry():
    doc = (ROOT / "docs" / "assessment.md").read_text(encoding="utf-8")
    assert markdown_table() in doc, "run: .venv/bin/cog -r docs/assessment.md"
    from cogapp import Cog

    assert Cog().main(["cog", "--check", str(ROOT / "docs" / "assessment.md")]) == 0


def test_cli_review_prefill_with_a_users_pack_without_checklist(tmp_path):
    import yaml

    path = tmp_path / "mine.yaml"
    path.write_text(HENAN.read_text(encoding="utf-8").replace("name: henan-2025-draft", "name: mine"),
                    encoding="utf-8")
    unit = tmp_path / "unit.yaml"
    unit.write_text(yaml.safe_dump(base_unit(source_streams=[stream("s", 30000)],
                                             instruments=[instrument("W", "s", "boundary")]), allow_unicode=True))
    r = CliRunner().invoke(app, ["review", "prefill", str(unit), "--pack", str(path), "--as-of", "2025-12-31",
                                 "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "1.1.1" in r.output


def test_every_bundled_pack_has_its_checklist_file():
    from tanjiliang.review.checklist import bundled_checklist_names

    assert set(bundled_pack_names()) <= set(bundled_checklist_names())
