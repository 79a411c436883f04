"""A comma that groups no thousands in a quantity typed on a page (probe s10 web #4: "21,46
GJ/t" saved as 2146 GJ/t without a word, a unit's 5 Mt read as 502 Mt) is refused at its
field, the revision unchanged; a comma grouping thousands is read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tanjiliang.web.core import models as m
from tanjiliang.web.core.mapping import unit_data


def _ng_form(ncv: str) -> dict[str, str]:
    return {"id": "ng", "name": "燃气锅炉天然气", "kind": "combustion", "material": "natural_gas",
            "activity.number": "152", "activity.unit": "万Nm3",
            "parameters.ncv": ncv, "parameters.emission_factor": "56.1 t/TJ",
            "parameters.emission_factor.CH4": "1 kg/TJ",
            "parameters.emission_factor.N2O": "0.1 kg/TJ",
            "parameters.emission_factor.by_gas": "1", "consumers.AUX": "1"}


def test_a_decimal_comma_is_refused_at_its_field(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    before = m.Unit.objects.get(pk=unit.pk)
    ng = next(i for i, s in enumerate(unit_data(before)["source_streams"]) if s["id"] == "ng")
    r = client.post(reverse("unit-item", args=[unit.pk, "source_streams", ng]), _ng_form("389,31 GJ/万Nm3"))
    page = r.content.decode()
    assert r.status_code == 400 and "中的逗号不是千位分隔符" in page, page
    assert 'value="389,31 GJ/万Nm3"' in page  # what was typed is kept
    after = m.Unit.objects.get(pk=unit.pk)
    assert after.revision == before.revision and unit_data(after) == unit_data(before)


def test_thousands_grouped_by_commas_are_read(world: Any) -> None:
    unit = world.unit_a
    client = world.client(world.a)
    ng = next(i for i, s in enumerate(unit_data(m.Unit.objects.get(pk=unit.pk))["source_streams"])
              if s["id"] == "ng")
    r = client.post(reverse("unit-item", args=[unit.pk, "source_streams", ng]), _ng_form("1,389.31 GJ/万Nm3"))
    assert r.status_code == 302, r.content.decode()
    stream = unit_data(m.Unit.objects.get(pk=unit.pk))["source_streams"][ng]
    assert stream["parameters"]["ncv"] == "1389.31 GJ/万Nm3"


def test_a_price_with_a_decimal_comma_is_refused() -> None:
    import pytest

    from tanjiliang.model.errors import LoadError
    from tanjiliang.web.core.planning import number

    assert number("1,000.5", "price", True) == 1000.5
    with pytest.raises(LoadError):
        number("97,49", "price", True)  # never 9749
