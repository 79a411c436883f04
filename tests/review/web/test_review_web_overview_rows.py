"""Whose row is whose in the regulator's overview (s10 web probe #1, #2, #9, #12a): a stored
unit's row is its own (never another enterprise's, whatever credit code it carries), a credit
code of another enterprise is refused, a deleted unit leaves the overview, a unit that cannot
be assessed says so, and the Excel export is the rows shown, with the sector in words."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from review_web_fixtures import spec_unit

from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit, delete_unit
from tanjiliang.web.core.mapping import store_unit
from tanjiliang.web.review.models import UnitSummary
from tanjiliang.web.review.summaries import publish_frame, refresh_unit

ROOT = Path(__file__).resolve().parents[3]
VICTIM_CODE = "91410100MA44ABCD1F"  # the spec example's, enterprise A's unit


def _rows(client, **params):
    r = client.get(reverse("overview"), params)
    assert r.status_code == 200
    return list(r.context["page_obj"])


def test_a_unit_carrying_another_enterprises_code_never_takes_its_row(
        rw, django_capture_on_commit_callbacks):
    """Even a unit stored before the refusal (or by an administrator's door) has its own row:
    the victim's row stays linked to the victim's unit, the victim still sees it, the drill-down
    of each shows only its own enterprise's years."""
    with django_capture_on_commit_callbacks(execute=True):
        fake = store_unit(spec_unit(name="伪造单位", region="河南省南阳市"), enterprise=rw.ent_b)
        fake_2024 = store_unit(spec_unit(name="伪造单位", year=2024), enterprise=rw.ent_b)
    assert UnitSummary.objects.get(unit=rw.unit).name == rw.unit.name
    assert UnitSummary.objects.get(unit=fake).name == "伪造单位"
    reg = rw.client(rw.regulator)
    rows = _rows(reg, year=2025)
    assert sorted(r.unit_id for r in rows) == sorted([rw.unit.pk, fake.pk])
    # the victim still sees its own row, and only it
    assert [r.unit_id for r in _rows(rw.client(rw.a))] == [rw.unit.pk]
    # the drill-down of the victim's row: its own year only, not the fake 2024 row
    page = reg.get(reverse("overview"), {"year": 2025}).content.decode()
    link = reverse("overview-unit", args=[VICTIM_CODE]) + f"?e={rw.ent_a.pk}"
    assert link in page
    r = reg.get(link)
    assert r.status_code == 200
    assert [(x.year, x.unit_id) for x in r.context["rows"]] == [(2025, rw.unit.pk)]
    r = reg.get(reverse("overview-unit", args=[VICTIM_CODE]), {"e": rw.ent_b.pk})
    assert [(x.year, x.unit_id) for x in r.context["rows"]] == [(2024, fake_2024.pk),
                                                                (2025, fake.pk)]
    # without the enterprise named, the first unit to carry the code is the one shown
    r = reg.get(reverse("overview-unit", args=[VICTIM_CODE]))
    assert [x.unit_id for x in r.context["rows"]] == [rw.unit.pk]
    assert rw.client(rw.a).get(reverse("overview-unit", args=[VICTIM_CODE])).status_code == 200


def test_a_published_row_is_taken_only_by_the_enterprise_registered_with_its_code(
        rw, tmp_path, django_capture_on_commit_callbacks):
    from tanjiliang.model.write import dump_yaml
    from tanjiliang.province.batch import reassess

    uf = spec_unit(credit_code="91410700MA46C2R5W7", name="批量单位")
    path = tmp_path / "u.yaml"
    path.write_text(dump_yaml(uf), encoding="utf-8")
    assert publish_frame(reassess([path], workers=1)) == 1
    published = UnitSummary.objects.get(credit_code="91410700MA46C2R5W7", unit=None)
    with django_capture_on_commit_callbacks(execute=True):
        other = create_unit(spec_unit(credit_code="91410700MA46C2R5W7", name="冒用"), rw.ent_b, rw.b)
    assert UnitSummary.objects.filter(pk=published.pk, unit=None).exists()  # not taken
    assert UnitSummary.objects.get(unit=other).pk != published.pk
    with django_capture_on_commit_callbacks(execute=True):
        delete_unit(other, rw.b)
        rw.ent_b.credit_code = "91410700MA46C2R5W7"
        rw.ent_b.save()
        mine = create_unit(spec_unit(credit_code="91410700MA46C2R5W7", name="批量单位"), rw.ent_b,
                           rw.b)
    assert UnitSummary.objects.get(unit=mine).pk == published.pk  # the stored unit stands for it
    assert not UnitSummary.objects.filter(credit_code="91410700MA46C2R5W7", unit=None).exists()
    # publishing the batch again leaves the stored unit's row as it is (no second row)
    assert publish_frame(reassess([path], workers=1)) == 0
    assert UnitSummary.objects.filter(credit_code="91410700MA46C2R5W7").count() == 1


def test_a_deleted_unit_leaves_the_overview(rw, django_capture_on_commit_callbacks):
    reg = rw.client(rw.regulator)
    before = reg.get(reverse("overview"), {"year": 2025}).context["tot"]
    with django_capture_on_commit_callbacks(execute=True):
        tmp = create_unit(spec_unit(credit_code="91410700MA46C2R5W7", name="临时单位"), rw.ent_b,
                          rw.b)
    during = reg.get(reverse("overview"), {"year": 2025}).context["tot"]
    assert during["n"] == before["n"] + 1 and during["emissions"] > before["emissions"]
    with django_capture_on_commit_callbacks(execute=True):
        delete_unit(tmp, rw.b)
    after = reg.get(reverse("overview"), {"year": 2025})
    assert after.context["tot"] == before
    assert "临时单位" not in after.content.decode()
    assert not UnitSummary.objects.filter(name="临时单位").exists()
    x = reg.get(reverse("overview-export"), {"year": 2025})
    ws = load_workbook(io.BytesIO(x.content)).active
    assert "临时单位" not in [ws.cell(row=i, column=2).value for i in range(2, ws.max_row + 1)]


def test_a_unit_that_cannot_be_assessed_is_not_shown_with_its_old_conclusion(
        rw, django_capture_on_commit_callbacks):
    reg = rw.client(rw.regulator)
    before = UnitSummary.objects.get(unit=rw.unit)
    assert before.conclusion == "nonconforming"
    good_type = _set_type(rw, "nonexistent")  # as the API once let through (probe #5)
    with django_capture_on_commit_callbacks(execute=True):
        rw.unit.revision += 1
        rw.unit.save()
    row = UnitSummary.objects.get(unit=rw.unit)
    assert row.conclusion == "error" and row.total_tco2e is None
    assert row.equipping_rate is None and row.nonconformities == 0
    r = reg.get(reverse("overview"), {"year": rw.unit.year})
    tot = r.context["tot"]
    assert tot["n"] == 1 and tot["bad"] == 0 and tot["good"] == 0 and tot["error"] == 1
    assert tot["emissions"] == 0
    page = r.content.decode()
    assert "无法评估" in page and "截至" not in page.split('id="units"')[1]
    en = reg.get(reverse("overview"), {"year": rw.unit.year, "lang": "en"}).content.decode()
    assert "Cannot assess" in en
    x = reg.get(reverse("overview-export"), {"year": rw.unit.year, "lang": "zh"})
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws.cell(row=2, column=6).value == "无法评估"
    assert ws.cell(row=2, column=7).value is None
    assert reg.get(reverse("overview-unit", args=[VICTIM_CODE])).status_code == 200
    # mended: the row is assessed again
    _set_type(rw, good_type)
    with django_capture_on_commit_callbacks(execute=True):
        rw.unit.revision += 1
        rw.unit.save()
    assert UnitSummary.objects.get(unit=rw.unit).conclusion == "nonconforming"


def _set_type(rw, kind):
    row = m.Instrument.objects.get(unit=rw.unit, position=0)
    data = json.loads(row.data)
    old, data["type"] = data["type"], kind
    row.data, row.type = json.dumps(data, ensure_ascii=False), kind
    row.save()
    return old


@pytest.fixture
def two_years(rw, tmp_path):
    from tanjiliang.province.batch import reassess_province
    from tanjiliang.province.generate import write_province

    write_province(tmp_path, seed=11, units=6, instruments=30, years=(2024, 2025))
    df, _ = reassess_province(tmp_path, workers=1)
    assert publish_frame(df) == 12
    return df


def test_export_is_the_rows_shown(rw, two_years):
    reg = rw.client(rw.regulator)
    r = reg.get(reverse("overview"))  # no year asked: the latest year is shown
    shown = r.context["page_obj"].paginator.count
    assert r.context["f"].year == 2025
    page = r.content.decode()
    href = page.split('id="overview-export" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "year=2025" in href
    for url in (href, reverse("overview-export")):
        ws = load_workbook(io.BytesIO(reg.get(url).content)).active
        years = {ws.cell(row=i, column=5).value for i in range(2, ws.max_row + 1)}
        assert years == {2025} and ws.max_row - 1 == shown
    # other filters too
    sector = two_years["sector"][0]
    r = reg.get(reverse("overview"), {"sector": sector})
    href = r.content.decode().split('id="overview-export" href="')[1].split('"')[0]
    ws = load_workbook(io.BytesIO(reg.get(href.replace("&amp;", "&")).content)).active
    assert ws.max_row - 1 == r.context["page_obj"].paginator.count


def test_export_names_the_sector_in_words(rw, two_years):
    from tanjiliang.web.core.templatetags.tj import WORDS

    reg = rw.client(rw.regulator)
    for lang, i in (("zh", 0), ("en", 1)):
        ws = load_workbook(io.BytesIO(reg.get(reverse("overview-export"),
                                              {"year": 2025, "lang": lang}).content)).active
        shown = {ws.cell(row=r, column=4).value for r in range(2, ws.max_row + 1)}
        codes = set(two_years.filter(two_years["year"] == 2025)["sector"].to_list()) | {"power"}
        assert shown == {WORDS[c][i] for c in codes}, shown


def test_an_amended_review_keeps_its_signed_conclusion_on_the_overview(rw):
    """s10 web #8: 已签署审查结论 stays the last signed version's until a newer one is signed."""
    from test_review_web_workflow import _post, review_to_findings

    from tanjiliang.review.model import Review
    from tanjiliang.web.review.models import ReviewRecord

    rec = review_to_findings(rw)
    rev, ent = rw.client(rw.reviewer), rw.client(rw.a)
    for n in Review.model_validate(rec.content).nonconformities:
        _post(ent, "review-action", rw.unit.pk, rec.pk, n.id, "answer", cause="c", correction="x")
        _post(rev, "review-action", rw.unit.pk, rec.pk, n.id, "close", verification="ok")
    _post(rev, "review-conclude", rw.unit.pk, rec.pk, summary="")
    _post(rev, "review-sign", rw.unit.pk, rec.pk)

    def signed_cell():
        r = rw.client(rw.regulator).get(reverse("overview"), {"year": rw.unit.year})
        return r.content.decode().split('class="signed-review">')[1].split("</td>")[0]

    assert "不符合" in signed_cell()
    _post(rev, "review-amend", rw.unit.pk, rec.pk, reason="补充证据")
    row = UnitSummary.objects.get(unit=rw.unit)
    assert (row.review_state, row.review_conclusion) == ("opened", "nonconforming")
    assert "不符合" in signed_cell()
    # a refresh of the unit's row (any edit) keeps it too
    refresh_unit(rw.unit)
    assert UnitSummary.objects.get(unit=rw.unit).review_conclusion == "nonconforming"
    assert ReviewRecord.objects.get(kind="review", version=2).state == "opened"
