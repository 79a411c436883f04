"""Server errors and error messages on the web pages (probe s10 #3, #6, #12b, #13): a bad
value is a 400 with the error in the page's language, never a 500; error pages speak one
language. DB-agnostic (rerun on PostgreSQL by test_postgres.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

HAN = re.compile(r"[\u4e00-\u9fff]")


def _text(html: str) -> str:
    """The words of a page (no tags, scripts or styles)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _info(world: Any) -> dict[str, str]:
    from tanjiliang.web.core.mapping import unit_data

    u = unit_data(world.unit_a)["unit"]
    return {"name": u["name"], "credit_code": u.get("credit_code") or "", "sector": u["sector"],
            "region": u.get("region") or "", "year": str(u["year"])}


# ------------------------------------------------------------------ #3 单位信息 form

@pytest.mark.parametrize(("field", "value", "zh", "en"), [
    ("year", "abc", "整数", "whole number"),
    ("year", "２０２５", "整数", "whole number"),
    ("name", "", "", ""),
    ("credit_code", "123", "18", "18"),
])
def test_unit_info_form_refuses_a_bad_value_with_400_next_to_the_field(
        world: Any, field: str, value: str, zh: str, en: str) -> None:
    url = reverse("unit-edit-info", args=[world.unit_a.pk])
    client = world.client(world.a)
    before = world.unit_a.revision
    for lang, words in (("zh", zh), ("en", en)):
        post = {**_info(world), field: value}
        if field != "name":
            post["name"] = f"改名后的单位 {lang}"  # the other input typed is kept too
        r = client.post(url + f"?lang={lang}", post)
        assert r.status_code == 400, r.status_code
        html = r.content.decode()
        m = re.search(rf'data-field="{field}".*?</label>', html, re.S)
        assert m and 'class="err"' in m.group(0), html[:3000]
        assert words in m.group(0)
        assert f'value="{value}"' in m.group(0) or value == ""
        if field != "name":
            assert f"改名后的单位 {lang}" in html
        if lang == "en":
            assert not HAN.search(re.sub(r"改名后的单位|" + re.escape(world.unit_a.name), "",
                                         _text(m.group(0))))
    world.unit_a.refresh_from_db()
    assert world.unit_a.revision == before


def test_unit_info_form_keeps_the_chosen_pack_on_error(world: Any) -> None:
    url = reverse("unit-edit-info", args=[world.unit_a.pk])
    r = world.client(world.a).post(url, {**_info(world), "year": "abc", "gwp": "AR4",
                                         "pack": "cn-ets-2024"})
    html = r.content.decode()
    assert r.status_code == 400
    assert '<option value="cn-ets-2024" selected>' in html and "<option selected>AR4" in html


# ------------------------------------------------------------------ #6 unit list filters

@pytest.mark.parametrize("year", ["abc", "2025abc", "２０２５", "99999999999999999999", "-1"])
def test_unit_list_ignores_a_year_that_is_not_a_year(world: Any, year: str) -> None:
    client = world.client(world.a)
    r = client.get(reverse("unit-list"), {"year": year})
    assert r.status_code == 200
    assert world.unit_a.name in r.content.decode()  # no filter, as on the overview
    r = client.get(reverse("unit-list"), {"year": str(world.unit_a.year)})
    assert r.status_code == 200 and world.unit_a.name in r.content.decode()
    r = client.get(reverse("unit-list"), {"year": str(world.unit_a.year + 1)})
    assert r.status_code == 200 and world.unit_a.name not in r.content.decode()
