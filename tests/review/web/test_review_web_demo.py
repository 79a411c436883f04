"""Demo data: an assigned unit has its enterprise's submitted self-inspection, once."""

from __future__ import annotations

from tanjiliang.web.review import store
from tanjiliang.web.review.demo import seed_self_inspections
from tanjiliang.web.review.models import ReviewRecord


def test_demo_seeds_one_submitted_self_inspection_and_a_review_can_open(rw) -> None:
    assert seed_self_inspections() == 1
    assert seed_self_inspections() == 0  # idempotent
    [rec] = ReviewRecord.objects.filter(unit=rw.unit, kind="self_inspection")
    si = store.review_of(rec)
    assert rec.frozen and all(r.result is not None for r in si.items)
    review = store.review_of(store.open_review(rw.unit, rw.reviewer))
    assert review.kind == "review"
    assert review.self_inspection_sha256 == rec.sha256
