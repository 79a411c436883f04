"""The review workflow through the web app: states, sign-off and versions, permissions,
the report download (docs/review.md)."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tanjiliang.review.model import Review
from tanjiliang.review.seal import verify
from tanjiliang.web.review.models import FrozenRecord, ReviewRecord, UnitSummary


def _post(client, name, *args, **data):
    return client.post(reverse(name, args=args), data)


def self_inspection_submitted(rw):
    c = rw.client(rw.a)
    r = _post(c, "review-open-self", rw.unit.pk)
    assert r.status_code == 302
    rec = ReviewRecord.objects.get(kind="self_inspection")
    _post(c, "review-pending", rw.unit.pk, rec.pk, reason="自查：查阅文件")
    _post(c, "review-submit", rw.unit.pk, rec.pk)
    rec.refresh_from_db()
    assert rec.state == "submitted" and rec.sha256
    return rec


def review_to_findings(rw):
    self_inspection_submitted(rw)
    c = rw.client(rw.reviewer)
    assert _post(c, "review-open", rw.unit.pk).status_code == 302
    rec = ReviewRecord.objects.get(kind="review")
    up = SimpleUploadedFile("制度汇编.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    r = c.post(reverse("review-evidence", args=[rw.unit.pk, rec.pk]), {"item": "4.3.2",
                                                                     "file": up})
    assert r.status_code == 302
    _post(c, "review-pending", rw.unit.pk, rec.pk, reason="现场查阅文件，符合要求")
    _post(c, "review-issue", rw.unit.pk, rec.pk, owner="张工")
    rec.refresh_from_db()
    assert rec.state == "findings_issued"
    return rec


def test_web_review_complete_journey_and_signed_report(rw):
    rec = review_to_findings(rw)
    review = Review.model_validate(rec.content)
    assert review.self_inspection_sha256
    ncs = [n.id for n in review.nonconformities]
    assert ncs  # the spec example has EQ-RATE, ACC-MPE and MGMT-PROCEDURE findings
    ent, rev = rw.client(rw.a), rw.client(rw.reviewer)
    for nc in ncs:
        up = SimpleUploadedFile(f"{nc}整改.pdf", b"fixed", content_type="application/pdf")
        assert ent.post(reverse("review-evidence", args=[rw.unit.pk, rec.pk]),
                        {"action": nc, "file": up}).status_code == 302
        _post(ent, "review-action", rw.unit.pk, rec.pk, nc, "answer", cause="原因",
              correction="已整改")
        _post(rev, "review-action", rw.unit.pk, rec.pk, nc, "close", verification="已验证")
    _post(rev, "review-conclude", rw.unit.pk, rec.pk, summary="存在不符合项，已整改。")
    _post(rev, "review-sign", rw.unit.pk, rec.pk)
    rec.refresh_from_db()
    review = Review.model_validate(rec.content)
    assert rec.state == "signed" and verify(review) and rec.sha256 == review.signature.sha256
    assert rec.conclusion == "nonconforming" and rec.open_ncs == 0
    page = rev.get(reverse("review-detail", args=[rw.unit.pk, rec.pk]))
    assert page.status_code == 200 and rec.sha256 in page.content.decode()
    assert 'class="muted self-result"' in page.content.decode()  # the self-inspection beside
    pdf = rev.get(reverse("review-report", args=[rw.unit.pk, rec.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    text = "".join(subprocess.run(["pdftotext", "-", "-"], input=pdf.content,
                                  capture_output=True, check=True).stdout.decode().split())
    assert "现场审查情况汇总表" in text and "不符合项报告" in text and rec.sha256 in text
    assert "NC-01整改.pdf" in text and "制度汇编.pdf" in text
    xlsx = rev.get(reverse("review-report", args=[rw.unit.pk, rec.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    # the overview row carries the review
    row = UnitSummary.objects.get(unit=rw.unit)
    assert (row.review_state, row.review_conclusion, row.open_ncs) == (
        "signed", "nonconforming", 0)
    # evidence downloads for who can see the unit
    ev = review.evidence[0]
    r = rw.client(rw.regulator).get(reverse("review-evidence-file",
                                            args=[rw.unit.pk, rec.pk, ev.id]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 evidence"


def test_web_review_states_cannot_be_skipped(rw):
    self_inspection_submitted(rw)
    rev = rw.client(rw.reviewer)
    _post(rev, "review-open", rw.unit.pk)
    rec = ReviewRecord.objects.get(kind="review")
    r = _post(rev, "review-sign", rw.unit.pk, rec.pk)
    assert r.status_code == 302
    _post(rev, "review-conclude", rw.unit.pk, rec.pk, summary="x")
    _post(rev, "review-issue", rw.unit.pk, rec.pk, owner="张工")  # items still pending
    rec.refresh_from_db()
    assert rec.state == "opened"
    msgs = [str(m) for m in rev.get(reverse("review-detail", args=[rw.unit.pk, rec.pk])
                                    ).context["messages"]]
    assert any("未判定" in m for m in msgs)


def test_web_review_needs_submitted_self_inspection(rw):
    r = _post(rw.client(rw.reviewer), "review-open", rw.unit.pk)
    assert r.status_code == 302 and not ReviewRecord.objects.filter(kind="review").exists()


def test_web_signed_review_is_frozen_and_amend_makes_a_version(rw):
    rec = review_to_findings(rw)
    rev, ent = rw.client(rw.reviewer), rw.client(rw.a)
    review = Review.model_validate(rec.content)
    for n in review.nonconformities:
        _post(ent, "review-action", rw.unit.pk, rec.pk, n.id, "answer", cause="c",
              correction="x")
        _post(rev, "review-action", rw.unit.pk, rec.pk, n.id, "close", verification="ok")
    _post(rev, "review-conclude", rw.unit.pk, rec.pk, summary="")
    _post(rev, "review-sign", rw.unit.pk, rec.pk)
    rec.refresh_from_db()
    signed_content, signed_hash = rec.content, rec.sha256
    # neither the enterprise nor the reviewer can change the signed version
    assert _post(ent, "review-judge", rw.unit.pk, rec.pk, "4.2.1", result="conforming",
                 reason="x").status_code in (302, 403)
    _post(rev, "review-judge", rw.unit.pk, rec.pk, "4.2.1", result="nonconforming",
          reason="改判")
    rec.refresh_from_db()
    assert rec.content == signed_content
    rec.content = {**rec.content, "summary": "tampered"}
    with pytest.raises(FrozenRecord):
        rec.save()
    # the enterprise cannot make a new version of the review
    assert _post(ent, "review-amend", rw.unit.pk, rec.pk, reason="x").status_code == 403
    _post(rev, "review-amend", rw.unit.pk, rec.pk, reason="补充现场证据")
    v2 = ReviewRecord.objects.get(kind="review", version=2)
    assert v2.state == "opened" and v2.content["previous_sha256"] == signed_hash
    _post(rev, "review-judge", rw.unit.pk, v2.pk, "4.2.1", result="nonconforming",
          reason="职责文件未发布")
    old = ReviewRecord.objects.get(kind="review", version=1)
    assert old.sha256 == signed_hash and verify(Review.model_validate(old.content))
    for r in (old, v2):  # both versions readable
        assert rev.get(reverse("review-detail", args=[rw.unit.pk, r.pk])).status_code == 200
        assert rev.get(reverse("review-report", args=[rw.unit.pk, r.pk, "pdf"])
                       ).status_code == 200


def test_web_reviewer_cannot_edit_enterprise_data(rw):
    rev = rw.client(rw.reviewer)
    # the unit itself (core app): read-only for the reviewer
    r = rev.post(reverse("unit-edit-info", args=[rw.unit.pk]), {"name": "改名"})
    assert r.status_code in (403, 404)
    # the self-inspection is the enterprise's
    assert _post(rev, "review-open-self", rw.unit.pk).status_code == 403
    si = self_inspection_submitted(rw)
    assert _post(rev, "review-judge", rw.unit.pk, si.pk, "4.2.1", result="nonconforming",
                 reason="x").status_code in (302, 403)
    si.refresh_from_db()
    assert si.state == "submitted"
    # answers to non-conformities are the enterprise's
    _post(rev, "review-open", rw.unit.pk)
    rec = ReviewRecord.objects.get(kind="review")
    _post(rev, "review-pending", rw.unit.pk, rec.pk, reason="ok")
    _post(rev, "review-issue", rw.unit.pk, rec.pk, owner="张工")
    assert _post(rev, "review-action", rw.unit.pk, rec.pk, "NC-01", "answer", cause="c",
                 correction="x").status_code == 403


def test_web_enterprise_cannot_judge_review_and_other_tenants_see_nothing(rw):
    rec = review_to_findings(rw)
    ent = rw.client(rw.a)
    assert _post(ent, "review-issue", rw.unit.pk, rec.pk, owner="x").status_code == 403
    other = rw.client(rw.b)
    assert other.get(reverse("review-detail", args=[rw.unit.pk, rec.pk])).status_code == 404
    assert other.get(reverse("review-list", args=[rw.unit.pk])).status_code == 404
    assert other.get(reverse("review-report", args=[rw.unit.pk, rec.pk, "pdf"])
                     ).status_code == 404
    assert rw.client(rw.other_reviewer).get(
        reverse("review-detail", args=[rw.unit.pk, rec.pk])).status_code == 404
    reg = rw.client(rw.regulator)
    assert reg.get(reverse("review-detail", args=[rw.unit.pk, rec.pk])).status_code == 200
    assert _post(reg, "review-action", rw.unit.pk, rec.pk, "NC-01", "close",
                 verification="x").status_code == 403


def test_web_review_pages_in_english_do_not_mix(rw):
    rec = review_to_findings(rw)
    page = rw.client(rw.reviewer).get(reverse("review-detail", args=[rw.unit.pk, rec.pk]),
                                      {"lang": "en"}).content.decode()
    assert "Non-conformities and corrective actions" in page
    assert "不符合项与整改" not in page
