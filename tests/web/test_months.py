"""Monthly filing in the web app (issue 14 §5): twelve cards; the enterprise files a month
from its uploaded readings with evidence, frozen under the record's hash; a correction needs a
reason and makes a new version; others read, and cannot file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tanjiliang.data.synth import plant_year
from tanjiliang.month.close import content_hash
from tanjiliang.web.core import models as m
from tanjiliang.web.month.models import MonthEvidence, MonthFiling

pytestmark = pytest.mark.django_db
ZONE_UTC = UTC


def _readings(world: Any, unit: m.Unit) -> None:
    """A month of readings for the unit's own instruments (the plant year's shapes)."""
    df, _ = plant_year(unit.year)
    ids = list(unit.instruments.values_list("ident", flat=True))
    src = sorted(df["instrument"].unique().to_list())
    mapping = {s: ids[k % len(ids)] for k, s in enumerate(src)}
    month = df.filter((pl.col("time") >= datetime(unit.year, 3, 1))
                      & (pl.col("time") <= datetime(unit.year, 4, 1)))
    month = month.with_columns(pl.col("instrument").replace_strict(mapping)).drop("unit", "kind")
    csv = month.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).write_csv()
    client = world.client(world.a)
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("march.csv", csv.encode()), "period": "data"})
    assert r.status_code in (200, 302), r.content[:500]


@override_settings(AS_OF="2030-06-30")
def test_enterprise_files_a_month_and_corrects_it(world: Any) -> None:
    unit = world.unit_a
    _readings(world, unit)
    client = world.client(world.a)
    page = client.get(reverse("months", args=[unit.pk])).content.decode()
    assert page.count('class="card month-card') == 12
    label = f"{unit.year}-03"
    url = reverse("months-file", args=[unit.pk, label])
    r = client.post(url, {"evidence": SimpleUploadedFile("化验报告.pdf", b"%PDF lab")})
    assert r.status_code == 302, r.content.decode()[:2000]
    f = MonthFiling.objects.get(unit=unit, month=label)
    assert f.version == 1 and f.sha256 == content_hash(f.data) == f.data["sha256"]
    assert f.data["evidence"][0]["file"] == "化验报告.pdf"
    assert MonthEvidence.objects.get(filing=f).sha256 == f.data["evidence"][0]["sha256"]
    # filed in 2030 for a month of the reporting year: long after the deadline
    assert f.data["late"] is True
    # a correction without a reason is refused; with one it is version 2, chained
    assert client.post(url).status_code == 400
    assert client.post(url, {"reason": "化验报告更正"}).status_code == 302
    v2 = MonthFiling.objects.get(unit=unit, month=label, version=2)
    assert v2.data["previous_sha256"] == f.sha256 and v2.data["reason"] == "化验报告更正"
    page = client.get(reverse("months", args=[unit.pk])).content.decode()
    assert "已更正" in page and "逾期提交" in page
    # frozen: no change or deletion through the ORM
    with pytest.raises(PermissionError):
        v2.save()
    with pytest.raises(PermissionError):
        MonthFiling.objects.filter(unit=unit).delete()


@override_settings(AS_OF="2030-06-30")
def test_others_read_the_cards_and_cannot_file(world: Any) -> None:
    unit = world.unit_a
    label = f"{unit.year}-03"
    url = reverse("months-file", args=[unit.pk, label])
    assert world.client(world.regulator).get(reverse("months", args=[unit.pk])).status_code == 200
    assert world.client(world.regulator).post(url).status_code == 403
    assert world.client(world.b).post(url).status_code == 404
    assert not MonthFiling.objects.exists()


@override_settings(AS_OF="2030-06-30")
def test_filing_without_readings_says_so(world: Any) -> None:
    unit = world.unit_a
    r = world.client(world.a).post(reverse("months-file", args=[unit.pk, f"{unit.year}-03"]))
    assert r.status_code == 400 and "尚未上传计量数据" in r.content.decode()


@override_settings(AS_OF="2030-06-30")
def test_regulator_sees_indicators_and_exports_them(world: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client = world.client(world.regulator)
    r = client.get(reverse("indicators"))
    body = r.content.decode()
    assert r.status_code == 200
    assert f"/units/{world.unit_a.pk}/" in body and f"/units/{world.unit_b.pk}/" not in body
    x = client.get(reverse("indicators") + "?format=xlsx")
    assert x["Content-Disposition"].startswith("attachment")
    ws = load_workbook(BytesIO(x.content)).active
    assert ws.cell(1, 1).value == "单位" and ws.cell(2, 1).value == world.unit_a.name
    # nothing filed and every deadline of the reporting year passed: filings on time 0 %
    assert ws.cell(2, 9).value == 0.0
    # the indicators are kept per revision and date; a filing changes the timeliness
    # (counted in the database) without assessing again: 1 month on time ÷ 12 due = 8.3 %
    from tanjiliang.web.month.models import IndicatorCache

    assert IndicatorCache.objects.filter(unit=world.unit_a).count() == 1
    MonthFiling.objects.create(unit=world.unit_a, month=f"{world.unit_a.year}-01", version=1,
                               data={"late": False}, sha256="0" * 64,
                               filed_at=datetime(2030, 1, 1, tzinfo=ZONE_UTC))
    ws = load_workbook(BytesIO(client.get(reverse("indicators") + "?format=xlsx").content)).active
    assert ws.cell(2, 9).value == 8.3
    assert IndicatorCache.objects.filter(unit=world.unit_a).count() == 1


@override_settings(AS_OF="2030-06-30")
def test_a_filing_with_laboratory_results_and_their_reports(world: Any) -> None:
    """The enterprise uploads the lab results file with the report it names: the month uses
    the batch-weighted NCV ((21 × 200 + 24 × 100) / 300 = 22 GJ/t), the results file and the
    report are evidence by kind, the card shows the value; the regulator reads it. A results
    file naming a report that is not uploaded is refused naming file, row and field."""
    from tanjiliang.web.core.mapping import unit_file

    unit = world.unit_a
    _readings(world, unit)
    coal = next(s for s in unit_file(unit).source_streams if s.kind == "combustion")
    lab = ("stream,parameter,value,unit,month,quantity,laboratory,method,accreditation,certificate,report,report_file\n"
           f"{coal.id},ncv,21,GJ/t,{unit.year}-03,200,煤质检测中心,GB/T 213-2008,CMA,CMA 161500110001,R1,r1.pdf\n"
           f"{coal.id},ncv,24,GJ/t,{unit.year}-03,100,煤质检测中心,GB/T 213-2008,CMA,CMA 161500110001,R2,r1.pdf\n")
    client = world.client(world.a)
    label = f"{unit.year}-03"
    url = reverse("months-file", args=[unit.pk, label])
    r = client.post(url, {"lab": SimpleUploadedFile("化验结果.csv", lab.encode())})
    assert r.status_code == 400 and "化验结果.csv:2 report_file" in r.content.decode()
    assert not MonthFiling.objects.exists()
    r = client.post(url, {"lab": SimpleUploadedFile("化验结果.csv", lab.encode()),
                          "evidence": SimpleUploadedFile("r1.pdf", b"%PDF report")})
    assert r.status_code == 302, r.content.decode()[:2000]
    f = MonthFiling.objects.get(unit=unit, month=label)
    kinds = {e["file"]: e.get("kind") for e in f.data["evidence"]}
    assert kinds == {"r1.pdf": "lab_report", "化验结果.csv": "lab_results"}
    assert MonthEvidence.objects.filter(filing=f).count() == 2
    s = next(x for x in f.data["streams"] if x["id"] == coal.id)
    ncv = next(p for p in s["parameters"] if p["name"] == "ncv")
    assert ncv["source"] == "lab" and ncv["value"] == pytest.approx(22.0)
    assert f.data["lab"]["results"][0]["report_sha256"] == next(
        e["sha256"] for e in f.data["evidence"] if e["file"] == "r1.pdf")
    page = world.client(world.regulator).get(reverse("months", args=[unit.pk])).content.decode()
    assert "低位发热量 22 GJ/t" in page


@override_settings(AS_OF="2030-06-30")
def test_the_indicators_page_is_paged_and_ranked_over_all_units(world: Any, monkeypatch) -> None:
    from tanjiliang.web.month import views

    monkeypatch.setattr(views, "PAGE_ROWS", 1)
    client = world.client(world.admin)
    first = client.get(reverse("indicators")).content.decode()
    second = client.get(reverse("indicators") + "?page=2").content.decode()
    units = {world.unit_a.pk, world.unit_b.pk}
    shown = [pk for pk in units if f"/units/{pk}/" in first]
    assert len(shown) == 1 and "1 / 2" in first and "?page=2" in first
    assert f"/units/{(units - set(shown)).pop()}/" in second and "<td>2</td>" in second
    assert client.get(reverse("indicators") + "?page=x").status_code == 200


@override_settings(AS_OF="2030-06-30")
def test_serve_warm_keeps_every_units_indicators_for_the_first_view(world: Any, monkeypatch) -> None:
    """``tanjiliang serve --warm`` (warm_indicators) computes each unit's indicators into the
    cache; the regulator's first view then assesses nothing."""
    from tanjiliang.web.core import assessing
    from tanjiliang.web.month import views
    from tanjiliang.web.month.models import IndicatorCache

    assert views.warm_indicators() == 2
    assert set(IndicatorCache.objects.values_list("unit_id", flat=True)) == {
        world.unit_a.pk, world.unit_b.pk}

    def no(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("assessed while the regulator waited")

    monkeypatch.setattr(assessing, "assessment_cached_too", no)
    views._RANKED.clear()
    r = world.client(world.admin).get(reverse("indicators"))
    assert r.status_code == 200 and f"/units/{world.unit_a.pk}/" in r.content.decode()


@override_settings(AS_OF="2030-06-30")
def test_a_month_filed_with_activity_entered_by_hand(world: Any) -> None:
    # issue 14 §1 "or entered with evidence", §4 daily-vs-monthly ≤ 5 %: the form takes
    # "stream=quantity" lines; the figure is filed and compared with the sum of the days
    unit = world.unit_a
    _readings(world, unit)
    client = world.client(world.a)
    label = f"{unit.year}-03"
    url = reverse("months-file", args=[unit.pk, label])
    bill = SimpleUploadedFile("磅单.pdf", b"%PDF bills")
    assert client.post(url, {"evidence": bill}).status_code == 302
    v1 = MonthFiling.objects.get(unit=unit, month=label)
    s = next(x for x in v1.data["streams"] if x["metered"] > 0)
    hand = round(s["metered"] * 1.02, 3)  # 2 % above the days: |1.02 − 1| / 1.02 = 1.96 % ≤ 5 %
    r = client.post(url, {"activity": f"{s['id']}={hand} {s['unit']}", "reason": "按结算单填报",
                          "evidence": SimpleUploadedFile("结算单.pdf", b"%PDF invoice")})
    assert r.status_code == 302, r.content.decode()[:2000]
    v2 = MonthFiling.objects.get(unit=unit, month=label, version=2)
    got = next(x for x in v2.data["streams"] if x["id"] == s["id"])
    assert got["entered"] == pytest.approx(hand) and got["activity"] == pytest.approx(hand)
    assert got["deviation_percent"] == pytest.approx(round(abs(hand - s["metered"]) / hand * 100, 2))
    assert next(c for c in v2.data["checks"] if c["check"] == "daily_monthly_consistency")["ok"]
    # a line that is not stream=quantity, or entered without evidence: refused, nothing filed
    r = client.post(url, {"activity": "只写了数量", "reason": "x",
                          "evidence": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert r.status_code == 400 and "应写作 源流=数量" in r.content.decode()
    r = client.post(url, {"activity": f"{s['id']}={hand} {s['unit']}", "reason": "x"})
    assert r.status_code == 400 and "须附证据文件" in r.content.decode()
    assert MonthFiling.objects.filter(unit=unit, month=label).count() == 2


def _filing(unit: m.Unit, month: int, version: int, ok: bool | None) -> MonthFiling:
    """A filed record (filed late, so that timeliness stays 0 %) with or without the
    daily-vs-monthly check."""
    checks = [] if ok is None else [{"check": "daily_monthly_consistency", "ok": ok, "limit": 5.0,
                                     "streams": []}]
    return MonthFiling.objects.create(
        unit=unit, month=f"{unit.year}-{month:02d}", version=version,
        data={"late": True, "checks": checks}, sha256=f"{month}{version}".ljust(64, "0"),
        filed_at=datetime(2030, 1, month, tzinfo=ZONE_UTC))


def _row_of(body: str, pk: int) -> list[str]:
    """The cells of a unit's row on the 监管指标 page."""
    import re

    row = next(r for r in body.split("<tr>") if f"/units/{pk}/" in r)
    return [re.sub(r"<[^>]+>", "", "<td" + c).strip() for c in row.split("<td")[1:]]


@override_settings(AS_OF="2030-06-30")
def test_the_overview_counts_daily_vs_monthly_consistency(world: Any) -> None:
    """Issue 14 §4 on the 监管指标 page and its export. Unit A (the spec example: equipping
    33.3 %, inspection 100 %, pass 100 %, in confirmation 0 %, filings on time 0 %) files
    January (entered activity within 5 %: consistent), February (outside: not) and March
    (nothing entered: no check) — consistency 1 ÷ 2 = 50.0 %; the index
    (0.30 × 33.3 + 0.25 × 100 + 0.15 × 100 + 0.10 × 0 + 0.10 × 0 + 0.10 × 50) ÷ 1.00 = 54.99
    → 55.0, and a reason to visit. A correction of February within 5 % (the latest version
    counts): 2 ÷ 2 = 100.0 %, index 59.99 → 60.0, no reason. Unit B has no such month: blank,
    its weight left out — (9.99 + 25 + 15) ÷ 0.90 = 55.54 → 55.5."""
    from io import BytesIO

    from openpyxl import load_workbook

    a, b = world.unit_a, world.unit_b
    for month, ok in ((1, True), (2, False), (3, None)):
        _filing(a, month, 1, ok)
    assert list(MonthFiling.objects.filter(unit=a).values_list("consistent", flat=True)) == [
        True, False, None]
    admin = world.client(world.admin)
    body = admin.get(reverse("indicators")).content.decode()
    assert "日月数据一致率%" in body
    # #, unit, conclusion, equipping, inspection, pass, in confirmation, on time, consistency, index
    assert _row_of(body, a.pk)[7:10] == ["0.0", "50.0", "55.0"]
    assert "日数据与月数据一致率 50.0%，低于 100%" in _row_of(body, a.pk)[-1]
    assert _row_of(body, b.pk)[7:10] == ["0.0", "—", "55.5"]
    assert "日数据与月数据一致率" not in _row_of(body, b.pk)[-1]
    en = admin.get(reverse("indicators") + "?lang=en").content.decode()
    assert "Daily vs monthly %" in en and "daily-vs-monthly consistency" in en
    assert "daily-monthly consistency 50.0 % is below 100 %" in _row_of(en, a.pk)[-1]

    def sheet(lang: str) -> Any:
        x = world.client(world.regulator).get(reverse("indicators") + f"?format=xlsx&lang={lang}")
        return load_workbook(BytesIO(x.content)).active

    ws = sheet("zh")
    assert [ws.cell(1, c).value for c in (9, 10, 11)] == ["存证及时率%", "日月数据一致率%", "指数"]
    assert [ws.cell(2, c).value for c in (9, 10, 11)] == [0.0, 50.0, 55.0]
    assert "日数据与月数据一致率 50.0%，低于 100%" in ws.cell(2, 13).value
    _filing(a, 2, 2, True)  # the correction
    for lang in ("zh", "en"):
        ws = sheet(lang)
        assert [ws.cell(2, c).value for c in (10, 11)] == [100.0, 60.0]
        assert ("一致率" if lang == "zh" else "consistency") not in ws.cell(2, 13).value
    assert sheet("en").cell(1, 10).value == "daily vs monthly consistency %"
    body = admin.get(reverse("indicators")).content.decode()
    assert _row_of(body, a.pk)[7:10] == ["0.0", "100.0", "60.0"]


def test_migration_fills_consistent_from_the_frozen_records(world: Any) -> None:
    """Migration tjmonth 0004 fills the column of rows filed before it from their records; the
    historical model it uses has Django's plain manager (the append-only refusal is the
    app's model's), and the records themselves are not touched."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    rows = [_filing(world.unit_a, month, 1, ok) for month, ok in ((1, True), (2, False), (3, None))]
    with connection.cursor() as cur:  # as they stood before the column
        cur.execute(f"UPDATE {MonthFiling._meta.db_table} SET consistent = NULL")
    assert set(MonthFiling.objects.values_list("consistent", flat=True)) == {None}
    with pytest.raises(PermissionError):  # the app's model refuses it
        MonthFiling.objects.filter(pk=rows[0].pk).update(consistent=True)
    apps = MigrationLoader(connection).project_state(("tjmonth", "0004_filing_consistent")).apps
    mig = importlib.import_module("tanjiliang.web.month.migrations.0004_filing_consistent")
    mig.fill(apps, SimpleNamespace(connection=connection))  # RunPython's (apps, schema_editor)
    got = dict(MonthFiling.objects.values_list("pk", "consistent"))
    assert [got[r.pk] for r in rows] == [True, False, None]
    assert [f.data for f in MonthFiling.objects.order_by("month")] == [r.data for r in rows]


@override_settings(AS_OF="2030-06-30")
def test_a_month_entered_by_hand_is_filed_without_readings(world: Any) -> None:
    """Issue 14 §1 "or entered with evidence": no readings uploaded, every figure from a bill.
    The month is filed with the entered figure; the card says it was not compared with any
    days and names the streams left out for want of data, in both languages; the filing
    makes no daily-vs-monthly judgement (``consistent`` NULL), so the overview leaves it out."""
    from tanjiliang.web.core.mapping import unit_file

    unit = world.unit_a
    uf = unit_file(unit)
    s = uf.source_streams[0]
    client = world.client(world.a)
    label = f"{unit.year}-03"
    url = reverse("months-file", args=[unit.pk, label])
    assert client.post(url).status_code == 400  # nothing entered, no readings: refused
    page = client.get(reverse("months", args=[unit.pk])).content.decode()
    assert "或在月卡中手工填报活动数据并附证据文件" in page
    qty = "1000 " + (s.activity or "0 t").split()[-1]
    r = client.post(url, {"activity": f"{s.id}={qty}",
                          "evidence": SimpleUploadedFile("结算单.pdf", b"%PDF bill")})
    assert r.status_code == 302, r.content.decode()[:2000]
    f = MonthFiling.objects.get(unit=unit, month=label)
    assert [(x["id"], x["entered"]) for x in f.data["streams"]] == [(s.id, 1000.0)]
    check = next(c for c in f.data["checks"] if c["check"] == "daily_monthly_consistency")
    assert check["ok"] is None and check["not_compared"][0]["id"] == s.id
    assert f.consistent is None
    others = [x.name or x.id for x in uf.source_streams[1:]]
    page = world.client(world.regulator).get(reverse("months", args=[unit.pk])).content.decode()
    assert f"{s.name or s.id}：本月无读数，按手工填报的数据提交，未与日数据比对" in page
    if others:
        assert "本月既无读数也未手工填报，未计入本月" in page and others[0] in page
    en = world.client(world.regulator).get(reverse("months", args=[unit.pk]) + "?lang=en").content.decode()
    assert "no readings this month; filed as entered by hand, not compared with any days" in en
    body = world.client(world.regulator).get(reverse("indicators")).content.decode()
    assert _row_of(body, unit.pk)[8] == "—"
