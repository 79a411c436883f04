"""In Debian's chromium (issue 18 §5, §6): pages work under the Content-Security-Policy
(no violation reported, confirmations, auto-submitting selects, the report frame), and two
users saving the same instrument — the second is refused and shown the first one's change."""

from __future__ import annotations

import os
from typing import Any

import pytest
from test_browser import ARGS, SHOTS
from web_fixtures import make_user

from tanjiliang.web.core import models as m


@pytest.fixture
def browser(live_server: Any) -> Any:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield b
        b.close()


def _session(browser: Any, base: str, user: str, violations: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.goto(base + "/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_selector("text=重点排放单位")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_csp_and_a_stale_save_is_refused(world: Any, live_server: Any,
                                                              browser: Any) -> None:
    base, violations = live_server.url, []
    make_user("a2", m.ROLE_ENTERPRISE, enterprise=world.ent_a)
    one = _session(browser, base, "a", violations)
    two = _session(browser, base, "a2", violations)
    unit, ins = world.unit_a, world.ins_a

    # the unit list's year selector submits itself (data-autosubmit)
    one.goto(base + "/?q=" + unit.name[:2])  # the filters show with a search
    one.select_option("select[name=year]", str(unit.year))
    one.wait_for_url(f"**year={unit.year}**")
    # the report frame takes its document's height (data-autoheight)
    one.goto(base + f"/units/{unit.pk}/assessment/")
    for _ in range(100):  # no wait_for_function: it evaluates a string, which the CSP forbids
        box = one.locator("#report").bounding_box()
        if box and box["height"] > 300:
            break
        one.wait_for_timeout(200)
    assert box and box["height"] > 300
    # the ledger's HTMX filter
    one.goto(base + f"/units/{unit.pk}/ledger/")
    values = one.eval_on_selector_all("select[name=calibration_status] option",
                                      "os => os.map(o => o.value).filter(v => v)")
    one.select_option("select[name=calibration_status]", values[0])
    one.wait_for_url(f"**calibration_status={values[0]}**")

    # two users open the same instrument; the first saves, the second is refused
    url = base + f"/units/{unit.pk}/instruments/{ins.pk}/"
    one.goto(url)
    two.goto(url)
    one.fill("#instrument-form input[name=name]", "一号改的名称")
    one.click("#save-instrument")
    one.wait_for_selector("text=一号改的名称")
    two.fill("#instrument-form input[name=name]", "二号改的名称")
    two.click("#save-instrument")
    two.wait_for_selector("#stale")
    assert "一号改的名称" in two.inner_text("#their-changes")
    assert "二号改的名称" in two.inner_text("#your-entries")
    two.screenshot(path=SHOTS / "18-stale-save.png", full_page=True)
    ins.refresh_from_db()
    assert ins.name == "一号改的名称"

    # deleting asks first (data-confirm): dismissing keeps the instrument
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    one.on("dialog", dismiss)
    one.goto(url)
    one.click("button.danger")
    assert asked and m.Instrument.objects.filter(pk=ins.pk).exists()
    assert violations == [], violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_under_the_csp(world: Any, live_server: Any, browser: Any) -> None:
    violations: list[str] = []
    page = _session(browser, live_server.url, "a", violations)
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector("#swagger-ui .opblock", timeout=30_000)
    assert violations == [], violations
