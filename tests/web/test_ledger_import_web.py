"""The web import of a plant's ledger (issue 12): the change set is shown first, absent
instruments are removed only when ticked, the history states the change set, and the last
import is undone in one click."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tanjiliang.web.core import models as m
from tanjiliang.web.core.mapping import unit_data

pytestmark = pytest.mark.django_db


def _ledger(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["计量器具一览表"])
    ws.append(["序号", "器具名称", "出厂编号", "管理编号", "安装地点", "精度等级", "检定日期", "有效期至", "状态"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_preview_then_merge_then_undo(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    before = unit_data(unit)
    old_ids = [i["id"] for i in before["instruments"]]
    assert len(old_ids) >= 2
    first = before["instruments"][0]
    # a verification after the unit's (2025-03-10): added to the history (an earlier date is refused)
    book = _ledger([[1, first["name"], first.get("serial"), first["id"], "边界", "0.2级", "2025.03.20", "2026年3月19日", "合格"],
                    [2, "新增电能表", "SN-NEW", "E-NEW", "边界", "0.5S级", "2025/3/2", None, "合格"]])
    r = client.post(reverse("ledger-import", args=[unit.pk]), {"file": SimpleUploadedFile("三台.xlsx", book)})
    assert r.status_code == 200
    page = r.content.decode()
    assert "changes-absent" in page and 'name="remove"' in page and "checked" not in page
    assert "E-NEW" in page
    assert "/tmp" not in page and "tanjiliang-ledger-" not in page  # no server paths
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision  # nothing stored yet
    sha = client.session["ledger_upload"]["sha256"]
    # nothing ticked: everything absent from the file is kept
    r = client.post(reverse("ledger-import-apply", args=[unit.pk]), {"sha256": sha})
    assert r.status_code == 302
    assert set(old_ids) | {"E-NEW"} == {i["id"] for i in unit_data(m.Unit.objects.get(pk=unit.pk))["instruments"]}
    assert client.post(reverse("ledger-restore", args=[unit.pk])).status_code == 302
    assert sorted(i["id"] for i in unit_data(m.Unit.objects.get(pk=unit.pk))["instruments"]) == sorted(old_ids)
    # again, ticking exactly one absent instrument
    r = client.post(reverse("ledger-import", args=[unit.pk]), {"file": SimpleUploadedFile("三台.xlsx", book)})
    sha = client.session["ledger_upload"]["sha256"]
    gone = old_ids[-1]
    r = client.post(reverse("ledger-import-apply", args=[unit.pk]), {"sha256": sha, "remove": [gone]})
    assert r.status_code == 302
    after = unit_data(m.Unit.objects.get(pk=unit.pk))
    ids = [i["id"] for i in after["instruments"]]
    assert gone not in ids and "E-NEW" in ids
    assert set(old_ids) - {gone} <= set(ids)  # every unticked one kept
    entry = m.HistoryEntry.objects.filter(unit=unit).order_by("-at", "-id").first()
    assert entry is not None and entry.action == "ledger_import"
    assert "新增 1 台" in entry.zh and "删除 1 台（经确认）" in entry.zh
    # the ledger page offers to undo it; one click restores the previous instruments
    page = client.get(reverse("ledger", args=[unit.pk])).content.decode()
    assert "ledger-restore" in page
    r = client.post(reverse("ledger-restore", args=[unit.pk]))
    assert r.status_code == 302
    restored = unit_data(m.Unit.objects.get(pk=unit.pk))
    assert sorted(i["id"] for i in restored["instruments"]) == sorted(old_ids)
    by_id = {i["id"]: i for i in restored["instruments"]}
    assert by_id[first["id"]] == first
    assert "ledger-restore" not in client.get(reverse("ledger", args=[unit.pk])).content.decode()


def test_apply_without_a_preview_changes_nothing(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    r = client.post(reverse("ledger-import-apply", args=[unit.pk]), {"sha256": "x", "remove": ["W-01"]})
    assert r.status_code == 302
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision


def test_api_ledger_import_shows_the_change_set_and_removes_only_when_asked(world: Any) -> None:
    from django.test import Client

    unit = world.unit_a
    c, auth = Client(), world.token(world.a)
    before = [i["id"] for i in unit_data(unit)["instruments"]]
    book = _ledger([[1, "新增电能表", "SN-NEW", "E-NEW", "边界", "0.5S级", "2025/3/2", None, "合格"]])
    url = f"/api/units/{unit.pk}/ledger"
    r = c.post(url + "?dry_run=true", {"file": SimpleUploadedFile("l.xlsx", book)}, **auth)
    assert r.status_code == 200, r.content
    j = r.json()
    assert j["applied"] is False and j["changes"]["added"] == ["E-NEW"] and j["changes"]["absent"] == before
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision
    r = c.post(url, {"file": SimpleUploadedFile("l.xlsx", book)}, **auth)
    assert r.status_code == 200 and r.json()["changes"]["removed"] == []
    assert set(before) | {"E-NEW"} == {i["id"] for i in unit_data(m.Unit.objects.get(pk=unit.pk))["instruments"]}
    r = c.post(url + "?remove_missing=true", {"file": SimpleUploadedFile("l.xlsx", book)}, **auth)
    assert r.status_code == 200 and r.json()["changes"]["removed"] == sorted(before)
    assert [i["id"] for i in unit_data(m.Unit.objects.get(pk=unit.pk))["instruments"]] == ["E-NEW"]
    bad = _ledger([[1, "电能表", "SN-X", "E-X", "火星", "0.7级", "2025/13/2", None, "合格"]])
    r = c.post(url, {"file": SimpleUploadedFile("bad.xlsx", bad)}, **auth)
    assert r.status_code == 400
    text = json.dumps(r.json(), ensure_ascii=False)
    assert "火星" in text and "0.7级" in text and "2025/13/2" in text and "/tmp" not in text


def test_the_preview_speaks_one_language(world: Any) -> None:
    import re

    unit = world.unit_a
    client = world.client(world.a)
    book = _ledger([[1, "电能表", "SN-NEW", "E-NEW", "boundary", "0.5S", "2025-03-02", None, "in use"]])
    r = client.post(reverse("ledger-import", args=[unit.pk]) + "?lang=en",
                    {"file": SimpleUploadedFile("l.xlsx", book)})
    assert r.status_code == 200
    page = r.content.decode()
    body = page[page.index('id="change-summary"'):page.index('id="import-report"')]
    names = {i["name"] for i in unit_data(unit)["instruments"]} | {"电能表"}  # the user's own words
    for n in names:
        body = body.replace(n, "")
    assert not re.search(r"[\u4e00-\u9fff]", body), re.findall(r"[\u4e00-\u9fff]+", body)
    assert "Apply the import" in body


NAMES_UNIT = """format: tanjiliang/unit@1
unit: {name: 名称导入, year: 2025, sector: 热电}
equipment:
  - {id: B1, name: 1号锅炉}
