"""Checks of the stored reviews (issue 18 §2; docs/security.md "Verifying"): every signed
record's key signature, its key registered to its signer, the chain of versions, and the
hash-chained history entry made when it was signed — both ways, so that a signed record
removed, replaced or slipped in behind the app's back is found.

Used by ``tanjiliang review verify --database``, ``tanjiliang audit verify`` and the web check
(``/audit/``)."""

from __future__ import annotations

import hashlib

from tanjiliang.review.model import Review
from tanjiliang.review.seal import check
from tanjiliang.web.core.audit import Problem
from tanjiliang.web.core.models import HistoryEntry
from tanjiliang.web.review import keys
from tanjiliang.web.review.models import FROZEN, EvidenceFile, ReviewRecord
from tanjiliang.web.review.store import review_of, signed_subject

SIGNED_ACTIONS = ("review_signed", "self_inspection_signed")


def verify_reviews() -> tuple[int, list[Problem]]:
    """(number of signed records checked, problems)."""
    problems: list[Problem] = []
    entries = {s: True for s in HistoryEntry.objects.filter(action__in=SIGNED_ACTIONS)
               .values_list("subject", flat=True)}
    signed = 0
    chains: dict[tuple[int, str, int], list[ReviewRecord]] = {}
    for rec in ReviewRecord.objects.order_by("unit_id", "kind", "year", "version").iterator():
        chains.setdefault((rec.unit_id, rec.kind, rec.year), []).append(rec)
        if rec.state not in FROZEN:
            continue
        signed += 1
        where = f"{rec.kind} #{rec.pk} v{rec.version}"
        review = review_of(rec)
        v = check(review, keys.trusted)
        if not v.ok:
            problems.append(Problem(rec.pk, f"{where}：{v.zh}", f"{where}: {v.en}"))
        if review.signature is not None and rec.sha256 != review.signature.sha256:
            problems.append(Problem(rec.pk, f"{where}：记录的摘要列与签名不一致",
                                    f"{where}: the record's hash column differs from its "
                                    "signature"))
        if review.state != rec.state or review.version != rec.version:
            problems.append(Problem(rec.pk, f"{where}：记录的状态或版本与签名内容不一致",
                                    f"{where}: the record's state or version differs from "
                                    "the signed content"))
        problems += _evidence(rec, review, where)
        subject = signed_subject(rec)
        if entries.pop(subject, None) is None:
            problems.append(Problem(rec.pk, f"{where}：变更记录中没有这次签发",
                                    f"{where}: the history has no entry for this signature"))
    for subject in entries:
        problems.append(Problem(None, f"变更记录中的签发记录已不存在：{subject[:60]}",
                                f"a signed record in the history no longer exists or was "
                                f"changed: {subject[:60]}"))
    for recs in chains.values():
        for i, rec in enumerate(recs, start=1):
            where = f"{rec.kind} #{rec.pk} v{rec.version}"
            if rec.version != i:
                problems.append(Problem(rec.pk, f"{where}：版本不连续（缺少第 {i} 版）",
                                        f"{where}: versions are not consecutive (version {i} "
                                        "is missing)"))
                break
            if i > 1:
                before = recs[i - 2]
                if review_of(rec).previous_sha256 != before.sha256 or not before.sha256:
                    problems.append(Problem(rec.pk, f"{where}：所替代版本的摘要不符",
                                            f"{where}: the hash of the version it amends does "
                                            "not match"))
    return signed, problems


def _evidence(rec: ReviewRecord, review: Review, where: str) -> list[Problem]:
    """Every evidence file a signed record names is stored, with the hash it was signed with."""
    out: list[Problem] = []
    stored = {e.ident: e for e in EvidenceFile.objects.filter(
        ident__in=[ev.id for ev in review.evidence])}
    for ev in review.evidence:
        ef = stored.get(ev.id)
        actual = None
        if ef is not None:
            try:
                digest = hashlib.sha256()
                with ef.file.open("rb") as fh:
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(chunk)
                actual = digest.hexdigest()
            except OSError:
                actual = None
        if actual != ev.sha256:
            out.append(Problem(rec.pk, f"{where}：证据文件 {ev.filename}（{ev.id}）缺失或已被改动",
                               f"{where}: evidence file {ev.filename} ({ev.id}) is missing or "
                               "was changed"))
    return out
