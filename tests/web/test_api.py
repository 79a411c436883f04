"""The REST API: token auth, units CRUD and import/export, instruments, confirmations,
assessment (the JSON contract of Assessment.to_json), reports, history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from web_fixtures import JOURNEY, SPEC_EXAMPLE

from tanjiliang.assess.engine import assess
from tanjiliang.model.load import load_unit
from tanjiliang.model.write import dump_yaml, unit_to_data
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import today

pytestmark = pytest.mark.django_db


def test_token_from_password(world: Any) -> None:
    c = Client()
    r = c.post("/api/auth/token", json.dumps({"username": "a", "password": "pw"}),
               content_type="application/json")
    token = r.json()["token"]
    assert c.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert c.post("/api/auth/token", json.dumps({"username": "a", "password": "no"}),
                  content_type="application/json").status_code == 401
    assert c.get("/api/units", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_nul_characters_are_refused_not_sent_to_the_database(world: Any) -> None:
    # PostgreSQL cannot store U+0000 (psycopg refused the query: a server error that
    # schemathesis found); the request is refused with the documented 400 instead
    c, auth = Client(), world.token(world.a)
    r = c.post("/api/auth/token", json.dumps({"username": "a\x00", "password": "pw"}),
               content_type="application/json")
    assert r.status_code == 400 and r.json()["issues"][0]["path"] == "body"
    r = c.get("/api/units?sector=%00", **auth)
    assert r.status_code == 400 and r.json()["issues"][0]["path"] == "query"
    assert "NUL" in r.json()["issues"][0]["zh"] and "NUL" in r.json()["detail"]
    assert c.get(f"/api/units/{world.unit_a.pk}/instruments/E%00", **auth).status_code == 400
    assert c.get("/api/units?sector=power", **auth).status_code == 200
    assert c.get("/units/?q=%00").status_code == 400


def test_unit_crud_and_round_trip(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    data = unit_to_data(load_unit(JOURNEY))
    r = c.post("/api/units", json.dumps(data), content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    got = c.get(f"/api/units/{pk}", **auth)
    assert got.json() == json.loads(json.dumps(data))
    yaml_text = c.get(f"/api/units/{pk}/export", **auth).content.decode()
    assert yaml_text == dump_yaml(load_unit(JOURNEY))
    data["unit"]["year"] = 2026
    r = c.put(f"/api/units/{pk}", json.dumps(data), content_type="application/json",
              HTTP_IF_MATCH=got["ETag"], **auth)
    assert r.json()["year"] == 2026 and r["ETag"] != got["ETag"]
    tag = r["ETag"]
    entries = m.HistoryEntry.objects.filter(unit_id=pk).count()
    r = c.put(f"/api/units/{pk}", json.dumps(data), content_type="application/json",
              HTTP_IF_MATCH=tag, **auth)  # the same body again: one change, not two
    assert r.status_code == 200 and r["ETag"] == tag and r.json()["revision"] == int(tag.strip('"r'))
    assert m.HistoryEntry.objects.filter(unit_id=pk).count() == entries
    bad = {**data, "instruments": [{**data["instruments"][0], "accuracy": "0.7S"}]}
    r = c.put(f"/api/units/{pk}", json.dumps(bad), content_type="application/json",
              HTTP_IF_MATCH=tag, **auth)
    assert r.status_code == 400
    issue = r.json()["issues"][0]
    assert issue["path"] == "instruments[0].accuracy" and "不是准确度等级" in issue["zh"]
    assert c.delete(f"/api/units/{pk}", HTTP_IF_MATCH=tag, **auth).status_code == 204
    assert c.get(f"/api/units/{pk}", **auth).status_code == 404


def test_import_file_instruments_and_confirmations(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    r = c.post("/api/units/import", {"file": SimpleUploadedFile("u.yaml", JOURNEY.read_bytes())},
               **auth)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    ins = c.get(f"/api/units/{pk}/instruments", **auth).json()
    assert [i["id"] for i in ins] == ["W-01", "W-02"]
    new = {"id": "W-03", "name": "备用秤", "type": "truck_scale", "measures": "lime",
           "at": "boundary", "status": "standby"}
    assert c.post(f"/api/units/{pk}/instruments", json.dumps(new),
                  content_type="application/json", **auth).status_code == 201
    tag = c.get(f"/api/units/{pk}/instruments/W-03", **auth)["ETag"]
    r = c.put(f"/api/units/{pk}/instruments/W-03", json.dumps({**new, "at": "Z9"}),
              content_type="application/json", HTTP_IF_MATCH=tag, **auth)
    assert r.status_code == 400 and r.json()["issues"][0]["path"] == "instruments[2].at"
    assert c.delete(f"/api/units/{pk}/instruments/W-03", HTTP_IF_MATCH=tag,
                    **auth).status_code == 204
    a = c.get(f"/api/units/{pk}/assessment", **auth).json()
    assert a["conclusion"] == "nonconforming"
    r = c.post(f"/api/units/{pk}/instruments/W-01/confirmations",
               json.dumps({"date": "2025-11-20", "kind": "verification"}),
               content_type="application/json", **auth)
    assert r.status_code == 201
    assert len(c.get(f"/api/units/{pk}/instruments/W-01/confirmations", **auth).json()) == 1
    a = c.get(f"/api/units/{pk}/assessment?lang=en", **auth).json()
    assert a["conclusion"] == "conforming"
    hist = c.get(f"/api/units/{pk}/history", **auth).json()
    assert [h["action"] for h in hist][:2] == ["confirmation", "delete"]


def test_assessment_is_the_engine_contract(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    got = c.get(f"/api/units/{world.unit_a.pk}/assessment", **auth).json()
    want = assess(load_unit(SPEC_EXAMPLE), None, today()).to_json("zh")
    assert got == json.loads(json.dumps(want))


def test_report_download(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    r = c.get(f"/api/units/{world.unit_a.pk}/report?format=html&lang=en", **auth)
    assert r.status_code == 200 and b"<html" in r.content.lower()
    assert c.get(f"/api/units/{world.unit_a.pk}/report?format=doc", **auth).status_code == 400


def test_assessment_gzip_when_accepted(world: Any) -> None:
    import gzip

    c, auth = Client(), world.token(world.a)
    url = f"/api/units/{world.unit_a.pk}/assessment"
    plain = c.get(url, **auth)
    zipped = c.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate", **auth)
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
