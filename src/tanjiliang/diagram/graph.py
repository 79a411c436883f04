"""The GHG flow diagram (温室气体流向图, Annex A of the specification; domain.md §9) as a Graphviz
graph.

Drawn like an energy metering network diagram (GB/T 33656): the accounting boundary is a frame,
sub-units are boxes inside it and equipment boxes inside those; each source stream enters from
outside the boundary as an arrow to its consumers, labelled with its class and share of the
total and drawn wider the more it emits; emission points (stacks) leave the boundary on the
right. Every metering point sits on its arrow as a small circle labelled with the instrument
class letter and a number (:mod:`tanjiliang.diagram.symbols`) and coloured by the point's
status from the assessment: filled green conforming, filled orange non-conforming (accuracy or
confirmation), hollow red dashed required but missing. Nothing here decides a rule: points,
their places, levels and statuses are read from :class:`~tanjiliang.assess.result.Assessment`.

A point covering several places (folded, default-pack.md "Places that would measure the same
quantity") is drawn once, on the arrow into the deepest of them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from html import escape

import pygraphviz as pgv

from tanjiliang.assess.result import Assessment, PointResult, StreamResult
from tanjiliang.diagram.symbols import (
    DEFAULT_COLOUR,
    MEDIUM_COLOUR,
    STATUS_COLOUR,
    Symbol,
    letter_names,
    point_symbols,
)
from tanjiliang.equipping.points import BOUNDARY_QUANTITIES
from tanjiliang.model.unit import BOUNDARY, LAB, UnitFile
from tanjiliang.reports import fmt
from tanjiliang.reports.i18n import enum, t
from tanjiliang.rules.schema import Pack

FONT = "Noto Sans CJK SC"
BOUNDARY_CLUSTER = "cluster_boundary"
MAX_PEN = 7.0


def _h(text: object) -> str:
    return escape(str(text), quote=True)


def _cluster_id(place: str) -> str:
    return f"cluster_p_{place}"


_SHADES = (0.0, 0.38, -0.35, 0.58, -0.18, 0.2, 0.7, -0.5)


def shade(colour: str, k: int) -> str:
    """``colour`` mixed toward white (f > 0) or black (f < 0) by the k-th factor."""
    f = _SHADES[k % len(_SHADES)]
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * f) if f >= 0 else round(c * (1 + f)) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


class _Builder:
    def __init__(self, a: Assessment, unit: UnitFile, pack: Pack | None, lang: str) -> None:
        self.a, self.unit, self.pack, self.lang = a, unit, pack, lang
        self.symbols = point_symbols(a, pack)
        self.subunit_of = {e.id: e.subunit for e in unit.equipment}
        self.subunit_ids = [s.id for s in unit.subunits]
        self.equipment_ids = [e.id for e in unit.equipment]
        self.places = {p.id: p for p in a.places}
        self.max_e = max((abs(s.emissions_tco2e) for s in a.streams), default=0.0) or 1.0
        self.g = pgv.AGraph(directed=True, strict=False, name="flow")
        self.clusters: dict[str, pgv.AGraph] = {}
        self.drawn_points: set[str] = set()
        self.anchors: set[str] = set()
        self.media_used: set[str] = set()
        self.statuses_used: set[str] = set()

    # ------------------------------------------------------------------ scaffolding
    def setup(self) -> None:
        a, lang = self.a, self.lang
        self.g.graph_attr.update(
            rankdir="LR", compound="true", newrank="true", fontname=FONT, fontsize="11",
            nodesep="0.18", ranksep="0.45",
            pad="0.3", outputorder="edgesfirst", bgcolor="white",
        )
        self.g.node_attr.update(fontname=FONT, fontsize="10")
        self.g.edge_attr.update(fontname=FONT, fontsize="9", arrowsize="0.7")
        b = self.g.add_subgraph(
            name=BOUNDARY_CLUSTER,
            label=f'<<B>{_h(t("diagram.boundary", lang))}</B>  {_h(a.unit_name)}>',
            style="rounded,bold", color="#263238", penwidth="2.2", fontsize="12",
            labeljust="l", labelloc="t", margin="14",
        )
        self.clusters[BOUNDARY] = b
        for s in self.unit.subunits:
            pr = self.places.get(s.id)
            major = pr.major if pr else True
            sub = b.add_subgraph(
                name=_cluster_id(s.id),
                label=self._place_label(s.id, s.name),
                style="rounded,filled" if major else "rounded,dashed,filled",
                fillcolor="#f3f6f9" if major else "#fbfbfb", color="#607d8b",
                labeljust="l", labelloc="t", fontsize="11", margin="8",
            )
            self.clusters[s.id] = sub
        for e in self.unit.equipment:
            parent = self.clusters.get(e.subunit or "", b)
            pr = self.places.get(e.id)
            major = pr.major if pr else True
            parent.add_node(
                f"eq:{e.id}", label=self._place_label(e.id, e.name, node=True), shape="box",
                style="rounded,filled" if major else "rounded,dashed,filled",
                fillcolor="#dfe7ee" if major else "#f5f5f5", color="#455a64", margin="0.08,0.04",
            )

    def _place_label(self, pid: str, name: str, node: bool = False) -> str:
        pr = self.places.get(pid)
        extra = ""
        if pr is not None:
            tag = t("col.major", self.lang) if pr.major else ""
            e = f"{fmt.tco2e(pr.attributed_tco2e)} tCO₂e"
            extra = f'<BR/><FONT POINT-SIZE="8" COLOR="#546e7a">{_h(e)}{" · " + _h(tag) if tag else ""}</FONT>'
        size = "10" if node else "11"
        return f'<<FONT POINT-SIZE="{size}"><B>{_h(name)}</B> ({_h(pid)})</FONT>{extra}>'

    def container_of_place(self, place: str) -> pgv.AGraph:
        """Where a point's symbol sits: on the arrow just before the frame of its place, i.e. in
        the cluster that holds that place (a sub-unit's point outside the sub-unit's box, an
        equipment's point inside its sub-unit)."""
        if place in self.subunit_ids:
            return self.clusters[BOUNDARY]
        if place in self.clusters:
            return self.clusters[place]
        if place in self.subunit_of:
            return self.clusters.get(self.subunit_of[place] or "", self.clusters[BOUNDARY])
        if place == LAB:
            return self.lab_cluster()
        return self.clusters[BOUNDARY]

    def lab_cluster(self) -> pgv.AGraph:
        if LAB not in self.clusters:
            self.clusters[LAB] = self.clusters[BOUNDARY].add_subgraph(
                name="cluster_lab", label=f"<<B>{_h(t('diagram.lab', self.lang))}</B>>",
                style="rounded,dotted", color="#78909c", labeljust="l", labelloc="t", fontsize="10",
            )
        return self.clusters[LAB]

    def anchor(self, place: str) -> tuple[str, str]:
        """A node inside a sub-unit's (or the boundary's) cluster that arrows can end at,
        clipped at the cluster's frame (``lhead``)."""
        node = f"anchor:{place}"
        if node not in self.anchors:
            self.anchors.add(node)
            self.clusters[place].add_node(node, shape="point", width="0.02", style="invis",
                                          label="")
        cluster = BOUNDARY_CLUSTER if place == BOUNDARY else _cluster_id(place)
        return node, cluster

    def target(self, place: str) -> tuple[str, str | None]:
        if place in self.subunit_of:
            return f"eq:{place}", None
        if place in self.clusters:
            return self.anchor(place)
        return self.anchor(BOUNDARY)

    # ------------------------------------------------------------------ points
    def point_node(self, p: PointResult) -> str:
        node = f"pt:{p.id}"
        if p.id in self.drawn_points:
            return node
        self.drawn_points.add(p.id)
        sym = self.symbols[p.id]
        self.statuses_used.add(sym.status)
        self.container_of_place(p.place).add_node(node, **self._point_attrs(p, sym))
        return node

    def _tooltip(self, p: PointResult, sym: Symbol) -> str:
        stream = next((s.name for s in self.a.streams if s.id == p.stream), p.stream)
        return (f"{sym.label}: {stream} ({p.stream}) · {enum('quantity', p.quantity, self.lang)}"
                f" · {self._level(p.level)} · {', '.join(p.instruments) or enum('point_status', 'missing', self.lang)}"
                f" · {t('point.' + sym.status, self.lang)}")

    def _point_attrs(self, p: PointResult, sym: Symbol) -> dict[str, str]:
        attrs = {"label": sym.label, "shape": "circle", "fixedsize": "true", "width": "0.40",
                 "fontsize": "8.5", "penwidth": "1.4", "tooltip": self._tooltip(p, sym),
                 "id": f"point-{p.id}"}
        if sym.status == "missing":
            attrs.update(style="dashed,filled", fillcolor="white", color=sym.colour,
                         fontcolor=sym.colour, penwidth="1.8")
        else:
            attrs.update(style="filled", fillcolor=sym.colour, color=sym.colour,
                         fontcolor="white")
        return attrs

    def _level(self, level: int | None) -> str:
        return enum("level", level, self.lang)

    # ------------------------------------------------------------------ streams
    def pen(self, tco2e: float) -> str:
        return f"{1.0 + (MAX_PEN - 1.0) * math.sqrt(max(abs(tco2e), 0.0) / self.max_e):.2f}"

    def streams(self) -> None:
        src_rank = self.g.add_subgraph(name="sources", rank="source")
        by_stream: dict[str, list[PointResult]] = defaultdict(list)
        for p in self.a.points:
            by_stream[p.stream].append(p)
        sink_rank = self.g.add_subgraph(name="sinks", rank="sink")
        for s in self.a.streams:
            if s.method == "measurement":
                continue
            if s.direction == "out":
                self.flow_out(s, by_stream.get(s.id, []), sink_rank)
                continue
            self.stream(s, by_stream.get(s.id, []), src_rank)
        # anything the walk did not place (an instrument where no point was needed, ...)
        for p in self.a.points:
            if p.id not in self.drawn_points and (p.quantity == "activity" or p.quantity in BOUNDARY_QUANTITIES):
                node = self.point_node(p)
                self.g.add_edge(f"src:{p.stream}", node, style="dotted", arrowhead="none",
                                color="#90a4ae")

    def stream(self, s: StreamResult, points: list[PointResult], src_rank: pgv.AGraph) -> None:
        lang = self.lang
        colour = self.stream_colour(s)
        self.media_used.add(s.medium or "")
        style = "dashed" if s.cls == "de_minimis" else "solid"
        src = f"src:{s.id}"
        medium_name = self._medium_name(s.medium)
        lab = [p for p in points if p.place == LAB or (p.level is None and p.medium == "laboratory")]
        head_row = (f'<TR><TD ALIGN="LEFT" COLSPAN="{max(len(lab), 1)}"><B>{_h(s.name)}</B> ({_h(s.id)})</TD></TR>'
                    f'<TR><TD ALIGN="LEFT" COLSPAN="{max(len(lab), 1)}"><FONT POINT-SIZE="8.5" COLOR="#455a64">'
                    f'{_h(medium_name)} · {_h(fmt.tco2e(s.emissions_tco2e))} tCO₂e</FONT></TD></TR>')
        src_rank.add_node(
            src, shape="cds", style="filled", fillcolor="#fafafa", color=colour, penwidth="1.5",
            margin="0.10,0.03",
            label=(f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0">{head_row}'
                   f'{self.lab_cells(lab)}</TABLE>>'),
        )
        activity: dict[str, PointResult] = {}
        for p in points:
            if p.quantity == "activity":
                for place in p.places:
                    activity.setdefault(place, p)
        cls_text = f"{enum('class', s.cls, lang)} · {fmt.pct(s.share)}"
        state = {"first": True}

        def seg(tail: str, head: str, frac: float, *, end: bool, lhead: str | None = None) -> None:
            attrs = {"color": colour, "penwidth": self.pen(s.emissions_tco2e * frac),
                     "style": style, "arrowhead": "normal" if end else "none"}
            if state["first"]:
                attrs["label"] = cls_text
                attrs["fontcolor"] = colour
                state["first"] = False
            if lhead:
                attrs["lhead"] = lhead
            self.g.add_edge(tail, head, **attrs)

        p1 = activity.get(BOUNDARY)
        consumers = s.consumers
        if p1 is not None:
            head = self.point_node(p1)
        else:
            # no level-1 point: the stream still crosses the frame at one place
            head = f"entry:{s.id}"
            self.clusters[BOUNDARY].add_node(head, shape="point", width="0.07", color=colour,
                                             label="")
        seg(src, head, 1.0, end=not consumers)
        groups: dict[str | None, list[tuple[str, float]]] = defaultdict(list)
        for c, x in consumers.items():
            groups[c if c in self.clusters and c != BOUNDARY else self.subunit_of.get(c)].append((c, x))
        order = {sid: i for i, sid in enumerate(self.subunit_ids)}
        for su in sorted(groups, key=lambda k: (k is not None, order.get(k or "", 0))):
            items = groups[su]
            tail = head
            p2 = activity.get(su) if su is not None else None
            if p2 is not None and self.point_node(p2) != tail:
                node = self.point_node(p2)
                seg(tail, node, sum(x for _, x in items), end=False)
                tail = node
            for c, x in items:
                if c == su:
                    anchor, su_cluster = self.anchor(c)
                    seg(tail, anchor, x, end=True, lhead=su_cluster)
                    continue
                t2 = tail
                p3 = activity.get(c)
                # a folded point (one instrument place for several levels) is drawn once
                if p3 is not None and self.point_node(p3) != t2:
                    node = self.point_node(p3)
                    seg(t2, node, x, end=False)
                    t2 = node
                target, cluster = self.target(c)
                seg(t2, target, x, end=True, lhead=cluster)

    def flow_out(self, s: StreamResult, points: list[PointResult], sink_rank: pgv.AGraph) -> None:
        """A flow out of the boundary (exported electricity or heat, a product carrying carbon
        out): from the places that give it, through its boundary point, to a node outside the
        frame on the right, labelled with what it counts in the total."""
        colour = self.stream_colour(s)
        self.media_used.add(s.medium or "")
        node = f"src:{s.id}"
        counted = (f"{enum('direction', 'out', self.lang)} · {fmt.tco2e(abs(s.emissions_tco2e))} tCO₂e"
                   if s.emissions_tco2e else f"{enum('direction', 'out', self.lang)}")
        sink_rank.add_node(
            node, shape="cds", style="filled", fillcolor="#fafafa", color=colour, penwidth="1.5",
            margin="0.10,0.03",
            label=(f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0">'
                   f'<TR><TD ALIGN="LEFT"><B>{_h(s.name)}</B> ({_h(s.id)})</TD></TR>'
                   f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8.5" COLOR="#455a64">'
                   f'{_h(self._medium_name(s.medium))} · {_h(counted)}</FONT></TD></TR></TABLE>>'),
        )
        p1 = next((p for p in points if p.quantity == "activity" and BOUNDARY in p.places), None)
        if p1 is not None:
            exit_node = self.point_node(p1)
        else:
            exit_node = f"exit:{s.id}"
            self.clusters[BOUNDARY].add_node(exit_node, shape="point", width="0.07", color=colour, label="")
        self.g.add_edge(exit_node, node, color=colour, penwidth=self.pen(s.emissions_tco2e),
                        style="dashed" if s.reported_apart else "solid", arrowhead="normal")
        for c, x in s.consumers.items():
            tail, cluster = self.target(c)
            attrs = {"color": colour, "penwidth": self.pen(s.emissions_tco2e * x), "arrowhead": "none"}
            if cluster:
                attrs["ltail"] = cluster
            self.g.add_edge(tail, exit_node, **attrs)

    def cell(self, p: PointResult, size: str = "8.5") -> str:
        """A point symbol as an HTML-label cell (points drawn inside another node)."""
        self.drawn_points.add(p.id)
        sym = self.symbols[p.id]
        self.statuses_used.add(sym.status)
        fill, text = ("white", sym.colour) if sym.status == "missing" else (sym.colour, "white")
        return (f'<TD STYLE="rounded" BORDER="1" COLOR="{sym.colour}" BGCOLOR="{fill}" '
                f'CELLPADDING="0" FIXEDSIZE="TRUE" WIDTH="28" HEIGHT="18" ID="point-{_h(p.id)}" TOOLTIP="{_h(self._tooltip(p, sym))}">'
                f'<FONT COLOR="{text}" POINT-SIZE="{size}">{_h(sym.label)}</FONT></TD>')

    def lab_cells(self, lab: list[PointResult]) -> str:
        """Laboratory (parameter) points of a stream, drawn on its source: the sample is of
        the stream itself."""
        if not lab:
            return ""
        cells = "".join(self.cell(p) for p in lab)
        names = "".join(f'<TD><FONT POINT-SIZE="6.5" COLOR="#546e7a">{_h(t("qshort." + p.quantity, self.lang))}</FONT></TD>'
                        for p in lab)
        return f"<TR>{cells}</TR><TR>{names}</TR>"

    def stream_colour(self, s: StreamResult) -> str:
        """The medium's colour, in a lighter or darker shade for the second, third… stream of
        the same medium, so that parallel arrows can be told apart."""
        same = [x.id for x in self.a.streams if x.medium == s.medium and x.method != "measurement"]
        return shade(MEDIUM_COLOUR.get(s.medium or "", DEFAULT_COLOUR), same.index(s.id))

    def _medium_name(self, medium: str | None) -> str:
        if self.pack is not None and medium:
            for m in self.pack.media.rows:
                if m.id == medium:
                    return m.name(self.lang)
        return medium or ""

    # ------------------------------------------------------------------ emission points
    def stacks(self) -> None:
        if not self.unit.emission_points:
            return
        # stacks stand right of everything: one rank, after every piece of equipment and every
        # sub-unit (newrank keeps each stack level with its origin; "sink" alone is not kept)
        sink = self.g.add_subgraph(name="stacks", rank="same")
        sink.add_node("stacks:rank", shape="point", style="invis", width="0.01", label="")
        for eq in self.unit.equipment:
            self.g.add_edge(f"eq:{eq.id}", "stacks:rank", style="invis", weight="0")
        for su in self.unit.subunits:
            anchor, _ = self.anchor(su.id)
            self.g.add_edge(anchor, "stacks:rank", style="invis", weight="0")
        measured: dict[str, list[StreamResult]] = defaultdict(list)
        for us in self.unit.source_streams:
            if us.method == "measurement":
                for ep_id in us.emission_points or []:
                    measured[ep_id].append(self.a.stream(us.id))
        stacks_of: dict[str, int] = defaultdict(int)
        for ep in self.unit.emission_points:
            stacks_of[ep.equipment or ep.subunit or BOUNDARY] += 1
        for ep in self.unit.emission_points:
            node = f"ep:{ep.id}"
            sink.add_node(node, shape="cylinder", style="filled", fillcolor="#eceff1",
                          color="#546e7a", margin="0.1,0.04",
                          label=f'<<B>{_h(ep.name)}</B> ({_h(ep.id)})>')
            origin_place = ep.equipment or ep.subunit or BOUNDARY
            tail, ltail = (f"eq:{ep.equipment}", None) if ep.equipment else self.target(origin_place)
            streams = measured.get(ep.id, [])
            at_stack = [p for p in self.a.points if p.place == ep.id]
            if streams:
                n_eps = {s.id: len(next(u for u in self.unit.source_streams if u.id == s.id)
                                    .emission_points or [ep.id]) for s in streams}
                tco2 = sum(s.emissions_tco2e / n_eps[s.id] for s in streams)
                label = " / ".join(f"{s.name} {enum('class', s.cls, self.lang)} · {fmt.pct(s.share)}"
                                   for s in streams)
                style = {"color": MEDIUM_COLOUR["flue_gas"], "penwidth": self.pen(tco2)}
                self.media_used.add("flue_gas")
            else:  # calculated emissions leave here: the stack's share of its place's
                pr = self.places.get(origin_place)
                tco2 = (pr.attributed_tco2e / stacks_of[origin_place]) if pr else 0.0
                label = ""
                style = {"color": "#90a4ae", "penwidth": self.pen(tco2), "style": "dashed"}
            head = node
            if at_stack:  # CEMS at the stack (required, or installed where none is required)
                head = self.cems_node(ep.id, at_stack)
                self.g.add_edge(head, node, label=label, fontcolor=style["color"], **style)
            attrs = dict(style, arrowhead="none" if at_stack else "normal")
            if ltail:
                attrs["ltail"] = ltail
            if not at_stack and label:
                attrs.update(label=label, fontcolor=style["color"])
            self.g.add_edge(tail, head, **attrs)

    def cems_node(self, ep: str, pts: list[PointResult]) -> str:
        node = f"cems:{ep}"
        cells = [self.cell(p) for p in pts]
        names = [f'<TD><FONT POINT-SIZE="6.5" COLOR="#455a64">{_h(t("qshort." + p.quantity, self.lang))}</FONT></TD>'
                 for p in pts]
        label = (f'<<TABLE BORDER="1" COLOR="#90a4ae" STYLE="rounded" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
                 f'<TR><TD COLSPAN="{max(len(cells), 1)}"><FONT POINT-SIZE="8"><B>{_h(t("diagram.cems", self.lang))}</B></FONT></TD></TR>'
                 f'<TR>{"".join(cells)}</TR><TR>{"".join(names)}</TR></TABLE>>')
        self.clusters[BOUNDARY].add_node(node, shape="plain", label=label)
        return node

    # ------------------------------------------------------------------ legend
    def legend(self) -> None:
        """The title block and legend, as the graph's label under the drawing (bottom right,
        like a drawing's title block): title, unit and year, pack and date, then one column
        each for point symbols, stream media and lines, and instrument-class letters."""
        lang, a = self.lang, self.a

        def head(key: str) -> tuple[str, str]:
            return (f'<TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="9"><B>{_h(t(key, lang))}</B></FONT></TD>', "")

        def text(value: str, size: str = "8.5") -> str:
            return f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">{_h(value)}</FONT></TD>'

        points = [head("diagram.points")]
        for status in ("conforming", "nonconforming", "missing", "extra"):
            if status == "extra" and status not in self.statuses_used:
                continue
            c = STATUS_COLOUR[status]
            fill, ink = ("white", c) if status == "missing" else (c, "white")
            points.append((f'<TD STYLE="rounded" BORDER="1" COLOR="{c}" BGCOLOR="{fill}" FIXEDSIZE="TRUE" '
                           f'WIDTH="26" HEIGHT="16"><FONT COLOR="{ink}" POINT-SIZE="8">W1</FONT></TD>',
                           text(t("point." + status, lang))))
        media = [head("diagram.streams")]
        for medium in sorted(m for m in self.media_used if m):
            c = MEDIUM_COLOUR.get(medium, DEFAULT_COLOUR)
            media.append((f'<TD BGCOLOR="{c}" FIXEDSIZE="TRUE" WIDTH="26" HEIGHT="6"></TD>',
                          text(self._medium_name(medium))))
        for key in ("diagram.line_major", "diagram.line_de_minimis", "diagram.stack_line"):
            media.append((f'<TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="8">{_h(t(key, lang))}</FONT></TD>', ""))
        letters_col = [head("diagram.letters")]
        letters = {s.letter for s in self.symbols.values() if s.point in self.drawn_points}
        sep = "、" if lang == "zh" else ", "
        limit = 26 if lang == "zh" else 48  # wrap long lists (a browser's text may run wider)
        for letter, names in letter_names(self.pack, letters, lang).items():
            lines, line = [], ""
            for name in names.split(sep):
                if line and len(line) + len(sep) + len(name) > limit:
                    lines.append(line + sep.strip())
                    line = name
                else:
                    line = f"{line}{sep}{name}" if line else name
            lines.append(line)
            cell = '<BR ALIGN="LEFT"/>'.join(_h(x) for x in lines)
            letters_col.append((f'<TD ALIGN="CENTER" VALIGN="TOP"><B>{_h(letter)}</B></TD>',
                                f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="8">{cell}</FONT></TD>'))
        columns = [points, media, letters_col]
        n_rows = max(len(c) for c in columns)
        body = []
        for r in range(n_rows):
            cells = []
            for col in columns:
                left, right = col[r] if r < len(col) else ('<TD COLSPAN="2"></TD>', "")
                cells.append(left + right)
            body.append("<TR>" + '<TD WIDTH="12"></TD>'.join(cells) + "</TR>")
        title = (f'<TD COLSPAN="8" ALIGN="LEFT" BGCOLOR="#eceff1" CELLPADDING="6">'
                 f'<FONT POINT-SIZE="16"><B>{_h(t("diagram.title", lang))}</B></FONT>  '
                 f'<FONT POINT-SIZE="12">{_h(a.unit_name)} · {a.unit_year}</FONT><BR ALIGN="LEFT"/>'
                 f'<FONT POINT-SIZE="9" COLOR="#455a64">{_h(t("cover.pack", lang))}: {_h(a.pack_name)} '
                 f'{_h(a.pack_version)} · {_h(t("cover.as_of", lang))}: {a.as_of.isoformat()}</FONT>'
                 f'<BR ALIGN="LEFT"/></TD>')
        label = ('<<TABLE BORDER="1" COLOR="#90a4ae" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
                 f"<TR>{title}</TR>{''.join(body)}</TABLE>>")
        self.g.graph_attr.update(label=label, labelloc="b", labeljust="r")

    def build(self) -> pgv.AGraph:
        self.setup()
        self.streams()
        self.stacks()
        self.legend()
        return self.g


def build_graph(a: Assessment, unit: UnitFile, pack: Pack | None = None,
                lang: str = "zh") -> pgv.AGraph:
    """The flow diagram of ``unit`` as assessed in ``a`` (not yet laid out)."""
    return _Builder(a, unit, pack, lang).build()
