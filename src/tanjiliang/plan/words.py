"""The plan's words, written in Chinese; the English (and any further language) comes from the
catalogue (issue 13), context ``plan:<key>`` and ``plan.part:<key>``. One page is wholly in one
language."""

from __future__ import annotations

from typing import cast

from tanjiliang.i18n import pairs, pick

WORDS = cast("dict[str, tuple[str, str]]", pairs("plan", {
    "sheet": "计量的价值",
    "title": "计量的价值：不确定度、风险排放量与最低成本方案",
    "as_of": "评价日期",
    "pack": "规则包",
    "price": "碳价",
    "price_user": "用户设定",
    "total": "排放总量",
    "expanded": "扩展不确定度",
    "at_risk": "风险排放量",
    "yuan_at_risk": "风险金额",
    "sum_streams": "各源流风险排放量之和（完全相关上限）",
    "streams": "各源流不确定度预算",
    "stream": "源流",
    "name": "名称",
    "u_rel": "标准不确定度",
    "U_rel": "扩展不确定度",
    "contributors": "主要贡献分量（按对总方差的贡献排序）",
    "rank": "序",
    "component": "分量",
    "share": "方差占比",
    "basis": "计算依据",
    "citation": "出处",
    "least_cost": "方案甲：达到符合并满足要求层级的最低成本方案",
    "within_budget": "方案乙：预算内消除最多风险排放量的方案",
    "action": "措施",
    "yuan": "元",
    "yuan_per_t": "元/tCO₂",
    "yuan_per_year": "元/年",
    "cost": "费用（元）",
    "annual": "年化费用（元/年）",
    "removed": "消除风险排放量（t/年）",
    "benefit": "效益（元/年）",
    "art18": "MRR 第18条",
    "reasonable": "合理",
    "unreasonable": "成本不合理",
    "required_only": "为符合所需",
    "art18.reasonable": "合理",
    "art18.unreasonable": "成本不合理",
    "art18.needed": "为符合所需",
    "art18.combined": "与其他措施组合生效",
    "marginal_note": "方案乙中各措施的消除量为其在方案内的边际贡献（去掉该措施后风险排放量的增加）。",
    "total_cost": "合计费用",
    "unmet": "无法满足的要求",
    "after": "按方案甲整改后重新评价",
    "conclusion": "结论",
    "conforming": "符合",
    "nonconforming": "不符合",
    "tiers_short": "仍未达到要求层级的源流",
    "nothing_needed": "无需整改：单位已符合且达到要求层级",
    "budget": "预算",
    "budget_user": "用户设定",
    "budget_least_cost": "取方案甲的费用",
    "no_budget": "未给出预算（--budget）",
    "nothing_removes": "预算内没有能降低风险排放量的措施",
    "after_b": "实施后各源流风险排放量之和",
    "tables": "数据表",
    "footnote": "所有数值及其出处见 --format json 与 docs/plan.md；成本目录数值为估算（状态 I），询价后请替换（--costs）。",
    "candidates": "候选措施",
    "chart": "不确定度贡献（tCO2e，标准不确定度）",
    "status.optimal": "最优",
    "status.partial": "部分（有无法满足的要求）",
    "status.infeasible": "不可行",
    "status.empty": "无",
    "requirement": "要求",
}))

PARTS = cast("dict[str, tuple[str, str]]", pairs("plan.part", {
    "activity": "活动数据",
    "stock": "库存变化（盘库）",
    "cems": "CEMS 测量系统",
    "ncv": "低位发热量",
    "carbon_content": "单位热值含碳量",
    "oxidation_rate": "碳氧化率",
    "emission_factor": "排放因子",
    "repeatability": "重复性",
    "reproducibility": "再现性",
    "sampling": "采样",
    "laboratory_bias": "实验室偏倚（未认可）",
    "library": "缺省值",
    "default": "缺省值",
    "supplier": "供应商数据",
    "measured": "实测",
    "oot": "超差期",
}))


def w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"plan:{key}")


def _part(key: str, lang: str) -> str:
    return pick(PARTS[key], lang, f"plan.part:{key}")


def component_label(name: str, lang: str) -> str:
    """``ncv.reproducibility`` → 低位发热量·再现性; ``oot.W-01`` → 超差期 W-01."""
    head, _, rest = name.partition(".")
    if head == "oot":
        return f"{_part('oot', lang)} {rest}"
    parts = [head, *rest.split(".")] if rest else [head]
    out = []
    for p in parts:
        out.append(_part(p, lang) if p in PARTS else p)
    return "·".join(out) if lang == "zh" else " · ".join(out)


