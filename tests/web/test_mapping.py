"""The unit file stays the exchange and backup format: file → database → file is identical
(issue 5 §2), for the spec's example and every example unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from web_fixtures import EXAMPLES, SPEC_EXAMPLE

from tanjiliang.model.load import load_unit
from tanjiliang.model.write import dump_yaml, unit_to_data
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import apply_change, validate
from tanjiliang.web.core.mapping import store_unit, unit_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [SPEC_EXAMPLE, *EXAMPLES], ids=lambda p: Path(p).parent.name)
def test_file_database_file_is_identical(path: Path) -> None:
    uf = load_unit(path)
    ent = m.Enterprise.objects.create(name="E")
    unit = store_unit(uf, enterprise=ent)
    unit = m.Unit.objects.get(pk=unit.pk)  # nothing cached on the instance
    assert dump_yaml(unit_file(unit)) == dump_yaml(uf)


def test_round_trip_keeps_what_was_set_and_order() -> None:
    """Consumers maps keep their order, confirmations and unset defaults stay as entered."""
    data: dict[str, Any] = {
        "format": "tanjiliang/unit@1",
        "unit": {"name": "顺序测试", "year": 2025},
        "gwp": "AR5",
        "subunits": [{"id": "Z", "name": "z"}, {"id": "A", "name": "a", "major": False}],
        "source_streams": [{"id": "s", "name": "s", "kind": "process", "material": "limestone",
                            "activity": "10 t", "consumers": {"Z": 0.7, "A": 0.3},
                            "parameters": {"emission_factor": {"value": "0.44 t/t",
                                                               "source": "supplier"}}}],
        "instruments": [
            {"id": "W2", "name": "w", "type": "truck_scale", "measures": "s", "at": "boundary",
             "confirmations": [
                 {"date": "2025-01-02", "kind": "verification", "certificate": "C-1"},
                 {"date": "2024-01-02", "kind": "calibration", "result": "limited",
                  "standards": ["砝码"], "next_due": "2025-01-01"}]},
            {"id": "W1", "name": "v", "type": "truck_scale", "measures": "s", "at": "Z",
             "confirmations": []},
        ],
    }
    uf = validate(data)
    unit = store_unit(uf, enterprise=m.Enterprise.objects.create(name="E"))
    back = unit_file(m.Unit.objects.get(pk=unit.pk))
    assert dump_yaml(back) == dump_yaml(uf)
    assert list(unit_to_data(back)["source_streams"][0]["consumers"]) == ["Z", "A"]
    assert m.Confirmation.objects.filter(instrument__unit=unit).count() == 2


def test_unchanged_instruments_keep_their_rows(world: Any) -> None:
    """Editing one instrument rewrites only that row (certificate files stay attached)."""
    unit = world.unit_a
    before = dict(unit.instruments.values_list("ident", "pk"))
    target = unit.instruments.order_by("position").first().ident

    def mutate(d: dict[str, Any]) -> None:
        for ins in d["instruments"]:
            if ins["id"] == target:
                ins["notes"] = "已修"

    unit = apply_change(unit, world.a, mutate, action="edit", zh="改", en="edit")
    after = dict(unit.instruments.values_list("ident", "pk"))
    assert before == after
    assert unit.revision == 2
    assert unit_file(unit).instruments[0].notes == "已修"
