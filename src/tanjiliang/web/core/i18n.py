"""The UI language (issue 5 §4): Chinese by default, English on request, never mixed.

The text of each screen sits in its template as a pair (``{% t "中文" "English" %}``), so the
two languages live side by side and one is chosen per request; field labels come from the
pydantic models (``json_schema_extra``), the single place where they are defined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

LANGS = ("zh", "en")
COOKIE = "tj_lang"


def request_lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or request.COOKIES.get(COOKIE) or "zh"
    return lang if lang in LANGS else "zh"


class LanguageMiddleware:
    """Sets ``request.lang`` from ``?lang=`` or the cookie; remembers an explicit choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.lang = request_lang(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.GET.get("lang") in LANGS:
            response.set_cookie(COOKIE, request.GET["lang"], max_age=365 * 86400,
                                samesite="Lax", httponly=True)
        response.headers.setdefault("Content-Language", "zh-Hans" if request.lang == "zh" else "en")  # type: ignore[attr-defined]
        return response


def context(request: HttpRequest) -> dict[str, Any]:
    lang = getattr(request, "lang", "zh")
    return {"lang": lang, "other_lang": "en" if lang == "zh" else "zh"}


def tr(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
