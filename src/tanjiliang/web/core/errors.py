"""Error pages in one language (probe s10 #12b, #13): the 500 page, the CSRF failure, a 405,
and the refusals that are not a view's own page (a NUL character, a page for some roles only)
speak the user's language as every other page does — ``?lang=``, else the ``tj_lang``
cookie, else Chinese (``core.i18n.request_lang``) — and never Django's developer advice.
The API (``/api/``) keeps its JSON answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation

from tanjiliang.web.core.i18n import django_code, request_lang

#: what each problem page says (tj/problem.html) and its status
KINDS = {"csrf": 403, "method": 405, "nul": 400, "audit": 403}


def problem(request: HttpRequest, kind: str, status: int | None = None,
            **ctx: Any) -> HttpResponse:
    """The page of ``kind`` (one of :data:`KINDS`) in the user's language, with the site's
    frame; usable before the language middleware has run (the NUL guard comes first)."""
    lang = getattr(request, "lang", None) or request_lang(request)
    request.lang = lang  # type: ignore[attr-defined]
    with translation.override(django_code(lang)):
        resp = render(request, "tj/problem.html", {"kind": kind, **ctx},
                      status=status or KINDS[kind])
    resp.headers.setdefault("Content-Language", "zh-Hans" if lang == "zh" else lang)
    return resp


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the form was sent without its token or from another site — most
    often a page left open across a login or a restart. No DEBUG advice (Django's page)."""
    return problem(request, "csrf")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a page of its own, with no database access (the error may be the
    database), in the user's language."""
    lang = request_lang(request)
    with translation.override(django_code(lang)):
        body = loader.render_to_string("500.html", {"lang": lang})
    return HttpResponse(body, status=500, content_type="text/html; charset=utf-8",
                        headers={"Content-Language": "zh-Hans" if lang == "zh" else lang})


class ErrorPageMiddleware:
    """A 405 (a GET of a URL that only takes a POST: ``require_POST``; a method an API
    operation does not take) comes with an empty body from Django and django-ninja; pages get
    one that says what happened and leads back, the API its error shape (ninja's own 405 is
    the text "Method not allowed")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        api = request.path.startswith("/api/")
        if response.status_code == 405 and (not response.content or (
                api and not response.get("Content-Type", "").startswith("application/json"))):
            if api:  # the API's error shape, as its 404 (urls.py); ninja says "Method not allowed"
                from tanjiliang.model.errors import Issue
                from tanjiliang.web.core.api import error_response

                allowed = response.get("Allow", "")
                page = error_response(request, [Issue(
                    "<request>", None, "", f"此地址不接受 {request.method} 请求（可用：{allowed}）",
                    f"this address does not take {request.method} (allowed: {allowed})")], 405)
            else:
                page = problem(request, "method")
            if "Allow" in response:
                page["Allow"] = response["Allow"]
            return page
        return response
