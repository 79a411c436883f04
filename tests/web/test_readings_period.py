"""Readings upload (issue 12 §5): a month's file is judged for that month (or the period
chosen), the page shows the monthly table and the reconciliation, and no server path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from test_views import journey_unit

from tanjiliang.web.core import models as m

pytestmark = pytest.mark.django_db


def february() -> bytes:
    rows = ["instrument,time,value,unit,kind"]
    rows += [f"W-01,2025-02-{day:02d}T08:00:00,{300 + day},t,amount" for day in range(1, 29)]
    return ("\n".join(rows) + "\n").encode()


def coverage(upload: m.ReadingsUpload) -> float:
    rep = json.loads(upload.report)["zh"]
    return next(r["coverage_percent"] for r in rep["instruments"] if r["instrument"] == "W-01")


def test_a_month_of_readings_is_judged_for_that_month(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("2月.csv", february())})
    assert r.status_code == 302, r.content[:800]
    page = client.get(r["Location"]).content.decode()
    assert "2025-02-01 — 2025-02-28" in page and "按数据所含月份" in page
    assert 'id="readings-monthly"' in page and "2025-02" in page
    assert 'id="readings-reconciliation"' in page
    assert str(settings.MEDIA_ROOT) not in page
    assert coverage(m.ReadingsUpload.objects.get(unit=unit)) > 90
    listing = client.get(reverse("readings", args=[unit.pk])).content.decode()
    assert "2025-02-01 — 2025-02-28" in listing


def test_the_period_can_be_chosen(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("y.csv", february()), "period": "year"})
    assert r.status_code == 302
    assert coverage(m.ReadingsUpload.objects.get(unit=unit)) < 10
    page = client.get(r["Location"]).content.decode()
    assert "2025-01-01 — 2025-12-31" in page
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("m.csv", february()), "period": "month",
                     "month": "2025-02"})
    assert r.status_code == 302
    assert "2025-02-01 — 2025-02-28" in client.get(r["Location"]).content.decode()
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("m.csv", february()), "period": "range",
                     "from": "2025-02-10", "to": "2025-02-01"})
    assert r.status_code == 400 and "统计期无效" in r.content.decode()
    r = client.post(reverse("readings-upload", args=[unit.pk]),  # a period the form does not offer
                    {"file": SimpleUploadedFile("z.csv", february()), "period": "zzz"})
    assert r.status_code == 400 and "统计期无效" in r.content.decode()


def test_a_bad_file_names_the_file_not_the_server_path(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("坏.csv", b"a,b\n1,2\n")})
    assert r.status_code == 400
    page = r.content.decode()
    assert "坏.csv" in page and str(settings.MEDIA_ROOT) not in page


def test_the_api_takes_the_period_too(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    url = f"/api/units/{unit.pk}/readings"
    r = client.post(url, {"file": SimpleUploadedFile("2月.csv", february())}, **world.token(world.a))
    assert r.status_code == 201, r.content[:500]
    assert r.json()["period"]["from"].startswith("2025-02-01")
    r = client.post(url + "?period=year", {"file": SimpleUploadedFile("y.csv", february())},
                    **world.token(world.a))
    assert r.status_code == 201 and r.json()["period"]["from"].startswith("2025-01-01")
    r = client.post(url + "?period=month&month=2025-13", {"file": SimpleUploadedFile("m.csv", february())},
                    **world.token(world.a))
    assert r.status_code == 400
