"""Issue 13 §7 in Debian's chromium: the dashboard's flow diagram fits its box with the legend
visible, zooms with the buttons and comes back whole with 适合页面."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_diagram_fits_and_zooms(live_server: Any) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from tanjiliang.web.core import models as m
    from tanjiliang.web.core.demo import PASSWORD, seed

    seed([ROOT / "examples" / "steel" / "unit.yaml"])
    unit = m.Unit.objects.get()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.set_default_timeout(20_000)
        page.goto(live_server.url + "/login/")
        page.fill("input[name=username]", "qiye1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit], input[type=submit]")
        page.goto(f"{live_server.url}/units/{unit.pk}/")
        box = page.locator(".diagram[data-zoom]").bounding_box()
        legend = page.locator(".diagram svg text", has_text="温室气体流向图").first.bounding_box()
        assert box and legend
        inside = (box["x"] - 1 <= legend["x"] and legend["x"] + legend["width"] <= box["x"] + box["width"] + 1
                  and box["y"] - 1 <= legend["y"] and legend["y"] + legend["height"] <= box["y"] + box["height"] + 1)
        assert inside, (box, legend)
        whole = page.get_attribute(".diagram svg", "viewBox")
        page.click("button[data-zoom=in]")
        zoomed = page.get_attribute(".diagram svg", "viewBox")
        assert float(zoomed.split()[2]) < float(whole.split()[2])
        page.click("button[data-zoom=fit]")
        again = page.get_attribute(".diagram svg", "viewBox")
        assert [float(x) for x in again.split()] == [float(x) for x in whole.split()]
        browser.close()
