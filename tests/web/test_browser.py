"""The main journey in Debian's chromium (issue 5 §6): log in, import a unit file and an
Excel ledger, see a finding, fix the instrument, see the conclusion change, download the PDF.
Screenshots go to artifacts/web/ (kept by CI as artifacts)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from web_fixtures import JOURNEY, ROOT

from tanjiliang.ledger import write_ledger
from tanjiliang.model.load import load_unit
from tanjiliang.model.write import dump_yaml, unit_to_data
from tanjiliang.rules.load import load_pack
from tanjiliang.web.core.changes import validate

SHOTS = ROOT / "artifacts" / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser_page(live_server: Any) -> Any:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 900},
                                      accept_downloads=True, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


def journey_files(tmp: Path) -> tuple[Path, Path]:
    """The unit file without its instruments, and its ledger as an Excel workbook."""
    uf = load_unit(JOURNEY)
    data = unit_to_data(uf)
    data.pop("instruments")
    unit_path = tmp / "石灰窑.yaml"
    unit_path.write_text(dump_yaml(validate(data)), encoding="utf-8")
    ledger_path = tmp / "台账.xlsx"
    write_ledger(ledger_path, uf, load_pack(uf.pack).pack, "zh")
    return unit_path, ledger_path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_journey(world: Any, live_server: Any, browser_page: Any, tmp_path: Path) -> None:
    page, base = browser_page, live_server.url
    unit_path, ledger_path = journey_files(tmp_path)

    page.goto(base + "/")
    page.fill("input[name=username]", "a")
    page.fill("input[name=password]", "pw")
    page.screenshot(path=SHOTS / "01-login.png")
    page.click("button[type=submit]")
    page.wait_for_selector("text=重点排放单位")

    page.set_input_files("form.upload input[type=file]", str(unit_path))
    page.click("form.upload button")
    page.wait_for_selector("#conclusion")
    page.click("text=器具台账")
    page.set_input_files("#ledger-file", str(ledger_path))
    page.click("#ledger-import")
    page.wait_for_selector("#change-summary")  # the change set first (issue 12)
    page.click("#ledger-apply")
    page.wait_for_selector("text=现有 2 台器具")
    page.screenshot(path=SHOTS / "02-ledger-imported.png", full_page=True)

    page.click("text=概览")
    assert page.inner_text("#conclusion") == "不符合"
    finding = page.locator("table.findings tr", has_text="CAL-OVERDUE")
    assert "W-01" in finding.inner_text()
    page.screenshot(path=SHOTS / "03-finding.png", full_page=True)

    page.click("text=器具台账")
    page.select_option("select[name=calibration_status]", "overdue")  # HTMX filter
    from playwright.sync_api import expect  # waits without eval (the CSP forbids it)

    expect(page.locator("#ledger-table")).not_to_contain_text("W-02")
    page.click("#ledger-table >> text=W-01")
    page.click("text=登记新的检定/校准")
    form = page.locator("#confirmation-form")
    form.locator("input[name=date]").fill("2025-11-20")
    form.locator("select[name=kind]").select_option("verification")
    form.locator("input[name=certificate]").fill("豫计检字2025-0999")
    form.locator("input[name=body]").fill("河南省计量测试科学研究院")
    form.locator("input[type=file]").set_input_files(str(unit_path))
    page.screenshot(path=SHOTS / "04-fix-instrument.png", full_page=True)
    page.click("#add-confirmation")
    page.wait_for_selector("text=已登记")
    assert page.inner_text("#cal-status") == "有效"

    page.click("text=概览")
    assert page.inner_text("#conclusion") == "符合"
    page.screenshot(path=SHOTS / "05-conforming.png", full_page=True)

    page.click("text=评估报告")
    with page.expect_download() as dl:
        page.click("#download-pdf")
    pdf = Path(dl.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.screenshot(path=SHOTS / "06-assessment.png", full_page=True)

    page.click("text=变更记录")
    assert "登记 W-01 的检定/校准" in page.inner_text("table.history")
    page.click("text=English")
    assert page.inner_text("#conclusion") if page.locator("#conclusion").count() else True
    assert "History" in page.inner_text("nav.tabs")
    page.screenshot(path=SHOTS / "07-history-en.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_regulator_sees_read_only(world: Any, live_server: Any, browser_page: Any) -> None:
    page, base = browser_page, live_server.url
    page.goto(base + "/login/?lang=en")
    page.fill("input[name=username]", "g")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.click(f"a[href='/units/{world.unit_a.pk}/']")
    assert "read-only" in page.inner_text(".unit-head")
    page.click("text=Ledger")
    assert page.locator("#ledger-import").count() == 0
    rows = page.locator("#ledger-table tbody tr td:first-child")
    first = rows.all_inner_texts()
    page.click("#ledger-table thead >> text=Management no.")  # HTMX swaps the table only
    page.wait_for_url("**sort=ident**")
    page.click("#ledger-table thead >> text=Management no.")
    page.wait_for_url("**sort=-ident**")
    assert page.locator("#ledger-table tbody tr td:first-child").all_inner_texts() == \
        sorted(first, reverse=True)
    page.screenshot(path=SHOTS / "08-regulator-ledger-en.png", full_page=True)
    # the overview of the region's units with the daily-vs-monthly consistency column
    page.click("nav >> text=Indicators")
    heads = page.locator("#indicators thead th").all_inner_texts()
    assert heads[8:10] == ["Daily vs monthly %", "Index"], heads
    row = page.locator(f"#indicators tbody tr:has(a[href='/units/{world.unit_a.pk}/'])")
    assert row.locator("td").nth(8).inner_text() == "—"  # nothing entered by hand: blank
    page.screenshot(path=SHOTS / "09-regulator-indicators-en.png", full_page=True)


__all__ = ["yaml"]
