"""The diagram colours a point from every instrument on it (issue 11): one overdue or
out-of-tolerance instrument makes the point non-conforming."""

from __future__ import annotations

from tanjiliang.check import check
from tanjiliang.diagram.symbols import point_symbols
from tanjiliang.rules.load import load_pack
from unit_builders import AS_OF, base_unit, instrument, load, stream


def _symbols(instruments, **over):
    unit = load(base_unit(source_streams=[stream("s", 30000)], instruments=instruments, **over))
    pack = load_pack("henan-2025-draft")
    a = check(unit, pack, AS_OF)
    return a, point_symbols(a, pack.pack)


def test_two_instruments_one_overdue_is_nonconforming():
    # W1 valid, W2 last confirmed 2024-06-01 + 12 months → overdue on 2025-12-31
    a, sym = _symbols([instrument("W1", "s", "boundary"),
                       instrument("W2", "s", "boundary", last_confirmed="2024-06-01")])
    [p] = [p for p in a.points if p.required]
    assert sorted(p.instruments) == ["W1", "W2"]
    assert sym[p.id].status == "nonconforming"


def test_out_of_tolerance_instrument_is_nonconforming():
    a, sym = _symbols([instrument("W1", "s", "boundary", accuracy="0.5")])  # 0.5 > 0.1
    [p] = [p for p in a.points if p.required]
    assert sym[p.id].status == "nonconforming"


def test_point_no_rule_requires_with_an_overdue_instrument_is_not_grey():
    # a de-minimis stream (500 t of T = 30 500; Tdm = max(1000, 610) = 1000) needs no point;
    # its meter at B1, overdue, is shown on a point no rule requires: non-conforming, not grey
    unit = base_unit(source_streams=[stream("s", 30000), stream("small", 500, ["B1"])],
                     instruments=[instrument("W1", "s", "boundary"),
                                  instrument("W9", "small", "B1", last_confirmed="2024-06-01")])
    pack = load_pack("henan-2025-draft")
    a = check(load(unit), pack, AS_OF)
    sym = point_symbols(a, pack.pack)
    [p] = [p for p in a.points if "W9" in p.instruments]
    assert not p.required and sym[p.id].status == "nonconforming"


def test_all_instruments_good_is_conforming():
    a, sym = _symbols([instrument("W1", "s", "boundary"), instrument("W2", "s", "boundary")])
    [p] = [p for p in a.points if p.required]
    assert sym[p.id].status == "conforming"
