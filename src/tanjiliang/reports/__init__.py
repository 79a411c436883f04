"""Reports handed to a reviewer: HTML, PDF and XLSX from one assessment.

``write_report(assessment, unit, path, lang)`` picks the format from the suffix. The builders
are imported when used, so that light modules of this package (``i18n``, ``fmt``) can be read
by the diagram without loading WeasyPrint or openpyxl.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tanjiliang.assess.result import Assessment
    from tanjiliang.model.unit import UnitFile
    from tanjiliang.plan.plan import Plan
    from tanjiliang.rules.schema import Pack

REPORT_FORMATS = ("html", "pdf", "xlsx")


class ReportFormatError(ValueError):
    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        super().__init__(f"unsupported report format {suffix!r} (html, pdf, xlsx)")

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"不支持的报告格式“{self.suffix}”（可用 .html、.pdf、.xlsx）"
        return f'unsupported report format "{self.suffix}" (use .html, .pdf or .xlsx)'


def write_report(assessment: Assessment, unit: UnitFile, path: str | Path, lang: str = "zh",
                 pack: Pack | None = None, plan: Plan | None = None) -> Path:
    """Write the report of ``assessment`` to ``path`` (.html, .pdf or .xlsx) in ``lang``.

    ``pack`` is the rule pack the assessment used (for the names of media, instrument types
    and findings); when not given it is loaded by the assessment's pack name and checked
    against the recorded SHA-256. ``plan`` (issue 15) adds the section on what metering is
    worth to the HTML and PDF report, and its sheet to the workbook.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        raise ReportFormatError(path.suffix or path.name)
    from tanjiliang.model.write import atomic_write
    from tanjiliang.reports.context import build_context

    ctx = build_context(assessment, unit, pack, lang)
    if fmt == "html":
        from tanjiliang.reports.html import render_html

        atomic_write(path, render_html(ctx, plan=plan))
    elif fmt == "pdf":
        from tanjiliang.reports.pdf import render_pdf

        atomic_write(path, render_pdf(ctx, plan=plan))
    else:
        from tanjiliang.model.xlsx import save_workbook
        from tanjiliang.reports.xlsx import build_workbook

        wb = build_workbook(ctx)
        if plan is not None:  # the plan's sheet (issue 15)
            from tanjiliang.plan.words import w
            from tanjiliang.reports.plan_section import plan_tables
            from tanjiliang.reports.xlsx import _fit_columns, _sheet, write_table

            ws = _sheet(wb, w("sheet", lang))
            row = 1
            for tb in plan_tables(plan, lang):
                row = write_table(ws, tb, row)
            _fit_columns(ws)
        save_workbook(wb, path)  # formulas from user text stay text
    return path


__all__ = ["REPORT_FORMATS", "ReportFormatError", "write_report"]
