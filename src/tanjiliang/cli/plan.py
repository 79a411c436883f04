"""``tanjiliang plan UNIT``: the uncertainty budget, tonnes and yuan at risk, and the
least-cost plan (issue 15, docs/plan.md). Exit 0, or 2 on bad input (nothing written)."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tanjiliang.cli.check import Format, Lang, fail, make_console, parse_as_of
from tanjiliang.i18n import gettext
from tanjiliang.model.errors import Issue, LoadError, os_reason
from tanjiliang.plan.plan import Plan
from tanjiliang.plan.solve import Solution
from tanjiliang.plan.words import component_label, w


def _t(x: float) -> str:
    return f"{x:,.0f}"


def _bad(arg: str, zh: str, en: str) -> LoadError:
    return LoadError([Issue(arg, None, "", zh, en)])


def plan(
    file: Annotated[Path, typer.Argument(help="unit file (YAML or JSON) 单位文件")],
    budget: Annotated[float | None, typer.Option("--budget", help="budget in CNY for plan (b) 预算（元）")] = None,
    price: Annotated[float | None, typer.Option("--price", help="carbon price CNY/tCO2 (default: the dated price table) 碳价（元/tCO2）")] = None,
    pack: Annotated[str | None, typer.Option(help="rule pack name or path 规则包名称或路径")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="as of YYYY-MM-DD (default today) 评价日期")] = None,
    costs: Annotated[Path | None, typer.Option("--costs", help="your own cost catalogue (YAML) 成本目录")] = None,
    accredited: Annotated[bool | None, typer.Option("--accredited/--in-house", help="the laboratory is CNAS-accredited, or in-house (default: the table's assumption) 化验室是否经认可")] = None,
    reasonable_only: Annotated[bool, typer.Option("--reasonable-only", help="plan (b) only with actions that pass the MRR Art. 18 test 仅采用成本合理的措施")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the report with the plan's section: .html, .pdf or .xlsx 输出报告")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """What metering is worth: uncertainty budget, tonnes and yuan at risk, least-cost plan.
    计量的价值：不确定度预算、风险排放量与金额、最低成本整改方案。"""
    from tanjiliang.model.load import load_unit
    from tanjiliang.plan.plan import make_plan
    from tanjiliang.plan.tables import read_costs
    from tanjiliang.rules.load import load_pack

    day = parse_as_of(as_of, lang.value)
    for opt, x in (("--budget", budget), ("--price", price)):  # nan and inf pass "< 0" and "<= 0"
        if x is not None and not math.isfinite(x):
            raise fail(_bad(opt, f"“{x}”不是有限的数值", f'"{x}" is not a finite number'), lang.value)
    if budget is not None and budget < 0:
        raise fail(_bad("--budget", f"预算不能为负（{budget:g}）", f"the budget cannot be negative ({budget:g})"), lang.value)
    if price is not None and price <= 0:
        raise fail(_bad("--price", f"碳价须大于0（{price:g}）", f"the carbon price must be > 0 ({price:g})"), lang.value)
    if output is not None and output.suffix.lower() not in (".html", ".pdf", ".xlsx"):
        raise fail(_bad(str(output), "报告只能是 .html、.pdf 或 .xlsx", "a report must be .html, .pdf or .xlsx"), lang.value)
    try:
        unit = load_unit(file)
        loaded = load_pack(pack or unit.pack)
        catalogue = read_costs(costs) if costs is not None else None
        result = make_plan(unit, loaded, day, price=price, budget=budget, costs=catalogue,
                           accredited=accredited, reasonable_only=reasonable_only)
    except LoadError as err:
        raise fail(err, lang.value) from None
    except OSError as err:
        raise fail(_bad(str(costs), f"无法读取成本目录：{os_reason(err)[0]}",
                        f"cannot read the cost catalogue: {os_reason(err)[1]}"), lang.value) from None
    if output is not None and result.assessment is not None:
        from tanjiliang.reports import write_report

        write_report(result.assessment, unit, output, lang.value, loaded.pack, plan=result)
    if fmt is Format.json:
        from tanjiliang.model.write import json_text

        sys.stdout.write(json_text(result.to_json(lang.value)))
    else:
        render(result, lang.value, make_console())


def render(p: Plan, lang: str, console: Console) -> None:
    """The terminal report of a plan."""
    zh = lang == "zh"
    b = p.budget
    price = p.price
    console.print(f"[bold]{escape(p.unit_name)}[/]  ·  {w('title', lang)}")
    src = price.citation.text(lang) if price.citation else w("price_user", lang)
    console.print(f"{w('as_of', lang)} {p.as_of}  ·  {w('pack', lang)} {p.pack}  ·  "
                  f"{w('price', lang)} {price.value:g} {w('yuan_per_t', lang)}" + (f" ({price.date})" if price.date else "")
                  + f"  ·  {escape(src)}")
    console.print(f"{w('total', lang)} {_t(b.total_tco2e)} tCO₂e  ·  {w('expanded', lang)} (k = {b.coverage_factor:g}) "
                  f"{b.expanded_percent:.2f} %  ·  [bold]{w('at_risk', lang)} {_t(b.expanded_tco2e)} t[/]  ·  "
                  f"[bold]{w('yuan_at_risk', lang)} {_t(p.yuan_at_risk)} {w('yuan', lang)}[/]")
    console.print(f"{w('sum_streams', lang)}: {_t(b.sum_at_risk_tco2e)} t · {_t(b.sum_at_risk_tco2e * price.value)} {w('yuan', lang)}")

    st = Table(title=w("streams", lang), title_justify="left")
    for col in (w("stream", lang), w("name", lang), "tCO₂e", w("u_rel", lang), w("U_rel", lang),
                w("at_risk", lang) + " t", w("yuan_at_risk", lang) + " " + w("yuan", lang)):
        st.add_column(col, justify="left" if col in (w("stream", lang), w("name", lang)) else "right")
    for s in sorted(b.streams, key=lambda s: -s.at_risk_tco2e):
        st.add_row(s.id, escape(s.name), _t(s.emissions_tco2e), f"{s.u_percent:.3f} %",
                   f"{s.expanded_percent:.3f} %", _t(s.at_risk_tco2e), _t(s.at_risk_tco2e * price.value))
    console.print(st)

    ct = Table(title=w("contributors", lang), title_justify="left")
    for col in (w("rank", lang), w("stream", lang), w("component", lang), "u %", "u t",
                w("share", lang), w("basis", lang), w("citation", lang)):
        ct.add_column(col, overflow="fold")
    for i, c in enumerate(b.ranked[:10], start=1):
        ct.add_row(str(i), c.stream, component_label(c.name, lang), f"{c.u_percent:.3f}", _t(c.u_tco2e),
                   f"{c.contribution:.1%}", escape(c.basis), escape(c.citation.text(lang)))
    console.print(ct)

    _solution(console, p, p.least_cost, w("least_cost", lang), lang)
    for u in p.least_cost.unmet:
        console.print(f"[yellow]{w('unmet', lang)}:[/] {escape(u.text(lang))}")
    if p.after is not None:
        colour = "green" if p.after.conclusion == "conforming" else "red"
        line = f"{w('after', lang)}: {w('conclusion', lang)} [{colour}]{w(p.after.conclusion, lang)}[/]"
        if p.after.tiers_short:
            line += f"; {w('tiers_short', lang)}: {', '.join(p.after.tiers_short)}"
        console.print(line)
    elif not p.least_cost.actions and not p.least_cost.unmet:
        console.print(w("nothing_needed", lang))

    if p.within_budget is None:
        console.print(f"{w('within_budget', lang)}: {w('no_budget', lang)}")
    else:
        how = w("budget_user", lang) if p.budget_from == "user" else w("budget_least_cost", lang)
        title = gettext("{0} — {1} {2} 元（{3}）", lang, "cli.plan").format(w('within_budget', lang), w('budget', lang), _t(p.budget_yuan or 0), how)
        _solution(console, p, p.within_budget, title, lang)
        if p.within_budget.actions:
            wb = p.within_budget
            console.print(f"[dim]{w('marginal_note', lang)}[/]")
            console.print(f"{w('removed', lang)}: {_t(wb.removed_tco2e)} t · {_t(wb.removed_tco2e * price.value)} {w('yuan_per_year', lang)}; "
                          f"{w('after_b', lang)}: {_t(p.at_risk_after_tco2e or 0)} t")
        else:
            console.print(w("nothing_removes", lang))
        for n in p.within_budget.notes:
            console.print(f"[yellow]{escape(n[0] if zh else n[1])}[/]")
    console.print(f"[dim]{w('tables', lang)}: {', '.join(p.tables.values())}. {w('footnote', lang)}[/]")


def _solution(console: Console, p: Plan, s: Solution, title: str, lang: str) -> None:
    if not s.actions:
        return
    t = Table(title=f"{title} — {w('total_cost', lang)} {_t(s.cost)} {w('yuan', lang)} ({w('status.' + s.status, lang) if ('status.' + s.status) in _STATUSES else s.status})",
              title_justify="left")
    for col in (w("action", lang), w("cost", lang), w("annual", lang), w("removed", lang),
                w("benefit", lang), w("art18", lang)):
        t.add_column(col, justify="left" if col == w("action", lang) else "right", overflow="fold")
    for v in p.views_of(s):
        verdict = v.verdict()
        art = w("art18." + verdict, lang)
        if verdict == "unreasonable":
            art = f"[red]{art}[/]"
        t.add_row(escape(v.action.text(lang)), _t(v.action.cost), _t(v.action.annual_cost),
                  _t(v.removed_tco2e), _t(v.benefit_yuan), art)
    console.print(t)


_STATUSES = {"status.optimal", "status.partial", "status.infeasible", "status.empty"}


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
