"""The UI language (issue 5 §4): Chinese by default, English on request, never mixed.

The text of each screen is written in Chinese in its template (``{% translate "中文" %}``) and
translated by the gettext catalogues of ``web/locale`` (issue 13; ``python -m
tanjiliang.i18n.sweep`` converts any remaining ``{% t "中文" "English" %}`` pair); the language
is chosen per request and activated for Django too, so the admin and the error pages follow it.
Field labels come from the pydantic models (``json_schema_extra``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGS = ("zh", "en")
#: Django's language codes (its own catalogues, e.g. the admin's, are found by them).
DJANGO_CODES = {"zh": "zh-hans", "en": "en"}
COOKIE = "tj_lang"


def languages() -> tuple[str, ...]:
    """Chinese, English, and every further language with a compiled catalogue in
    ``LOCALE_PATHS`` (adding a language is adding a catalogue, issue 13)."""
    return _languages(tuple(str(p) for p in settings.LOCALE_PATHS))


@cache
def _languages(paths: tuple[str, ...]) -> tuple[str, ...]:
    found = {d.name for p in paths if Path(p).is_dir() for d in Path(p).iterdir()
             if (d / "LC_MESSAGES" / "django.mo").exists() and not d.name.startswith("zh")}
    return (*LANGS, *sorted(found - set(LANGS)))


def django_code(lang: str) -> str:
    return DJANGO_CODES.get(lang, lang)


def request_lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or request.COOKIES.get(COOKIE) or "zh"
    return lang if lang in languages() else "zh"


class LanguageMiddleware:
    """Sets ``request.lang`` from ``?lang=`` or the cookie; remembers an explicit choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.lang = request_lang(request)  # type: ignore[attr-defined]
        translation.activate(django_code(request.lang))  # type: ignore[attr-defined]
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.GET.get("lang") in languages():
            response.set_cookie(COOKIE, request.GET["lang"], max_age=365 * 86400,
                                samesite="Lax", httponly=True)
        response.headers.setdefault("Content-Language", "zh-Hans" if request.lang == "zh" else request.lang)  # type: ignore[attr-defined]
        return response


def context(request: HttpRequest) -> dict[str, Any]:
    lang = getattr(request, "lang", "zh")
    return {"lang": lang, "other_lang": "en" if lang == "zh" else "zh"}

