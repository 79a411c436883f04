"""The web import of a ledger whose 干湿基准 column says the stack's CO2 analyser is wet
(docs/ledger.md): the preview names the change in the page's language, applying it stores
``basis: wet`` and the next readings upload computes the stack wet (the hand-computed hour of
tests/spec/test_spec_cems_basis.py: 48 h = 8 471.67 t wet, 7 455.07 t dry); a bad value, or a
basis on the flow monitor, is refused naming the file, sheet, row and column, nothing stored."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from test_readings_cems_basis import E_WET, readings, stack

from tanjiliang.web.core import models as m

pytestmark = pytest.mark.django_db


def ledger(rows: list[list[Any]]) -> bytes:
    """A plant's own sheet: a title row, then its headers (干湿基准 among them)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "CEMS"
    ws.append(["CEMS 计量器具台账"])
    ws.append(["管理编号", "器具名称", "测量对象", "器具类型", "安装地点", "干湿基准"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def new_unit(client: Any, name: str) -> m.Unit:
    r = client.post(reverse("unit-import-new"),
                    {"file": SimpleUploadedFile("unit.yaml", yaml.safe_dump(stack(None, name), allow_unicode=True).encode())})
    assert r.status_code == 302, r.content[:800]
    return m.Unit.objects.get(name=name)


@pytest.mark.parametrize(("query", "change"), [("", "干湿基准: — → 湿基"),
                                               ("?lang=en", "Measurement basis: — → wet basis")])
def test_a_wet_analyser_from_the_ledger_is_computed_wet(world: Any, query: str, change: str) -> None:
    client = world.client(world.a)
    unit = new_unit(client, f"台账湿基单位{query}")
    book = ledger([["co21", "co21", "S1.co2", "cems_co2_analyzer", "S1", "湿基"]])
    r = client.post(reverse("ledger-import", args=[unit.pk]) + query, {"file": SimpleUploadedFile("台账.xlsx", book)})
    assert r.status_code == 200
    page = r.content.decode()
    # the change table: the field and its values by their names, never the codes (basis, wet)
    row = re.search(r"<td>co21</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", page)
    assert row is not None and "{}: {} → {}".format(*row.groups()) == change, page
    if query:  # the preview in English: no Chinese but the file's own words
        body = page[page.index('id="change-summary"'):page.index('id="import-report"')]
        assert not re.search(r"[\u4e00-\u9fff]", body), re.findall(r"[\u4e00-\u9fff]+", body)
    sha = client.session["ledger_upload"]["sha256"]
    r = client.post(reverse("ledger-import-apply", args=[unit.pk]), {"sha256": sha})
    assert r.status_code == 302
    assert json.loads(unit.instruments.get(ident="co21").data)["basis"] == "wet"
    r = client.post(reverse("readings-upload", args=[unit.pk]), {"file": SimpleUploadedFile("cems.csv", readings())})
    assert r.status_code == 302, r.content[:800]
    [p] = json.loads(m.ReadingsUpload.objects.filter(unit=unit).latest("pk").report)["en"]["cems"]["points"]
    assert p["basis"] == "wet"
    assert p["total_t"] - p["filled_t"] == pytest.approx(48 * E_WET, rel=1e-9)


@pytest.mark.parametrize(("query", "bad", "wrong"), [
    ("", "台账.xlsx:3 CEMS!F3: 干湿基准：“潮湿” 应为 干基、湿基 之一",
     "台账.xlsx:4 CEMS!F4: 干湿基准：“湿基” 干湿基准（basis）只适用于测量排放口 CO2 浓度的分析仪"),
    ("?lang=en", "台账.xlsx:3 CEMS!F3: Measurement basis: \"潮湿\": must be one of: dry basis, wet basis",
     "台账.xlsx:4 CEMS!F4: Measurement basis: \"湿基\": a measurement basis (basis) applies only to an analyser")])
def test_bad_values_are_refused_naming_sheet_row_and_column(world: Any, query: str, bad: str, wrong: str) -> None:
    client = world.client(world.a)
    unit = new_unit(client, f"台账错误单位{query}")
    revision = m.Unit.objects.get(pk=unit.pk).revision
    book = ledger([["co21", "co21", "S1.co2", "cems_co2_analyzer", "S1", "潮湿"],
                   ["flow1", "flow1", "S1.flow", "cems_flow_monitor", "S1", "湿基"]])
    r = client.post(reverse("ledger-import", args=[unit.pk]) + query, {"file": SimpleUploadedFile("台账.xlsx", book)})
    assert r.status_code == 400
    page = " ".join(r.content.decode().replace("&quot;", '"').replace("&#x27;", "'").split())
    assert bad in page and wrong in page, page[-3000:]
    assert m.Unit.objects.get(pk=unit.pk).revision == revision
    assert "basis" not in json.loads(unit.instruments.get(ident="flow1").data)
