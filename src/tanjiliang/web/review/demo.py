"""Demo data for the review app: each unit assigned to a reviewer has its enterprise's
submitted self-inspection, so the demo reviewer can open a review straight away
(a review stands on the self-inspection, docs/review.md)."""

from __future__ import annotations

from tanjiliang.review import workflow as w
from tanjiliang.web.core import models as m
from tanjiliang.web.review import keys, store

REASON = "演示数据：企业自查，记录齐全"


def seed_self_inspections() -> int:
    """Submit a self-inspection for every assigned unit that has none (idempotent)."""
    done = 0
    for unit in m.Unit.objects.filter(reviewers__isnull=False).distinct():
        if store.latest(unit, "self_inspection", unit.year) is not None:
            continue
        member = m.Profile.objects.filter(enterprise=unit.enterprise, role=m.ROLE_ENTERPRISE).first()
        if member is None:
            continue
        rec = store.open_self_inspection(unit, member.user)
        store.step(rec, member.user, lambda r, a, at: w.judge_pending(r, a, REASON, at))
        checklist = store.checklist_of(rec)
        store.step(rec, member.user, lambda r, a, at, cl=checklist, u=member.user: w.submit(
            r, a, cl, at, keys.signer_of(u)))
        done += 1
    return done
