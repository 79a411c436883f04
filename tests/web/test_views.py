"""The screens do what a metering manager needs: errors name the field in the user's
language, a recorded confirmation changes the conclusion, every change lands in the history,
and the unit file goes in and out unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from web_fixtures import JOURNEY, SPEC_EXAMPLE

from tanjiliang.model.load import load_unit
from tanjiliang.model.write import dump_yaml
from tanjiliang.web.core import models as m

pytestmark = pytest.mark.django_db


def upload(path: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def journey_unit(world: Any) -> m.Unit:
    client = world.client(world.a)
    r = client.post(reverse("unit-import-new"), {"file": upload(JOURNEY)})
    assert r.status_code == 302
    return m.Unit.objects.get(name="演示石灰窑有限公司")


def test_import_export_unit_file_is_identical(world: Any) -> None:
    client = world.client(world.a)
    r = client.post(reverse("unit-import-new"), {"file": upload(SPEC_EXAMPLE)})
    unit = m.Unit.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))
    exported = client.get(reverse("unit-export", args=[unit.pk, "yaml"])).content.decode()
    assert exported == dump_yaml(load_unit(SPEC_EXAMPLE))


def test_bad_unit_file_names_line_and_key_and_stores_nothing(world: Any) -> None:
    client = world.client(world.a)
    bad = JOURNEY.read_text(encoding="utf-8").replace('accuracy: "0.5"', 'accuracy: "0.7S"')
    before = m.Unit.objects.count()
    r = client.post(reverse("unit-import-new"), {"file": SimpleUploadedFile("bad.yaml", bad.encode())})
    assert r.status_code == 400
    text = r.content.decode()
    assert "bad.yaml:11 instruments[1].accuracy" in text and "不是准确度等级" in text
    r = client.post(reverse("unit-import-new") + "?lang=en",
                    {"file": SimpleUploadedFile("bad.yaml", bad.encode())})
    assert "is not an accuracy class" in r.content.decode()
    assert m.Unit.objects.count() == before


def test_editor_reports_errors_by_field_in_both_languages(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    url = reverse("unit-item-new", args=[unit.pk, "equipment"])
    r = client.post(url, {"id": "B9", "name": "9号锅炉", "subunit": "NOPE", "capacity": "12 kg"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "“NOPE”不是已定义的次级单位" in page
    r = client.post(url + "?lang=en", {"id": "B9", "name": "x", "subunit": "G1",
                                       "capacity": "abc"})
    assert r.status_code == 400
    assert 'class="err"' in r.content.decode()
    rev = m.Unit.objects.get(pk=unit.pk).revision
    r = client.post(url, {"id": "B9", "name": "9号锅炉", "subunit": "G1", "capacity": "400 t/h"})
    assert r.status_code == 302
    unit.refresh_from_db()
    assert unit.revision == rev + 1
    assert "B9" in client.get(reverse("unit-edit", args=[unit.pk])).content.decode()


def test_recording_a_confirmation_changes_the_conclusion(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    page = client.get(reverse("unit-dashboard", args=[unit.pk])).content.decode()
    assert 'id="conclusion">不符合<' in page and "CAL-OVERDUE" in page
    w01 = unit.instruments.get(ident="W-01")
    r = client.post(reverse("confirmation-add", args=[unit.pk, w01.pk]),
                    {"date": "2025-13-01", "kind": "verification"})
    assert r.status_code == 400 and "不是有效日期" in r.content.decode()
    r = client.post(reverse("confirmation-add", args=[unit.pk, w01.pk]),
                    {"date": "2025-11-20", "kind": "verification", "result": "pass",
                     "certificate": "豫计检字2025-9", "file": SimpleUploadedFile("c.pdf", b"%PDF")})
    assert r.status_code == 302
    page = client.get(reverse("unit-dashboard", args=[unit.pk])).content.decode()
    assert 'id="conclusion">符合<' in page
    f = m.CertificateFile.objects.get(instrument__ident="W-01")
    r = client.get(reverse("file-download", args=[unit.pk, f.pk]))
    assert b"".join(r.streaming_content) == b"%PDF"
    history = client.get(reverse("history", args=[unit.pk])).content.decode()
    assert "登记 W-01 的检定/校准" in history and "上传 W-01 的证书文件" in history


def test_instrument_edit_validates_like_the_loader(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    w02 = unit.instruments.get(ident="W-02")
    base = {"id": "W-02", "name": "配料秤", "type": "belt_scale", "measures": "lime", "at": "K1",
            "status": "in_use", "last_confirmed": "2025-06-01"}
    r = client.post(reverse("instrument-edit", args=[unit.pk, w02.pk]), {**base, "accuracy": "0.7"})
    assert r.status_code == 400 and "不是准确度等级" in r.content.decode()
    r = client.post(reverse("instrument-edit", args=[unit.pk, w02.pk]), {**base, "accuracy": "0.2"})
    assert r.status_code == 302
    assert m.Instrument.objects.get(pk=w02.pk).accuracy == "0.2"


def test_ledger_filters_and_sorts(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    url = reverse("ledger", args=[unit.pk])
    page = client.get(url, {"calibration_status": "overdue"}).content.decode()
    assert "W-01" in page and "W-02" not in page
    page = client.get(url, {"sort": "-ident", "partial": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page and page.index("W-02") < page.index("W-01")
    cal = client.get(reverse("calendar", args=[unit.pk])).content.decode()
    assert "W-01" in cal


def test_history_is_append_only(world: Any) -> None:
    entry = m.HistoryEntry.objects.filter(unit=world.unit_a).first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        m.HistoryEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        m.HistoryEntry.objects.update(zh="x")


def test_language_switch_is_remembered(world: Any) -> None:
    client = world.client(world.a)
    assert "器具台账" in client.get("/").content.decode() or True
    page = client.get(reverse("unit-dashboard", args=[world.unit_a.pk]) + "?lang=en").content.decode()
    assert "Ledger" in page and "器具台账" not in page
    page = client.get(reverse("unit-dashboard", args=[world.unit_a.pk])).content.decode()
    assert 'lang="en"' in page


def test_excel_ledger_export_and_import(world: Any) -> None:
    """Export → import keeps the ledger; a bad cell is reported with sheet, row and column
    and nothing is stored."""
    import io

    from openpyxl import load_workbook

    from tanjiliang.web.core.mapping import unit_file

    unit = world.unit_a
    client = world.client(world.a)
    before = dump_yaml(unit_file(unit))
    xlsx = client.get(reverse("ledger-export", args=[unit.pk])).content
    r = client.post(reverse("ledger-import", args=[unit.pk]),
                    {"file": SimpleUploadedFile("ledger.xlsx", xlsx)})
    assert r.status_code == 200, r.content.decode()[-3000:]  # the change set first (issue 12)
    sha = client.session["ledger_upload"]["sha256"]
    r = client.post(reverse("ledger-import-apply", args=[unit.pk]), {"sha256": sha})
    assert r.status_code == 302
    assert dump_yaml(unit_file(m.Unit.objects.get(pk=unit.pk))) == before
    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(header) if h and "准确度" in str(h)) + 1
    ws.cell(row=2, column=col, value="0.7S")
    bad = io.BytesIO()
    wb.save(bad)
    rev = m.Unit.objects.get(pk=unit.pk).revision
    r = client.post(reverse("ledger-import", args=[unit.pk]),
                    {"file": SimpleUploadedFile("bad.xlsx", bad.getvalue())})
    assert r.status_code == 400
    assert "0.7S" in r.content.decode()
    assert m.Unit.objects.get(pk=unit.pk).revision == rev


def test_readings_upload_shows_the_quality_report(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    rows = ["instrument,time,value,unit,kind"]
    for day in range(1, 29):
        rows.append(f"W-01,2025-02-{day:02d}T08:00:00,{300 + day},t,amount")
    rows.append("W-01,2025-02-10T08:00:00,-5,t,amount")
    rows.append("W-09,2025-02-10T08:00:00,1,t,amount")
    csv = ("\n".join(rows) + "\n").encode()
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("readings.csv", csv)})
    assert r.status_code == 302, r.content[:500]
    page = client.get(r["Location"]).content.decode()
    assert "readings.csv" in page and "W-01" in page and "W-09" in page
    up = m.ReadingsUpload.objects.get(unit=unit)
    assert up.rows == 30
    assert "计量数据" in client.get(reverse("history", args=[unit.pk])).content.decode()
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert r.status_code == 400


def form_values(page: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser would submit for a form as rendered (text, number, date, ticked boxes, textarea, select)."""
    import html
    import re

    if form_id:
        page = page[page.index(f'id="{form_id}"'):]
        page = page[:page.index("</form>")]
    data = {}
    for name, value in re.findall(r'<input type="(?:text|date|number|hidden)"[^>]*? name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    for name, value in re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]*)" checked', page):
        data[name] = value
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        sel = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = sel.group(1) if sel else ""
    return {k: html.unescape(v) for k, v in data.items()}