#: The cited documents' titles as the plan's tables write them (Chinese where the document is
#: Chinese), by source id; English pages show the English title (docs/i18n.md "Citations").
TITLES = cast("dict[str, tuple[str, str]]", pairs("plan.source", {
    "seee": "上海环境能源交易所 全国碳排放权交易市场 碳排放配额（CEA）收盘价（每日行情 / 年度报告）",
    "jjf1059-1": "JJF 1059.1-2012 测量不确定度评定与表示",
    "gbt213": "GB/T 213-2008 煤的发热量测定方法",
    "gbt476": "GB/T 476-2008 煤中碳和氢的测定方法",
    "gbt475": "GB/T 475-2008 商品煤样人工采取方法",
    "gbt11062": "GB/T 11062-2014 天然气 发热量、密度、相对密度和沃泊指数的计算方法",
    "gbt13610": "GB/T 13610-2020 天然气的组成分析 气相色谱法",
    "iso5725-6": "ISO 5725-6:1994 / GB/T 6379.6-2009 测量方法与结果的准确度 第6部分",
    "cn-power-2022": "企业温室气体排放核算与报告指南 发电设施（2022年修订版）",
    "mee-grid-2022": "生态环境部 关于做好2023—2025年发电行业企业温室气体排放报告管理有关工作的通知（全国电网排放因子）",
}))

#: Clauses the plan's tables write in Chinese (by their text), for English pages.
CLAUSES = cast("dict[str, tuple[str, str]]", pairs("plan.clause", {
    "2021年末收盘价": "2021年末收盘价",
    "2022年末收盘价": "2022年末收盘价",
    "2023年末收盘价": "2023年末收盘价",
    "2024年末收盘价": "2024年末收盘价",
    "§ 燃煤元素碳和低位发热量 每月检测（月度缩分样）": "§ 燃煤元素碳和低位发热量 每月检测（月度缩分样）",
    "§ 精密度 碳 再现性临界差 1.00 %": "§ 精密度 碳 再现性临界差 1.00 %",
    "§ 精密度 碳 重复性限 0.50 %": "§ 精密度 碳 重复性限 0.50 %",
    "§10 精密度 再现性临界差 300 J/g (Qgr,d)": "§10 精密度 再现性临界差 300 J/g (Qgr,d)",
    "§10 精密度 重复性限 120 J/g (Qgr,ad)": "§10 精密度 重复性限 120 J/g (Qgr,ad)",
    "§3.5.3 / §5.3 包含因子 k = 2（约95 %）": "§3.5.3 / §5.3 包含因子 k = 2（约95 %）",
    "§4.3.3.4 正态分布 p = 95 % 时 k ≈ 2": "§4.3.3.4 正态分布 p = 95 % 时 k ≈ 2",
    "§4.3.3.4 表2 矩形分布 k = √3": "§4.3.3.4 表2 矩形分布 k = √3",
    "§9 / GB/T 13610 表 精密度：发热量重复性约 0.1 %": "§9 / GB/T 13610 表 精密度：发热量重复性约 0.1 %",
    "精密度 再现性约 0.3 %（由组成计算的发热量）": "精密度 再现性约 0.3 %（由组成计算的发热量）",
    "精密度（组分）再现性，折算含碳量约 0.6 %": "精密度（组分）再现性，折算含碳量约 0.6 %",
    "精密度（组分）重复性，折算含碳量约 0.2 %": "精密度（组分）重复性，折算含碳量约 0.2 %",
    "表1 采样、制样和化验总精密度 Ad ±2 %（绝对）→ NCV ≈ 2/(100−A−M) ≈ ±2.9 %": "表1 采样、制样和化验总精密度 Ad ±2 %（绝对）→ NCV ≈ 2/(100−A−M) ≈ ±2.9 %",
}))


#: Documents the table titles in English, by their Chinese titles on Chinese pages (the IPCC
#: guidelines' official Chinese edition; the EU regulation as Chinese texts cite it): id →
#: (the table's title, the Chinese title).
ZH_TITLES: dict[str, tuple[str, str]] = {
    "ipcc-2006-v2": ("2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Energy, Ch. 1",
                     "《2006年IPCC国家温室气体清单指南》第2卷 能源，第1章"),
    "ipcc-2006-v3": ("2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 3 IPPU, Ch. 2",
                     "《2006年IPCC国家温室气体清单指南》第3卷 工业过程和产品使用，第2章"),
    "eu-mrr": ("Commission Implementing Regulation (EU) 2018/2066 (MRR)",
               "欧盟委员会实施条例（EU）2018/2066（监测与报告条例，MRR）"),
}


def source_title(source: str, title: str, lang: str) -> str:
    """A cited document's title in ``lang`` (the table's own title where none is known); an
    English-titled document by its Chinese title on Chinese pages (:data:`ZH_TITLES`)."""
    if lang == "zh":
        zh = ZH_TITLES.get(source)
        return zh[1] if zh and zh[0] == title else title
    pair = TITLES.get(source)
    return pick(pair, lang, f"plan.source:{source}") if pair and pair[0] == title else title


def clause_text(clause: str, lang: str) -> str:
    """A clause the tables write in Chinese, in ``lang`` (others as they are)."""
    pair = CLAUSES.get(clause)
    return pick(pair, lang, f"plan.clause:{clause}") if pair else clause
