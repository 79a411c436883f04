"""The HTML report: one self-contained file (inline CSS, inline SVG diagram and charts, no
script, no external resource), so it opens from a USB stick. The PDF is this same page
printed by WeasyPrint (:mod:`tanjiliang.reports.pdf`)."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import jinja2

import tanjiliang
from tanjiliang.diagram.render import inline_svg
from tanjiliang.diagram.render import render as render_diagram
from tanjiliang.reports import charts
from tanjiliang.reports.context import ReportContext
from tanjiliang.reports.i18n import enum, t
from tanjiliang.reports.listing import MIN_ROWS as LISTING_MIN_ROWS
from tanjiliang.reports.listing import listing

if TYPE_CHECKING:
    from tanjiliang.plan.plan import Plan

#: Largest page side WeasyPrint should produce for the diagram (PDF viewers accept up to
#: 200 in = 14 400 pt); a taller diagram is scaled down to fit.
MAX_PAGE_PT = 14_000.0
MIN_PAGE_PT = (842.0, 595.0)  # A4 landscape
PAGE_MARGIN_PT = 2 * 12 * 72 / 25.4  # @page diagram margin 12 mm on each side


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tanjiliang.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@lru_cache(maxsize=1)
def _css() -> str:
    return (resources.files("tanjiliang.reports") / "templates" / "report.css").read_text("utf-8")


_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.S)


def diagram_page_size(svg: str) -> tuple[float, float, float]:
    """(page width pt, page height pt, scale) for the diagram's own PDF page: the diagram at
    full size on a page at least A4 landscape, scaled down if a side would exceed
    :data:`MAX_PAGE_PT`."""
    m = _SIZE.search(svg)
    w, h = (float(m[1]), float(m[2])) if m else MIN_PAGE_PT
    head = 60.0  # the section title above the diagram
    scale = min(1.0, (MAX_PAGE_PT - PAGE_MARGIN_PT - head) / max(w, h))
    pw = max(MIN_PAGE_PT[0], w * scale + PAGE_MARGIN_PT + 2)
    ph = max(MIN_PAGE_PT[1], h * scale + PAGE_MARGIN_PT + head)
    return pw, ph, scale


def sections(ctx: ReportContext) -> list[tuple[str, str]]:
    keys = ["summary", "diagram", "emissions", "rates", "points", "accuracy", "confirmation",
            "findings", "data"]
    return [(k, f"{i} {ctx.t('sec.' + k)}") for i, k in enumerate(keys, 1)]


def render_html(ctx: ReportContext, diagram_svg: str | None = None, for_pdf: bool = False,
                plan: Plan | None = None) -> str:
    """The report page. ``diagram_svg`` may be passed when already rendered. ``for_pdf``:
    the page WeasyPrint prints, where long tables become fixed-width listings
    (:mod:`tanjiliang.reports.listing`)."""
    svg = diagram_svg if diagram_svg is not None else render_diagram(
        ctx.a, ctx.unit, ctx.pack, ctx.lang, "svg").decode("utf-8")
    pw, ph, scale = diagram_page_size(svg)
    svg = inline_svg(svg)
    if scale < 1.0:
        svg = _SIZE.sub(lambda m: m[0].replace(f'width="{m[1]}pt"', f'width="{float(m[1]) * scale:.1f}pt"')
                        .replace(f'height="{m[2]}pt"', f'height="{float(m[2]) * scale:.1f}pt"'), svg, count=1)
    if for_pdf:
        # For WeasyPrint the drawing is an image: its thousands of SVG elements then skip the
        # HTML parser and the CSS cascade (a third of the large plant's PDF time).
        m = _SIZE.search(svg)
        size = f' style="width:{m[1]}pt;height:{m[2]}pt"' if m else ""
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        svg = f'<img alt="" src="data:image/svg+xml;base64,{data}"{size}>'
    class_names = {c: enum("class", c, ctx.lang) for c in ("major", "minor", "de_minimis")}
    secs = sections(ctx)
    plan_html = ""
    if plan is not None:  # the plan's section (issue 15), numbered after the others
        from tanjiliang.plan.words import w
        from tanjiliang.reports.plan_section import section_html

        secs.append(("plan", f"{len(secs) + 1} {w('title', ctx.lang)}"))
        plan_html = section_html(plan, ctx.lang, len(secs))
    generator = t("generated_by", ctx.lang, version=tanjiliang.__version__
                  if hasattr(tanjiliang, "__version__") else "")
    return _env().get_template("report.html.j2").render(
        ctx=ctx, css=_css(), diagram_svg=svg, diagram_page=f"{pw:.0f}pt {ph:.0f}pt",
        chart_streams=charts.stream_bars(ctx.chart_streams, class_names, ctx.t("chart.by_stream")),
        chart_classes=charts.class_bar(ctx.class_totals, ctx.t("chart.by_class")),
        conclusion_label=enum("conclusion", ctx.conclusion, ctx.lang),
        sections=secs, generator=generator, for_pdf=for_pdf, plan_html=plan_html,
        listing=listing, listing_min_rows=LISTING_MIN_ROWS,
    )
