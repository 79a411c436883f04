"""The plan page of a unit: what its metering is worth (issue 15, docs/plan.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe

from tanjiliang.model.errors import LoadError
from tanjiliang.plan.words import component_label, w
from tanjiliang.reports.plan_section import contributors_chart
from tanjiliang.web.core.forms import issue_texts
from tanjiliang.web.core.planning import number, plan_for
from tanjiliang.web.core.tenancy import unit_for
from tanjiliang.web.core.views.common import lang_of, page


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    lang = lang_of(request)
    price_text, budget_text = request.GET.get("price"), request.GET.get("budget")
    try:
        price = number(price_text, "price", positive=True)
        budget = number(budget_text, "budget", positive=False)
        p = plan_for(unit, price, budget)
    except LoadError as exc:
        return page(request, "tj/plan.html", unit, "assessment", status=400,
                    error=issue_texts(exc, lang), price=price_text or "", budget=budget_text or "")
    data = p.to_json(lang)
    if lang != "zh" and data["price"].get("unit"):  # 元/tCO2 → CNY/tCO2 (the data write 元)
        data["price"]["unit"] = data["price"]["unit"].replace("元", w("yuan", lang))
    for c in data["contributors"]:
        c["label"] = component_label(c["name"], lang)
    by_id = {a["id"]: a for a in data["actions"]}
    plans = []
    for key in ("least_cost", "within_budget"):
        sol = data[key]
        if sol is not None:  # each action with its figures in this plan (alone, or within (b))
            rows = [{**by_id[f["id"]], **f} for f in sol["figures"]]
            plans.append((key, sol, rows))
    return page(request, "tj/plan.html", unit, "assessment", p=data, plans=plans,
                chart=mark_safe(contributors_chart(p, lang)),  # the chart escapes every text it draws
                contributors=data["contributors"][:15],
                streams=sorted(data["streams"], key=lambda s: -s["at_risk_tco2e"]),
                price=price_text or "", budget=budget_text or "")
