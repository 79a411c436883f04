"""Abuse limits (issue 18 §5; docs/security.md "Limits"): login and token lockout, one token
per client name, upload limits before anything is stored, CSP and Permissions-Policy, uploaded
files served as typed attachments. SQLite here, PostgreSQL through test_postgres.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from tanjiliang.web.core import models as m

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "tanjiliang" / "web"


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_login_locks_out_after_repeated_wrong_passwords(world: Any) -> None:
    c = Client()
    for _ in range(5):
        r = _login(c, "a", "wrong")
        assert r.status_code in (200, 429)
    r = _login(c, "a", "pw")  # the right password no longer helps
    assert r.status_code == 429 and "锁定" in r.content.decode()
    assert "_auth_user_id" not in c.session
    # the same user from another address, and another user, are not locked
    assert _login(Client(), "a", "pw", ip="10.0.0.2").status_code == 302
    assert _login(Client(), "b", "pw").status_code == 302


def test_token_endpoint_counts_towards_the_lockout(world: Any) -> None:
    c = Client()

    def ask(password: str) -> Any:
        return c.post("/api/auth/token", json.dumps({"username": "a", "password": password}),
                      content_type="application/json", REMOTE_ADDR="10.0.0.9")

    assert ask("pw").status_code == 200
    for _ in range(5):
        assert ask("wrong").status_code in (401, 429)
    r = ask("pw")
    assert r.status_code == 429 and "锁定" in r.json()["detail"]  # the request's language
    assert "锁定" in r.json()["issues"][0]["zh"] and "locked" in r.json()["issues"][0]["en"]


def test_one_token_per_client_name(world: Any) -> None:
    c = Client()

    def token(name: str) -> str:
        r = c.post("/api/auth/token", json.dumps({"username": "a", "password": "pw",
                                                  "name": name}),
                   content_type="application/json")
        assert r.status_code == 200
        return r.json()["token"]

    first, second = token("ci"), token("ci")
    assert first != second
    assert m.ApiToken.objects.filter(user=world.a, name="ci").count() == 1
    assert c.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert c.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    token("laptop")
    assert m.ApiToken.objects.filter(user=world.a).exclude(name="").count() == 2


def _media_files() -> set[Path]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@override_settings(UPLOAD_LIMITS={"unit": 2000, "readings": 3000, "certificate": 1000})
def test_uploads_over_their_kind_limit_are_refused_before_storing(world: Any) -> None:
    c = world.client(world.a)
    before_units, before_files = m.Unit.objects.count(), _media_files()
    big = SimpleUploadedFile("u.yaml", b"# x\n" * 1000, content_type="application/yaml")
    r = c.post(reverse("unit-import-new"), {"file": big})
    assert r.status_code == 413 and "上限为" in r.content.decode()
    r = c.post(reverse("unit-import-new"), {"file": big}, HTTP_COOKIE="tj_lang=en")
    auth = world.token(world.a)
    big.seek(0)
    r = c.post("/api/units/import", {"file": big}, **auth)
    assert r.status_code == 413 and "too large" in r.json()["issues"][0]["en"]
    assert "过大" in r.json()["detail"]  # the request's language (Chinese by default)
    csv = SimpleUploadedFile("r.csv", b"instrument,time,value\n" + b"E-1,2025-01-01,1\n" * 400)
    r = c.post(reverse("readings-upload", args=[world.unit_a.pk]), {"file": csv})
    assert r.status_code == 413
    pdf = SimpleUploadedFile("c.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    r = c.post(reverse("file-upload", args=[world.unit_a.pk, world.ins_a.pk]), {"file": pdf})
    assert r.status_code == 413
    assert m.Unit.objects.count() == before_units and _media_files() == before_files
    assert not m.CertificateFile.objects.exists() and not m.ReadingsUpload.objects.exists()


def test_default_limits_are_settings_with_sane_values() -> None:
    from tanjiliang.web.core.security import kind_of, limits

    lim = limits()
    assert 1 << 20 <= lim["unit"] <= 50 << 20 and lim["readings"] <= 1 << 30
    assert kind_of("/units/3/readings/upload/") == "readings"
    assert kind_of("/units/3/months/2025-03/file/") == "readings"
    assert kind_of("/units/3/ledger/import/") == "ledger"
    assert kind_of("/api/units/import") == "unit"
    assert kind_of("/units/3/instruments/4/files/") == "certificate"
    assert kind_of("/units/3/reviews/5/evidence/") == "evidence"


def test_security_headers_on_pages_and_api(world: Any) -> None:
    c = world.client(world.a)
    for url in (reverse("unit-list"), reverse("unit-dashboard", args=[world.unit_a.pk]),
                "/api/units"):
        r = c.get(url, **(world.token(world.a) if url.startswith("/api") else {}))
        csp = r["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'self'" in script and "unsafe" not in script
        assert "object-src 'none'" in csp and "frame-ancestors" in csp
        assert "camera=()" in r["Permissions-Policy"]
        assert "microphone=()" in r["Permissions-Policy"]


def test_templates_have_no_inline_scripts_or_handlers() -> None:
    """The CSP would block them: behaviours go through static/tanjiliang/app.js."""
    bad = []
    for p in TEMPLATES.rglob("*.html"):
        text = p.read_text(encoding="utf-8")
        for mt in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']", text):
            if "application/json" not in mt.group(0):
                bad.append(f"{p.name}: {mt.group(0)}")
    assert not bad, bad


@pytest.mark.parametrize(("name", "content", "claimed", "served"), [
    ("cert.pdf", b"<html><script>alert(document.cookie)</script></html>", "application/pdf",
     "application/octet-stream"),
    ("cert.html", b"<svg onload=alert(1)>", "text/html", "application/octet-stream"),
    ("cert.pdf", b"%PDF-1.4 a real certificate", "text/html", "application/pdf"),
    ("photo.png", b"\x89PNG\r\n\x1a\n....", "image/svg+xml", "image/png"),
])
def test_uploaded_certificates_are_typed_attachments(world: Any, name: str, content: bytes,
                                                     claimed: str, served: str) -> None:
    c = world.client(world.a)
    up = SimpleUploadedFile(name, content, content_type=claimed)
    r = c.post(reverse("file-upload", args=[world.unit_a.pk, world.ins_a.pk]), {"file": up})
    assert r.status_code == 302
    f = m.CertificateFile.objects.get()
    r = c.get(reverse("file-download", args=[world.unit_a.pk, f.pk]))
    assert r.status_code == 200 and r["Content-Type"] == served
    assert r["Content-Disposition"].startswith("attachment")
    assert "sandbox" in r["Content-Security-Policy"] and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == content


def test_api_json_never_contains_nan_or_infinity() -> None:
    from django.test import RequestFactory

    from tanjiliang.web.core.api import SafeJSONRenderer

    out = SafeJSONRenderer().render(RequestFactory().get("/api/units"),
                                    {"a": float("nan"), "b": [float("inf"), 1.5]},
                                    response_status=200)
    assert json.loads(out) == {"a": None, "b": [None, 1.5]}
    assert "NaN" not in out and "Infinity" not in out
