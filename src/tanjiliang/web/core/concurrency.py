"""No lost updates: optimistic concurrency on the unit's revision (issue 18 §6;
docs/security.md "Concurrent edits").

A unit's ``revision`` increases with every change (mapping.store_unit). Whoever changes a
unit states the revision they read:

* **Screens.** Every POST form on a unit's page carries ``revision`` — this middleware adds
  the hidden field to each ``<form method="post">`` of the page the unit was shown on (so new
  forms need nothing), and on the POST makes it the expected revision of the request.
* **API.** ``GET`` answers an ``ETag`` (``"r<revision>"``); ``PUT``/``PATCH``/``DELETE`` must
  send ``If-Match`` (428 without it, 412 when stale; api.py).

:func:`check` runs in :func:`tanjiliang.web.core.changes.apply_change` and ``replace_unit``
after the unit row is locked, so two saves of the same revision cannot both pass: the second
is refused (409 on a screen, showing what the other user changed; 412 in the API) and nothing
is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_expected: ContextVar[int | None] = ContextVar("tj_expected_revision", default=None)
_FORM = re.compile(rb"(<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>)", re.IGNORECASE)
FIELD = "revision"


class StaleEdit(Exception):
    """The unit changed since the revision the user read."""

    def __init__(self, unit: Any, expected: int) -> None:
        self.unit, self.expected = unit, expected
        super().__init__(f"unit {unit.pk} is at revision {unit.revision}, not {expected}")


def expect(revision: int | None) -> Any:
    return _expected.set(revision)


def reset(token: Any) -> None:
    _expected.reset(token)


def expected() -> int | None:
    return _expected.get()


def check(unit: Any) -> None:
    """Refuse the change when the request read another revision (call with the row locked)."""
    want = _expected.get()
    if want is not None and unit.revision != want:
        raise StaleEdit(unit, want)


def advanced(unit: Any) -> None:
    """After this request's own change: a second change in the same request builds on it."""
    if _expected.get() is not None:
        _expected.set(unit.revision)


def parse_revision(text: str | None) -> int | None:
    text = (text or "").strip().strip('"').removeprefix("W/").strip('"')
    text = text.removeprefix("r")
    return int(text) if text.isdigit() else None


def etag(unit: Any) -> str:
    return f'"r{unit.revision}"'


def changes_since(unit: Any, revision: int, lang: str = "zh") -> list[dict[str, Any]]:
    """The history entries of ``unit`` after ``revision``: who changed what (in words)."""
    from tanjiliang.web.core.assessing import pack_names
    from tanjiliang.web.core.change_words import shown
    from tanjiliang.web.core.models import HistoryEntry

    names = pack_names(unit, lang)
    out = []
    for e in (HistoryEntry.objects.filter(unit=unit, revision__gt=revision)
              .select_related("user").order_by("id")[:50]):
        out.append({"e": e, "changes": shown(json.loads(e.changes), lang, names)})
    return out


class RevisionMiddleware:
    """Adds the revision to a unit page's forms and checks it on their POST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        want = None
        if request.method == "POST" and not request.path.startswith("/api/"):
            want = parse_revision(request.POST.get(FIELD))
        token = expect(want)  # the API sets it from If-Match (api.py)
        try:
            response = self.get_response(request)
        finally:
            reset(token)
        revision = getattr(request, "tj_revision", None)
        if (revision is not None and not getattr(response, "streaming", False)
                and response.get("Content-Type", "").startswith("text/html")):
            field = (f'<input type="hidden" name="{FIELD}" value="{int(revision)}">').encode()
            response.content = _FORM.sub(lambda mt: mt.group(1) + field, response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if not isinstance(exception, StaleEdit):
            return None
        from django.urls import reverse
        from django.utils.http import url_has_allowed_host_and_scheme

        from tanjiliang.web.core.views.common import lang_of, page

        unit = exception.unit
        unit.refresh_from_db()
        mine = _entered(request, unit, lang_of(request))
        back = request.META.get("HTTP_REFERER") or ""
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("unit-edit", args=[unit.pk])
        return page(request, "tj/stale.html", unit, "edit", status=409,
                    expected=exception.expected, entries=changes_since(unit, exception.expected, lang_of(request)),
                    mine=mine, back=back)


def _entered(request: HttpRequest, unit: Any, lang: str) -> list[tuple[str, str]]:
    """What the user posted, as labelled words where the unit model knows the field (codes
    named as the forms name them: the instrument type by the pack's name, the pack by its
    title; change_words)."""
    from django.utils.translation import gettext

    from tanjiliang.model.unit import ConfirmationRecord, Instrument, Param, UnitFile, UnitInfo
    from tanjiliang.web.core.assessing import pack_names
    from tanjiliang.web.core.change_words import field_word, section_label, submodel
    from tanjiliang.web.core.forms import SECTIONS, field_label

    names = pack_names(unit, lang)
    models = [Instrument, ConfirmationRecord, UnitInfo, *SECTIONS.values()]
    out = []
    for key, value in request.POST.items():
        if key in (FIELD, "csrfmiddlewaretoken") or not value:
            continue
        head, *rest = key.split(".")  # parameters.ncv, parameters.ncv.source (a stream's form)
        model = next((md for md in models if head in md.model_fields), None)
        if model is None:
            model = UnitFile if key in ("pack", "gwp") else None
            label = section_label(head, lang) or key
            out.append((label, field_word(model, key, value, lang, names)))
            continue
        labels, field = [field_label(model, head, lang)], head
        for part in rest:
            sub = submodel(model, field)
            if part == "source":  # a parameter's source (Param has no labels of its own)
                model, field = Param, "source"
                labels.append(gettext("来源"))
            elif sub is not None and part in sub.model_fields:
                model, field = sub, part
                labels.append(field_label(model, part, lang))
            else:  # a gas of an emission factor (CH4, N2O)
                labels.append(part)
        out.append((" · ".join(labels), field_word(model, field, value, lang, names)))
    return out[:200]
