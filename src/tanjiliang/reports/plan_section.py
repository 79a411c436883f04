"""The report's section on what metering is worth (issue 15): the budget, the money at risk,
a chart of the largest contributors and both plans, in one language (docs/plan.md)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from tanjiliang.plan.words import component_label, w
from tanjiliang.reports.charts import FONT, _text_width

if TYPE_CHECKING:  # the plan's types only: its solver (HiGHS, numpy) is not needed here (issue 16)
    from tanjiliang.plan.plan import ActionView, Plan
    from tanjiliang.reports.context import Table

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
        title = f"{w('within_budget', lang)} — {w('budget', lang)} {n(p.budget_yuan or 0)} {w('yuan', lang)} ({how})"
        extra = [w("marginal_note", lang)] if wb.actions else [w("nothing_removes", lang)]
        extra += [m[0] if lang == "zh" else m[1] for m in wb.notes]
        solutions.append((title, _Sol(wb.actions, p.views_of(wb), wb.cost,
                                      wb.removed_tco2e, extra)))
    return _env().get_template("plan_section.html.j2").render(
        p=p, b=p.budget, lang=lang, number=number, n=n, art18=art18,
        w=lambda key: w(key, lang), label=lambda name: component_label(name, lang),
        streams=sorted(p.budget.streams, key=lambda s: -s.at_risk_tco2e),
        contributors=p.budget.ranked[:15], chart=contributors_chart(p, lang), solutions=solutions)


def plan_tables(p: Plan, lang: str) -> list[Table]:
    """The section's tables for the workbook: streams, contributors (with citations), and
    each plan's actions with the MRR Art. 18 figures; numbers kept unrounded."""
    from tanjiliang.reports.context import Table

    b = p.budget
    summary = Table("plan_summary", w("title", lang), [w("total", lang), w("expanded", lang) + " %",
                                                        w("at_risk", lang) + " t", w("yuan_at_risk", lang) + " " + w("yuan", lang),
                                                        w("price", lang), w("citation", lang)],
                    numeric={0, 1, 2, 3, 4})
    price_src = p.price.citation.text(lang) if p.price.citation else w("price_user", lang)
    summary.add([f"{b.total_tco2e:,.0f}", f"{b.expanded_percent:.3f}", f"{b.expanded_tco2e:,.0f}",
                 f"{p.yuan_at_risk:,.0f}", f"{p.price.value:g}", price_src],
                values={0: b.total_tco2e, 1: b.expanded_percent, 2: b.expanded_tco2e, 3: p.yuan_at_risk,
                        4: p.price.value})
    streams = Table("plan_streams", w("streams", lang),
                    [w("stream", lang), w("name", lang), "tCO2e", w("u_rel", lang) + " %",
                     w("U_rel", lang) + " %", w("at_risk", lang) + " t", w("yuan_at_risk", lang) + " " + w("yuan", lang)],
                    numeric={2, 3, 4, 5, 6})
    for s in sorted(b.streams, key=lambda s: -s.at_risk_tco2e):
        yuan = s.at_risk_tco2e * p.price.value
        streams.add([s.id, s.name, f"{s.emissions_tco2e:,.0f}", f"{s.u_percent:.3f}", f"{s.expanded_percent:.3f}",
                     f"{s.at_risk_tco2e:,.0f}", f"{yuan:,.0f}"],
                    values={2: s.emissions_tco2e, 3: s.u_percent, 4: s.expanded_percent, 5: s.at_risk_tco2e, 6: yuan})
    contributors = Table("plan_contributors", w("contributors", lang),
                         [w("rank", lang), w("stream", lang), w("component", lang), "u %", "u t",
                          w("share", lang), w("basis", lang), w("citation", lang)],
                         numeric={0, 3, 4, 5}, formats={5: "0.0%"})
    for i, c in enumerate(b.ranked, start=1):
        contributors.add([str(i), c.stream, component_label(c.name, lang), f"{c.u_percent:.3f}", f"{c.u_tco2e:,.0f}",
                          f"{c.contribution:.1%}", c.basis, c.citation.text(lang)],
                         values={0: i, 3: c.u_percent, 4: c.u_tco2e, 5: c.contribution})
    out = [summary, streams, contributors]
    sols = [("plan_a", w("least_cost", lang), p.least_cost)]
    if p.within_budget is not None:
        sols.append(("plan_b", w("within_budget", lang), p.within_budget))
    for key, title, sol in sols:
        tb = Table(key, title, [w("action", lang), w("cost", lang), w("annual", lang), w("removed", lang),
                                w("benefit", lang), w("art18", lang)], numeric={1, 2, 3, 4},
                   note="; ".join(u.text(lang) for u in sol.unmet))
        for v in p.views_of(sol):
            tb.add([v.action.text(lang), f"{v.action.cost:,.0f}", f"{v.action.annual_cost:,.0f}",
                    f"{v.removed_tco2e:,.0f}", f"{v.benefit_yuan:,.0f}", w("art18." + v.verdict(), lang)],
                   values={1: v.action.cost, 2: v.action.annual_cost, 3: v.removed_tco2e, 4: v.benefit_yuan})
        out.append(tb)
    return out
