"""The web unit-file import (the editor's "import" and ``POST /api/units/{id}/import``, not the
Excel ledger): a file equal to the unit as stored stores nothing — no new revision, no history
entry — and says so in the page's language; a file that changes something is stored as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tanjiliang.web.core import models as m

pytestmark = pytest.mark.django_db


def _export(client: Client, unit: m.Unit, fmt: str = "yaml") -> bytes:
    r = client.get(reverse("unit-export", args=[unit.pk, fmt]))
    assert r.status_code == 200
    return r.content


def _said(response: Any) -> list[str]:
    return [str(x) for x in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "没有要改的内容：unit.yaml 与本单位现有数据相同，未新增版本"),
    ("en", "nothing to change: unit.yaml equals the unit as stored; no new revision"),
])
def test_the_page_imports_the_unit_s_own_file_storing_nothing(world: Any, lang: str, words: str) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    own = _export(client, unit)
    entries = m.HistoryEntry.objects.filter(unit=unit).count()
    r = client.post(reverse("unit-import", args=[unit.pk]) + f"?lang={lang}",
                    {"file": SimpleUploadedFile("unit.yaml", own)})
    assert r.status_code == 302
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision
    assert m.HistoryEntry.objects.filter(unit=unit).count() == entries
    said = _said(r)
    assert words in said and "已导入" not in said and "imported" not in said, said


def test_the_page_stores_a_file_that_changes_something(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    own = _export(client, unit).decode("utf-8")
    name = m.Unit.objects.get(pk=unit.pk).name
    changed = own.replace(name, name + "（新）", 1).encode("utf-8")
    entries = m.HistoryEntry.objects.filter(unit=unit).count()
    r = client.post(reverse("unit-import", args=[unit.pk]), {"file": SimpleUploadedFile("unit.yaml", changed)})
    assert r.status_code == 302
    stored = m.Unit.objects.get(pk=unit.pk)
    assert stored.revision == unit.revision + 1 and stored.name == name + "（新）"
    assert m.HistoryEntry.objects.filter(unit=unit).count() == entries + 1
    assert "已导入" in _said(r)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_api_imports_the_unit_s_own_file_storing_nothing(world: Any, fmt: str) -> None:
    unit = world.unit_a
    own = _export(world.client(world.a), unit, fmt)
    entries = m.HistoryEntry.objects.filter(unit=unit).count()
    for lang, words in (("zh", "没有要改的内容"), ("en", "nothing to change")):
        r = Client().post(f"/api/units/{unit.pk}/import?lang={lang}",
                          {"file": SimpleUploadedFile(f"unit.{fmt}", own)}, **world.token(world.a))
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["revision"] == unit.revision and body["changed"] is False
        assert body["message"].startswith(words) and f"unit.{fmt}" in body["message"]
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision
    assert m.HistoryEntry.objects.filter(unit=unit).count() == entries
    changed = own.decode("utf-8").replace(unit.name, unit.name + " 2", 1).encode("utf-8")
    r = Client().post(f"/api/units/{unit.pk}/import?lang=en",
                      {"file": SimpleUploadedFile(f"unit.{fmt}", changed)}, **world.token(world.a))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["changed"] is True and body["revision"] == unit.revision + 1 and body["message"] == "imported"
    assert m.HistoryEntry.objects.filter(unit=unit).count() == entries + 1
