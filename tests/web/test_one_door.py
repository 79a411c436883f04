"""One door (issue 11): the CLI and the API give the same JSON for the same inputs — the unit,
the date and the readings uploaded for it — and the web assesses a past year as of its end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner
from web_fixtures import SPEC_EXAMPLE

from tanjiliang.cli.app import app
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import default_as_of

pytestmark = pytest.mark.django_db


def readings() -> bytes:
    rows = ["instrument,time,value,unit,kind"]
    rows += [f"W-01,2025-03-{day:02d}T08:00:00,{300 + day},t,amount" for day in range(1, 29)]
    return ("\n".join(rows) + "\n").encode()


def _cli(*args: str) -> dict[str, Any]:
    r = CliRunner().invoke(app, ["check", str(SPEC_EXAMPLE), "--format", "json", *args])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.output)


def test_cli_json_equals_api_json(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    got = c.get(f"/api/units/{world.unit_a.pk}/assessment?as_of=2025-12-31", **auth).json()
    assert got == _cli("--as-of", "2025-12-31")


def test_cli_json_equals_api_json_with_uploaded_readings(world: Any, tmp_path: Path) -> None:
    c, auth = Client(), world.token(world.a)
    pk = world.unit_a.pk
    before = c.get(f"/api/units/{pk}/assessment?as_of=2025-12-31", **auth).json()
    r = c.post(f"/api/units/{pk}/readings", {"file": SimpleUploadedFile("march.csv", readings())}, **auth)
    assert r.status_code == 201, r.content[:500]
    got = c.get(f"/api/units/{pk}/assessment?as_of=2025-12-31", **auth).json()
    path = tmp_path / "march.csv"
    path.write_bytes(readings())
    want = _cli("--as-of", "2025-12-31", "--readings", str(path))
    assert got == want
    # the uploaded readings are part of the web's assessment (readings findings joined it)
    codes = {f["code"] for f in got["findings"]}
    assert codes & {"DATA-MISSING", "DATA-QUALITY", "DATA-RECON", "CAL-OOT"}
    assert got != before


def test_bad_as_of_is_a_400(world: Any) -> None:
    c, auth = Client(), world.token(world.a)
    r = c.get(f"/api/units/{world.unit_a.pk}/assessment?as_of=2025-13-01", **auth)
    assert r.status_code == 400


def test_past_year_is_assessed_as_of_its_end(world: Any, settings: Any) -> None:
    settings.AS_OF = None
    unit = m.Unit.objects.get(pk=world.unit_a.pk)
    from django.utils import timezone

    now = timezone.localdate()
    assert default_as_of(unit) == (now if unit.year >= now.year else type(now)(unit.year, 12, 31))


def test_overview_shows_signed_review_beside_current_state(world: Any) -> None:
    from datetime import date

    from django.urls import reverse

    from tanjiliang.web.review.models import UnitSummary

    base = dict(year=2025, city="郑州市", region="河南省郑州市", sector="power", as_of=date(2025, 12, 31),
                pack="henan-2025-draft", pack_version="x", total_tco2e=30000.0)
    UnitSummary.objects.create(credit_code="A1", name="甲单位", conclusion="nonconforming",
                               review_state="signed", review_conclusion="conforming", **base)
    UnitSummary.objects.create(credit_code="B1", name="乙单位", conclusion="nonconforming", **base)
    page = world.client(world.regulator).get(reverse("overview") + "?year=2025").content.decode()
    assert "当前评价结论" in page and "已签署审查结论" in page
    row_a = page[page.index("甲单位"):page.index("</tr>", page.index("甲单位"))]
    assert "不符合" in row_a and "符合" in row_a and "≠" in row_a and "截至 2025-12-31" in row_a
    row_b = page[page.index("乙单位"):page.index("</tr>", page.index("乙单位"))]
    assert "≠" not in row_b


def test_every_unit_page_shows_the_year_and_as_of_date(world: Any, settings: Any) -> None:
    from django.urls import reverse

    settings.AS_OF = "2025-12-31"
    c = world.client(world.a)
    pk = world.unit_a.pk
    for name in ("unit-dashboard", "ledger", "assessment"):
        page = c.get(reverse(name, args=[pk])).content.decode()
        assert 'id="as-of"' in page and "2025-12-31" in page, name


def test_assessment_page_lists_records_after_the_as_of_date(world: Any, settings: Any) -> None:
    from django.urls import reverse

    from tanjiliang.web.core.changes import apply_change

    settings.AS_OF = "2025-12-31"

    def late(d: dict[str, Any]) -> None:
        d["instruments"][0].setdefault("confirmations", []).append(
            {"date": "2026-02-01", "kind": "verification", "result": "pass"})

    unit = apply_change(world.unit_a, world.a, late, action="edit", zh="补录", en="late record")
    c = world.client(world.a)
    page = c.get(reverse("assessment", args=[unit.pk])).content.decode()
    assert 'id="after-as-of"' in page and "2026-02-01" in page


def test_unit_list_shows_each_units_as_of_date(world: Any, settings: Any) -> None:
    from django.urls import reverse

    settings.AS_OF = "2025-12-31"
    page = world.client(world.a).get(reverse("unit-list")).content.decode()
    assert 'class="muted as-of"' in page and "2025-12-31" in page


def test_new_words_follow_the_page_language(world: Any, settings: Any) -> None:
    from django.urls import reverse

    settings.AS_OF = "2025-12-31"
    c = world.client(world.regulator)
    page = c.get(reverse("overview") + "?year=2025&lang=en").content.decode()
    assert "Current assessment" in page and "Signed review" in page and "当前评价结论" not in page
    unit_page = world.client(world.a).get(reverse("unit-dashboard", args=[world.unit_a.pk]) + "?lang=en").content.decode()
    assert "reporting year" in unit_page and "评价日期" not in unit_page
