"""Abuse limits of the web app (issue 18 §5; docs/security.md "Limits").

* :class:`UploadLimitMiddleware` — a request body larger than its kind's limit
  (``settings.UPLOAD_LIMITS``: unit file, ledger, readings, certificate, evidence, other) is
  refused with 413 from its ``Content-Length``, before Django reads or stores any of it.
* :class:`SecurityHeadersMiddleware` — ``Content-Security-Policy`` (scripts from this site
  only, no plug-ins, no framing by other sites, forms post here only), ``Permissions-Policy``
  (no camera, microphone, geolocation, payment, USB, …) and ``Cross-Origin-Opener-Policy``.
* :func:`download` — an uploaded file is served as an attachment with a Content-Type chosen
  from its first bytes (PDF, PNG, JPEG, ZIP-based Office files), never the uploader's, and a
  sandboxing CSP: a file that is really HTML or SVG cannot run in the site's origin.

Login and token throttling with lockout is django-axes (settings ``AXES_*``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse

from tanjiliang.i18n import gettext, pairs

MB = 1024 * 1024
#: The default limit per kind of upload, in bytes (``TANJILIANG_UPLOAD_MAX_<KIND>`` overrides).
DEFAULT_LIMITS = {"unit": 10 * MB, "ledger": 20 * MB, "readings": 100 * MB,
                  "certificate": 20 * MB, "evidence": 50 * MB, "other": 10 * MB}

#: Which requests carry which kind of upload (path patterns; the first match wins).
KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"^/units/import/$", "unit"),
    (r"^/units/\d+/edit/import/$", "unit"),
    (r"^/api/units/import$", "unit"),
    (r"^/api/units/\d+/import$", "unit"),
    (r"^/units/new/", "ledger"),
    (r"^/units/\d+/ledger/import/", "ledger"),
    (r"^/api/units/\d+/ledger", "ledger"),
    (r"^/units/\d+/readings/", "readings"),
    (r"^/units/\d+/months/", "readings"),
    (r"^/api/units/\d+/readings", "readings"),
    (r"^/units/\d+/instruments/\d+/(files|confirmations)/$", "certificate"),
    (r"^/units/\d+/reviews/\d+/", "evidence"),
))

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
PERMISSIONS = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), "
               "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
               "payment=(), usb=(), interest-cohort=()")


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "UPLOAD_LIMITS", {})}


def kind_of(path: str) -> str:
    for pattern, kind in KINDS:
        if pattern.search(path):
            return kind
    return "other"


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n // 1024} KB"


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        kind = kind_of(request.path)
        limit = limits()[kind]
        if length > limit:
            return too_large(request, kind, length, limit)
        return self.get_response(request)


#: What was too large, in words (Chinese; the English from the catalogue, ``upload:<kind>``).
_KIND_WORDS = cast("dict[str, tuple[str, str]]", pairs("upload", {
    "unit": "单位文件", "ledger": "台账",
    "readings": "计量数据", "certificate": "证书文件",
    "evidence": "证据文件", "other": "请求"}))


def api_error(request: HttpRequest, zh: str, en: str, status: int) -> HttpResponse:
    """The API's error body (``api.Error``) for an answer given before the API is reached:
    ``detail`` in the request's language."""
    from tanjiliang.web.core.api import api_lang

    return JsonResponse({"detail": zh if api_lang(request) == "zh" else en, "issues": [
        {"file": "<request>", "line": None, "path": "", "zh": zh, "en": en}]}, status=status)


def too_large(request: HttpRequest, kind: str, length: int, limit: int) -> HttpResponse:
    zh_kind, en_kind = _KIND_WORDS[kind]
    zh = f"{zh_kind}过大（{_mb(length)}），上限为 {_mb(limit)}；未保存任何内容"
    en = f"the {en_kind} is too large ({_mb(length)}); the limit is {_mb(limit)}; nothing was stored"
    if request.path.startswith("/api/"):
        return api_error(request, zh, en, 413)
    lang = "en" if (request.GET.get("lang") or request.COOKIES.get("tj_lang")) == "en" else "zh"
    text = zh if lang == "zh" else en
    title = gettext("文件过大", lang, "web.security")
    back = gettext("返回", lang, "web.security")
    from django.utils.html import escape

    body = (f'<!doctype html><html lang="{"zh-Hans" if lang == "zh" else "en"}"><meta '
            f'charset="utf-8"><title>{title}</title><h1>{title}</h1><p id="too-large">'
            f'{escape(text)}</p><p><a href="javascript:history.back()">{back}</a></p></html>')
    return HttpResponse(body, status=413)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


#: First bytes → a Content-Type that browsers handle without running anything.
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"\xff\xd8\xff", "image/jpeg"),
          (b"PK\x03\x04", "application/zip"))
_OFFICE = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def sniff(head: bytes, name: str) -> str:
    """The Content-Type to serve an uploaded file with, from its content."""
    for magic, ctype in _MAGIC:
        if head.startswith(magic):
            if ctype == "application/zip":
                ext = name[name.rfind("."):].lower() if "." in name else ""
                return _OFFICE.get(ext, ctype)
            return ctype
    return "application/octet-stream"


def download(fileobj: Any, name: str) -> FileResponse:
    """Serve an uploaded file: always an attachment, Content-Type from its first bytes."""
    head = fileobj.read(16)
    fileobj.seek(0)
    resp = FileResponse(fileobj, as_attachment=True, filename=name,
                        content_type=sniff(head, name))
    resp["Content-Security-Policy"] = "sandbox; default-src 'none'"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def lockout(request: HttpRequest, response: HttpResponse | None = None,
            credentials: dict[str, Any] | None = None) -> HttpResponse:
    """django-axes' answer when a user name is locked out (429), in the user's language;
    JSON for the API."""
    minutes = round(float(getattr(settings, "AXES_COOLOFF_TIME", 0.25)) * 60)
    zh = f"登录失败次数过多，该账号已被暂时锁定 {minutes} 分钟；请稍后再试，或联系管理员解锁"
    en = (f"too many failed logins: this account is locked for {minutes} minutes; try again "
          "later or ask an administrator to unlock it")
    if request.path.startswith("/api/"):
        return api_error(request, zh, en, 429)
    from django.utils.html import escape

    lang = "en" if (request.GET.get("lang") or request.COOKIES.get("tj_lang")) == "en" else "zh"
    title = gettext("账号已锁定", lang, "web.security")
    return HttpResponse(
        f'<!doctype html><html lang="{"zh-Hans" if lang == "zh" else "en"}"><meta '
        f'charset="utf-8"><title>{title}</title><h1>{title}</h1><p id="locked">'
        f'{escape(zh if lang == "zh" else en)}</p></html>', status=429)
