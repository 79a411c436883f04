"""Signatures that mean something (issue 18 §2; docs/security.md): the reviewer's own
Ed25519 key, a forged record that no longer verifies, signed rows the database refuses to
change, the hash-chained history, the signed report PDF. Runs on SQLite and, through
test_review_web_postgres.py, on PostgreSQL."""

from __future__ import annotations

import io
import itertools
import json
import shutil
import subprocess

import pytest
from cryptography.exceptions import InvalidTag
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from test_review_web_workflow import _post, review_to_findings, self_inspection_submitted
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.review.model import Review
from tanjiliang.review.seal import check, content_hash
from tanjiliang.web.core import audit
from tanjiliang.web.core.models import HistoryEntry
from tanjiliang.web.core.triggers import bypassed
from tanjiliang.web.review import keys
from tanjiliang.web.review.integrity import verify_reviews
from tanjiliang.web.review.models import FrozenRecord, ReviewRecord, SigningKey

runner = CliRunner()


def signed_review(rw) -> ReviewRecord:
    rec = review_to_findings(rw)
    ent, rev = rw.client(rw.a), rw.client(rw.reviewer)
    for nc in [n.id for n in Review.model_validate(rec.content).nonconformities]:
        _post(ent, "review-action", rw.unit.pk, rec.pk, nc, "answer", cause="原因",
              correction="已整改")
        _post(rev, "review-action", rw.unit.pk, rec.pk, nc, "close", verification="已验证")
    _post(rev, "review-conclude", rw.unit.pk, rec.pk, summary="已整改。")
    assert _post(rev, "review-sign", rw.unit.pk, rec.pk).status_code == 302
    rec.refresh_from_db()
    assert rec.state == "signed"
    return rec


def _forge(rec: ReviewRecord, conclusion: str = "conforming") -> None:
    """What an attacker with the database owner's rights does: drop the guard, edit the
    conclusion and recompute the SHA-256 (the probe of issue 18)."""
    review = Review.model_validate(rec.content)
    review.conclusion = conclusion  # type: ignore[assignment]
    sha = content_hash(review)
    review.signature = review.signature.model_copy(update={"sha256": sha})
    with bypassed(connection, "tjreview_reviewrecord"), connection.cursor() as cur:
        cur.execute(f"UPDATE {ReviewRecord._meta.db_table} SET content = %s, sha256 = %s, "
                    "conclusion = %s WHERE id = %s",
                    [json.dumps(review.model_dump(mode="json")), sha, conclusion, rec.pk])


def test_reviewer_signs_with_own_registered_key(rw):
    rec = signed_review(rw)
    review = Review.model_validate(rec.content)
    s = review.signature
    assert s.algorithm == "Ed25519" and s.by == rw.reviewer.username and s.value
    key = SigningKey.objects.get(user=rw.reviewer, replaced__isnull=True)
    assert key.key_id == s.key_id and check(review, keys.trusted).ok
    # the enterprise's submitted self-inspection is signed with the enterprise user's key
    si = ReviewRecord.objects.get(kind="self_inspection")
    assert Review.model_validate(si.content).signature.key_id == \
        SigningKey.objects.get(user=rw.a).key_id
    page = rw.client(rw.reviewer).get(reverse("review-detail", args=[rw.unit.pk, rec.pk]))
    assert "签名有效" in page.content.decode()
    signed, problems = verify_reviews()
    assert signed == 2 and problems == []


def test_private_keys_are_encrypted_at_rest(rw):
    self_inspection_submitted(rw)
    k = SigningKey.objects.get(user=rw.a)
    raw = keys.signer_of(rw.a).private_key.private_bytes_raw()
    assert raw.hex() not in k.private_key and k.private_key.startswith("v1:")
    with override_settings(SIGNING_KEY_SECRET="another-server"), pytest.raises(InvalidTag):
        keys.decrypt(k.private_key, k.key_id)
    with pytest.raises(InvalidTag):  # a ciphertext moved to another key's row does not open
        keys.decrypt(k.private_key, "another-key-id")


def test_forged_conclusion_with_recomputed_hash_does_not_verify(rw, monkeypatch):
    rec = signed_review(rw)
    _forge(rec)
    rec.refresh_from_db()
    review = Review.model_validate(rec.content)
    assert review.signature.sha256 == content_hash(review)  # the hash alone would pass
    v = check(review, keys.trusted)
    assert not v.ok and "invalid signature" in v.en
    page = rw.client(rw.reviewer).get(reverse("review-detail", args=[rw.unit.pk, rec.pk]))
    assert "签名无效" in page.content.decode()
    _, problems = verify_reviews()
    assert any("invalid signature" in p.en for p in problems)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")  # Django is already set up on the test db
    r = runner.invoke(app, ["review", "verify", "--lang", "en"])
    assert r.exit_code == 1 and "invalid signature" in r.output
    r = runner.invoke(app, ["audit", "verify", "--lang", "en"])
    assert r.exit_code == 1 and "verification failed" in r.output


