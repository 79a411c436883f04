"""新建单位 (issue 12 §3): a plant goes from nothing to its assessment through the wizard
without typing YAML or an internal code; every step validates like the unit-file loader; a
material typed by its Chinese name is stored as its library key; the editor's forms have no
YAML fields and a management section."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tanjiliang.web.core import models as m
from tanjiliang.web.core.mapping import unit_data, unit_file

pytestmark = pytest.mark.django_db


def new_unit(client: Any) -> m.Unit:
    r = client.post(reverse("unit-new"), {"name": "燃气锅炉房", "year": "2025", "sector": "other",
                                          "region": "河南省郑州市"})
    assert r.status_code == 302
    unit = m.Unit.objects.get(name="燃气锅炉房")
    assert r["Location"] == reverse("wizard-subunits", args=[unit.pk])
    return unit


def boiler_house(client: Any) -> m.Unit:
    """Sub-unit, two boilers, natural gas split between them, a meter, management."""
    unit = new_unit(client)
    r = client.post(reverse("wizard-subunits", args=[unit.pk]),
                    {"r0-name": "锅炉房", "r1-name": "", "_next": "1"})
    assert r.status_code == 302, r.content.decode()
    assert r["Location"] == reverse("wizard-equipment", args=[unit.pk])
    r = client.post(reverse("wizard-equipment", args=[unit.pk]),
                    {"r0-name": "1号锅炉", "r0-subunit": "G1", "r0-kind": "燃气锅炉",
                     "r1-name": "2号锅炉", "r1-subunit": "G1", "r1-capacity": "10 t/h",
                     "_next": "1"})
    assert r.status_code == 302, r.content.decode()
    r = client.post(reverse("wizard-streams", args=[unit.pk]), {
        "name": "锅炉天然气", "kind": "combustion", "material": "natural_gas",
        "method": "calculation", "activity.number": "152", "activity.unit": "万Nm3",
        "consumers.E1": "1", "consumers.E1.share": "0.6",
        "consumers.E2": "1", "consumers.E2.share": "0.4"})
    assert r.status_code == 302, r.content.decode()
    r = client.post(reverse("wizard-instruments", args=[unit.pk]), {
        "r0-id": "G-01", "r0-name": "天然气总表", "r0-type": "gas_flow_meter",
        "r0-measures": "S1", "r0-at": "boundary", "r0-accuracy": "1.5",
        "r0-confirmation": "verification", "r0-last_confirmed": "2025-03-01",
        "r0-status": "in_use", "_next": "1"})
    assert r.status_code == 302, r.content.decode()
    return unit


def test_wizard_from_nothing_to_the_assessment(world: Any) -> None:
    client = world.client(world.a)
    unit = boiler_house(client)
    data = unit_data(m.Unit.objects.get(pk=unit.pk))
    assert [e["id"] for e in data["equipment"]] == ["E1", "E2"]
    ng = data["source_streams"][0]
    assert ng["material"] == "natural_gas" and ng["activity"] == "152 万Nm3"
    assert ng["consumers"] == {"E1": 0.6, "E2": 0.4}
    page = client.get(reverse("unit-dashboard", args=[unit.pk])).content.decode()
    assert 'id="conclusion"' in page and "MGMT-NOT-ASSESSED" in page
    r = client.post(reverse("unit-management", args=[unit.pk]) + "?wizard=1", {
        "p0-title": "碳计量管理制度", "p0-kind": "metering_management", "p0-issued": "2024-01-15",
        "q0-name": "张工", "q0-role": "碳计量负责人", "records_retention_years": "5"})
    assert r.status_code == 302 and r["Location"] == reverse("unit-dashboard", args=[unit.pk])
    page = client.get(reverse("unit-dashboard", args=[unit.pk])).content.decode()
    assert "MGMT-NOT-ASSESSED" not in page and "MGMT-RESPONSIBLE" not in page
    uf = unit_file(m.Unit.objects.get(pk=unit.pk))
    assert uf.management is not None and uf.management.records_retention_years == 5


def test_every_wizard_page_speaks_words_not_codes(world: Any) -> None:
    client = world.client(world.a)
    unit = boiler_house(client)
    for name in ("wizard-subunits", "wizard-equipment", "wizard-streams", "wizard-points",
                 "wizard-instruments", "unit-management"):
        page = client.get(reverse(name, args=[unit.pk])).content.decode()
        assert "<textarea" not in page, name
    page = client.get(reverse("wizard-streams", args=[unit.pk])).content.decode()
    assert ">天然气<" in page and ">1号锅炉<" in page and "万标准立方米" in page
    en = client.get(reverse("wizard-streams", args=[unit.pk]) + "?lang=en").content.decode()
    assert ">Natural gas<" in en
    page = client.get(reverse("wizard-instruments", args=[unit.pk]) + "?lang=zh").content.decode()
    assert ">气体流量计<" in page and ">边界（厂界进出）<" in page and "锅炉天然气 · 活动数据" in page
    assert 'id="wizard-ledger-file"' in page and reverse("ledger-import", args=[unit.pk]) in page
    frag = client.get(reverse("wizard-material", args=[unit.pk]) + "?material=natural_gas")
    assert "389.31 GJ/万Nm3" in frag.content.decode()


def test_shares_must_add_up_and_nothing_is_stored_otherwise(world: Any) -> None:
    client = world.client(world.a)
    unit = boiler_house(client)
    rev = m.Unit.objects.get(pk=unit.pk).revision
    r = client.post(reverse("wizard-stream", args=[unit.pk, 0]), {
        "name": "锅炉天然气", "kind": "combustion", "material": "natural_gas",
        "method": "calculation", "activity.number": "152", "activity.unit": "万Nm3",
        "consumers.E1": "1", "consumers.E1.share": "0.6",
        "consumers.E2": "1", "consumers.E2.share": "0.6"})
    assert r.status_code == 400 and "各份额之和应为 1，实为 1.2" in r.content.decode()
    assert m.Unit.objects.get(pk=unit.pk).revision == rev


def test_a_material_typed_by_name_is_stored_as_its_key(world: Any) -> None:
    client = world.client(world.a)
    unit = boiler_house(client)
    r = client.post(reverse("wizard-streams", args=[unit.pk]), {
        "name": "备用天然气", "kind": "combustion", "material": "天然气",
        "activity.number": "3", "activity.unit": "万Nm3", "consumers.E1": "1"})
    assert r.status_code == 302
    data = unit_data(m.Unit.objects.get(pk=unit.pk))
    assert data["source_streams"][1]["material"] == "natural_gas"
    assert data["source_streams"][1]["consumers"] == ["E1"]
    r = client.post(reverse("wizard-streams", args=[unit.pk]), {
        "name": "煤", "kind": "combustion", "material": "煤", "activity.number": "3",
        "activity.unit": "t"})
    assert r.status_code == 400 and "“煤”" in r.content.decode() and "烟煤" in r.content.decode()
    page = client.get(reverse("unit-dashboard", args=[unit.pk])).content.decode()
    assert 'id="conclusion"' in page


def test_a_table_step_reports_errors_by_row_and_stores_nothing(world: Any) -> None:
    client = world.client(world.a)
    unit = new_unit(client)
    rev = m.Unit.objects.get(pk=unit.pk).revision
    r = client.post(reverse("wizard-equipment", args=[unit.pk]),
                    {"r0-name": "1号锅炉", "r0-capacity": "abc", "_next": "1"})
    assert r.status_code == 400
    page = r.content.decode()
    assert 'data-row="0"' in page and 'class="err"' in page
    assert m.Unit.objects.get(pk=unit.pk).revision == rev
    r = client.post(reverse("wizard-equipment", args=[unit.pk]),
                    {"r0-name": "1号锅炉", "_more": "1"})
    assert r.status_code == 200 and 'name="r5-name"' in r.content.decode()


def test_read_only_users_see_the_steps_and_cannot_change(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.regulator)
    assert client.get(reverse("wizard-equipment", args=[unit.pk])).status_code == 200
    assert client.post(reverse("wizard-equipment", args=[unit.pk]),
                       {"r0-name": "x"}).status_code == 403
    assert client.post(reverse("unit-management", args=[unit.pk]),
                       {"q0-name": "x", "q0-role": "y"}).status_code == 403


def test_editor_forms_have_no_yaml_and_keep_the_spec_example(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    before = unit_data(m.Unit.objects.get(pk=unit.pk))
    ng = next(i for i, s in enumerate(before["source_streams"]) if s["id"] == "ng")
    page = client.get(reverse("unit-item", args=[unit.pk, "source_streams", ng])).content.decode()
    assert "<textarea" not in page
    assert 'name="parameters.ncv" value="389.31 GJ/万Nm3"' in page
    assert 'name="consumers.AUX" value="1" checked' in page
    # saving the form unchanged changes nothing (a map by gas, a plain consumers list)
    form = {"id": "ng", "name": "燃气锅炉天然气", "kind": "combustion", "material": "natural_gas",
            "activity.number": "152", "activity.unit": "万Nm3",
            "parameters.ncv": "389.31 GJ/万Nm3", "parameters.emission_factor": "56.1 t/TJ",
            "parameters.emission_factor.CH4": "1 kg/TJ",
            "parameters.emission_factor.N2O": "0.1 kg/TJ",
            "parameters.emission_factor.by_gas": "1", "consumers.AUX": "1"}
    r = client.post(reverse("unit-item", args=[unit.pk, "source_streams", ng]), form)
    assert r.status_code == 302, r.content.decode()
    after = unit_data(m.Unit.objects.get(pk=unit.pk))
    assert after["source_streams"][ng] == before["source_streams"][ng]
    assert after == before
    page = client.get(reverse("unit-edit", args=[unit.pk])).content.decode()
    assert 'id="section-management"' in page and reverse("unit-management", args=[unit.pk]) in page
    assert reverse("wizard-subunits", args=[unit.pk]) in page


def test_a_nested_object_is_entered_by_its_fields(world: Any) -> None:
    """A stream's stock-take (期初/期末库存, 购入量) has its own fields, never YAML."""
    client = world.client(world.a)
    unit = boiler_house(client)
    page = client.get(reverse("wizard-stream", args=[unit.pk, 0])).content.decode()
    assert 'name="stock.opening"' in page and 'name="lower_tier.reason"' in page
    r = client.post(reverse("wizard-stream", args=[unit.pk, 0]), {
        "name": "锅炉天然气", "kind": "combustion", "material": "natural_gas",
        "activity.number": "152", "activity.unit": "万Nm3", "consumers.E1": "1",
        "stock.opening": "10 万Nm3", "stock.closing": "8 万Nm3", "stock.receipts": "150 万Nm3",
        "stock.date": "2025-12-31", "lower_tier.reason": ""})
    assert r.status_code == 302, r.content.decode()
    stream = unit_data(m.Unit.objects.get(pk=unit.pk))["source_streams"][0]
    assert stream["stock"] == {"opening": "10 万Nm3", "closing": "8 万Nm3",
                               "receipts": "150 万Nm3", "date": "2025-12-31"}
    assert "lower_tier" not in stream
    r = client.post(reverse("wizard-stream", args=[unit.pk, 0]), {
        "name": "锅炉天然气", "kind": "combustion", "material": "natural_gas",
        "activity.number": "152", "activity.unit": "万Nm3", "consumers.E1": "1",
        "stock.opening": "10 万Nm3", "stock.closing": "80 t", "stock.receipts": "150 万Nm3"})
    assert r.status_code == 400 and "同一量纲" in r.content.decode()


def test_the_pack_is_chosen_by_its_title(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    page = client.get(reverse("unit-edit-info", args=[unit.pk]) + "?lang=zh").content.decode()
    assert '<select name="pack"' in page and "河南省《重点排放单位碳计量器具配备和管理规范》" in page
    assert '<input name="pack"' not in page


def test_materials_are_grouped_by_their_medium(world: Any) -> None:
    client = world.client(world.a)
    unit = boiler_house(client)
    page = client.get(reverse("wizard-stream", args=[unit.pk, 0]) + "?lang=zh").content.decode()
    gas = page[page.index('<optgroup label="气体燃料">'):]
    gas = gas[:gas.index("</optgroup>")]
    assert '<option value="natural_gas" selected>天然气</option>' in gas
    assert '<optgroup label="固体燃料">' in page and ">烟煤<" in page
