"""The review's state machine (docs/review.md "Workflow"): no skipping, sign-off freezes,
an edit after sign-off makes a new version, and who may do what."""

from __future__ import annotations

from datetime import date

import pytest
from review_fixtures import AT, KEY, completed_review, evidence, make_assessment

from tanjiliang.review import workflow as w
from tanjiliang.review.seal import content_hash, verify


def _opened(checklist, reviewer, enterprise):
    a = make_assessment()
    si = w.open_self_inspection(enterprise, "u1", checklist, a, AT)
    w.judge_pending(si, enterprise, "ok", AT)
    w.submit(si, enterprise, checklist, AT, KEY)
    return si, w.open_review(reviewer, "u1", checklist, a, AT, self_inspection=si)


def test_review_needs_submitted_self_inspection(checklist, reviewer, enterprise):
    a = make_assessment()
    with pytest.raises(w.Incomplete):
        w.open_review(reviewer, "u1", checklist, a, AT)
    si = w.open_self_inspection(enterprise, "u1", checklist, a, AT)
    with pytest.raises(w.Incomplete):
        w.open_review(reviewer, "u1", checklist, a, AT, self_inspection=si)


def test_review_opened_with_auto_items_prefilled(checklist, reviewer, enterprise):
    si, rv = _opened(checklist, reviewer, enterprise)
    assert rv.state == "opened" and rv.self_inspection_sha256 == si.signature.sha256
    assert rv.result("6.2.2").result == "nonconforming"
    assert rv.result("4.2.1").result is None  # attested: waits for the reviewer


def test_states_cannot_be_skipped(checklist, reviewer, enterprise):
    _, rv = _opened(checklist, reviewer, enterprise)
    with pytest.raises(w.StateError):
        w.sign(rv, reviewer, AT, KEY)
    with pytest.raises(w.StateError):
        w.conclude(rv, reviewer, checklist, "", AT)
    with pytest.raises(w.Incomplete):  # items pending
        w.issue_findings(rv, reviewer, checklist, "张工", AT)
    w.judge_pending(rv, reviewer, "现场核实", AT)
    w.issue_findings(rv, reviewer, checklist, "张工", AT)
    with pytest.raises(w.StateError):
        w.sign(rv, reviewer, AT, KEY)
    w.answer_action(rv, enterprise, "NC-01", "原因", "措施", AT)
    with pytest.raises(w.Incomplete):  # an answer waits for verification
        w.conclude(rv, reviewer, checklist, "", AT)
    w.reject_action(rv, reviewer, "NC-01", "证据不足", AT)
    assert rv.nonconformity("NC-01").action.status == "open"
    w.answer_action(rv, enterprise, "NC-01", "原因", "补充证书", AT)
    w.close_action(rv, reviewer, "NC-01", "有效", AT)
    assert w.conclude(rv, reviewer, checklist, "", AT) == "nonconforming"  # any 不符合 → 不符合
    w.sign(rv, reviewer, AT, KEY)
    assert [e.what for e in rv.history][-2:] == ["concluded", "signed"]


def test_conclusion_conforming_without_nonconforming_items(checklist, reviewer, enterprise):
    a = make_assessment(overdue=False)
    si = w.open_self_inspection(enterprise, "u1", checklist, a, AT)
    w.judge_pending(si, enterprise, "ok", AT)
    w.submit(si, enterprise, checklist, AT, KEY)
    rv = w.open_review(reviewer, "u1", checklist, a, AT, self_inspection=si)
    w.judge_pending(rv, reviewer, "ok", AT)
    assert w.issue_findings(rv, reviewer, checklist, "张工", AT) == []
    assert w.conclude(rv, reviewer, checklist, "", AT) == "conforming"


def test_sign_off_freezes_and_hash_verifies(checklist, reviewer, enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise)
    assert rv.state == "signed" and verify(rv)
    with pytest.raises(w.Frozen):
        w.judge_item(rv, reviewer, "4.2.1", "nonconforming", "改判", AT)
    with pytest.raises(w.Frozen):
        w.answer_action(rv, enterprise, "NC-01", "x", "y", AT)
    # tampering with the stored content breaks the hash
    tampered = rv.model_copy(deep=True)
    tampered.result("4.2.1").reason = "改过的理由"
    assert not verify(tampered)


def test_edit_after_sign_off_makes_new_version_and_both_stay_readable(checklist, reviewer,
                                                                      enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise)
    signed_hash = rv.signature.sha256
    v2 = w.amend(rv, reviewer, "补充证据", AT)
    assert (v2.version, v2.state, v2.previous_sha256) == (2, "opened", signed_hash)
    w.judge_item(v2, reviewer, "4.2.1", "nonconforming", "职责文件未发布", AT)
    # the signed version is untouched
    assert rv.state == "signed" and verify(rv) and rv.result("4.2.1").result == "conforming"
    w.issue_findings(v2, reviewer, checklist, "张工", AT)
    assert [n.id for n in v2.nonconformities] == ["NC-01", "NC-02"]
    assert v2.nonconformity("NC-01").action.status == "closed"  # kept from version 1
    w.answer_action(v2, enterprise, "NC-02", "未发文", "已发文", AT)
    w.close_action(v2, reviewer, "NC-02", "已核", AT)
    w.conclude(v2, reviewer, checklist, "", AT)
    w.sign(v2, reviewer, AT, KEY)
    assert verify(v2) and v2.signature.sha256 != signed_hash


