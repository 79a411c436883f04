"""The readings upload of a unit whose CEMS CO2 analyser measures on a wet basis (``basis: 湿基``
in the unit file, docs/unit-file.md): the upload's data check computes the stack's CO2 as wet,
``C_dry = C_wet / (1 − Xsw)`` (shared/domain.md §6), where it used to read it as dry.

By hand (tests/spec/test_spec_cems_basis.py): CO2 11.5 % vol, 1 200 000 m³/h, 140 °C, 99.8 kPa,
Xsw 12 % → Q_sd = 687 656.09 Nm³/h; wet: 0.115 × 1 964 / 0.88 = 256.659 g/Nm³ → 176.493 t/h;
dry: 225.86 g/Nm³ → 155.314 t/h. 48 hours: 8 471.67 t wet, 7 455.07 t dry.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tanjiliang.web.core import models as m
from unit_builders import base_unit

pytestmark = pytest.mark.django_db

Q_SD = 1.2e6 * 273.15 / 413.15 * 99.8 / 101.325 * (1 - 0.12)
E_WET = 0.115 * 1964 / (1 - 0.12) * Q_SD * 1e-6
E_DRY = 0.115 * 1964 * Q_SD * 1e-6
VALUES = {"co2": (11.5, "%"), "flow": (1.2e6, "m3/h"), "temperature": (140, "degC"),
          "pressure": (99.8, "kPa"), "moisture": (12, "%")}
TYPES = {"co2": "cems_co2_analyzer", "flow": "cems_flow_monitor", "temperature": "temperature_transmitter",
         "pressure": "pressure_transmitter", "moisture": "moisture_analyzer"}


def stack(basis: str | None, name: str) -> dict[str, Any]:
    flue = {"id": "flue", "name": "烟气CO2", "kind": "combustion", "method": "measurement",
            "emission_points": ["S1"], "emissions": "300000 t"}
    instruments = [{"id": f"{q}1", "name": f"{q}1", "type": t, "measures": f"S1.{q}", "at": "S1",
                    "last_confirmed": "2025-06-01"} for q, t in TYPES.items()]
    if basis is not None:
        instruments[0]["basis"] = basis
    data = base_unit(source_streams=[flue], instruments=instruments,
                     emission_points=[{"id": "S1", "name": "1号烟囱", "equipment": "B1"}])
    data["unit"]["name"] = name
    return data


def readings() -> bytes:
    t0 = datetime(2025, 3, 1)
    lines = ["instrument,time,value,unit"]
    lines += [f"{q}1,{t0 + timedelta(hours=h):%Y-%m-%d %H:%M:%S},{v},{u}"
              for h in range(48) for q, (v, u) in VALUES.items()]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("basis", "per_hour", "shown"), [("湿基", E_WET, "wet"), (None, E_DRY, "dry")])
def test_upload_computes_the_stack_on_the_analyser_s_basis(world: Any, basis: str | None, per_hour: float,
                                                           shown: str) -> None:
    client = world.client(world.a)
    name = f"湿基测试单位{shown}"
    r = client.post(reverse("unit-import-new"),
                    {"file": SimpleUploadedFile("unit.yaml", yaml.safe_dump(stack(basis, name), allow_unicode=True).encode())})
    assert r.status_code == 302, r.content[:800]
    unit = m.Unit.objects.get(name=name)
    r = client.post(reverse("readings-upload", args=[unit.pk]),
                    {"file": SimpleUploadedFile("cems.csv", readings())})
    assert r.status_code == 302, r.content[:800]
    rep = json.loads(m.ReadingsUpload.objects.filter(unit=unit).latest("pk").report)["en"]
    [p] = rep["cems"]["points"]
    assert (p["point"], p["basis"], p["valid"]) == ("S1", shown, 48)
    measured = p["total_t"] - p["filled_t"]  # the 48 measured hours of March 1–2
    assert measured == pytest.approx(48 * per_hour, rel=1e-9)
    assert measured == pytest.approx({"wet": 8471.67, "dry": 7455.07}[shown], abs=0.01)


@pytest.mark.parametrize(("query", "label", "word", "error"), [
    ("", "干湿基准", "湿基", "干湿基准（basis）只适用于测量排放口 CO2 浓度的分析仪"),
    ("?lang=en", "Measurement basis", "wet basis", "a measurement basis (basis) applies only to an analyser")])
def test_instrument_form_sets_the_basis(world: Any, query: str, label: str, word: str, error: str) -> None:
    # the instrument's form offers the basis in words; saved on the CO2 analyser it is what the
    # next upload uses, on the flow monitor it is refused as the loader refuses it
    from test_views import form_values

    client = world.client(world.a)
    name = f"表单测试单位{query}"
    client.post(reverse("unit-import-new"),
                {"file": SimpleUploadedFile("unit.yaml", yaml.safe_dump(stack(None, name), allow_unicode=True).encode())})
    unit = m.Unit.objects.get(name=name)
    analyser, flow = unit.instruments.get(ident="co21"), unit.instruments.get(ident="flow1")
    page = client.get(reverse("instrument", args=[unit.pk, analyser.pk]) + query).content.decode()
    assert label in page and word in page
    values = form_values(page, "instrument-form")
    r = client.post(reverse("instrument-edit", args=[unit.pk, analyser.pk]) + query, {**values, "basis": "wet"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert json.loads(m.Instrument.objects.get(pk=analyser.pk).data)["basis"] == "wet"
    values = form_values(client.get(reverse("instrument", args=[unit.pk, flow.pk]) + query).content.decode(),
                         "instrument-form")
    r = client.post(reverse("instrument-edit", args=[unit.pk, flow.pk]) + query, {**values, "basis": "wet"})
    assert r.status_code == 400 and error in r.content.decode()
    assert "basis" not in json.loads(m.Instrument.objects.get(pk=flow.pk).data)
