"""Readings upload of an instrument that measures two coals (issue 17): a wide file with one
column per target (``W1:coal_a``, ``W1：乙煤 [t]``) gives each stream its own weighings in
the monthly table; a target the instrument does not measure is refused, naming the column and
the value, in the page's language."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tanjiliang.web.core import models as m
from unit_builders import base_unit

pytestmark = pytest.mark.django_db

# the readings of tests/data/test_targets_doors.py: January coal_a 3 × 100 t, coal_b 2 × 50 t;
# February coal_a 200 t
WEIGHINGS = [("2025-01-05 08:00:00", 100, "coal_a"), ("2025-01-06 08:00:00", 100, "coal_a"),
             ("2025-01-07 08:00:00", 100, "coal_a"), ("2025-01-08 08:00:00", 50, "coal_b"),
             ("2025-01-09 08:00:00", 50, "coal_b"), ("2025-02-03 08:00:00", 200, "coal_a")]


def unit_data() -> dict[str, Any]:
    coal = {"kind": "combustion", "material": "bituminous_coal"}
    streams = [{"id": "coal_a", "name": "甲煤", "activity": "3000 t", **coal},
               {"id": "coal_b", "name": "乙煤", "activity": "1000 t", **coal}]
    scale = {"id": "W1", "name": "汽车衡", "type": "truck_scale", "measures": ["coal_a", "coal_b"],
             "at": "boundary", "accuracy": "0.1", "last_confirmed": "2025-06-01"}
    return base_unit(source_streams=streams, instruments=[scale])


def wide(second: str) -> bytes:
    rows = [f"时间,W1:coal_a,{second}"]
    rows += [f"{t},{v if g == 'coal_a' else ''},{v if g == 'coal_b' else ''}" for t, v, g in WEIGHINGS]
    return ("\n".join(rows) + "\n").encode()


def two_coals(world: Any) -> tuple[Any, m.Unit]:
    client = world.client(world.a)
    data = unit_data()
    data["unit"]["name"] = "两种煤测试单位"
    r = client.post(reverse("unit-import-new"),
                    {"file": SimpleUploadedFile("unit.yaml", yaml.safe_dump(data, allow_unicode=True).encode())})
    assert r.status_code == 302, r.content[:800]
    return client, m.Unit.objects.get(name="两种煤测试单位")


def test_wide_target_columns_through_the_upload(world: Any) -> None:
    client, unit = two_coals(world)
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("地磅.csv", wide("W1：乙煤 [t]"))})
    assert r.status_code == 302, r.content[:800]
    rep = json.loads(m.ReadingsUpload.objects.filter(unit=unit).latest("pk").report)["en"]
    got = {(x["stream"], x["month"][:7]): x["activity"] for x in rep["stream_monthly"]}
    # January: coal_a 100 + 100 + 100 = 300 t, coal_b 50 + 50 = 100 t; February: coal_a 200 t
    assert got[("coal_a", "2025-01")] == pytest.approx(300.0)
    assert got[("coal_b", "2025-01")] == pytest.approx(100.0)
    assert got[("coal_a", "2025-02")] == pytest.approx(200.0)
    assert got.get(("coal_b", "2025-02"), 0.0) == pytest.approx(0.0)


@pytest.mark.parametrize(("query", "words"), [("", "器具 W1 不测量“丙煤”"),
                                              ("?lang=en", 'instrument W1 does not measure "丙煤"')])
def test_unknown_target_is_refused_naming_the_column(world: Any, query: str, words: str) -> None:
    client, unit = two_coals(world)
    before = m.ReadingsUpload.objects.filter(unit=unit).count()
    r = client.post(reverse("readings-upload", args=[unit.pk]) + query,
                    {"file": SimpleUploadedFile("地磅.csv", wide("W1：丙煤 [t]"))})
    text = r.content.decode()
    assert r.status_code == 400 and "地磅.csv:1 [W1：丙煤 [t]]" in text and words in text.replace("&quot;", '"')
    assert m.ReadingsUpload.objects.filter(unit=unit).count() == before


@pytest.mark.parametrize(("query", "words"), [("", "表头写作“器具编号:测量对象”"),
                                              ("?lang=en", "headed 'instrument id:target'")])
def test_the_upload_page_says_how_to_name_targets(world: Any, query: str, words: str) -> None:
    client, unit = two_coals(world)
    page = client.get(reverse("readings", args=[unit.pk]) + query).content.decode()
    assert 'id="readings-targets-help"' in page and words in page
