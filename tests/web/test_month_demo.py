"""Demo months (issue 14 §6): the demo's power plant has half a year of readings and months
filed through file_month at fixed times — one late, one corrected with a reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tanjiliang.model.load import load_unit
from tanjiliang.month.close import content_hash
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit
from tanjiliang.web.month.demo import seed_months
from tanjiliang.web.month.models import MonthEvidence, MonthFiling
from tanjiliang.web.month.views import cards

pytestmark = pytest.mark.django_db
POWER = Path(__file__).resolve().parents[2] / "examples" / "power" / "unit.yaml"


def test_demo_unit_has_months_filed_one_late_one_corrected(db: Any) -> None:
    from web_fixtures import make_user

    ent = m.Enterprise.objects.create(name="演示电厂", region="河南省")
    user = make_user("qiye5", m.ROLE_ENTERPRISE, enterprise=ent)
    unit = create_unit(load_unit(POWER), ent, user, source="unit.yaml")
    assert seed_months().pk == unit.pk  # the power plant is chosen
    user.refresh_from_db()
    assert user.email == "qiye5@example.cn"
    y = unit.year
    rows = {(f.month, f.version): f for f in MonthFiling.objects.filter(unit=unit)}
    assert sorted(rows) == [(f"{y}-01", 1), (f"{y}-02", 1), (f"{y}-03", 1), (f"{y}-03", 2),
                            (f"{y}-04", 1), (f"{y}-05", 1)]
    assert [k for k, f in rows.items() if f.data["late"]] == [(f"{y}-04", 1)]
    v2 = rows[(f"{y}-03", 2)]
    assert v2.data["reason"].startswith("化验报告更正") \
        and v2.data["previous_sha256"] == rows[(f"{y}-03", 1)].sha256
    for f in rows.values():
        assert f.sha256 == content_hash(f.data) and f.filed_by == user
        assert MonthEvidence.objects.get(filing=f).sha256 == f.data["evidence"][0]["sha256"]
        coal = next(s for s in f.data["streams"] if s["id"] == "coal")
        assert 50_000 < coal["activity"] < 300_000  # t of coal a month, as the example's year
    assert unit.readings.count() == 1
    states = [c["state"] for c in cards(unit.pk, y, date(y, 12, 31), "zh")]
    assert states == ["filed", "filed", "corrected", "filed", "filed"] + ["overdue"] * 5 \
        + ["to_file", "not_started"]
    # idempotent: nothing more on a second run
    seed_months()
    assert MonthFiling.objects.filter(unit=unit).count() == 6 and unit.readings.count() == 1
