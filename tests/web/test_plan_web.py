"""The plan's web page and API figures (issue 15)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from web_fixtures import SPEC_EXAMPLE

from tanjiliang.model.load import load_unit
from tanjiliang.plan import make_plan
from tanjiliang.web.core.assessing import default_as_of


def test_api_plan_is_make_plan(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    got = c.get(f"/api/units/{world.unit_a.pk}/plan?price=80&budget=100000", **auth)
    assert got.status_code == 200, got.content
    want = make_plan(load_unit(SPEC_EXAMPLE), None, default_as_of(world.unit_a), price=80.0, budget=100000.0).to_json("zh")
    data = got.json()
    assert data == json.loads(json.dumps(want))
    assert data["price"]["value"] == 80 and data["budget_yuan"] == 100000


def test_api_plan_refuses_bad_numbers_and_other_tenants(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    for q in ("price=0", "price=abc", "budget=-5", "budget=nan", "price=inf"):
        r = c.get(f"/api/units/{world.unit_a.pk}/plan?{q}", **auth)
        assert r.status_code == 400, q
    assert c.get(f"/api/units/{world.unit_b.pk}/plan", **auth).status_code == 404


def test_plan_page(world: Any) -> None:
    c = world.client(world.a)
    assert f'href="/units/{world.unit_a.pk}/plan/"' in c.get(f"/units/{world.unit_a.pk}/assessment/").content.decode()
    r = c.get(f"/units/{world.unit_a.pk}/plan/")
    assert r.status_code == 200
    html = r.content.decode("utf-8")
    assert "风险排放量" in html and 'id="at-risk"' in html and "<svg" in html
    r = c.get(f"/units/{world.unit_a.pk}/plan/?price=-1")
    assert r.status_code == 400 and "price" in r.content.decode("utf-8")
    assert world.client(world.b).get(f"/units/{world.unit_a.pk}/plan/").status_code == 404


def test_plan_page_in_english(world: Any) -> None:
    c = world.client(world.a)
    c.get("/?lang=en")
    html = c.get(f"/units/{world.unit_a.pk}/plan/").content.decode("utf-8")
    assert "Tonnes at risk" in html and "Plan (a)" in html
    for word in ("风险排放量", "方案甲", "方案乙", "合计费用", "计算依据"):
        assert word not in html, word


def test_plan_page_names_its_documents_in_the_pages_language(world: Any) -> None:
    """The Chinese page: the MRR column and the IPCC guidelines in Chinese (they showed
    'MRR Art. 18' and '2006 IPCC Guidelines …'); the English page: in English."""
    c = world.client(world.a)
    html = c.get(f"/units/{world.unit_a.pk}/plan/").content.decode("utf-8")
    assert "<th>MRR 第18条</th>" in html and "MRR Art. 18" not in html
    assert "IPCC Guidelines" not in html and "收盘价（每日行情 / 年度报告），" in html  # the document，its clause
    c.get("/?lang=en")
    html = c.get(f"/units/{world.unit_a.pk}/plan/").content.decode("utf-8")
    assert "<th>MRR Art. 18</th>" in html and "第18条" not in html
