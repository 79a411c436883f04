"""The 新建单位 journey in Debian's chromium (issue 12 §7): a gas-fired boiler house with two
boilers, from nothing, through the wizard, to its assessment — every value typed is a name, a
number or a date; every code is chosen from a list in words. Screenshots: artifacts/web/."""

from __future__ import annotations

from typing import Any

import pytest
from test_browser import SHOTS, browser_page  # noqa: F401  (the fixture)

from tanjiliang.web.core import models as m
from tanjiliang.web.core.mapping import unit_data


def shot(page: Any, name: str) -> None:
    """A screenshot of the (tall) viewport: a full-page shot resizes the page in headless
    chromium and the next click lands on the old layout."""
    page.screenshot(path=SHOTS / name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_boiler_house_from_nothing_to_its_assessment(world: Any, live_server: Any,
                                                      browser_page: Any) -> None:  # noqa: F811
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 1360, "height": 2600})
    page.goto(base + "/login/")
    page.fill("input[name=username]", "a")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.click("text=新建单位")

    # 1. basic facts
    page.fill("input[name=name]", "豫东燃气锅炉房")
    page.fill("input[name=credit_code]", "91410100MA44ABCD1F")
    page.fill("input[name=region]", "河南省郑州市")
    page.select_option("select[name=sector]", label="其他")
    page.fill("input[name=year]", "2025")
    shot(page, "wizard-01-basics.png")
    page.click("#wizard-create")

    # 2. sub-units, 3. equipment (tables)
    page.fill("input[name=r0-name]", "锅炉房")
    page.click("#wizard-next")
    page.fill("input[name=r0-name]", "1号燃气锅炉")
    page.select_option("select[name=r0-subunit]", label="锅炉房")
    page.fill("input[name=r0-capacity]", "10 t/h")
    page.fill("input[name=r1-name]", "2号燃气锅炉")
    page.select_option("select[name=r1-subunit]", label="锅炉房")
    page.fill("input[name=r1-capacity]", "10 t/h")
    shot(page, "wizard-02-equipment.png")
    page.click("#wizard-next")

    # 4. the natural gas: material by name with its defaults, consumers and shares
    page.fill("input[name=name]", "锅炉用天然气")
    page.select_option("select[name=kind]", label="燃料燃烧")
    page.select_option("select[name=material]", label="天然气")
    page.wait_for_selector("#material-defaults >> text=389.31 GJ/万Nm3")
    assert page.input_value("#activity-unit") == "万Nm3"
    page.fill("input[name='activity.number']", "152")
    page.check("input[name='consumers.E1']")
    page.fill("input[name='consumers.E1.share']", "0.55")
    page.check("input[name='consumers.E2']")
    page.fill("input[name='consumers.E2.share']", "0.45")
    shot(page, "wizard-03-stream.png")
    page.click("#stream-save")
    page.wait_for_selector("#streams >> text=锅炉用天然气")
    assert "1号燃气锅炉 0.55" in page.inner_text("#streams")
    page.click("#wizard-next")

    # 5. emission points: none (calculation method)
    page.click("#wizard-skip")

    # 6. instruments: the gas meters, chosen in words
    rows = [("天然气总表", "boundary_label", "1.0"), ("1号锅炉燃气表", "1号燃气锅炉", "1.5"),
            ("2号锅炉燃气表", "2号燃气锅炉", "1.5")]
    for i, (name, place, accuracy) in enumerate(rows):
        page.fill(f"input[name=r{i}-name]", name)
        page.select_option(f"select[name=r{i}-type]", label="气体流量计")
        page.select_option(f"select[name=r{i}-measures]", label="锅炉用天然气 · 活动数据")
        page.select_option(f"select[name=r{i}-at]",
                           label="边界（厂界进出）" if place == "boundary_label" else place)
        page.fill(f"input[name=r{i}-accuracy]", accuracy)
        page.select_option(f"select[name=r{i}-confirmation]", label="检定")
        page.fill(f"input[name=r{i}-last_confirmed]", "2025-04-01")
        page.select_option(f"select[name=r{i}-status]", label="在用")
    shot(page, "wizard-04-instruments.png")
    page.click("#wizard-next")

    # 7. management
    kinds = ["碳计量管理制度", "碳计量器具管理制度", "碳计量数据管理制度", "计量人员培训制度"]
    page.click("button[name=_more]")
    for i, kind in enumerate(kinds):
        page.fill(f"input[name=p{i}-title]", kind)
        page.select_option(f"select[name=p{i}-kind]", label=kind)
        page.fill(f"input[name=p{i}-issued]", "2024-01-15")
    page.fill("input[name=q0-name]", "张工")
    page.fill("input[name=q0-role]", "碳计量负责人")
    page.fill("input[name=q0-trained]", "2025-04-20")
    page.fill("input[name=records_retention_years]", "5")
    shot(page, "wizard-05-management.png")
    page.click("#management-save")

    # the dashboard and the assessment
    page.wait_for_selector("#conclusion")
    shot(page, "wizard-06-dashboard.png")
    text = page.inner_text("main")
    assert "MGMT-NOT-ASSESSED" not in text and "MGMT-PROCEDURE" not in text
    page.click("nav.tabs >> text=评估报告")
    page.wait_for_selector("#conclusion")
    shot(page, "wizard-07-assessment.png")

    unit = m.Unit.objects.get(name="豫东燃气锅炉房")
    data = unit_data(unit)
    assert [e["name"] for e in data["equipment"]] == ["1号燃气锅炉", "2号燃气锅炉"]
    gas = data["source_streams"][0]
    assert gas["material"] == "natural_gas" and gas["activity"] == "152 万Nm3"
    assert gas["consumers"] == {"E1": 0.55, "E2": 0.45}
    assert [i["type"] for i in data["instruments"]] == ["gas_flow_meter"] * 3
    assert [i["at"] for i in data["instruments"]] == ["boundary", "E1", "E2"]
    assert len(data["management"]["procedures"]) == 4
