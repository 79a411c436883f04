"""Browser journey (Playwright in Debian's chromium): the enterprise's self-inspection is
submitted; the reviewer opens the review, judges the attested items, issues the
non-conformities; the enterprise answers them; the reviewer closes them, concludes, signs and
downloads the signed report. Screenshots go to ``$TANJILIANG_ARTIFACTS`` (default: the test's
temporary folder)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tanjiliang.web.review import keys, store
from tanjiliang.web.review.models import ReviewRecord

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield b
        b.close()


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_reviewer_completes_review_and_downloads_signed_report(
        live_server: Any, browser: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from review_web_fixtures import ReviewWorld

    rw = ReviewWorld()
    si = store.open_self_inspection(rw.unit, rw.a)
    from tanjiliang.review import workflow as w

    store.step(si, rw.a, lambda r, a, at: [w.judge_item(r, a, x.item, "conforming", "自查符合", at)
                                           for x in r.items if x.result is None])
    cl = store.checklist_of(si)
    store.step(si, rw.a, lambda r, a, at: w.submit(r, a, cl, at, keys.signer_of(rw.a)))
    shots = Path(os.environ.get("TANJILIANG_ARTIFACTS", tmp_path)) / "review-journey"
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    unit = rw.unit.pk

    reviewer = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = reviewer.new_page()
    _login(page, base, "shencha")
    page.goto(f"{base}/units/{unit}/reviews/")
    page.click("#open-review")
    page.wait_for_selector("#steps")
    page.screenshot(path=str(shots / "1-opened.png"), full_page=True)
    # one attested item judged 不符合 on its own, the rest 符合 together
    form = page.locator("#item-4\\.2\\.1 form.judge-form")
    form.locator("select[name=result]").select_option("nonconforming")
    form.locator("input[name=reason]").fill("未见碳计量管理部门职责文件")
    form.locator("button").click()
    page.wait_for_load_state()
    page.fill("#pending-form input[name=reason]", "现场查阅文件，符合要求")
    page.click("#pending-form button")
    page.wait_for_selector("#issue-form")
    assert page.inner_text("#pending-count") == "0"
    page.click("#issue-form button")
    page.wait_for_selector("#ncs")
    n_ncs = page.locator("#ncs .nc").count()
    assert n_ncs >= 2
    page.screenshot(path=str(shots / "2-findings.png"), full_page=True)

    enterprise = browser.new_context(locale="zh-CN")
    ep = enterprise.new_page()
    _login(ep, base, "qiye")
    rid = ReviewRecord.objects.get(kind="review").pk
    ep.goto(f"{base}/units/{unit}/reviews/{rid}/")
    for _ in range(n_ncs):
        f = ep.locator("form.answer-form").first
        f.locator("textarea[name=cause]").fill("管理疏漏")
        f.locator("textarea[name=correction]").fill("已发布文件并完成整改")
        f.locator("button").click()
        ep.wait_for_load_state()
    assert ep.locator("form.answer-form").count() == 0
    ep.screenshot(path=str(shots / "3-answered.png"), full_page=True)

    page.reload()
    for _ in range(n_ncs):
        f = page.locator("form.close-form").first
        f.locator("input[name=verification]").fill("现场核实整改有效")
        f.locator("button").click()
        page.wait_for_load_state()
    page.fill("#conclude-form textarea[name=summary]", "存在不符合项，已整改并验证。")
    page.click("#conclude-form button")
    page.wait_for_selector("#sign")
    page.click("#sign")
    page.wait_for_selector("#sha256")
    assert page.inner_text("#review-conclusion") == "不符合"
    sha = page.inner_text("#sha256")
    page.screenshot(path=str(shots / "4-signed.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("#download-review-pdf")
    pdf = shots / "review.pdf"
    dl.value.save_as(pdf)
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  check=True).stdout.decode().split())
    assert "现场审查情况汇总表" in text and "不符合项报告" in text and sha in text
    reviewer.close()
    enterprise.close()
