"""Helpers shared by the views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import pack_names
from tanjiliang.web.core.tenancy import can_write, role_of


def lang_of(request: HttpRequest) -> str:
    return getattr(request, "lang", "zh")


def page(request: HttpRequest, template: str, unit: m.Unit | None = None, tab: str = "",
         status: int = 200, **ctx: Any) -> HttpResponse:
    """Render a screen; for a unit, with its tabs and whether the user may change it."""
    if unit is not None:
        ctx.setdefault("writable", can_write(request.user, unit))
        ctx.setdefault("names", pack_names(unit, lang_of(request)))
        ctx["unit"] = unit
        # The revision this page was read at; its POST forms carry it (concurrency.py).
        request.tj_revision = unit.revision  # type: ignore[attr-defined]
    ctx["tab"] = tab
    ctx["role"] = role_of(request.user)
    return render(request, template, ctx, status=status)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
