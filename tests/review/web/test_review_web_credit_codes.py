"""A unit carries its own enterprise's credit code (s10 web #1, docs/security.md): a code
registered to another enterprise, or carried by another enterprise's unit, is refused when a
unit is created with it or changed to it — API, new-unit form, imports and edits — with the
error on the field, in the user's language."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from review_web_fixtures import spec_unit

from tanjiliang.model.write import unit_to_data
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit

VICTIM_CODE = "91410100MA44ABCD1F"  # the spec example's, enterprise A's unit


def _token(user):
    from tanjiliang.web.core.api import issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def test_api_refuses_a_unit_with_another_enterprises_credit_code(rw, client):
    body = unit_to_data(spec_unit(name="伪造单位"))
    r = client.post("/api/units", json.dumps(body),
                    content_type="application/json", **_token(rw.b))
    assert r.status_code == 400, r.content
    issue = r.json()["issues"][0]
    assert issue["path"] == "unit.credit_code"
    assert VICTIM_CODE in issue["zh"] and "另一企业" in issue["zh"]
    assert "another enterprise" in issue["en"]
    assert not m.Unit.objects.filter(enterprise=rw.ent_b).exists()
    # the same code is fine for enterprise A's own next year
    r = client.post("/api/units",
                    json.dumps(unit_to_data(spec_unit(year=2024))),
                    content_type="application/json", **_token(rw.a))
    assert r.status_code == 201, r.content


def test_new_unit_form_refuses_another_enterprises_credit_code_by_the_field(rw):
    c = rw.client(rw.b)
    data = {"name": "网页伪造", "credit_code": VICTIM_CODE, "sector": "power",
            "region": "河南省郑州市", "year": "2025"}
    r = c.post(reverse("unit-new"), data)
    assert r.status_code == 400
    page = r.content.decode()
    assert "该统一社会信用代码已属于另一企业" in page, page
    assert not m.Unit.objects.filter(enterprise=rw.ent_b).exists()
    en = c.post(reverse("unit-new") + "?lang=en", data)
    assert en.status_code == 400 and "belongs to another enterprise" in en.content.decode()


def test_an_edit_or_import_cannot_take_another_enterprises_credit_code(rw):
    from tanjiliang.model.errors import LoadError
    from tanjiliang.web.core.changes import apply_change, replace_unit

    own = create_unit(spec_unit(credit_code="91410700MA46C2R5W7", name="企业B单位"), rw.ent_b,
                      rw.b)
    with pytest.raises(LoadError) as e:
        replace_unit(own, spec_unit(name="企业B单位"), rw.b)
    assert e.value.issues[0].path == "unit.credit_code"

    def mutate(d):
        d["unit"]["credit_code"] = VICTIM_CODE

    with pytest.raises(LoadError):
        apply_change(own, rw.b, mutate, action="edit", zh="改", en="edit")
    own.refresh_from_db()
    assert own.credit_code == "91410700MA46C2R5W7"
    # a code registered to another enterprise (by the administrator) is refused too
    rw.ent_a.credit_code = "91410800MA3X7K2P25"
    rw.ent_a.save()
    with pytest.raises(LoadError):
        create_unit(spec_unit(credit_code="91410800MA3X7K2P25"), rw.ent_b, rw.b)


def test_unit_details_form_refuses_another_enterprises_credit_code_next_to_the_field(rw):
    import re

    own = create_unit(spec_unit(credit_code="91410700MA46C2R5W7", name="企业B单位"), rw.ent_b,
                      rw.b)
    url = reverse("unit-edit-info", args=[own.pk])
    post = {"name": "企业B单位", "credit_code": VICTIM_CODE, "sector": "power",
            "region": "河南省郑州市", "year": "2025"}
    for lang, words in (("zh", "该统一社会信用代码已属于另一企业"),
                        ("en", "belongs to another enterprise")):
        r = rw.client(rw.b).post(url + f"?lang={lang}", post)
        assert r.status_code == 400
        field = re.search(r'data-field="credit_code".*?</label>', r.content.decode(), re.S)
        assert field and words in field.group(0) and f'value="{VICTIM_CODE}"' in field.group(0)
    own.refresh_from_db()
    assert own.credit_code == "91410700MA46C2R5W7" and own.revision == 1