def test_enterprise_cannot_alter_a_review(checklist, reviewer, enterprise):
    _, rv = _opened(checklist, reviewer, enterprise)
    with pytest.raises(w.Forbidden):
        w.judge_item(rv, enterprise, "4.2.1", "conforming", "自己判", AT)
    with pytest.raises(w.Forbidden):
        w.issue_findings(rv, enterprise, checklist, "x", AT)
    _, signed = completed_review(checklist, reviewer, enterprise)
    with pytest.raises(w.Frozen):
        w.judge_item(signed, enterprise, "4.2.1", "conforming", "x", AT)
    with pytest.raises(w.Forbidden):
        w.amend(signed, enterprise, "想改", AT)


def test_reviewer_cannot_edit_enterprise_data(checklist, reviewer, enterprise):
    a = make_assessment()
    si = w.open_self_inspection(enterprise, "u1", checklist, a, AT)
    with pytest.raises(w.Forbidden):
        w.judge_item(si, reviewer, "4.2.1", "conforming", "代填", AT)
    with pytest.raises(w.Forbidden):
        w.open_self_inspection(reviewer, "u1", checklist, a, AT)
    _, rv = _opened(checklist, reviewer, enterprise)
    w.judge_pending(rv, reviewer, "ok", AT)
    w.issue_findings(rv, reviewer, checklist, "张工", AT)
    with pytest.raises(w.Forbidden):  # the answer is the enterprise's
        w.answer_action(rv, reviewer, "NC-01", "代答", "代答", AT)
    with pytest.raises(w.Forbidden):
        w.add_evidence(rv, reviewer, evidence("E9", "x.pdf", action="NC-01"), AT)


def test_regulator_is_read_only(checklist, reviewer, enterprise, regulator):
    _, rv = _opened(checklist, reviewer, enterprise)
    for action in w.ACTIONS:
        assert not w.allowed(rv, regulator, action)
    with pytest.raises(w.Forbidden):
        w.judge_item(rv, regulator, "4.2.1", "conforming", "x", AT)


def test_only_assigned_reviewers_act(checklist, reviewer, enterprise):
    from tanjiliang.review.model import Actor

    _, rv = _opened(checklist, reviewer, enterprise)
    other = Actor(role="reviewer", user="wang")
    with pytest.raises(w.Forbidden):
        w.judge_item(rv, other, "4.2.1", "conforming", "x", AT)


def test_override_of_auto_item_needs_reason_and_keeps_auto_result(checklist, reviewer,
                                                                   enterprise):
    _, rv = _opened(checklist, reviewer, enterprise)
    with pytest.raises(w.Incomplete):
        w.judge_item(rv, reviewer, "6.2.2", "conforming", "  ", AT)
    r = w.judge_item(rv, reviewer, "6.2.2", "conforming", "W-02 现场已更换并检定", AT)
    assert r.overridden and r.auto_result == "nonconforming" and r.links


def test_corrective_action_assignment_and_default_due(checklist, reviewer, enterprise):
    _, rv = _opened(checklist, reviewer, enterprise)
    w.judge_pending(rv, reviewer, "ok", AT)
    (nc,) = w.issue_findings(rv, reviewer, checklist, "张工", AT)
    assert nc.action.due == date(2026, 4, 1)  # AT + 30 days (checklist procedure)
    assert nc.findings == ["CAL-OVERDUE"] and nc.clause == "6.2.2"
    w.assign_action(rv, reviewer, "NC-01", "王工", date(2026, 4, 15), AT)
    assert (nc.action.owner, nc.action.due) == ("王工", date(2026, 4, 15))


def test_refresh_rejudges_auto_items_and_keeps_overrides(checklist, reviewer, enterprise):
    _, rv = _opened(checklist, reviewer, enterprise)
    w.judge_item(rv, reviewer, "4.2.1", "conforming", "ok", AT)
    w.refresh(rv, reviewer, checklist, make_assessment(overdue=False), AT)
    assert rv.result("6.2.2").result == "conforming"
    assert rv.result("4.2.1").result == "conforming"
    assert rv.assessment.conclusion == "conforming"


def test_content_hash_is_stable_and_covers_evidence(checklist, reviewer, enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise, sign=False)
    h = content_hash(rv)
    assert h == content_hash(rv.model_copy(deep=True))
    other = rv.model_copy(deep=True)
    other.evidence[0].sha256 = "0" * 64
    assert content_hash(other) != h