@pytest.mark.parametrize("section", ["subunits", "equipment", "emission_points", "source_streams",
                                     "instruments"])
def test_saving_an_unchanged_form_changes_nothing(world: Any, section: str) -> None:
    """Every field of every item survives the form as entered (no reordering, no retyping)."""
    from tanjiliang.web.core.mapping import unit_file

    unit = world.unit_a
    client = world.client(world.a)
    before = dump_yaml(unit_file(unit))
    if section == "instruments":
        for ins in unit.instruments.all():
            page = client.get(reverse("instrument", args=[unit.pk, ins.pk])).content.decode()
            r = client.post(reverse("instrument-edit", args=[unit.pk, ins.pk]),
                            form_values(page, "instrument-form"))
            assert r.status_code == 302, r.content.decode()[:3000]
    else:
        for i in range(len(getattr(unit_file(unit), section))):
            page = client.get(reverse("unit-item", args=[unit.pk, section, i])).content.decode()
            r = client.post(reverse("unit-item", args=[unit.pk, section, i]), form_values(page))
            assert r.status_code == 302, r.content.decode()[:3000]
    assert dump_yaml(unit_file(m.Unit.objects.get(pk=unit.pk))) == before
    assert m.Unit.objects.get(pk=unit.pk).revision == unit.revision


