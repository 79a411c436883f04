"""The plan's words in Chinese and English (zh/en pairs, the project's mechanism until the
gettext catalogues of issue 13 take them over). One page is wholly in one language."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "sheet": ("计量的价值", "Metering worth"),
    "title": ("计量的价值：不确定度、风险排放量与最低成本方案", "What metering is worth: uncertainty, tonnes at risk and the least-cost plan"),
    "as_of": ("评价日期", "as of"),
    "pack": ("规则包", "pack"),
    "price": ("碳价", "carbon price"),
    "price_user": ("用户设定", "set by the user"),
    "total": ("排放总量", "total emissions"),
    "expanded": ("扩展不确定度", "expanded uncertainty"),
    "at_risk": ("风险排放量", "tonnes at risk"),
    "yuan_at_risk": ("风险金额", "yuan at risk"),
    "sum_streams": ("各源流风险排放量之和（完全相关上限）", "sum over streams (fully correlated bound)"),
    "streams": ("各源流不确定度预算", "Uncertainty budget per stream"),
    "stream": ("源流", "stream"),
    "name": ("名称", "name"),
    "u_rel": ("标准不确定度", "standard unc."),
    "U_rel": ("扩展不确定度", "expanded unc."),
    "contributors": ("主要贡献分量（按对总方差的贡献排序）", "Largest contributors (by share of the total variance)"),
    "rank": ("序", "#"),
    "component": ("分量", "component"),
    "share": ("方差占比", "share of variance"),
    "basis": ("计算依据", "basis"),
    "citation": ("出处", "source"),
    "least_cost": ("方案甲：达到符合并满足要求层级的最低成本方案", "Plan (a): least cost to conform and reach the required tiers"),
    "within_budget": ("方案乙：预算内消除最多风险排放量的方案", "Plan (b): most tonnes at risk removed within the budget"),
    "action": ("措施", "action"),
    "yuan": ("元", "CNY"),
    "yuan_per_t": ("元/tCO2", "CNY/tCO2"),
    "yuan_per_year": ("元/年", "CNY/a"),
    "cost": ("费用（元）", "cost (CNY)"),
    "annual": ("年化费用（元/年）", "annual cost (CNY/a)"),
    "removed": ("消除风险排放量（t/年）", "removed (t/a)"),
    "benefit": ("效益（元/年）", "benefit (CNY/a)"),
    "art18": ("MRR 第18条", "MRR Art. 18"),
    "reasonable": ("合理", "reasonable"),
    "unreasonable": ("成本不合理", "unreasonable cost"),
    "required_only": ("为符合所需", "needed to conform"),
    "art18.reasonable": ("合理", "reasonable"),
    "art18.unreasonable": ("成本不合理", "unreasonable cost"),
    "art18.needed": ("为符合所需", "needed to conform"),
    "art18.combined": ("与其他措施组合生效", "only with the other actions"),
    "marginal_note": ("方案乙中各措施的消除量为其在方案内的边际贡献（去掉该措施后风险排放量的增加）。",
                      "In plan (b) each action's tonnes are what it adds within the plan (how much the tonnes at risk would rise without it)."),
    "total_cost": ("合计费用", "total cost"),
    "unmet": ("无法满足的要求", "Requirements that cannot be met"),
    "after": ("按方案甲整改后重新评价", "Assessed again with plan (a) applied"),
    "conclusion": ("结论", "conclusion"),
    "conforming": ("符合", "conforming"),
    "nonconforming": ("不符合", "nonconforming"),
    "tiers_short": ("仍未达到要求层级的源流", "streams still short of their required tier"),
    "nothing_needed": ("无需整改：单位已符合且达到要求层级", "nothing to do: the unit conforms and reaches its required tiers"),
    "budget": ("预算", "budget"),
    "budget_user": ("用户设定", "set by the user"),
    "budget_least_cost": ("取方案甲的费用", "the cost of plan (a)"),
    "no_budget": ("未给出预算（--budget）", "no budget given (--budget)"),
    "nothing_removes": ("预算内没有能降低风险排放量的措施", "no action within the budget lowers the tonnes at risk"),
    "after_b": ("实施后各源流风险排放量之和", "sum over streams after the plan"),
    "tables": ("数据表", "tables"),
    "footnote": ("所有数值及其出处见 --format json 与 docs/plan.md；成本目录数值为估算（状态 I），询价后请替换（--costs）。",
                 "Every number and its source: --format json and docs/plan.md; the cost catalogue is an estimate (status I) until quoted (--costs)."),
    "candidates": ("候选措施", "Candidate actions"),
    "chart": ("不确定度贡献（tCO2e，标准不确定度）", "Uncertainty contributors (tCO2e, standard uncertainty)"),
    "status.optimal": ("最优", "optimal"),
    "status.partial": ("部分（有无法满足的要求）", "partial (some requirements cannot be met)"),
    "status.infeasible": ("不可行", "infeasible"),
    "status.empty": ("无", "none"),
    "requirement": ("要求", "requirement"),
}

PARTS: dict[str, tuple[str, str]] = {
    "activity": ("活动数据", "activity data"),
    "stock": ("库存变化（盘库）", "stock change (stock-take)"),
    "cems": ("CEMS 测量系统", "CEMS measuring system"),
    "ncv": ("低位发热量", "NCV"),
    "carbon_content": ("单位热值含碳量", "carbon content"),
    "oxidation_rate": ("碳氧化率", "oxidation rate"),
    "emission_factor": ("排放因子", "emission factor"),
    "repeatability": ("重复性", "repeatability"),
    "reproducibility": ("再现性", "reproducibility"),
    "sampling": ("采样", "sampling"),
    "laboratory_bias": ("实验室偏倚（未认可）", "laboratory bias (not accredited)"),
    "library": ("缺省值", "default value"),
    "default": ("缺省值", "default value"),
    "supplier": ("供应商数据", "supplier's value"),
    "measured": ("实测", "measured"),
    "oot": ("超差期", "out-of-tolerance period"),
}


def w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def component_label(name: str, lang: str) -> str:
    """``ncv.reproducibility`` → 低位发热量·再现性; ``oot.W-01`` → 超差期 W-01."""
    i = 0 if lang == "zh" else 1
    head, _, rest = name.partition(".")
    if head == "oot":
        return f"{PARTS['oot'][i]} {rest}"
    parts = [head, *rest.split(".")] if rest else [head]
    out = []
    for p in parts:
        out.append(PARTS[p][i] if p in PARTS else p)
    return "·".join(out) if lang == "zh" else " · ".join(out)
