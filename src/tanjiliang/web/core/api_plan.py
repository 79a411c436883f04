"""The plan's figures in the API (issue 15): ``GET /api/units/{id}/plan``.

Registered on the one API object when ``urls.py`` imports this module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tanjiliang.model.errors import LoadError
from tanjiliang.web.core.api import ERRORS, Lang, Problem, api, api_lang
from tanjiliang.web.core.planning import number, plan_for
from tanjiliang.web.core.tenancy import unit_for


@api.get("/units/{unit_id}/plan", response={200: dict[str, Any], **ERRORS}, tags=["assessment"])
def get_plan(request: HttpRequest, unit_id: int, lang: Lang | None = None, price: str | None = None,
             budget: str | None = None) -> Any:
    """The uncertainty budget, tonnes and yuan at risk and both plans (``tanjiliang/plan@1``,
    docs/plan.md). ``price`` in 元/tCO2 overrides the dated price table; ``budget`` in 元 sets
    plan (b)'s budget (default: the least-cost plan's cost)."""
    unit = unit_for(request.user, unit_id)
    try:
        p = plan_for(unit, number(price, "price", positive=True), number(budget, "budget", positive=False))
    except LoadError as exc:
        raise Problem(exc) from None
    return p.to_json(lang or api_lang(request))
