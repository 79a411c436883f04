"""Screens of signatures and the audit chain (issue 18 §2; docs/security.md "Verifying"):

* ``/audit/`` — the regulator's and administrator's check: the hash-chained history and every
  signed review (the web form of ``tanjiliang audit verify``);
* ``/keys/`` — the user's own signing key (fingerprint, certificate) and replacing it;
* ``/keys/root.pem`` — the installation's root certificate, to trust in a PDF reader.
"""

from __future__ import annotations

from cryptography import x509
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from tanjiliang.i18n import gettext
from tanjiliang.web.core import models as m
from tanjiliang.web.core.audit import verify
from tanjiliang.web.core.tenancy import role_of
from tanjiliang.web.core.views.common import lang_of, page
from tanjiliang.web.review import keys
from tanjiliang.web.review.integrity import verify_reviews
from tanjiliang.web.review.models import SigningKey


@login_required
def audit_check(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (m.ROLE_REGULATOR, m.ROLE_ADMIN):
        from tanjiliang.web.core.errors import problem

        return problem(request, "audit")
    rep = verify(request.GET.get("expect") or None)
    signed, problems = verify_reviews()
    lang = lang_of(request)
    return page(request, "tjreview/audit.html", report=rep, signed=signed,
                problems=[p.message(lang) for p in rep.problems + problems],
                expect=request.GET.get("expect", ""))


@login_required
def my_key(request: HttpRequest) -> HttpResponse:
    current = SigningKey.objects.filter(user=request.user, replaced__isnull=True).first()
    subject = ""
    if current is not None:
        cert = x509.load_pem_x509_certificate(current.certificate.encode())
        subject = cert.subject.rfc4514_string()
    old = SigningKey.objects.filter(user=request.user, replaced__isnull=False).order_by(
        "-replaced")
    return page(request, "tjreview/key.html", key=current, subject=subject, old=old)


@login_required
@require_POST
def replace_key(request: HttpRequest) -> HttpResponse:
    """A new key for the user's next signatures; the old one stays registered so that what it
    signed still verifies."""
    with transaction.atomic():
        SigningKey.objects.filter(user=request.user, replaced__isnull=True).update(
            replaced=timezone.now())
        k = keys.key_of(request.user)
    messages.success(request, gettext("已生成新的签名密钥 {0}…", lang_of(request), "web.audit").format(k.key_id[:16]))
    return redirect("signing-key")


@login_required
def root_pem(request: HttpRequest) -> HttpResponse:
    resp = HttpResponse(keys.root_pem(), content_type="application/x-pem-file")
    resp["Content-Disposition"] = 'attachment; filename="tanjiliang-review-root.pem"'
    return resp
