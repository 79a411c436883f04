"""The PDF report: the HTML page of :mod:`tanjiliang.reports.html` printed by WeasyPrint (no
browser). Chinese is set in Noto Sans CJK SC, which the set-up installs (Debian
``fonts-noto-cjk``, see the Makefile); WeasyPrint embeds the subset it uses."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tanjiliang.reports.context import ReportContext
from tanjiliang.reports.html import render_html

if TYPE_CHECKING:
    from tanjiliang.plan.plan import Plan


def render_pdf(ctx: ReportContext, html: str | None = None, plan: Plan | None = None) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page = html if html is not None else render_html(ctx, for_pdf=True, plan=plan)
    pdf: bytes = HTML(string=page, base_url=None).write_pdf()
    return pdf