source_streams:
  - {id: gas, name: 锅炉天然气, kind: 燃烧, material: 天然气, activity: "350 万立方米", consumers: [1号锅炉]}
instruments:
  - {id: F1, name: 流量计, type: 气体流量计, measures: gas, at: 1号锅炉, last_confirmed: 2025年3月2日}
"""


def test_a_unit_file_written_with_names_is_stored_as_codes_and_the_mappings_shown(world: Any) -> None:
    client = world.client(world.a)
    r = client.post(reverse("unit-import-new"),
                    {"file": SimpleUploadedFile("u.yaml", NAMES_UNIT.encode("utf-8"))}, follow=True)
    assert r.status_code == 200
    page = r.content.decode()
    assert "“天然气” → natural_gas" in page and "“1号锅炉” → B1" in page
    unit = m.Unit.objects.get(name="名称导入")
    d = unit_data(unit)
    assert d["source_streams"][0]["material"] == "natural_gas"
    assert d["source_streams"][0]["activity"] == "350 万Nm3"
    assert d["instruments"][0]["type"] == "gas_flow_meter" and d["instruments"][0]["at"] == "B1"


def test_an_import_with_nothing_to_change_stores_nothing(world: Any) -> None:
    """The unit's own exported ledger, imported back: no new revision, no history entry,
    nothing to undo (the page and the API alike)."""
    unit = world.unit_a
    client = world.client(world.a)
    book = client.get(reverse("ledger-export", args=[unit.pk])).content
    entries = m.HistoryEntry.objects.filter(unit=unit).count()
    r = client.post(reverse("ledger-import", args=[unit.pk]), {"file": SimpleUploadedFile("自己的.xlsx", book)})
    assert r.status_code == 200
    sha = client.session["ledger_upload"]["sha256"]
    r = client.post(reverse("ledger-import-apply", args=[unit.pk]), {"sha256": sha})
    assert r.status_code == 302
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision
    assert m.HistoryEntry.objects.filter(unit=unit).count() == entries
    from django.test import Client

    r = Client().post(f"/api/units/{unit.pk}/ledger", {"file": SimpleUploadedFile("自己的.xlsx", book)},
                      **world.token(world.a))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["revision"] == unit.revision and not body["changes"]["added"] and not body["changes"]["changed"]
    assert m.HistoryEntry.objects.filter(unit=unit).count() == entries
