"""The review workflow persisted: load a stored version, run one step of
:mod:`tanjiliang.review.workflow`, save it (never a signed version), keep the overview's
summary row in step. Who may do what is decided by the workflow's table and by the core app's
tenancy (a user reaches a unit only through ``unit_for``)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tanjiliang.assess.result import Assessment
from tanjiliang.model.errors import LoadError
from tanjiliang.review import workflow as w
from tanjiliang.review.checklist import LoadedChecklist, load_checklist
from tanjiliang.review.model import Actor, Evidence, Review
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import assessment
from tanjiliang.web.core.templatetags.tj import person_text
from tanjiliang.web.core.tenancy import role_of
from tanjiliang.web.review.models import EvidenceFile, ReviewRecord


def actor(user: AbstractBaseUser) -> Actor:
    role = role_of(user) or "regulator"
    full = person_text(user) if getattr(user, "get_full_name", None) else None
    return Actor(role=role, user=user.get_username(), name=full)  # type: ignore[arg-type]


def checklist_for(a: Assessment) -> LoadedChecklist:
    from tanjiliang.rules import load_pack

    return load_checklist(a.pack_name, known_codes=set(load_pack(a.pack_name).pack.findings))


def review_of(rec: ReviewRecord) -> Review:
    return Review.model_validate(rec.content)


def records(unit: m.Unit, kind: str | None = None) -> list[ReviewRecord]:
    qs = ReviewRecord.objects.filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("-year", "kind", "-version"))


def latest(unit: m.Unit, kind: str, year: int) -> ReviewRecord | None:
    return (ReviewRecord.objects.filter(unit=unit, kind=kind, year=year)
            .order_by("-version").first())


def _write(rec: ReviewRecord, review: Review) -> ReviewRecord:
    rec.content = review.model_dump(mode="json")
    rec.state = review.state
    rec.conclusion = review.conclusion or ""
    rec.open_ncs = review.open_nonconformities()
    rec.sha256 = review.signature.sha256 if review.signature else ""
    rec.version = review.version
    rec.save()
    if rec.kind == "review":
        from tanjiliang.web.review.summaries import note_review

        note_review(rec)
    return rec


def _new_record(unit: m.Unit, user: AbstractBaseUser, review: Review) -> ReviewRecord:
    rec = ReviewRecord(unit=unit, kind=review.kind, year=review.year, version=review.version,
                       created_by=user, content={})
    return _write(rec, review)


def open_self_inspection(unit: m.Unit, user: AbstractBaseUser) -> ReviewRecord:
    """The enterprise opens this year's self-inspection (a submitted one is amended)."""
    prev = latest(unit, "self_inspection", unit.year)
    if prev is not None and not prev.frozen:
        return prev
    now = timezone.now()
    if prev is not None:
        new = w.amend(review_of(prev), actor(user), "重新自查 / new self-inspection", now)
        a = assessment(unit)
        w.refresh(new, actor(user), checklist_for(a), a, now)
        return _new_record(unit, user, new)
    a = assessment(unit)
    review = w.open_self_inspection(actor(user), str(unit.pk), checklist_for(a), a, now)
    return _new_record(unit, user, review)


def open_review(unit: m.Unit, user: AbstractBaseUser) -> ReviewRecord:
    """A reviewer opens the review of the unit's year on top of the submitted self-inspection."""
    prev = latest(unit, "review", unit.year)
    if prev is not None:
        return prev  # one review per unit and year; later edits are versions (amend)
    si = latest(unit, "self_inspection", unit.year)
    a = assessment(unit)
    people = list(unit.reviewers.all()) or [user]
    review = w.open_review(actor(user), str(unit.pk), checklist_for(a), a, timezone.now(),
                           self_inspection=review_of(si) if si else None,
                           reviewers=[u.get_username() for u in people],
                           reviewer_names=[person_text(u)
                                           for u in people])
    return _new_record(unit, user, review)


def step(rec: ReviewRecord, user: AbstractBaseUser,
         fn: Callable[[Review, Actor, Any], Any]) -> Any:
    """Run one workflow step on the latest stored state, atomically."""
    with transaction.atomic():
        locked = ReviewRecord.objects.select_for_update().get(pk=rec.pk)
        review = review_of(locked)
        out = fn(review, actor(user), timezone.now())
        _write(locked, review)
        if locked.frozen:
            note_signed(locked, user)
    return out


def note_signed(rec: ReviewRecord, user: AbstractBaseUser) -> None:
    """Enter a signature in the unit's hash-chained history (web/core/audit.py), so that a
    signed record removed or replaced behind the app's back is found by ``audit verify``."""
    from tanjiliang.web.core.changes import record

    sha = rec.sha256
    what = ("审查签发", "review signed") if rec.kind == "review" else ("自查提交",
                                                                     "self-inspection submitted")
    record(rec.unit, user, f"{rec.kind}_signed",
           f"{what[0]}（{rec.year} 年第 {rec.version} 版，摘要 {sha[:16]}…）",
           f"{what[1]} ({rec.year} version {rec.version}, hash {sha[:16]}…)",
           subject=signed_subject(rec))


def signed_subject(rec: ReviewRecord) -> str:
    """The history subject naming a signed record: ``<kind>:<id>:v<version>:<sha256>``."""
    return f"{rec.kind}:{rec.pk}:v{rec.version}:{rec.sha256}"


def amend(rec: ReviewRecord, user: AbstractBaseUser, reason: str) -> ReviewRecord:
    """A new version of a signed review (the signed one stays as it is)."""
    with transaction.atomic():
        new = w.amend(review_of(rec), actor(user), reason, timezone.now())
        if latest(rec.unit, rec.kind, rec.year) != rec:
            raise w.StateError("已有更新的版本")
        return _new_record(rec.unit, user, new)


def refresh(rec: ReviewRecord, user: AbstractBaseUser) -> None:
    a = assessment(rec.unit)
    step(rec, user, lambda r, act, at: w.refresh(r, act, checklist_for(a), a, at))


def add_evidence(rec: ReviewRecord, user: AbstractBaseUser, upload: UploadedFile, *,
                 item: str | None = None, action: str | None = None) -> Evidence:
    """Store the file, then attach it; if the workflow refuses, the file is not kept."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    ident = "E" + uuid.uuid4().hex[:12]
    with transaction.atomic():
        ef = EvidenceFile.objects.create(
            unit=rec.unit, ident=ident, file=upload, name=upload.name or ident,
            size=upload.size or 0, sha256=digest.hexdigest(),
            content_type=upload.content_type or "", uploaded_by=user)
        ev = Evidence(id=ident, filename=ef.name, sha256=ef.sha256, size=ef.size,
                      media_type=ef.content_type or None, item=item, action=action,
                      uploaded_by=user.get_username(), role="enterprise",
                      uploaded_at=timezone.now())
        try:
            return step(rec, user, lambda r, act, at: w.add_evidence(r, act, ev, at))  # type: ignore[no-any-return]
        except Exception:
            ef.file.delete(save=False)
            raise


def checklist_of(rec: ReviewRecord) -> LoadedChecklist:
    try:
        return load_checklist(review_of(rec).checklist_pack)
    except LoadError:
        raise