def test_resigning_with_a_key_of_ones_own_is_not_the_signers_key(rw, tmp_path):
    from tanjiliang.review.seal import Signer, seal

    rec = signed_review(rw)
    review = Review.model_validate(rec.content)
    review.conclusion = "conforming"
    seal(review, Signer.generate(), review.signature)  # a valid signature by a stranger's key
    assert check(review).ok  # integrity alone…
    v = check(review, keys.trusted)
    assert not v.ok and "not the key registered" in v.en  # …but not the reviewer's key
    f = tmp_path / "r.json"
    f.write_text(json.dumps(review.model_dump(mode="json")), encoding="utf-8")
    real = SigningKey.objects.get(user=rw.reviewer).key_id
    assert runner.invoke(app, ["review", "verify", str(f), "--key", real]).exit_code == 1
    assert runner.invoke(app, ["review", "verify", str(f)]).exit_code == 0


def test_signed_records_cannot_be_changed_or_deleted_through_any_door(rw):
    rec = signed_review(rw)
    table = ReviewRecord._meta.db_table
    for sql in (f"UPDATE {table} SET conclusion = 'conforming' WHERE id = %s",
                f"UPDATE {table} SET content = '{{}}' WHERE id = %s",
                f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [rec.pk])
    with pytest.raises(FrozenRecord):
        rec.delete()
    with pytest.raises(FrozenRecord):
        ReviewRecord.objects.filter(pk=rec.pk).update(conclusion="conforming")
    with pytest.raises(FrozenRecord):
        ReviewRecord.objects.filter(pk=rec.pk).delete()
    rec.conclusion = "conforming"
    with pytest.raises(FrozenRecord):
        rec.save()
    rec.refresh_from_db()
    assert rec.conclusion == "nonconforming" and not verify_reviews()[1]
    # an open (unsigned) version may still change: amending is the way to a new version
    new = _post(rw.client(rw.reviewer), "review-amend", rw.unit.pk, rec.pk, reason="更正")
    assert new.status_code == 302
    v2 = ReviewRecord.objects.get(kind="review", version=2)
    ReviewRecord.objects.filter(pk=v2.pk).update(open_ncs=0)


def test_history_is_a_hash_chain_that_finds_edits_and_removals(rw):
    signed_review(rw)
    rows = list(HistoryEntry.objects.order_by("id"))
    assert len(rows) >= 3 and rows[0].prev_sha256 == audit.GENESIS
    assert all(b.prev_sha256 == a.sha256 for a, b in itertools.pairwise(rows))
    rep = audit.verify()
    assert rep.ok and rep.count == len(rows) and rep.head == rows[-1].sha256
    head = f"{rep.count}:{rep.head}"
    table = HistoryEntry._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET zh = 'x' WHERE id = %s", [rows[1].pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE id = %s", [rows[1].pk])
    with pytest.raises(PermissionError):
        HistoryEntry.objects.filter(pk=rows[1].pk).delete()
    r = runner.invoke(app, ["audit", "verify", "--expect", head, "--lang", "en"])
    assert r.exit_code == 0 and "all verified" in r.output
    with bypassed(connection, "core_historyentry"):  # a dropped guard is reported
        assert any("tj_history_delete" in p.en for p in audit.verify().problems)
    # edited behind the guard
    with bypassed(connection, "core_historyentry"), connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET zh = %s WHERE id = %s", ["改过", rows[1].pk])
    assert [p.id for p in audit.verify().problems] == [rows[1].pk]
    # a middle row removed
    with bypassed(connection, "core_historyentry"), connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET zh = %s WHERE id = %s", [rows[1].zh, rows[1].pk])
        cur.execute(f"DELETE FROM {table} WHERE id = %s", [rows[1].pk])
    assert [p.id for p in audit.verify().problems] == [rows[2].pk]
    # the last row (a signature's entry) removed: found against the recorded head and by the
    # signed record that has lost its entry
    with bypassed(connection, "core_historyentry"), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE id = %s", [rows[-1].pk])
    r = runner.invoke(app, ["audit", "verify", "--expect", head, "--lang", "en"])
    assert r.exit_code == 1 and "rows at the end were removed" in r.output
    assert "the history has no entry for this signature" in r.output


def test_signed_record_removed_behind_the_guard_is_found(rw):
    rec = signed_review(rw)
    with bypassed(connection, "tjreview_reviewrecord"), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {ReviewRecord._meta.db_table} WHERE id = %s", [rec.pk])
    r = runner.invoke(app, ["audit", "verify", "--lang", "en"])
    assert r.exit_code == 1 and "no longer exists" in r.output


