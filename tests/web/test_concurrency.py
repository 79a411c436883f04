"""No lost updates (issue 18 §6): edit forms carry the revision they were read at and a stale
save is refused showing the other user's change; the API answers ETag and needs If-Match.
Also: a unit with reviews is not deleted (issue 18 §7). SQLite here, PostgreSQL through
test_postgres.py."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from django.urls import reverse
from web_fixtures import make_user

from tanjiliang.web.core import models as m


class _Forms(HTMLParser):
    """The fields of every POST form of a page, by action."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._cur: dict[str, str] | None = None
        self._select: str | None = None
        self._text: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._cur = self.forms.setdefault(a.get("action", ""), {})
        elif self._cur is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio",
                                                                         "file", "submit"):
            self._cur[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self._cur[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or
                                                   self._select not in self._cur):
            self._cur[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._text = a.get("name")
            self._cur[self._text or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._cur is not None and self._text:
            self._cur[self._text] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._cur = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._text = None


def post_forms(html: str) -> dict[str, dict[str, str]]:
    p = _Forms()
    p.feed(html)
    return p.forms


def _two_users(world: Any) -> tuple[Any, Any]:
    a2 = make_user("a2", m.ROLE_ENTERPRISE, enterprise=world.ent_a)
    return world.client(world.a), world.client(a2)


def test_every_post_form_of_a_unit_page_carries_its_revision(world: Any) -> None:
    c = world.client(world.a)
    unit, ins = world.unit_a, world.ins_a
    pages = [reverse(n, args=a) for n, a in (
        ("unit-edit", [unit.pk]), ("unit-edit-info", [unit.pk]), ("ledger", [unit.pk]),
        ("instrument", [unit.pk, ins.pk]), ("instrument-new", [unit.pk]), ("unit-item", [unit.pk, "subunits", 0]),
        ("unit-management", [unit.pk]))]
    seen = 0
    for url in pages:
        r = c.get(url)
        assert r.status_code == 200, url
        for action, fields in post_forms(r.content.decode()).items():
            if action.startswith("/units/") or not action:
                seen += 1
                assert fields.get("revision") == str(unit.revision), (url, action)
    assert seen >= 8


def test_two_users_saving_the_same_instrument_second_is_refused_and_shown(world: Any) -> None:
    one, two = _two_users(world)
    unit, ins = world.unit_a, world.ins_a
    shown = reverse("instrument", args=[unit.pk, ins.pk])
    url = reverse("instrument-edit", args=[unit.pk, ins.pk])
    form1 = post_forms(one.get(shown).content.decode())[url]
    form2 = post_forms(two.get(shown).content.decode())[url]
    assert form1["revision"] == form2["revision"] == str(unit.revision)
    assert one.post(url, {**form1, "name": "一号改的名称"}).status_code == 302
    r = two.post(url, {**form2, "name": "二号改的名称"})
    page = r.content.decode()
    assert r.status_code == 409 and 'id="stale"' in page
    assert "一号改的名称" in page and "二号改的名称" in page  # their change and what I entered
    ins.refresh_from_db()
    assert ins.name == "一号改的名称"
    assert not m.HistoryEntry.objects.filter(unit=unit, zh__contains="二号").exists()
    # read again, the save goes through
    form3 = post_forms(two.get(shown).content.decode())[url]
    assert two.post(url, {**form3, "name": "二号改的名称"}).status_code == 302
    ins.refresh_from_db()
    assert ins.name == "二号改的名称"


def test_stale_delete_after_an_add_is_refused(world: Any) -> None:
    """One user adds an instrument while another, on an older page, deletes a sub-unit."""
    one, two = _two_users(world)
    unit = world.unit_a
    new_url = reverse("instrument-new", args=[unit.pk])
    form_new = post_forms(one.get(new_url).content.decode())[""]
    editor = two.get(reverse("unit-edit", args=[unit.pk])).content.decode()
    delete_url = reverse("unit-item-delete", args=[unit.pk, "subunits", 0])
    form_del = post_forms(editor).get(delete_url)
    assert form_del is not None and form_del["revision"] == str(unit.revision)
    ins = world.ins_a
    data = json.loads(ins.data)
    r = one.post(new_url, {**form_new, "id": "NEW-1", "name": "新增秤", "type": data["type"],
                           "measures": data["measures"], "at": data["at"],
                           "status": "in_use"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert two.post(delete_url, form_del).status_code == 409
    assert unit.instruments.filter(ident="NEW-1").exists()


def test_api_needs_if_match_and_refuses_stale_writes(world: Any) -> None:
    c = world.client(world.a)
    auth = world.token(world.a)
    pk = world.unit_a.pk
    got = c.get(f"/api/units/{pk}", **auth)
    tag, data = got["ETag"], got.json()
    assert tag == f'"r{world.unit_a.revision}"'
    body = json.dumps(data)
    r = c.put(f"/api/units/{pk}", body, content_type="application/json", **auth)
    assert r.status_code == 428 and r.json()["issues"][0]["path"] == "If-Match"
    assert c.delete(f"/api/units/{pk}", **auth).status_code == 428
    ident = world.ins_a.ident
    assert c.delete(f"/api/units/{pk}/instruments/{ident}", **auth).status_code == 428
    # another client adds an instrument: the stale copy must not delete it
    other = world.client(world.a)
    new = {**json.loads(world.ins_a.data), "id": "NEW-2", "name": "另一台"}
    new.pop("confirmations", None)
    assert other.post(f"/api/units/{pk}/instruments", json.dumps(new),
                      content_type="application/json", **auth).status_code == 201
    r = c.put(f"/api/units/{pk}", body, content_type="application/json", HTTP_IF_MATCH=tag,
              **auth)
    assert r.status_code == 412 and r["ETag"] != tag
    assert m.Instrument.objects.filter(unit_id=pk, ident="NEW-2").exists()
    r = c.put(f"/api/units/{pk}/instruments/{ident}", json.dumps(json.loads(world.ins_a.data)),
              content_type="application/json", HTTP_IF_MATCH=tag, **auth)
    assert r.status_code == 412
    assert c.delete(f"/api/units/{pk}", HTTP_IF_MATCH=tag, **auth).status_code == 412
    # a POST that sends If-Match is held to it too
    late = {**new, "id": "NEW-3"}
    assert c.post(f"/api/units/{pk}/instruments", json.dumps(late),
                  content_type="application/json", HTTP_IF_MATCH=tag, **auth).status_code == 412
    # with the current ETag it works
    fresh = c.get(f"/api/units/{pk}", **auth)
    r = c.put(f"/api/units/{pk}", json.dumps(fresh.json()), content_type="application/json",
              HTTP_IF_MATCH=fresh["ETag"], **auth)
    assert r.status_code == 200


def _with_review(world: Any) -> m.Unit:
    from tanjiliang.web.review import store

    unit = world.unit_a
    store.open_self_inspection(unit, world.a)
    return unit


def test_deleting_a_unit_with_reviews_is_refused_without_history(world: Any) -> None:
    unit = _with_review(world)
    c = world.client(world.a)
    before = m.HistoryEntry.objects.count()
    r = c.post(reverse("unit-delete", args=[unit.pk]), {"confirm": unit.name}, follow=True)
    assert r.status_code == 200 and "不能删除" in r.content.decode()
    assert m.Unit.objects.filter(pk=unit.pk).exists()
    assert m.HistoryEntry.objects.count() == before
    auth = world.token(world.a)
    tag = c.get(f"/api/units/{unit.pk}", **auth)["ETag"]
    r = c.delete(f"/api/units/{unit.pk}", HTTP_IF_MATCH=tag, **auth)
    assert r.status_code == 409 and "cannot be deleted" in r.json()["issues"][0]["en"]
    assert m.Unit.objects.filter(pk=unit.pk).exists()
    assert m.HistoryEntry.objects.count() == before
    assert not m.HistoryEntry.objects.filter(action="delete").exists()


def test_deleting_a_unit_without_reviews_still_works(world: Any) -> None:
    c = world.client(world.b)
    unit = world.unit_b
    r = c.post(reverse("unit-delete", args=[unit.pk]), {"confirm": unit.name})
    assert r.status_code == 302 and not m.Unit.objects.filter(pk=unit.pk).exists()
    assert m.HistoryEntry.objects.filter(action="delete", unit_name=unit.name).exists()
    from tanjiliang.web.core.audit import verify

    assert verify().ok  # the unit's history rows lost their link, not their hash
