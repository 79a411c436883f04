"""Saving a form as rendered keeps every field of every example (issue 17 §1–§3, brief:
"nothing a user entered is silently lost"): the cement works' clinker block and the several-
target scale's split, the smelter's anode effects, the lime works' stock-takes, the power
plant's flows out — each item of each section and each instrument, opened and saved unchanged."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from test_views import form_values
from web_fixtures import EXAMPLES

from tanjiliang.model.load import load_unit
from tanjiliang.model.write import dump_yaml
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit
from tanjiliang.web.core.mapping import unit_file

SECTIONS = ("subunits", "equipment", "emission_points", "source_streams")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_every_example_survives_its_forms_unchanged(world: Any, path: Any) -> None:
    unit = create_unit(load_unit(path), world.ent_a, world.a, source="test")
    client = world.client(world.a)
    before = dump_yaml(unit_file(unit))
    for section in SECTIONS:
        for i in range(len(getattr(unit_file(unit), section))):
            page = client.get(reverse("unit-item", args=[unit.pk, section, i])).content.decode()
            r = client.post(reverse("unit-item", args=[unit.pk, section, i]), form_values(page))
            assert r.status_code == 302, (section, i, r.content.decode()[:3000])
    for ins in unit.instruments.all():
        page = client.get(reverse("instrument", args=[unit.pk, ins.pk])).content.decode()
        r = client.post(reverse("instrument-edit", args=[unit.pk, ins.pk]),
                        form_values(page, "instrument-form"))
        assert r.status_code == 302, (ins.ident, re.findall(r"class=\"(?:err|error)[^\"]*\"[^>]*>([^<]+)", r.content.decode()), form_values(page, "instrument-form"))
    after = dump_yaml(unit_file(m.Unit.objects.get(pk=unit.pk)))
    assert after == before


def test_a_clinker_block_with_substitutes_survives_its_form(world: Any) -> None:
    """The default clinker factor with substitute raw materials (a map of masses) and an
    instrument split between two coals: both shown as text, both read back as maps."""
    from tanjiliang.model.write import unit_to_data
    from tanjiliang.web.core.changes import validate

    data = unit_to_data(load_unit(EXAMPLES[[p.parent.name for p in EXAMPLES].index("cement")]))
    stream = next(s for s in data["source_streams"] if "clinker" in s)
    stream["clinker"] = {"substitutes": {"carbide_slag": "52000 t", "steel_slag": "8000 t"}}
    unit = create_unit(validate(data), world.ent_a, world.a, source="test")
    client = world.client(world.a)
    before = dump_yaml(unit_file(unit))
    i = [s["id"] for s in data["source_streams"]].index(stream["id"])
    page = client.get(reverse("unit-item", args=[unit.pk, "source_streams", i])).content.decode()
    r = client.post(reverse("unit-item", args=[unit.pk, "source_streams", i]), form_values(page))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert dump_yaml(unit_file(m.Unit.objects.get(pk=unit.pk))) == before
    assert "carbide_slag: 52000 t" in before