def test_signed_report_pdf_carries_a_valid_pdf_signature(rw):
    from asn1crypto import pem
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    rec = signed_review(rw)
    pdf = rw.client(rw.reviewer).get(
        reverse("review-report", args=[rw.unit.pk, rec.pk, "pdf"])).content
    sigs = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(sigs) == 1
    root = ax509.Certificate.load(pem.unarmor(keys.root_pem().encode())[2])
    status = validate_pdf_signature(sigs[0], ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert rw.reviewer.username in str(status.signing_cert.subject.native)
    if shutil.which("pdfsig"):  # poppler, as a common reader
        out = subprocess.run(["pdfsig", "-"], input=pdf, capture_output=True, check=False)
        if out.returncode != 0 or not out.stdout:  # older pdfsig cannot read stdin
            path = f"/tmp/tj-signed-{rec.pk}.pdf"
            with open(path, "wb") as fh:
                fh.write(pdf)
            out = subprocess.run(["pdfsig", path], capture_output=True, check=False)
        assert b"Signature is Valid" in out.stdout
    # changing one byte of the signed PDF breaks it
    tampered = pdf.replace(b"/Producer", b"/Producex", 1)
    if tampered != pdf:
        s2 = PdfFileReader(io.BytesIO(tampered)).embedded_signatures[0]
        assert not validate_pdf_signature(s2, ValidationContext(trust_roots=[root])).intact


def test_web_audit_check_for_regulator_and_admin_only(rw):
    from django.urls import reverse as r

    signed_review(rw)
    for user in (rw.regulator, rw.admin):
        page = rw.client(user).get(r("audit-check"))
        assert page.status_code == 200 and "全部一致" in page.content.decode()
    assert rw.client(rw.a).get(r("audit-check")).status_code == 403
    assert rw.client(rw.reviewer).get(r("audit-check")).status_code == 403
    rows = list(HistoryEntry.objects.order_by("id"))
    with bypassed(connection, "core_historyentry"), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {HistoryEntry._meta.db_table} WHERE id = %s", [rows[1].pk])
    page = rw.client(rw.regulator).get(r("audit-check") + "?lang=en")
    assert "Verification failed" in page.content.decode()


def test_signing_key_page_replace_and_old_signatures_still_verify(rw):
    from django.urls import reverse as r

    rec = signed_review(rw)
    c = rw.client(rw.reviewer)
    old = SigningKey.objects.get(user=rw.reviewer)
    page = c.get(r("signing-key")).content.decode()
    assert old.key_id in page
    assert c.post(r("signing-key-replace")).status_code == 302
    new = SigningKey.objects.get(user=rw.reviewer, replaced__isnull=True)
    assert new.key_id != old.key_id and new.key_id in c.get(r("signing-key")).content.decode()
    assert check(Review.model_validate(rec.content), keys.trusted).ok
    # the replaced key no longer vouches for signatures made after its replacement
    from tanjiliang.review.seal import Signer, seal

    stolen = keys.decrypt(old.private_key, old.key_id)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    late = Review.model_validate(rec.content)
    seal(late, Signer(Ed25519PrivateKey.from_private_bytes(stolen)),
         late.signature.model_copy(update={"at": new.created}))
    v = check(late, keys.trusted)
    assert not v.ok and "not the key registered" in v.en
    # the report PDF is signed with the certificate kept with the key that signed the record
    from asn1crypto import pem as apem
    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = c.get(r("review-report", args=[rw.unit.pk, rec.pk, "pdf"])).content
    signer_cert = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_cert
    assert signer_cert.dump() == apem.unarmor(old.certificate.encode())[2]
    pem = c.get(r("signing-root"))
    assert pem.content.startswith(b"-----BEGIN CERTIFICATE-----")


def test_signing_keys_cannot_be_deleted_or_swapped(rw):
    signed_review(rw)
    k = SigningKey.objects.get(user=rw.reviewer)
    table = SigningKey._meta.db_table
    for sql in (f"DELETE FROM {table} WHERE id = %s",
                f"UPDATE {table} SET public_key = 'AAAA' WHERE id = %s",
                f"UPDATE {table} SET user_id = NULL WHERE id = %s"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [k.pk])
    SigningKey.objects.filter(pk=k.pk).update(replaced=k.created)  # replacing is allowed


def test_signed_evidence_is_kept_and_checked_on_disk(rw):
    from tanjiliang.web.review.models import EvidenceFile

    signed_review(rw)
    ef = EvidenceFile.objects.first()
    assert ef is not None
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {EvidenceFile._meta.db_table} WHERE id = %s", [ef.pk])
    assert verify_reviews()[1] == []
    with open(ef.file.path, "wb") as fh:  # replaced on disk behind the app's back
        fh.write(b"%PDF-1.4 another file")
    problems = verify_reviews()[1]
    assert any(ef.name in p.zh and "was changed" in p.en for p in problems)
