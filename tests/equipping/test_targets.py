"""An instrument that measures several things (measures: a list)."""

from __future__ import annotations

import pytest

from tanjiliang.model.errors import LoadError
from unit_builders import base_unit, instrument, load, run, stream


def test_truck_scale_weighing_two_materials_covers_both_points() -> None:
    # two process streams at the boundary only (no consumers): one level-1 point each;
    # one truck scale weighing both covers both → process_material L1 rate 2/2 = 100 %
    unit = base_unit(source_streams=[stream("lime", 60000), stream("dolo", 40000, material="dolomite")],
                     instruments=[instrument("W1", ["lime", "dolo"], "boundary")])
    a = run(unit)
    pts = {p.id: p for p in a.points}
    assert pts["lime@boundary"].instruments == ["W1"] and pts["dolo@boundary"].instruments == ["W1"]
    w1 = next(i for i in a.instruments if i.id == "W1")
    assert w1.points == ["lime@boundary", "dolo@boundary"] and w1.measures == "lime, dolo"
    row = next(r for r in a.rates if r.medium == "process_material" and r.level == 1)
    assert (row.required, row.equipped, row.rate_percent) == (2, 2, 100.0)


def test_gas_chromatograph_gives_ncv_and_carbon_content() -> None:
    ng = {"id": "ng", "name": "天然气", "kind": "combustion", "material": "natural_gas",
          "activity": "5000 万Nm3", "parameters": {"ncv": "389.31 GJ/万Nm3", "carbon_content": "0.01532 tC/GJ"}}
    gc = instrument("GC1", ["ng.ncv", "ng.carbon_content"], "lab", type="gas_chromatograph", accuracy=None)
    a = run(base_unit(source_streams=[ng], instruments=[gc]))
    pts = {p.id: p for p in a.points}
    assert pts["ng.ncv"].instruments == ["GC1"] and pts["ng.carbon_content"].instruments == ["GC1"]
    assert pts["ng.ncv"].status == pts["ng.carbon_content"].status == "conforming"


def test_a_wrong_target_in_the_list_is_named_by_index() -> None:
    unit = base_unit(source_streams=[stream("lime", 60000)],
                     instruments=[instrument("W1", ["lime", "nothing"], "boundary")])
    with pytest.raises(LoadError) as exc:
        load(unit)
    assert "instruments[0].measures[1]" in exc.value.message("en")


def test_a_target_twice_is_refused() -> None:
    with pytest.raises(LoadError):
        load(base_unit(source_streams=[stream("lime", 60000)],
                       instruments=[instrument("W1", ["lime", "lime"], "boundary")]))
