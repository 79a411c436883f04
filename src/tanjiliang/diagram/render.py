"""Laying out and writing the flow diagram: SVG, PNG or PDF, by Graphviz ``dot`` from the
pygraphviz wheel (Graphviz bundled, with cairo and pango: Chinese text is shaped with the
installed CJK font, Noto Sans CJK SC).

Layout and drawing run in a short child process (about 40 ms of start-up). The wheel bundles
its own Pango but uses the system's GLib; WeasyPrint loads the system Pango, and two Pangos in
one process collide on the GObject type ``PangoFontMap`` (whichever comes second fails to
render text). Building the graph (cgraph only) stays in this process; only the DOT text
crosses over.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tanjiliang.assess.result import Assessment
from tanjiliang.diagram.graph import FONT, build_graph
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules.schema import Pack

FORMATS = ("svg", "png", "pdf")
#: Fonts a browser may use when the SVG is opened where Noto Sans CJK SC is not installed
#: (the report is meant to open from a USB stick on any office machine).
SVG_FALLBACK = (f"'{FONT}','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',"
                "'PingFang SC','WenQuanYi Micro Hei',sans-serif")


class DiagramFormatError(ValueError):
    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        super().__init__(f"unsupported diagram format {suffix!r} (svg, png, pdf)")

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"不支持的流向图格式“{self.suffix}”（可用 .svg、.png、.pdf）"
        return f'unsupported diagram format "{self.suffix}" (use .svg, .png or .pdf)'


def render(a: Assessment, unit: UnitFile, pack: Pack | None = None, lang: str = "zh",
           fmt: str = "svg", dpi: int = 110) -> bytes:
    """The diagram in ``fmt`` (svg | png | pdf) as bytes."""
    if fmt not in FORMATS:
        raise DiagramFormatError(fmt)
    g = build_graph(a, unit, pack, lang)
    if fmt == "png":
        g.graph_attr["dpi"] = str(dpi)
    data = run_dot(g.string(), fmt)
    if fmt == "svg":
        data = svg_fonts(data.decode("utf-8")).encode("utf-8")
    return data


_WORKER = (
    "import sys, pygraphviz\n"
    "g = pygraphviz.AGraph(string=sys.stdin.buffer.read().decode('utf-8'))\n"
    "g.layout(prog='dot')\n"
    "sys.stdout.buffer.write(g.draw(format=sys.argv[1]))\n"
)


class DiagramRenderError(RuntimeError):
    pass


def run_dot(dot: str, fmt: str, timeout: float = 300.0) -> bytes:
    """Lay out DOT text with ``dot`` and draw it as ``fmt``, in a child process."""
    env = dict(os.environ)
    env.setdefault("PYTHONWARNINGS", "ignore")
    proc = subprocess.run([sys.executable, "-c", _WORKER, fmt], input=dot.encode("utf-8"),
                          capture_output=True, timeout=timeout, env=env, check=False)
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise DiagramRenderError("graphviz failed: " + " | ".join(err))
    return proc.stdout


def svg_fonts(svg: str) -> str:
    """Give every text of the SVG a font stack ending in a Chinese-capable fallback, and drop
    graphviz's ``<title>`` elements: they hold internal node names (``pt:grid@boundary``) that
    a browser shows on hover; the readable tooltips are on the links (issue 13)."""
    svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
    return re.sub(r'font-family="[^"]*"', f'font-family="{SVG_FALLBACK}"', svg)


def inline_svg(svg: str) -> str:
    """The SVG as an element to put inside an HTML page (no XML prolog or DOCTYPE)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def write_diagram(a: Assessment, unit: UnitFile, path: str | Path, pack: Pack | None = None,
                  lang: str = "zh") -> Path:
    """Write the diagram to ``path``; the format follows its suffix (.svg, .png, .pdf)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise DiagramFormatError(path.suffix or path.name)
    from tanjiliang.model.write import atomic_write

    atomic_write(path, render(a, unit, pack, lang, fmt))
    return path
