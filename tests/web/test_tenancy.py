"""Tenancy holds for every view and API endpoint (issue 5 §3): a user of enterprise A gets
404 for enterprise B's objects; reviewers see what is assigned to them; the regulator sees its
region read-only. The URL and endpoint lists are enumerated, so a new view cannot escape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tanjiliang.web.core import models as m
from tanjiliang.web.core.api import api
from tanjiliang.web.core.tenancy import units_for

pytestmark = pytest.mark.django_db

POST_ONLY = {"unit-import-new", "unit-delete", "unit-import", "unit-item-delete", "ledger-import", "ledger-import-apply", "ledger-restore",
             "instrument-edit", "confirmation-add", "file-upload", "readings-upload",
             "instrument-delete", "months-file"}
WRITE_FORMS = {"instrument-new"}  # a form only for those who may change the unit
BUILDS_FILES = {"report", "ledger-export"}  # 400 with the reason when a builder refuses
SCREENS_WITHOUT_UNIT = {"unit-list", "login", "logout", "unit-import-new", "unit-new", "indicators"}


def unit_views() -> list[str]:
    names = []
    for p in get_resolver().url_patterns:
        if isinstance(p, URLPattern) and p.name and "pk" in p.pattern.converters:
            names.append(p.name)
        elif isinstance(p, URLPattern) and p.name:
            assert p.name in SCREENS_WITHOUT_UNIT, f"{p.name}: add it to the tenancy test"
        else:
            assert isinstance(p, URLResolver)  # the API and the admin, tested below
    return names


def objects(world: Any, unit: m.Unit) -> dict[str, Any]:
    ins = unit.instruments.order_by("position").first()
    f = m.CertificateFile(instrument=ins, name="c.pdf", size=3, sha256="0" * 64)
    f.file.save("c.pdf", ContentFile(b"pdf"), save=True)
    r = m.ReadingsUpload.objects.create(unit=unit, name="r.csv", size=1, file="readings/r.csv")
    return {"pk": unit.pk, "ipk": ins.pk, "fpk": f.pk, "rpk": r.pk, "section": "subunits",
            "index": 0, "fmt": "yaml", "month": f"{unit.year}-03"}


def url(name: str, objs: dict[str, Any]) -> str:
    pattern = next(p for p in get_resolver().url_patterns
                   if isinstance(p, URLPattern) and p.name == name)
    objs = {**objs, "fmt": "html"} if name == "report" else objs
    return reverse(name, kwargs={k: objs[k] for k in pattern.pattern.converters})


def test_every_unit_view_answers_404_to_another_enterprise(world: Any) -> None:
    names = unit_views()
    assert len(names) >= 20
    theirs = objects(world, world.unit_b)
    mine = objects(world, world.unit_a)
    client = world.client(world.a)
    for name in names:
        u = url(name, theirs)
        assert client.post(u).status_code == 404, name
        if name not in POST_ONLY:
            assert client.get(u).status_code == 404, name
            status = client.get(url(name, mine)).status_code
            assert status == 200 or (name in BUILDS_FILES and status in (200, 400)), name


def test_regulator_reads_its_region_and_cannot_change(world: Any) -> None:
    client = world.client(world.regulator)
    in_region = objects(world, world.unit_a)
    outside = objects(world, world.unit_b)
    for name in unit_views():
        if name in POST_ONLY or name in WRITE_FORMS:
            assert client.post(url(name, in_region)).status_code == 403, name
        elif name not in BUILDS_FILES:
            assert client.get(url(name, in_region)).status_code == 200, name
        assert client.get(url(name, outside)).status_code in (404, 405), name
    for name in ("unit-edit-info", "unit-item"):  # forms that read on GET, write on POST
        assert client.post(url(name, in_region), {"name": "x"}).status_code == 403


def test_reviewer_sees_only_assigned_units(world: Any) -> None:
    assert list(units_for(world.reviewer)) == [world.unit_a]
    assert not units_for(world.reviewer, write=True).exists()
    client = world.client(world.reviewer)
    assert client.get(reverse("unit-dashboard", args=[world.unit_a.pk])).status_code == 200
    assert client.get(reverse("unit-dashboard", args=[world.unit_b.pk])).status_code == 404
    listing = client.get(reverse("unit-list")).content.decode()
    assert f"/units/{world.unit_a.pk}/" in listing and f"/units/{world.unit_b.pk}/" not in listing


def test_anonymous_is_sent_to_login(world: Any) -> None:
    from django.test import Client

    r = Client().get(reverse("unit-dashboard", args=[world.unit_a.pk]))
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert Client().get(f"/api/units/{world.unit_a.pk}").status_code == 401


def api_operations() -> list[tuple[str, str, bool]]:
    """(method, path, whether the body is a file upload) of every endpoint."""
    schema = api.get_openapi_schema()
    return [(method.upper(), path, "multipart/form-data" in str(op.get("requestBody", "")))
            for path, ops in schema["paths"].items() for method, op in ops.items()]


def test_every_api_endpoint_answers_404_to_another_enterprise(world: Any) -> None:
    client = world.client(world.a)
    auth = world.token(world.a)
    ops = api_operations()
    assert len(ops) >= 15
    tested = 0
    for method, path, upload in ops:
        if "{unit_id}" not in path:
            continue
        p = path.replace("{unit_id}", str(world.unit_b.pk)).replace("{ident}", world.ins_b.ident)
        if upload:
            r = client.post(p, {"file": SimpleUploadedFile("x.csv", b"instrument,time,value")},
                            **auth)
        else:
            r = client.generic(method, p, json.dumps({}), content_type="application/json", **auth)
        assert r.status_code == 404, (method, path, r.status_code, r.content[:200])
        tested += 1
    assert tested >= 14
    # Endpoints without a unit id: the list shows only A's units; creating under B is 404.
    listed = client.get("/api/units", **auth).json()
    assert [u["id"] for u in listed] == [world.unit_a.pk]
    r = client.post(f"/api/units?enterprise={world.ent_b.pk}", "{}",
                    content_type="application/json", **auth)
    assert r.status_code == 404


def test_api_regulator_is_read_only(world: Any) -> None:
    client = world.client(world.regulator)
    auth = world.token(world.regulator)
    pk = world.unit_a.pk
    assert client.get(f"/api/units/{pk}/assessment", **auth).status_code == 200
    assert client.put(f"/api/units/{pk}", "{}", content_type="application/json",
                      **auth).status_code == 403
    assert client.delete(f"/api/units/{pk}", **auth).status_code == 403
    assert client.get(f"/api/units/{world.unit_b.pk}", **auth).status_code == 404


def test_can_write_agrees_with_the_writable_queryset(world: Any) -> None:
    from tanjiliang.web.core.tenancy import can_write

    for user in (world.a, world.b, world.reviewer, world.regulator, world.admin):
        writable = set(units_for(user, write=True))
        for unit in units_for(user):
            assert can_write(user, unit) == (unit in writable), (user, unit)


def test_admin_manages_accounts_and_others_cannot(world: Any) -> None:
    admin = world.client(world.admin)
    for url in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{world.a.pk}/change/",
                "/admin/core/enterprise/", f"/admin/core/unit/{world.unit_a.pk}/change/",
                "/admin/core/historyentry/"):
        assert admin.get(url).status_code == 200, url
    for user in (world.a, world.reviewer, world.regulator):
        r = world.client(user).get("/admin/auth/user/")
        assert r.status_code == 302 and "/admin/login/" in r["Location"]


@pytest.mark.parametrize("lang,text", [("zh", "找不到该页面或对象"), ("en", "Not found")])
def test_not_found_page_in_the_users_language(world: Any, lang: str, text: str) -> None:
    r = world.client(world.a).get(f"/units/{world.unit_b.pk}/?lang={lang}")
    assert r.status_code == 404 and text in r.content.decode()


@pytest.mark.django_db
def test_provincial_regulator_sees_units_whose_region_is_written_in_english(world: Any) -> None:
    """``tanjiliang init --lang en`` writes ``region: Henan Province``; a provincial regulator
    whose profile says 河南省 sees such units (in the list and in the summaries), and not those
    of another province written in English (Hebei, Hainan) or a name that only starts alike."""
    from web_fixtures import SPEC_EXAMPLE

    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import unit_to_data
    from tanjiliang.web.core.changes import create_unit, validate
    from tanjiliang.web.review.summaries import refresh_unit, summaries_for

    made = {}
    for region in ("Henan Province, Jiaozuo", "HENAN", "Hebei Province", "Hainan", "Henanxi County"):
        data = unit_to_data(load_unit(SPEC_EXAMPLE))
        data["unit"]["region"] = region
        made[region] = create_unit(validate(data), world.ent_a, world.a, source="test")
    seen = set(units_for(world.regulator).values_list("pk", flat=True))
    assert {r for r, u in made.items() if u.pk in seen} == {"Henan Province, Jiaozuo", "HENAN"}
    assert world.unit_a.pk in seen and world.unit_b.pk not in seen
    summarised = set()
    for region, u in made.items():  # one summary row per credit code and year: one at a time
        row = refresh_unit(u)
        assert row is not None and row.region == region
        if summaries_for(world.regulator).filter(pk=row.pk).exists():
            summarised.add(region)
    assert summarised == {"Henan Province, Jiaozuo", "HENAN"}


@pytest.mark.django_db
def test_city_regulator_sees_units_whose_region_is_written_in_english(world: Any) -> None:
    """A city's regulator (河南省焦作市) sees the units of 焦作 however their file writes it —
    ``Henan Province, Jiaozuo`` (init --lang en's province, the city added after it),
    ``Jiaozuo, Henan``, ``Jiaozuo City, Henan Province`` — in the unit list, the API and the
    summaries; not a unit of another city (Zhengzhou, in either language) or province; and a
    provincial regulator of another province (山东省) sees none of them."""
    from web_fixtures import SPEC_EXAMPLE, make_user

    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import unit_to_data
    from tanjiliang.web.core.changes import create_unit, validate
    from tanjiliang.web.review.summaries import refresh_unit, summaries_for

    jiaozuo = ("Henan Province, Jiaozuo", "Jiaozuo, Henan", "Jiaozuo City, Henan Province",
               "河南省焦作市解放区")
    others = ("Henan Province, Zhengzhou", "Zhengzhou, Henan", "Hebei Province, Tangshan",
              "Henan Province")
    made = {}
    for i, region in enumerate(jiaozuo + others):
        data = unit_to_data(load_unit(SPEC_EXAMPLE))
        data["unit"]["region"] = region
        data["unit"]["name"] = f"地区测试单位{i:02d}"
        data["unit"].pop("credit_code", None)  # one summary row per unit (unit-<pk>)
        made[region] = create_unit(validate(data), world.ent_a, world.a, source="test")
    city = make_user("jz", m.ROLE_REGULATOR, region="河南省焦作市")
    shandong = make_user("sd", m.ROLE_REGULATOR, region="山东省")

    def seen(user: Any) -> set[str]:
        pks = set(units_for(user).values_list("pk", flat=True))
        return {r for r, u in made.items() if u.pk in pks}

    assert seen(city) == set(jiaozuo)
    assert seen(shandong) == set()
    assert seen(world.regulator) == set(jiaozuo + others) - {"Hebei Province, Tangshan"}
    listing = world.client(city).get(reverse("unit-list")).content.decode()
    for region, u in made.items():
        assert (f"/units/{u.pk}/" in listing) == (region in jiaozuo), region
    assert world.client(city).get(reverse("unit-dashboard", args=[made["Jiaozuo, Henan"].pk])
                                  ).status_code == 200
    listed = world.client(city).get("/api/units", **world.token(city)).json()
    assert {u["region"] for u in listed} == set(jiaozuo)
    rows = {region: refresh_unit(u) for region, u in made.items()}
    assert all(r is not None for r in rows.values())
    in_city = set(summaries_for(city).values_list("region", flat=True))
    assert in_city == set(jiaozuo)
    assert {r.city for region, r in rows.items() if region in jiaozuo} == {"焦作市"}
    assert not summaries_for(shandong).filter(region__in=jiaozuo + others).exists()
