"""Flows out, stock-take points and several-target instruments on the flow diagram."""

from __future__ import annotations

from tanjiliang.assess.engine import assess
from tanjiliang.diagram.graph import build_graph
from tanjiliang.rules.load import load_pack
from unit_builders import base_unit, instrument, load, stream


def test_flow_out_leaves_the_boundary_and_stock_point_is_drawn() -> None:
    exp = {"id": "exp", "name": "上网电量", "kind": "electricity", "activity": "10000 MWh",
           "parameters": {"emission_factor": "0.5 t/MWh"}, "direction": "out", "consumers": ["U1"]}
    coal = stream("coal", 100000, consumers=["B1"])
    coal["stock"] = {"receipts": "100000 t", "opening": "0 t", "closing": "0 t", "uncertainty": "1 %"}
    lime = stream("lime", 30000, consumers=["B1"])
    unit = load(base_unit(source_streams=[coal, lime, exp], instruments=[
        instrument("W1", ["coal", "lime"], "boundary"),
        instrument("K1", "coal.stock", "boundary", type="stock_take", accuracy=None),
        instrument("E1", "exp", "boundary", type="electricity_meter", accuracy="0.2S")]))
    pack = load_pack()
    a = assess(unit, pack)
    g = build_graph(a, unit, pack.pack, "zh")
    sink = g.get_node("src:exp")
    assert "上网电量" in sink.attr["label"] and "输出" in sink.attr["label"]
    # the exported electricity goes from its boundary point (metered by E1) to the node outside
    assert g.has_edge("pt:exp@boundary", "src:exp")
    assert "E1" in str(next(p for p in a.points if p.id == "exp@boundary").instruments)
    # the stock-take point is on the diagram, and W1 serves two streams' boundary points
    assert g.has_node("pt:coal.stock")
    assert g.has_node("pt:coal@boundary") and g.has_node("pt:lime@boundary")
    assert g.get_subgraph("sinks") is not None
