"""The report's section on what metering is worth (issue 15): the budget, the money at risk,
a chart of the largest contributors and both plans, in one language (docs/plan.md)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from tanjiliang.plan.plan import ActionView, Plan
from tanjiliang.plan.words import component_label, w
from tanjiliang.reports.charts import FONT, _text_width

BAR = "#1f4e79"


def contributors_chart(p: Plan, lang: str, width: int = 720, most: int = 10) -> str:
    """Horizontal bars: the largest components' standard uncertainty in tCO2e, with their
    share of the unit's variance (inline SVG, no script)."""
    rows = [(f"{c.stream} · {component_label(c.name, lang)}", c.u_tco2e, c.contribution)
            for c in p.budget.ranked[:most]]
    size, row_h, top = 11.0, 20, 30
    label_w = min(max((_text_width(r[0], size) for r in rows), default=80) + 12, width * 0.5)
    bar_w = width - label_w - 140
    height = top + row_h * len(rows) + 10
    vmax = max((r[1] for r in rows), default=0.0) or 1.0
    title = w("chart", lang)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{size}" role="img" '
           f'aria-label="{escape(title)}">',
           f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for k, (label, value, share) in enumerate(rows):
        y = top + k * row_h
        bw = max(bar_w * value / vmax, 1.0 if value else 0.0)
        text = label
        while _text_width(text, size) > label_w - 8 and len(text) > 4:
            text = text[:-2] + "…"
        out.append(f'<text x="{label_w - 6:.1f}" y="{y + 14}" text-anchor="end">{escape(text)}</text>')
        out.append(f'<rect x="{label_w:.1f}" y="{y + 3}" width="{bw:.1f}" height="{row_h - 6}" fill="{BAR}">'
                   f'<title>{escape(label)}: {value:,.0f} t</title></rect>')
        out.append(f'<text x="{label_w + bw + 6:.1f}" y="{y + 14}" fill="#333">{value:,.0f} t · {share:.1%}</text>')
    out.append("</svg>")
    return "\n".join(out)


@dataclass(slots=True)
class _Sol:
    actions: list[str]
    views: list[ActionView]
    cost: float
    removed_tco2e: float
    lines: list[str]


def section_html(p: Plan, lang: str, number: int) -> str:
    """The section as an HTML fragment for the report page (numbered ``number``)."""
    from tanjiliang.reports.html import _env

    def n(x: float) -> str:
        return f"{x:,.0f}"

    def art18(v: ActionView) -> str:
        return w("art18." + v.verdict(), lang)

    lc = p.least_cost
    lines = [u.text(lang) for u in lc.unmet]
    if p.after is not None:
        line = f"{w('after', lang)}: {w('conclusion', lang)} {w(p.after.conclusion, lang)}"
        if p.after.tiers_short:
            line += f"; {w('tiers_short', lang)}: {', '.join(p.after.tiers_short)}"
        lines.append(line)
    elif not lc.actions and not lc.unmet:
        lines.append(w("nothing_needed", lang))
    solutions: list[tuple[str, Any]] = [
        (w("least_cost", lang), _Sol(lc.actions, p.views_of(lc), lc.cost, 0.0, lines))]
    if p.within_budget is not None:
        wb = p.within_budget
        how = w("budget_user", lang) if p.budget_from == "user" else w("budget_least_cost", lang)
        title = f"{w('within_budget', lang)} — {w('budget', lang)} {n(p.budget_yuan or 0)} 元 ({how})"
        extra = [w("marginal_note", lang)] if wb.actions else [w("nothing_removes", lang)]
        extra += [m[0] if lang == "zh" else m[1] for m in wb.notes]
        solutions.append((title, _Sol(wb.actions, p.views_of(wb), wb.cost,
                                      wb.removed_tco2e, extra)))
    return _env().get_template("plan_section.html.j2").render(
        p=p, b=p.budget, lang=lang, number=number, n=n, art18=art18,
        w=lambda key: w(key, lang), label=lambda name: component_label(name, lang),
        streams=sorted(p.budget.streams, key=lambda s: -s.at_risk_tco2e),
        contributors=p.budget.ranked[:15], chart=contributors_chart(p, lang), solutions=solutions)
