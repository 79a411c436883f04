"""The regulator's overview: summary rows from the batch reassessment and from stored units,
filters, trend, drill-down, Excel export, scoped like the rest of the app."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tanjiliang.province.batch import reassess_province
from tanjiliang.province.generate import write_province
from tanjiliang.web.review.models import UnitSummary
from tanjiliang.web.review.summaries import publish_frame


@pytest.fixture
def province(rw, tmp_path: Path):
    write_province(tmp_path, seed=11, units=12, instruments=40, years=(2024, 2025))
    df, _ = reassess_province(tmp_path, workers=1)
    assert publish_frame(df) == 24
    return df


def test_overview_row_of_a_stored_unit_follows_its_assessment(rw):
    row = UnitSummary.objects.get(unit=rw.unit)
    assert row.city == "郑州市" and row.year == rw.unit.year
    assert row.conclusion == "nonconforming" and row.nonconformities > 0


def test_overview_regulator_sees_province_with_filters_and_trend(rw, province):
    c = rw.client(rw.regulator)
    r = c.get(reverse("overview"), {"year": 2025})
    assert r.status_code == 200
    ctx = r.context
    extra = 1 if rw.unit.year == 2025 else 0  # the stored unit (nonconforming) is in scope too
    assert ctx["tot"]["n"] == province.filter(province["year"] == 2025).height + extra
    assert [t["year"] for t in ctx["trend"]] == [2024, 2025]
    assert "<svg" in ctx["charts"]["city"] and "<svg" in ctx["charts"]["trend_share"]
    bad = province.filter((province["year"] == 2025)
                          & (province["conclusion"] == "nonconforming")).height
    r = c.get(reverse("overview"), {"year": 2025, "conclusion": "nonconforming"})
    assert r.context["page_obj"].paginator.count == bad + extra
    city = province["city"][0]
    r = c.get(reverse("overview"), {"year": 2025, "city": city})
    assert all(x.city == city for x in r.context["page_obj"])


def test_overview_drill_down_and_export(rw, province):
    c = rw.client(rw.regulator)
    code = province["credit_code"][0]
    r = c.get(reverse("overview-unit", args=[code]))
    assert r.status_code == 200 and [x.year for x in r.context["rows"]] == [2024, 2025]
    x = c.get(reverse("overview-export"), {"year": 2025})
    wb = load_workbook(io.BytesIO(x.content))
    ws = wb.active
    assert ws.cell(row=1, column=1).value == "统一社会信用代码"
    assert ws.max_row == 1 + province.filter(province["year"] == 2025).height + (
        1 if rw.unit.year == 2025 else 0)


def test_overview_scoped_like_the_units(rw, province):
    # an enterprise sees its own unit's row only; another region's regulator sees nothing
    r = rw.client(rw.a).get(reverse("overview"))
    assert [x.unit_id for x in r.context["page_obj"]] == [rw.unit.pk]
    from review_web_fixtures import make_user

    from tanjiliang.web.core import models as m

    shandong = make_user("sd", m.ROLE_REGULATOR, region="山东省")
    r = rw.client(shandong).get(reverse("overview"))
    assert r.context["tot"]["n"] == 0
    assert rw.client(shandong).get(reverse("overview-unit", args=[province["credit_code"][0]])
                                   ).status_code == 404


def test_overview_groups_one_city_written_in_two_languages(rw, tmp_path: Path):
    """Units of 焦作 whose files say 河南省焦作市, ``Henan Province, Jiaozuo`` and ``Jiaozuo,
    Henan`` are one row of the overview's cities: 焦作市 on the Chinese page, Jiaozuo on the
    English one (no Chinese city name there), in the chart, the filter and the export too;
    a city's regulator (河南省焦作市) sees those three rows and not Zhengzhou's."""
    from review_web_fixtures import make_user

    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import dump_yaml
    from tanjiliang.province.batch import reassess
    from tanjiliang.web.core import models as m

    spec = Path(__file__).resolve().parents[3] / "tests" / "data" / "spec-example.yaml"
    paths = []
    for i, region in enumerate(("河南省焦作市", "Henan Province, Jiaozuo", "Jiaozuo, Henan",
                                "Zhengzhou, Henan")):
        unit = load_unit(spec)
        unit.unit.region, unit.unit.name, unit.unit.year = region, f"焦作测试{i}", 2023
        unit.unit.credit_code = None  # the row is keyed by the unit's name
        paths.append(tmp_path / f"u{i}.yaml")
        paths[-1].write_text(dump_yaml(unit), encoding="utf-8")
    assert publish_frame(reassess(paths, workers=1)) == 4
    c = rw.client(rw.regulator)
    zh = c.get(reverse("overview"), {"year": 2023, "lang": "zh"})
    assert [(r["city"], r["n"]) for r in zh.context["by_city"]] == [("焦作市", 3), ("郑州市", 1)]
    assert "焦作市" in zh.context["charts"]["city"]
    en = c.get(reverse("overview"), {"year": 2023, "lang": "en"})
    page = en.content.decode()
    shown = re.sub(r'value="[^"]*"', "", page)  # what the reader sees, not the form's values
    assert "Jiaozuo" in shown and "Zhengzhou" in shown and "焦作市" not in shown, re.findall(
        r".{40}焦作市.{40}", shown)
    assert "Jiaozuo" in en.context["charts"]["city"]
    assert '<option value="焦作市"' in page  # the filter's value is the canonical name
    r = c.get(reverse("overview"), {"year": 2023, "city": "焦作市", "lang": "en"})
    assert r.context["page_obj"].paginator.count == 3
    x = c.get(reverse("overview-export"), {"year": 2023, "lang": "en"})
    ws = load_workbook(io.BytesIO(x.content)).active
    assert sorted(ws.cell(row=i, column=3).value for i in range(2, ws.max_row + 1)) == [
        "Jiaozuo", "Jiaozuo", "Jiaozuo", "Zhengzhou"]
    city = make_user("jz", m.ROLE_REGULATOR, region="河南省焦作市")
    r = rw.client(city).get(reverse("overview"), {"year": 2023})
    assert [(r["city"], r["n"]) for r in r.context["by_city"]] == [("焦作市", 3)]


def test_rows_stored_before_take_their_city_again(rw):
    """Migration 0005: a row whose city was its English region as written becomes 焦作市."""
    import importlib
    from datetime import date

    from django.apps import apps

    row = UnitSummary.objects.create(
        credit_code="old-row", year=2022, name="旧行", city="Henan Province, Jiaozuo",
        region="Henan Province, Jiaozuo", sector="power", as_of=date(2022, 12, 31), pack="p",
        pack_version="1", conclusion="conforming", total_tco2e=1.0)
    kept = UnitSummary.objects.get(unit=rw.unit)
    before = kept.city
    importlib.import_module("tanjiliang.web.review.migrations.0005_summary_city_any_language"
                            ).recompute(apps, None)
    row.refresh_from_db()
    kept.refresh_from_db()
    assert row.city == "焦作市" and kept.city == before == "郑州市"
