"""The REST API refuses what it cannot keep, in one error shape (probe s10 web #5, #10, #11,
#13, #14): a write the assessment would refuse, ids that cannot be addressed, ``If-Match: *``
where the ETag is required, bad parameters (400 ``issues[{path, zh, en}]``, never 422), an
unknown format, period or language; ``detail`` in the request's language; JSON 404s; 403 for a
role that may create no unit; the real instrument count of a new unit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_readings_period import february
from test_views import journey_unit
from web_fixtures import JOURNEY

from tanjiliang.model.errors import LoadError
from tanjiliang.model.load import load_unit
from tanjiliang.model.write import unit_to_data
from tanjiliang.web.core import models as m

pytestmark = pytest.mark.django_db

NEW = {"id": "T-99", "name": "备用秤", "type": "truck_scale", "measures": "lime",
       "at": "boundary", "status": "standby"}


def post_json(c: Client, url: str, body: Any, **kw: Any) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json", **kw)


def put_json(c: Client, url: str, body: Any, **kw: Any) -> Any:
    return c.put(url, json.dumps(body), content_type="application/json", **kw)


def one_issue(r: Any, path: str) -> dict[str, Any]:
    body = r.json()
    assert r.status_code == 400, (r.status_code, body)
    assert set(body) == {"detail", "issues"}, body
    issue = next(i for i in body["issues"] if i["path"] == path)
    assert issue["zh"] and issue["en"] and issue["zh"] != issue["en"]
    return issue


def test_a_type_the_pack_does_not_know_is_refused_at_write_time(world: Any) -> None:
    # s10 #5: the POST answered 201 and the unit could no longer be assessed
    unit = journey_unit(world)
    c, auth = Client(), world.token(world.a)
    url = f"/api/units/{unit.pk}/instruments"
    revision = unit.revision
    issue = one_issue(post_json(c, url, {**NEW, "type": "nonexistent"}, **auth), "instruments[2].type")
    assert "“nonexistent”不是规则包" in issue["zh"] and '"nonexistent" is not an instrument type' in issue["en"]
    unit.refresh_from_db()
    assert unit.revision == revision and not unit.instruments.filter(ident="T-99").exists()
    # replacing the instrument, the unit or importing a file: the same refusal
    tag = c.get(f"/api/units/{unit.pk}", **auth)["ETag"]
    r = put_json(c, f"{url}/W-01", {**NEW, "id": "W-01", "type": "nonexistent"}, HTTP_IF_MATCH=tag, **auth)
    one_issue(r, "instruments[0].type")
    data = c.get(f"/api/units/{unit.pk}", **auth).json()
    data["instruments"][1]["type"] = "nonexistent"
    one_issue(put_json(c, f"/api/units/{unit.pk}", data, HTTP_IF_MATCH=tag, **auth), "instruments[1].type")
    one_issue(post_json(c, "/api/units", data, **auth), "instruments[1].type")
    r = c.post("/api/units/import", {"file": SimpleUploadedFile("u.json", json.dumps(data).encode())}, **auth)
    assert one_issue(r, "instruments[1].type")["file"] == "u.json"
    # a pack the server does not bundle, a medium the pack does not know
    one_issue(post_json(c, "/api/units", {**data, "pack": "no-such-pack"}, **auth), "pack")
    data = c.get(f"/api/units/{unit.pk}", **auth).json()
    data["source_streams"][0]["medium"] = "plasma"
    one_issue(put_json(c, f"/api/units/{unit.pk}", data, HTTP_IF_MATCH=tag, **auth), "source_streams[0].medium")
    unit.refresh_from_db()
    assert unit.revision == revision
    assert c.get(f"/api/units/{unit.pk}/assessment", **auth).status_code == 200
    # the web form refuses it the same way, next to the field
    page = world.client(world.a).post(reverse("instrument-new", args=[unit.pk]), {**NEW, "type": "nonexistent"})
    assert page.status_code == 400 and "不是规则包" in page.content.decode()
    unit.refresh_from_db()
    assert unit.revision == revision


def test_if_match_star_does_not_stand_for_the_etag(world: Any) -> None:
    # s10 #10: If-Match: * skipped the concurrency check of PUT and DELETE
    c, auth = Client(), world.token(world.a)
    unit = world.unit_a
    data = c.get(f"/api/units/{unit.pk}", **auth).json()
    data["unit"]["name"] = "改名"
    for r in (put_json(c, f"/api/units/{unit.pk}", data, HTTP_IF_MATCH="*", **auth),
              c.delete(f"/api/units/{unit.pk}", HTTP_IF_MATCH="*", **auth),
              c.delete(f"/api/units/{unit.pk}/instruments/{world.ins_a.ident}", HTTP_IF_MATCH="*", **auth),
              put_json(c, f"/api/units/{unit.pk}/instruments/{world.ins_a.ident}", {}, HTTP_IF_MATCH='"r1", *',
                       **auth)):
        assert r.status_code == 428, r.content
        issue = r.json()["issues"][0]
        assert issue["path"] == "If-Match" and "*" in issue["en"] and "*" in issue["zh"]
        assert r["ETag"] == f'"r{unit.revision}"'
    unit.refresh_from_db()
    assert unit.name != "改名" and unit.instruments.filter(ident=world.ins_a.ident).exists()
    # where If-Match is optional, * asks only that the unit exists
    r = post_json(c, f"/api/units/{unit.pk}/instruments", {**NEW, "measures": "coal"}, HTTP_IF_MATCH="*", **auth)
    assert r.status_code == 201, r.content


@pytest.mark.parametrize("ident", ["X/1", "<b>i</b>", "a\\b", 'q"1', "5%", "a?b", "#1", "a\x01b"])
def test_an_id_that_cannot_be_addressed_is_refused(world: Any, ident: str) -> None:
    # s10 #11: "X/1" was stored and then unreachable (GET …/X%2F1 answered Django's HTML 404)
    c, auth = Client(), world.token(world.a)
    unit = world.unit_a
    n = unit.instruments.count()
    r = post_json(c, f"/api/units/{unit.pk}/instruments", {**NEW, "id": ident}, **auth)
    issue = one_issue(r, f"instruments[{n}].id")
    assert "网址" in issue["zh"] and "web address" in issue["en"]
    assert unit.instruments.count() == n


def test_the_loader_refuses_those_ids_for_every_door(tmp_path: Any) -> None:
    text = JOURNEY.read_text(encoding="utf-8").replace("id: W-02", "id: W/02")
    assert "W/02" in text
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_unit(path)
    issue = err.value.issues[0]
    assert issue.path == "instruments[1].id" and issue.line and "/" in issue.en and "/" in issue.zh
    load_unit(JOURNEY)  # ids such as W-01, G_1 or 1号炉 stay valid


def test_the_web_form_refuses_them_too(world: Any) -> None:
    client = world.client(world.a)
    r = client.post(reverse("instrument-new", args=[world.unit_a.pk]), {**NEW, "id": "X/1", "measures": "coal"})
    assert r.status_code == 400 and "网址中无法引用" in r.content.decode()


def test_a_404_of_the_api_is_json(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    for r in (c.get(f"/api/units/{world.unit_a.pk}/instruments/X%2F1", **auth),
              c.get("/api/no/such/thing", **auth),
              c.post("/api/no/such/thing?lang=en", **auth),
              c.get(f"/api/units/{world.unit_b.pk}", **auth)):
        assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
        assert r.json()["issues"][0]["en"] == "not found"
    assert c.post("/api/no/such/thing?lang=en", **auth).json()["detail"] == "not found"


def test_detail_follows_the_request_language(world: Any) -> None:
    # s10 #13: detail was always English
    auth = world.token(world.a)
    url = f"/api/units/{world.unit_a.pk}/export?format=xml"
    assert "不是允许的取值" in Client().get(url, **auth).json()["detail"]  # Chinese by default
    assert "is not one of" in Client().get(url + "&lang=en", **auth).json()["detail"]
    assert "is not one of" in Client().get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,zh;q=0.8", **auth).json()["detail"]
    assert "不是允许的取值" in Client().get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,en;q=0.5", **auth).json()["detail"]
    assert "不是允许的取值" in Client().get(url + "&lang=zh", HTTP_ACCEPT_LANGUAGE="en", **auth).json()["detail"]
    c = Client()
    c.cookies["tj_lang"] = "en"  # the language chosen on the pages (for /api/docs)
    assert "is not one of" in c.get(url, HTTP_ACCEPT_LANGUAGE="zh", **auth).json()["detail"]
    # the assessment and the report default to the request's language too
    a = Client().get(f"/api/units/{world.unit_a.pk}/assessment", HTTP_ACCEPT_LANGUAGE="en", **auth).json()
    assert a == Client().get(f"/api/units/{world.unit_a.pk}/assessment?lang=en", **auth).json()


def test_parameters_of_the_wrong_type_answer_400_with_issues(world: Any) -> None:
    # s10 #13: 422 in pydantic's English-only shape
    c, auth = Client(), world.token(world.a)
    issue = one_issue(c.get("/api/units?year=abc", **auth), "year")
    assert issue["zh"] == "“abc”应为整数" and issue["en"] == '"abc": must be a whole number'
    one_issue(c.get("/api/units/abc", **auth), "unit_id")
    one_issue(post_json(c, "/api/auth/token", {"username": "a"}), "password")
    one_issue(post_json(c, "/api/auth/token", {"username": "a", "password": 5}), "password")
    r = c.post("/api/auth/token", "{bad", content_type="application/json")
    assert r.status_code == 400 and r.json()["issues"][0]["en"] == "the request body is not valid JSON"


def test_401_and_403_in_the_documented_shape(world: Any) -> None:
    c = Client()
    r = c.get("/api/units?lang=en")
    assert r.status_code == 401 and r.json()["issues"][0]["path"] == "Authorization"
    assert "Bearer" in r.json()["detail"]
    r = post_json(Client(), "/api/auth/token", {"username": "a", "password": "no"})
    assert r.status_code == 401 and r.json()["detail"] == "用户名或密码不正确"
    data = unit_to_data(load_unit(JOURNEY))
    for user in (world.reviewer, world.regulator):  # s10 #13: was 400 "name the enterprise"
        auth = world.token(user)
        for r in (post_json(c, "/api/units", data, **auth),
                  post_json(c, f"/api/units?enterprise={world.ent_a.pk}", data, **auth),
                  c.post("/api/units/import", {"file": SimpleUploadedFile("u.yaml", JOURNEY.read_bytes())}, **auth)):
            assert r.status_code == 403, r.content
            assert r.json()["issues"][0]["en"] == "only an enterprise user or an administrator can create units"
    assert m.Unit.objects.count() == 2
    # an administrator still names the enterprise
    r = post_json(c, "/api/units", data, **world.token(world.admin))
    assert r.status_code == 400 and r.json()["issues"][0]["path"] == "enterprise"


def test_a_new_unit_reports_its_instruments(world: Any) -> None:
    # s10 #14: the 201 said "instruments": 0
    c, auth = Client(), world.token(world.a)
    data = unit_to_data(load_unit(JOURNEY))
    r = post_json(c, "/api/units", data, **auth)
    assert r.status_code == 201 and r.json()["instruments"] == len(data["instruments"]) == 2
    r = c.post("/api/units/import", {"file": SimpleUploadedFile("u.yaml", JOURNEY.read_bytes())}, **auth)
    assert r.status_code == 201 and r.json()["instruments"] == 2
    listed = {u["id"]: u["instruments"] for u in c.get("/api/units", **auth).json()}
    assert listed[r.json()["id"]] == 2


def test_unknown_formats_periods_languages_and_ranges_are_refused(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    pk = world.unit_a.pk
    one_issue(c.get(f"/api/units/{pk}/export?format=xml", **auth), "format")
    assert c.get(f"/api/units/{pk}/export?format=json", **auth)["Content-Type"].startswith("application/json")
    one_issue(c.get(f"/api/units/{pk}/report?format=doc", **auth), "format")
    web = world.client(world.a)
    assert web.get(f"/units/{pk}/unit.xml").status_code == 404
    assert web.get(f"/units/{pk}/unit.json").status_code == 200
    for url in ("/api/units?lang=fr", f"/api/units/{pk}/assessment?lang=xx", f"/api/units/{pk}/plan?lang=",
                f"/api/units/{pk}/report?format=html&lang=fr"):
        issue = one_issue(c.get(url, **auth), "lang")
        assert "zh" in issue["en"] and "en" in issue["en"]
    for url, path in ((f"/api/units/{pk}/instruments?limit=-1", "limit"),
                      (f"/api/units/{pk}/instruments?offset=-5", "offset"),
                      (f"/api/units/{pk}/instruments?limit=1001", "limit"),
                      (f"/api/units/{pk}/history?limit=-1", "limit")):
        one_issue(c.get(url, **auth), path)
    assert len(c.get(f"/api/units/{pk}/instruments?limit=1&offset=1", **auth).json()) == 1


def test_an_unknown_readings_period_is_refused(world: Any) -> None:
    unit = journey_unit(world)
    c, auth = Client(), world.token(world.a)
    url = f"/api/units/{unit.pk}/readings?period=zzz"
    r = c.post(url, {"file": SimpleUploadedFile("2月.csv", february())}, **auth)
    assert one_issue(r, "period")["zh"].startswith("“zzz”不是允许的取值")
    assert not m.ReadingsUpload.objects.filter(unit=unit).exists()


def test_the_schema_documents_400_not_422(world: Any) -> None:
    schema = Client().get("/api/openapi.json").json()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert "422" not in op["responses"], (method, path)
            if op.get("parameters") or op.get("requestBody"):
                assert "400" in op["responses"], (method, path)
    params = {p["name"]: p for p in schema["paths"]["/api/units/{unit_id}/instruments"]["get"]["parameters"]}
    assert params["limit"]["schema"]["minimum"] == 0 and params["limit"]["schema"]["maximum"] == 1000


def test_a_method_an_operation_does_not_take_answers_in_the_apis_shape(world: Any) -> None:
    """A 405 of the API came with an empty body (probe s10 web #13): now the error shape, with
    the methods allowed, in the request's language."""
    from django.test import Client

    c, auth = Client(), world.token(world.a)
    r = c.patch(f"/api/units/{world.unit_a.pk}", "{}", content_type="application/json", **auth)
    assert r.status_code == 405 and "PUT" in r["Allow"]
    body = r.json()
    assert body["issues"][0]["zh"].startswith("此地址不接受 PATCH 请求") and "PATCH" in body["detail"]
    r = c.patch(f"/api/units/{world.unit_a.pk}?lang=en", "{}", content_type="application/json", **auth)
    assert r.json()["detail"].startswith("this address does not take PATCH")
