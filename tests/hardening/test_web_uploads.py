"""The web app's upload pages fed messy files (session 6): a readings file with unreadable
times and values shows "—" in the flagged rows, never Python's ``None``; a ledger without a
recognisable header is said in English without Chinese; a unit file with a wrong stream kind
lists every kind by its name (含碳产品, not ``product``)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings_test")
import django

django.setup()

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.urls import reverse  # noqa: E402

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
from tests.i18n.leaks import html_text  # noqa: E402
from web_fixtures import SPEC_EXAMPLE, World  # noqa: E402


@pytest.fixture
def world(db: Any) -> World:
    return World()


def test_flagged_rows_without_time_or_value_show_a_dash(world: World) -> None:
    c = world.client(world.a)
    data = (b"instrument,time,value,unit\nW-01,2025-01-01 00:00,100,t\nW-01,2025-01-01 01:00,abc,t\n"
            b"W-01,2026-02-30 02:00,120,t\n")
    r = c.post(reverse("readings-upload", args=[world.unit_a.pk]), {"file": SimpleUploadedFile("r.csv", data)})
    r = c.get(r["Location"]) if r.status_code == 302 else r
    text = html_text(r.content.decode())
    assert "时间无法识别" in text and "数值无法识别" in text, text
    assert "None" not in text, re.findall(r".{40}None.{40}", text, re.S)


def test_a_ledger_without_a_header_in_english(world: World, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便写点"
    wb.save(tmp_path / "l.xlsx")
    c = world.client(world.a)
    r = c.post(reverse("ledger-import", args=[world.unit_a.pk]) + "?lang=en",
               {"file": SimpleUploadedFile("l.xlsx", (tmp_path / "l.xlsx").read_bytes())})
    text = html_text(r.content.decode())
    assert r.status_code == 400 and "no ledger sheet" in text, text
    line = next(x for x in text.splitlines() if "no ledger sheet" in x)
    assert not re.search(r"[\u4e00-\u9fff]", line), line


def test_a_wrong_stream_kind_lists_the_kinds_by_name(world: World) -> None:
    text = SPEC_EXAMPLE.read_text(encoding="utf-8").replace(
        "    kind: combustion                    #", "    kind: burning #", 1)
    c = world.client(world.a)
    r = c.post(reverse("unit-import-new"), {"file": SimpleUploadedFile("unit.yaml", text.encode())})
    page = html_text(r.content.decode())
    assert r.status_code == 400 and "应为 燃料燃烧、工业过程、购入电力、购入热力、含碳产品、全氟化碳（阳极效应） 之一" in page, page


def test_an_unknown_material_in_the_pages_language_without_codes(world: World) -> None:
    c = world.client(world.a)
    post = {"id": "S9", "name": "燃料", "kind": "combustion", "material": "煤炭?", "activity": "5 t"}
    r = c.post(reverse("unit-item-new", args=[world.unit_a.pk, "source_streams"]), post)
    text = html_text(r.content.decode())
    assert r.status_code == 400 and "“煤炭?”不是已知的物料（可选：原煤、无烟煤、烟煤" in text, text
    assert "anthracite" not in text and "bituminous_coal" not in text and "is not a known" not in text, text
    r = c.post(reverse("unit-item-new", args=[world.unit_a.pk, "source_streams"]) + "?lang=en", post)
    text = html_text(r.content.decode())
    assert '"煤炭?" is not a known material (choose from: Raw coal, Anthracite' in text, text
    assert "不是已知的物料" not in text and "bituminous_coal" not in text, text


def test_a_gbk_unit_file_upload_is_said_as_such(world: World) -> None:
    c = world.client(world.a)
    data = SPEC_EXAMPLE.read_text(encoding="utf-8").encode("gbk")
    r = c.post(reverse("unit-import-new"), {"file": SimpleUploadedFile("unit.yaml", data)})
    text = html_text(r.content.decode())
    assert r.status_code == 400 and "unit.yaml:3: 文件不是 UTF-8 编码" in text and "GBK" in text, text
