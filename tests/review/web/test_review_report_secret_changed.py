"""The report PDF of a signed review once the server's secret changed (probe s10 #7;
docs/security.md "Keys"): the signer's private key no longer opens, the record's signature
still verifies; the PDF is served — without a PDF signature, saying why in its language —
instead of a 500, and the signer can replace the key."""

from __future__ import annotations

import io
import shutil
import subprocess

from django.test import override_settings
from django.urls import reverse
from test_review_signatures import signed_review

from tanjiliang.review.model import Review
from tanjiliang.review.seal import check
from tanjiliang.web.review import keys
from tanjiliang.web.review.models import SigningKey


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_signed_report_after_the_secret_changed(rw):
    from pyhanko.pdf_utils.reader import PdfFileReader

    rec = signed_review(rw)
    url = reverse("review-report", args=[rw.unit.pk, rec.pk, "pdf"])
    with override_settings(SIGNING_KEY_SECRET="another-server"):
        for lang, words in (("zh", "未附 PDF 数字签名"), ("en", "carries no PDF signature")):
            resp = rw.client(rw.reviewer).get(url + f"?lang={lang}")
            assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
            pdf = b"".join(resp.streaming_content) if resp.streaming else resp.content
            assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
            if shutil.which("pdftotext"):
                text = _text(pdf)
                assert words in text, text[-800:]
        # the record's own signature is untouched by the secret
        assert check(Review.model_validate(rec.content), keys.trusted).ok
        # the signer replaces the key (the installation's root no longer opens either)
        c = rw.client(rw.reviewer)
        assert c.post(reverse("signing-key-replace")).status_code == 302
        new = SigningKey.objects.get(user=rw.reviewer, replaced__isnull=True)
        assert keys.signer_of(rw.reviewer).key_id == new.key_id
        # the old report still names the key that signed it and is served unsigned
        resp = c.get(url)
        assert resp.status_code == 200
    # with the secret the key was made under, the PDF is signed as before
    pdf = rw.client(rw.reviewer).get(url).content
    assert len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures) == 1


def test_signing_with_a_key_made_under_another_secret_says_to_replace_it(rw):
    from test_review_web_workflow import review_to_findings

    rec = review_to_findings(rw)
    rev = rw.client(rw.reviewer)
    keys.key_of(rw.reviewer)  # made under the server's secret of then
    with override_settings(SIGNING_KEY_SECRET="another-server"):
        for nc in [n.id for n in Review.model_validate(rec.content).nonconformities]:
            rw.client(rw.a).post(reverse("review-action", args=[rw.unit.pk, rec.pk, nc, "answer"]),
                                 {"cause": "原因", "correction": "已整改"})
            rev.post(reverse("review-action", args=[rw.unit.pk, rec.pk, nc, "close"]),
                     {"verification": "已验证"})
        rev.post(reverse("review-conclude", args=[rw.unit.pk, rec.pk]), {"summary": "好"})
        resp = rev.post(reverse("review-sign", args=[rw.unit.pk, rec.pk]) + "?lang=en",
                        follow=True)
        assert resp.status_code == 200
        assert "replace it on the page “My signing key”" in resp.content.decode()
        rec.refresh_from_db()
        assert rec.state != "signed"
        rev.post(reverse("signing-key-replace"))
        assert rev.post(reverse("review-sign", args=[rw.unit.pk, rec.pk])).status_code == 302
        rec.refresh_from_db()
        assert rec.state == "signed"
        assert check(Review.model_validate(rec.content), keys.trusted).ok


def test_the_root_download_holds_every_root_after_the_secret_changed(rw):
    from asn1crypto import pem

    keys.key_of(rw.a)
    with override_settings(SIGNING_KEY_SECRET="another-server"):
        rw.client(rw.a).post(reverse("signing-key-replace"))
        body = rw.client(rw.a).get(reverse("signing-root")).content
    roots = list(pem.unarmor(body, multiple=True))
    assert len(roots) == 2 == SigningKey.objects.filter(purpose="ca").count()
