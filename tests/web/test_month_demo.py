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
        assert sorted(MonthEvidence.objects.filter(filing=f).values_list("sha256", flat=True)) \
            == sorted(e["sha256"] for e in f.data["evidence"])
        assert {e.get("kind") for e in f.data["evidence"]} - {None} == {"lab_report", "lab_results"}
        coal = next(s for s in f.data["streams"] if s["id"] == "coal")
        assert 50_000 < coal["activity"] < 300_000  # t of coal a month, as the example's year
        ps = {p["name"]: p for p in coal["parameters"]}
        assert ps["ncv"]["source"] == "lab" and ps["carbon_content"]["source"] == "lab"
    # January: NCV (22.41 × 41 000 + 22.05 × 39 000) / 80 000 = 22.2345 GJ/t;
    # March corrected: (22.34 × 40 000 + 22.18 × 42 000) / 82 000 = 22.2580 GJ/t (was 22.3946)
    def ncv(key: tuple[str, int]) -> float:
        coal = next(s for s in rows[key].data["streams"] if s["id"] == "coal")
        return next(p["value"] for p in coal["parameters"] if p["name"] == "ncv")

    assert ncv((f"{y}-01", 1)) == pytest.approx(22.2345)
    assert ncv((f"{y}-03", 1)) == pytest.approx(22.394634, rel=1e-6)
    assert ncv((f"{y}-03", 2)) == pytest.approx(22.258049, rel=1e-6)
    assert unit.readings.count() == 1
    # purchased electricity filed from the grid company's bill in February (+1.2 %, within
    # the pack's 5 %) and May (+6.5 %, not): the regulator's consistency 1 of 2 = 50.0 %
    for key, ok, pct in (((f"{y}-02", 1), True, "1.2"), ((f"{y}-05", 1), False, "6.5")):
        grid = next(s for s in rows[key].data["streams"] if s["id"] == "grid")
        assert grid["activity"] == grid["entered"] == pytest.approx(grid["metered"] * (1 + float(pct) / 100), abs=0.06)
        assert rows[key].consistent is ok
        assert any(e["file"] == f"电费结算单-{key[0]}.txt" for e in rows[key].data["evidence"])
    assert {k for k, f in rows.items() if f.consistent is not None} == {(f"{y}-02", 1), (f"{y}-05", 1)}
    from tanjiliang.web.month.views import consistency_of

    assert consistency_of([unit]) == {unit.pk: 50.0}
    states = [c["state"] for c in cards(unit.pk, y, date(y, 12, 31), "zh")]
    assert states == ["filed", "filed", "corrected", "filed", "filed"] + ["overdue"] * 5 \
        + ["to_file", "not_started"]
    # idempotent: nothing more on a second run
    seed_months()
    assert MonthFiling.objects.filter(unit=unit).count() == 6 and unit.readings.count() == 1
