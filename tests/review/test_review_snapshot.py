"""A signed review keeps the assessment it was signed on (issue 11): the whole JSON contract is
stored in the review, hashed with it, and a later assessment does not change it."""

from __future__ import annotations

from review_fixtures import completed_review, make_assessment

from tanjiliang.review.auto import assessment_sha256
from tanjiliang.review.seal import canonical, verify


def test_signed_review_keeps_its_assessment_snapshot(checklist, reviewer, enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise)
    ref = rv.assessment
    a = make_assessment()
    assert ref.snapshot == a.to_json("zh") | {"as_of": "2026-03-01"}
    assert ref.sha256 == assessment_sha256(ref.snapshot)
    assert ref.snapshot["conclusion"] == "nonconforming"
    assert verify(rv)
    # the snapshot is part of the signed content: changing it breaks the signature
    tampered = rv.model_copy(deep=True)
    tampered.assessment.snapshot["conclusion"] = "conforming"
    assert not verify(tampered)


def test_records_without_snapshot_hash_as_before(checklist, reviewer, enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise)
    old = rv.model_copy(deep=True)
    old.assessment.sha256 = None
    old.assessment.snapshot = None
    assert b'"snapshot"' not in canonical(old) and b'"snapshot"' in canonical(rv)