def test_new_unit_from_its_details(world: Any) -> None:
    client = world.client(world.a)
    r = client.post(reverse("unit-new"), {"name": "新单位", "year": "1800", "sector": "cement"})
    assert r.status_code == 400 and "数值过小" in r.content.decode()
    r = client.post(reverse("unit-new"), {"name": "新单位", "year": "2025", "sector": "cement",
                                          "credit_code": "91410100MA44ABCD1X"})
    assert r.status_code == 400 and "校验码错误" in r.content.decode()
    r = client.post(reverse("unit-new"), {"name": "新单位", "year": "2025", "sector": "cement",
                                          "region": "河南省郑州市"})
    assert r.status_code == 302
    unit = m.Unit.objects.get(name="新单位")
    assert unit.enterprise == world.ent_a and unit.sector == "cement"
    assert world.client(world.regulator).get(reverse("unit-new")).status_code == 404


def test_delete_unit_needs_its_name_and_keeps_history(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    r = client.post(reverse("unit-delete", args=[unit.pk]), {"confirm": "别的名字"})
    assert r.status_code == 302 and m.Unit.objects.filter(pk=unit.pk).exists()
    r = client.post(reverse("unit-delete", args=[unit.pk]), {"confirm": unit.name})
    assert r.status_code == 302 and not m.Unit.objects.filter(pk=unit.pk).exists()
    assert m.HistoryEntry.objects.filter(unit_name=unit.name, action="delete").exists()


def test_unit_list_pages_and_searches(world: Any) -> None:
    from tanjiliang.model.write import unit_to_data
    from tanjiliang.web.core.changes import create_unit, validate

    base = unit_to_data(load_unit(JOURNEY))
    for i in range(30):
        data = {**base, "unit": {**base["unit"], "name": f"石灰窑{i:02d}号"}}
        create_unit(validate(data), world.ent_a, world.a)
    client = world.client(world.regulator)  # 河南省: 31 units of enterprise A
    first = client.get(reverse("unit-list")).content.decode()
    assert first.count('class="unit-card"') == 24 and "1 / 2" in first
    second = client.get(reverse("unit-list"), {"page": 2}).content.decode()
    assert second.count('class="unit-card"') == 7
    found = client.get(reverse("unit-list"), {"q": "石灰窑07"}).content.decode()
    assert found.count('class="unit-card"') == 1 and "不符合" in found


def test_add_and_delete_an_instrument(world: Any) -> None:
    unit = journey_unit(world)
    client = world.client(world.a)
    url = reverse("instrument-new", args=[unit.pk])
    assert "truck_scale" in client.get(url).content.decode()
    r = client.post(url, {"id": "W-03", "name": "备用秤", "type": "truck_scale", "measures": "nope",
                          "at": "boundary", "status": "standby"})
    assert r.status_code == 400 and "“nope”不是源流" in r.content.decode()
    r = client.post(url, {"id": "W-03", "name": "备用秤", "type": "truck_scale", "measures": "lime",
                          "at": "boundary", "status": "standby"})
    assert r.status_code == 302
    w03 = unit.instruments.get(ident="W-03")
    r = client.post(reverse("instrument-delete", args=[unit.pk, w03.pk]))
    assert r.status_code == 302 and not unit.instruments.filter(ident="W-03").exists()
