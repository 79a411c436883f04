"""A ledger of ~500 instruments stays readable (issue 13 §7): the count in words (共 N 台),
pages of 50/100/200 rows with first/last links, filters that say how many they keep, the
column titles staying in view while scrolling and long names wrapping inside their column."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import yaml
from django.urls import reverse

from tanjiliang.diagram.synthetic import synthetic_data
from tanjiliang.model.load import load_unit
from tanjiliang.web.core.changes import create_unit

LONG = "（一号生产线原煤入炉计量用电子皮带秤，带实物标定装置，二次仪表安装在中控室）"


def _big_unit(world: Any) -> Any:
    data = synthetic_data(n_subunits=60, equipment_per_subunit=5)
    data["instruments"][0]["name"] += LONG * 2
    for ins in data["instruments"][:30]:  # overdue: more reminders than the dashboard lists
        ins["last_confirmed"] = "2021-01-04"
        ins.pop("confirmations", None)
    uf = load_unit("plant.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return create_unit(uf, world.ent_a, world.a, source="test")


def _rows(html: str) -> int:
    return len(re.findall(r'<td class="name">', html))


@pytest.mark.django_db
def test_ledger_of_hundreds_pages_counts_and_filters(world: Any) -> None:
    unit = _big_unit(world)
    n = unit.instruments.count()
    assert n >= 480
    client = world.client(world.a)
    url = reverse("ledger", args=[unit.pk])
    page = client.get(url).content.decode()
    assert f"共 <b>{n}</b> 台" in page and "本页 1–50" in page
    assert _rows(page) == 50 and f"1 / {-(-n // 50)}" in page and "末页" in page
    page = client.get(url, {"per": "200", "page": "3"}).content.decode()
    assert _rows(page) == n - 400 and f"本页 401–{n}" in page and "首页" in page
    assert client.get(url, {"per": "100000"}).content.decode().count('<td class="name">') == 50
    page = client.get(url, {"q": "天然气", "partial": "1"}, HTTP_HX_REQUEST="true").content.decode()
    shown = int(re.search(r"筛选出 <b>(\d+)</b> 台", page)[1])
    assert 0 < shown < n and f"共 <b>{n}</b> 台" in page
    en = client.get(url, {"lang": "en"}).content.decode()
    assert f"Total <b>{n}</b> instruments" in en and "Last" in en
    # the dashboard's reminders list the 20 first due and link to the ledger for the rest
    dash = client.get(reverse("unit-dashboard", args=[unit.pk]), {"lang": "zh"}).content.decode()
    section = dash[dash.index('id="reminders"'):]
    section = section[:section.index("</section>")]
    assert 'id="reminders-more"' in section and "sort=next_due" in section
    assert section.count("<tr><td><code>") == 20


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ledger_header_stays_in_view_and_long_names_wrap(world: Any, live_server: Any) -> None:
    from test_browser import ARGS, SHOTS

    unit = _big_unit(world)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(live_server.url + "/")
            page.fill("input[name=username]", "a")
            page.fill("input[name=password]", "pw")
            page.click("button[type=submit]")
            page.goto(live_server.url + reverse("ledger", args=[unit.pk]) + "?per=200")
            expect(page.locator("#ledger-count")).to_contain_text("共")
            head = page.locator("table.ledger thead th").first
            top = head.bounding_box()
            assert top is not None and top["y"] > 50  # below the page head before scrolling
            page.mouse.wheel(0, 4000)
            page.wait_for_timeout(300)
            box = head.bounding_box()
            assert box is not None and abs(box["y"]) < 2, box  # stuck to the top of the window
            page.screenshot(path=SHOTS / "ledger-500-scrolled.png")
            # the long name wraps inside its column: the table fits the window
            name = page.locator("table.ledger td.name").first
            cell = name.bounding_box()
            table = page.locator("table.ledger").bounding_box()
            assert cell is not None and table is not None
            assert cell["height"] > 40 and table["x"] + table["width"] <= 1360, (cell, table)
            # the filter keeps its count and the pager moves on (HTMX)
            page.select_option("select[name=per]", "50")
            # wait for the 50-row page itself ("1 /" is also on the 200-row page it replaces:
            # clicking on before the swap followed the old page's link)
            expect(page.locator("#ledger-count")).to_contain_text("1–50")
            expect(page.locator("#pager-at")).to_contain_text("1 /")
            page.click("#pager-next")
            expect(page.locator("#pager-at")).to_contain_text("2 /")
            expect(page.locator("#ledger-count")).to_contain_text("51–100")
        finally:
            context.close()
            browser.close()


@pytest.mark.django_db
def test_ledger_filters_by_location_with_its_name(world: Any) -> None:
    """The location filter (安装使用地点) lists the places the instruments are at, by id and
    name, and keeps only the instruments at the chosen one."""
    import json

    unit = _big_unit(world)
    doc = json.loads(unit.document)
    place = doc["subunits"][3]
    at = place["id"]
    want = unit.instruments.filter(at=at).count()
    assert want > 0
    client = world.client(world.a)
    url = reverse("ledger", args=[unit.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{at}" >{at} {place["name"]}</option>' in page
    assert "全部地点" in page
    page = client.get(url, {"at": at, "per": "200"}).content.decode()
    assert _rows(page) == want and f"筛选出 <b>{want}</b> 台" in page
    assert f'<option value="{at}" selected>' in page
    en = client.get(url, {"lang": "en"}).content.decode()
    assert "All locations" in en and "全部地点" not in en
