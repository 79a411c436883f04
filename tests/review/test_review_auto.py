"""Automatic items read the assessment's findings and figures; they never re-derive a rule."""

from __future__ import annotations

from review_fixtures import make_assessment

from tanjiliang.review import auto


def test_auto_item_nonconforming_from_nonconformity_finding(checklist):
    a = make_assessment(overdue=True)
    r = auto.judge(checklist.checklist.item("6.2.2"), a)
    assert r.result == r.auto_result == "nonconforming"
    assert {lk.code for lk in r.links} == {"CAL-OVERDUE", "CAL-DUE-SOON"}
    assert r.figures["calibration"]["overdue"] == 1


def test_auto_item_observation_only_stays_conforming_with_remark(checklist):
    a = make_assessment(overdue=False)
    r = auto.judge(checklist.checklist.item("6.2.2"), a)
    assert r.result == "conforming"
    assert "CAL-DUE-SOON" in (r.auto_reason_zh or "")


def test_auto_item_undetermined_without_management_data_needs_attestation(checklist):
    a = make_assessment(management=False)
    r = auto.judge(checklist.checklist.item("4.3.1"), a)
    assert r.result is None and r.method == "auto"
    assert "需现场查证" in (r.auto_reason_zh or "")


def test_item_not_applicable_when_condition_fails(checklist):
    r = auto.judge(checklist.checklist.item("7.1.3"), make_assessment(measurement=False))
    assert r.result == "not_applicable" and not r.applicable
    r = auto.judge(checklist.checklist.item("7.1.3"), make_assessment(measurement=True))
    assert r.result is None and r.applicable


def test_prefill_with_real_engine_on_the_spec_example(checklist):
    from datetime import date
    from pathlib import Path

    from tanjiliang.assess.engine import assess
    from tanjiliang.model.load import load_unit

    unit = load_unit(Path(__file__).parents[1] / "data" / "spec-example.yaml")
    a = assess(unit, as_of=date(2026, 3, 1))
    items = {r.item: r for r in auto.prefill(checklist.checklist, a)}
    nc_codes = {f.code for f in a.nonconformities()}
    # each non-conformity of the assessment makes at least one auto item 不符合
    bad = {lk.code for r in items.values() if r.result == "nonconforming" for lk in r.links}
    assert nc_codes <= bad
