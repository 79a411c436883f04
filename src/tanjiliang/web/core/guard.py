"""Requests carrying a NUL character (U+0000) are refused before they reach a view.

PostgreSQL text cannot hold a NUL (psycopg refuses the query with a server error), SQLite
would store it silently; neither is something a user meant to enter. Django's form fields
already refuse it; this covers the API's JSON bodies, query strings and paths. An API request
gets the API's 400 (``{"detail", "issues": [{"path": "query", "zh", "en", …}]}``), a page a
400.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.http import HttpRequest, HttpResponse, JsonResponse

#: bodies that are text (a multipart upload's files may hold NUL bytes legitimately)
TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/plain")


def nul_in(request: HttpRequest) -> str | None:
    """Where the request carries a NUL: ``"path"``, ``"query"``, ``"body"`` or None."""
    if "\x00" in request.path:
        return "path"
    if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
        return "query"
    if request.content_type in TEXT_BODIES:
        body = request.body
        if b"\x00" in body or (request.content_type == "application/json" and b"\\u0000" in body):
            return "body"
    return None


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = nul_in(request)
        if where is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from tanjiliang.web.core.api import api_lang

            zh, en = "文本中不能含有 NUL 字符（U+0000）", "text must not contain a NUL character (U+0000)"
            return JsonResponse({"detail": zh if api_lang(request) == "zh" else en, "issues": [
                {"file": "<request>", "line": None, "path": where, "zh": zh, "en": en}]}, status=400)
        from tanjiliang.web.core.errors import problem

        return problem(request, "nul")  # a page in the user's language
