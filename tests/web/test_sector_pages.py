"""Issue 17 on the web: units with measures lists, flows out, stock, anode effects and a justified
lower tier open on every page (the new examples), and the ledger export keeps the lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from web_fixtures import ROOT, create_unit

from tanjiliang.model.load import load_unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["lime", "aluminium", "power", "cement"])
def test_pages_open(world: Any, name: str) -> None:
    uf = load_unit(ROOT / "examples" / name / "unit.yaml")
    unit = create_unit(uf, world.ent_a, world.a, source="test")
    c = world.client(world.a)
    for url in ("unit-dashboard", "unit-edit", "ledger", "assessment", "wizard-streams", "wizard-points",
                "calendar"):
        r = c.get(reverse(url, args=[unit.pk]))
        assert r.status_code == 200, (name, url, r.status_code)
    for i in range(len(uf.source_streams)):
        r = c.get(reverse("unit-item", args=[unit.pk, "source_streams", i]))
        assert r.status_code == 200, (name, "stream", i, r.status_code)
    for ins in unit.instruments.order_by("position"):
        r = c.get(reverse("instrument", args=[unit.pk, ins.pk]))
        assert r.status_code == 200, (name, ins.ident, r.status_code)
    r = c.get(reverse("ledger-export", args=[unit.pk]))
    assert r.status_code == 200


def test_ledger_lists_both_materials_of_one_scale(world: Any) -> None:
    uf = load_unit(ROOT / "examples" / "lime" / "unit.yaml")
    unit = create_unit(uf, world.ent_a, world.a, source="test")
    row = unit.instruments.get(ident="W-01")
    assert row.measures == "limestone, coal"
