"""The GHG flow diagram (Annex A): :func:`build_graph`, :func:`render`, :func:`write_diagram`."""

from tanjiliang.diagram.graph import build_graph
from tanjiliang.diagram.render import FORMATS, DiagramFormatError, render, write_diagram

__all__ = ["FORMATS", "DiagramFormatError", "build_graph", "render", "write_diagram"]
