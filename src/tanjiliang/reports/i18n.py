"""The one translation table of the diagram and the reports (zh default, en with ``--lang en``).

Every fixed word shown on a diagram, an HTML/PDF page or an XLSX sheet comes from here, so that
a page is wholly in one language (TEAM.md "never mix the two on one page"). Names that come
from data carry their own languages (pack media, instrument types and finding titles are
``{zh, en}``; factor-library materials too); what the user typed (unit, stream and place names)
is shown as entered, next to its id.

Enumerations of the assessment (classes, statuses, severities, quantities, levels…) are the
engine's own display names (:mod:`tanjiliang.assess.labels`, shared with the CLI and the web app)
and are reached through :func:`enum`, so a word means the same on every door.
"""

from __future__ import annotations

import re
from typing import cast

from tanjiliang.assess.labels import LABELS, label
from tanjiliang.i18n import pairs, pick

LANGS = ("zh", "en")

TEXT = cast("dict[str, tuple[str, str]]", pairs("report", {
    # ---------------------------------------------------------------- diagram
    "diagram.title": "温室气体流向图",
    "diagram.boundary": "核算边界",
    "diagram.lab": "化验分析",
    "diagram.whole_unit": "全厂",
    "diagram.points": "计量点",
    "diagram.streams": "源流（线宽随排放量增加）",
    "diagram.letters": "器具类别字母",
    "diagram.line_major": "主要 / 次要源流：实线",
    "diagram.line_de_minimis": "微量源流：虚线（无需计量点）",
    "diagram.stack_line": "排放口：排出边界",
    "diagram.cems": "CEMS",
    # ---------------------------------------------------------------- statuses
    "point.conforming": "已配备且合格",
    "point.nonconforming": "已配备，准确度或检定/校准不合格",
    "point.missing": "应配未配",
    "point.extra": "非必需（自愿配备）",
    "qshort.ncv": "热值",
    "qshort.carbon_content": "含碳量",
    "qshort.oxidation_rate": "氧化率",
    "qshort.emission_factor": "排放因子",
    "qshort.co2": "CO2",
    "qshort.flow": "流量",
    "qshort.temperature": "温度",
    "qshort.pressure": "压力",
    "qshort.moisture": "湿度",
    "qshort.activity": "活动数据",
    "qshort.cao": "CaO",
    "qshort.mgo": "MgO",
    "qshort.cao_non_carbonate": "非碳酸盐CaO",
    "qshort.mgo_non_carbonate": "非碳酸盐MgO",
    "qshort.organic_carbon": "非燃料碳",
    "confirm.verification": "检定",
    "confirm.calibration": "校准",
    "source.measured": "实测",
    "source.default": "缺省值",
    "source.supplier": "供应商数据",
    "source.library": "因子库",
    "place.boundary": "边界",
    "place.lab": "化验室",
    "place.subunit": "次级单位",
    "place.equipment": "主要排放设施",
    "yes": "是",
    "no": "否",
    "meets.true": "达标",
    "meets.false": "未达标",
    "ok.true": "满足",
    "ok.false": "不满足",
    "ok.none": "不适用/无法判定",
    "none": "—",
    "tier.none": "无",
    **{f"sector.{k}": v for k, v in LABELS["sector"].items()},
    # ---------------------------------------------------------------- report
    "report.title": "碳计量器具配备和管理评价报告",
    "report.subtitle": "重点排放单位碳计量审查",
    "report.toc": "目录",
    "cover.unit": "单位名称",
    "cover.credit_code": "统一社会信用代码",
    "cover.sector": "行业",
    "cover.region": "所在地区",
    "cover.year": "报告年度",
    "cover.pack": "规则包",
    "cover.pack_version": "规则包版本",
    "cover.pack_hash": "规则包 SHA-256",
    "cover.factors": "因子库版本",
    "cover.gwp": "GWP 基准",
    "cover.as_of": "评价基准日",
    "cover.conclusion": "结论",
    "sec.summary": "概要与结论",
    "sec.diagram": "温室气体流向图",
    "sec.emissions": "排放量：按源流与分类",
    "sec.rates": "计量器具配备率",
    "sec.points": "计量点",
    "sec.accuracy": "准确度",
    "sec.confirmation": "检定/校准（计量确认）",
    "sec.findings": "不符合项与观察项",
    "sec.data": "计算依据数据",
    "sec.places": "次级单位与主要排放设施",
    "sum.total": "年排放总量 (tCO₂e)",
    "sum.biogenic": "生物质 CO2（不计入总量，t）",
    "sum.key_unit": "重点排放单位（≥2.6万 tCO₂e）",
    "sum.category": "排放设施类别",
    "sum.thresholds": "分类阈值 微量 / 次要 (tCO₂e)",
    "sum.streams": "源流数",
    "sum.points": "应配计量点 / 已配",
    "sum.instruments": "计量器具数",
    "sum.nonconformities": "不符合项",
    "sum.observations": "观察项",
    "sum.conclusion_conforming": "经评价，该单位碳计量器具配备和管理符合所用规则包的要求。",
    "sum.conclusion_nonconforming": "经评价，该单位碳计量器具配备和管理不符合所用规则包的要求，存在 {n} 项不符合项，须整改。",
    "sum.pack_note": "规则包状态：{status}；带 I 标记的数值为推断值，待正式文本发布后替换。",
    "col.no": "序号",
    "col.id": "编号",
    "col.symbol": "图中符号",
    "col.name": "名称",
    "col.kind": "类别",
    "col.method": "方法",
    "col.material": "物料",
    "col.medium": "介质",
    "col.activity": "活动数据",
    "col.emissions": "排放量 (tCO₂e)",
    "col.share": "占比",
    "col.class": "分类",
    "col.computed_class": "计算分类",
    "col.tier_required": "要求层级",
    "col.tier_achieved": "达到层级",
    "col.uncertainty": "不确定度 (%)",
    "col.level": "级别",
    "col.required": "应配数 N1",
    "col.equipped": "实配数 Ns",
    "col.rate": "配备率 Rp (%)",
    "col.required_rate": "要求 (%)",
    "col.meets": "判定",
    "col.stream": "源流",
    "col.quantity": "测量对象",
    "col.place": "计量位置",
    "col.places": "可覆盖位置",
    "col.instruments": "计量器具",
    "col.status": "状态",
    "col.type": "器具类型",
    "col.measures": "测量对象",
    "col.at": "安装使用地点",
    "col.accuracy": "准确度等级",
    "col.mpe": "最大允许误差 (%)",
    "col.required_mpe": "要求 MPE (%)",
    "col.accuracy_ok": "准确度判定",
    "col.confirmation": "检定/校准",
    "col.last_confirmed": "最近确认日期",
    "col.interval": "周期 (月)",
    "col.next_due": "下次到期",
    "col.calib_status": "确认状态",
    "col.certificate": "证书编号",
    "col.confirmed_by": "检定/校准机构",
    "col.model": "型号规格",
    "col.range": "测量范围",
    "col.manufacturer": "生产厂家",
    "col.serial": "出厂编号",
    "col.instr_status": "使用状态",
    "col.code": "代码",
    "col.severity": "性质",
    "col.clause": "条款",
    "col.subject": "对象",
    "col.message": "说明",
    "col.title": "类型",
    "col.parameter": "参数",
    "col.value": "数值",
    "col.unit": "单位",
    "col.source": "来源",
    "col.citation": "出处",
    "col.formula": "计算式",
    "col.consumers": "使用者（份额）",
    "col.by_gas": "分气体 (t)",
    "col.parent": "所属",
    "col.attributed": "归属排放量 (tCO₂e)",
    "col.major": "主要",
    "col.declared": "文件声明",
    "col.points": "计量点",
    "chart.by_stream": "各源流排放量 (tCO₂e)",
    "chart.by_class": "按分类",
    "chart.total": "合计",
    "xlsx.summary": "概要",
    "xlsx.ledger_level": "{level}计量器具一览表",
    "xlsx.ledger_other": "其他计量器具一览表",
    "xlsx.rates": "配备率",
    "xlsx.streams": "源流",
    "xlsx.parameters": "参数",
    "xlsx.points": "计量点",
    "xlsx.findings": "不符合项与观察项",
    "xlsx.places": "次级单位与设施",
    "rates.pivot_note": "单元格：实配数/应配数 = 配备率（要求）；格式仿 GB 17167 表 3。",
    "xlsx.rates_note": "配备率 Rp = Ns / N1 × 100%（GB 17167 定义）",
    "thresholds.note": "微量阈值 {tdm}；次要阈值 {tmin}（T 为年排放总量，tCO₂e）— {clause}；判定方式：{mode}",
    "formula.symbols": "计算式符号：E 排放量（tCO2）；AD 活动数据；NCV 低位发热量；CC 单位热值含碳量；OF 碳氧化率；EF 排放因子；44/12 二氧化碳与碳的相对分子质量之比。",
    "formula.measured": "E = 实测排放量（CEMS）",
    "formula.flow_out": "输出流：已计量，不计碳排放",
    "source.stock": "按库存变化推算",
    "source.calculated": "计算值",
    "subject.unit": "本单位",
    "none_found": "无",
    "colon": "：",
    "page": "第 {n} 页",
    "generated_by": "由 tanjiliang {version} 生成",
}))

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef（），、：；]+")


def t(key: str, lang: str = "zh", **kw: object) -> str:
    """The text of ``key`` in ``lang`` (``{name}`` placeholders filled from ``kw``)."""
    s = pick(TEXT[key], lang, f"report:{key}")
    return s.format(**kw) if kw else s


# The calculation's formulas (tanjiliang.emissions.calc) as printed, in the symbols of the
# Chinese accounting guidelines (explained by ``formula.symbols``).
FORMULAS = {
    "activity × ncv × carbon_content × oxidation_rate × 44/12": "E = AD × NCV × CC × OF × 44/12",
    "activity × carbon_content × oxidation_rate × 44/12": "E = AD × CC × OF × 44/12",
    "activity × emission_factor": "E = AD × EF",
    "activity × ncv × emission_factor": "E = AD × NCV × EF",
}


def formula_text(formula: str | None, lang: str = "zh") -> str:
    """A stream's formula as a formula (``E = AD × NCV × CC × OF × 44/12``)."""
    if not formula:
        return "—"
    if formula in FORMULAS:
        return FORMULAS[formula]
    if formula.startswith("measure"):
        return t("formula.measured", lang)
    if formula.startswith("flow out"):
        return t("formula.flow_out", lang)
    return formula


def enum(group: str, key: object, lang: str = "zh") -> str:
    """Display name of an enumeration value (``enum("class", "major")`` → ``主要源流``)."""
    return label(group, key, lang)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def finding_subject(subject: str | None, pack: object | None, lang: str = "zh") -> str:
    """What a finding is about, in words: ``byproduct_gas/3`` → ``副产煤气 三级`` (a medium and a
    level of GB 17167's table), ``data_management`` → the procedure's name, ``unit`` → 本单位;
    ids the user wrote are shown as they are."""
    if not subject:
        return "—"
    if subject == "unit":
        return t("subject.unit", lang)
    media = {m.id: m.name for m in getattr(getattr(pack, "media", None), "rows", [])}
    medium, sep, level = subject.partition("/")
    if sep and medium in media:
        if level in ("lab", "null", "None", ""):
            return str(media[medium](lang))
        return f"{media[medium](lang)} {enum('level', level, lang)}"
    mgmt = getattr(pack, "management", None)
    procs = getattr(getattr(mgmt, "required_procedures", None), "value", None) or []
    for kind in procs:
        if kind.id == subject:
            return str(kind.name(lang))
    return subject


# Titles of the documents the factor library cites, as written in its data (keys), and how a
# page shows them: the Chinese title where the document has one (the IPCC's guidelines are
# published in Chinese too), the English title on English pages (issue 13: citations an
# auditor accepts; a new language is a catalogue).
SOURCES = cast("dict[str, tuple[str, str]]", pairs("source", {
    "国家发展改革委 24 个行业企业温室气体排放核算方法与报告指南（试行）附录二 常用化石燃料相关参数缺省值": ("国家发展改革委 24 个行业企业温室气体排放核算方法与报告指南（试行）附录二 常用化石燃料相关参数缺省值", "NDRC accounting and reporting guidelines for 24 industries (trial), Annex 2 default parameters of common fossil fuels"),
    "企业温室气体排放核算与报告指南 发电设施（2022年修订版）": ("企业温室气体排放核算与报告指南 发电设施（2022年修订版）", "Guidelines for accounting and reporting GHG emissions of enterprises: power generation facilities (2022 revision)"),
    "GB/T 32151 温室气体排放核算与报告要求 系列": ("GB/T 32151 温室气体排放核算与报告要求 系列", "GB/T 32151 series, requirements of GHG emissions accounting and reporting"),
    "第三方碳核算工具及公开代码库中转载的该缺省值表": ("第三方碳核算工具及公开代码库中转载的该缺省值表", "copies of that table in third-party carbon calculators and public code repositories"),
    "碳酸盐分解的化学计量 CO2 排放因子（按 IUPAC 2021 标准原子量计算）": ("碳酸盐分解的化学计量 CO2 排放因子（按 IUPAC 2021 标准原子量计算）", "Stoichiometric CO2 of carbonate decomposition (IUPAC 2021 standard atomic weights)"),
    "中国钢铁生产企业温室气体排放核算方法与报告指南（试行）附录二": ("中国钢铁生产企业温室气体排放核算方法与报告指南（试行）附录二", "Guidelines for GHG accounting and reporting of Chinese iron and steel producers (trial), Annex 2"),
    "中国电解铝生产企业温室气体排放核算方法与报告指南（试行）": ("中国电解铝生产企业温室气体排放核算方法与报告指南（试行）", "Guidelines for GHG accounting and reporting of Chinese primary aluminium producers (trial)"),
    "生态环境部 关于做好2023—2025年发电行业企业温室气体排放报告管理有关工作的通知（全国电网平均排放因子 0.5703 tCO2/MWh）": ("生态环境部 关于做好2023—2025年发电行业企业温室气体排放报告管理有关工作的通知（全国电网平均排放因子 0.5703 tCO2/MWh）", "MEE notice on the management of GHG emission reports of power generators 2023–2025 (national grid average factor 0.5703 tCO2/MWh)"),
    "生态环境部、国家统计局 关于发布2022年电力二氧化碳排放因子的公告": ("生态环境部、国家统计局 关于发布2022年电力二氧化碳排放因子的公告", "MEE and NBS announcement of the 2022 electricity CO2 emission factors"),
    "生态环境部、国家统计局 关于发布2023年电力碳足迹因子/电力二氧化碳排放因子的公告": ("生态环境部、国家统计局 关于发布2023年电力碳足迹因子/电力二氧化碳排放因子的公告", "MEE and NBS announcement of the 2023 electricity carbon-footprint and CO2 emission factors"),
    "中国钢铁生产企业温室气体排放核算方法与报告指南（试行）附录二 固碳产品排放因子": ("中国钢铁生产企业温室气体排放核算方法与报告指南（试行）附录二 固碳产品排放因子", "Guidelines for GHG accounting and reporting of Chinese iron and steel producers (trial), Annex 2 factors of carbon-fixing products"),
    "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Energy, Ch. 1-2": ("《2006年IPCC国家温室气体清单指南》第2卷 能源，第1—2章", "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Energy, Ch. 1-2"),
    "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 3 IPPU, Ch. 2 (Table 2.1) and Ch. 4": ("《2006年IPCC国家温室气体清单指南》第3卷 工业过程和产品使用，第2章（表2.1）及第4章", "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 3 IPPU, Ch. 2 (Table 2.1) and Ch. 4"),
    "2006 IPCC Guidelines, Vol. 3 IPPU, Ch. 4 Metal Industry, Table 4.16 (slope coefficients, Tier 2)": ("《2006年IPCC国家温室气体清单指南》第3卷 工业过程和产品使用，第4章 金属工业，表4.16（斜率系数，方法2）", "2006 IPCC Guidelines, Vol. 3 IPPU, Ch. 4 Metal Industry, Table 4.16 (slope coefficients, Tier 2)"),
    "2006 IPCC Guidelines, Vol. 3 IPPU, Ch. 2 Mineral Industry, §2.2.1.2 equation 2.4 (clinker)": ("《2006年IPCC国家温室气体清单指南》第3卷 工业过程和产品使用，第2章 矿物工业，2.2.1.2节 式2.4（熟料）", "2006 IPCC Guidelines, Vol. 3 IPPU, Ch. 2 Mineral Industry, §2.2.1.2 equation 2.4 (clinker)"),
    # cement (issue 17)
    "企业温室气体排放核算与报告指南 水泥行业（CETS—AG—02.01—V01—2024）": ("企业温室气体排放核算与报告指南 水泥行业（CETS—AG—02.01—V01—2024）", "Guidelines for accounting and reporting GHG emissions of enterprises: cement (CETS-AG-02.01-V01-2024)"),
    "公开代码库中转载的水泥熟料缺省排放因子表（熟料生产过程排放计算表单）": ("公开代码库中转载的水泥熟料缺省排放因子表（熟料生产过程排放计算表单）", "a copy of the default clinker factor table in a public code repository (clinker process emission form)"),
    "中国水泥生产企业温室气体排放核算方法与报告指南（试行）": ("中国水泥生产企业温室气体排放核算方法与报告指南（试行）", "Guidelines for GHG accounting and reporting of Chinese cement producers (trial)"),
    "WBCSD Cement Sustainability Initiative, The Cement CO2 and Energy Protocol, version 3.1": ("世界可持续发展工商理事会 水泥可持续性倡议行动《水泥行业二氧化碳与能源核算协议》3.1版", "WBCSD Cement Sustainability Initiative, The Cement CO2 and Energy Protocol, version 3.1"),
    "本项目的保守取值（未声明非碳酸盐钙镁来源时，熟料中 CaO、MgO 全部按碳酸盐分解计）": ("本项目的保守取值（未声明非碳酸盐钙镁来源时，熟料中 CaO、MgO 全部按碳酸盐分解计）", "this project's conservative value (without a stated non-carbonate calcium or magnesium source, all CaO and MgO of the clinker count as from carbonates)"),
    "Carbon mass fraction × 44.009/12.011 (molar masses, IUPAC 2021)": ("含碳质量分数 × 44.009/12.011（IUPAC 2021 摩尔质量）", "Carbon mass fraction × 44.009/12.011 (molar masses, IUPAC 2021)"),
    "IPCC Second Assessment Report (1995), WG I, Table 4 (as used by the UNFCCC/Kyoto)": ("IPCC 第二次评估报告（1995），第一工作组，表4（《联合国气候变化框架公约》及《京都议定书》采用）", "IPCC Second Assessment Report (1995), WG I, Table 4 (as used by the UNFCCC/Kyoto)"),
    "IPCC Fourth Assessment Report (2007), WG I, Ch. 2, Table 2.14": ("IPCC 第四次评估报告（2007），第一工作组，第2章 表2.14", "IPCC Fourth Assessment Report (2007), WG I, Ch. 2, Table 2.14"),
    "IPCC Fifth Assessment Report (2013), WG I, Ch. 8, Table 8.7 (no climate-carbon feedback)": ("IPCC 第五次评估报告（2013），第一工作组，第8章 表8.7（不含气候—碳反馈）", "IPCC Fifth Assessment Report (2013), WG I, Ch. 8, Table 8.7 (no climate-carbon feedback)"),
    "IPCC Sixth Assessment Report (2021), WG I, Ch. 7, Table 7.15": ("IPCC 第六次评估报告（2021），第一工作组，第7章 表7.15", "IPCC Sixth Assessment Report (2021), WG I, Ch. 7, Table 7.15"),
}))

# Words of the clauses (tables, annexes) in the citations' data, for the other language.
_CLAUSE_EN = (("附录二", "Annex 2"), ("附录", "Annex"), ("表", "Table "), ("全国电网平均排放因子（碳市场）",
              "national grid average factor (carbon market)"))
_CLAUSE_ZH = (("Table ", "表"), ("Liquefied Natural Gas", "液化天然气"), ("Petroleum Coke", "石油焦"),
              ("Other Primary Solid Biomass", "其他初级固体生物质"),
              ("Wood/Wood Waste", "木材/木材废料"))


def _clause_words(text: str, lang: str) -> str:
    """Names of materials and the few clause words of the library's citations in ``lang``."""
    from tanjiliang.rules import bundled_library

    lib = bundled_library()
    names = sorted(((m.name.zh, m.name.en) for m in lib.materials.values()),
                   key=lambda p: -len(p[0]))
    if lang == "zh":
        for a, b in _CLAUSE_ZH:
            text = text.replace(a, b)
        return text
    for zh, en in names:
        text = text.replace(zh, en)
    for a, b in _CLAUSE_EN:
        text = text.replace(a, b)
    return text


_YEAR_NOTE = re.compile(r"（(\d{4}) 年采用 (\d{4}) 年因子）")


def citation_text(citation: str | None, lang: str) -> str:
    """A factor's citation (tanjiliang.emissions.calc ``_cite``) for display. Documents keep
    their own (Chinese) titles in every language, so that an auditor can ask for them by
    title; in English the connecting words are English (转引自 → "quoted via")."""
    if not citation:
        return ""
    out = citation
    for title in sorted(SOURCES, key=len, reverse=True):
        if title in out:
            out = out.replace(title, pick(SOURCES[title], lang, f"source:{title}"))
    if lang == "zh":
        return _clause_words(out, lang)
    out = _clause_words(out, lang).replace("，转引自：", "; quoted via: ").replace("，", ", ")
    out = _YEAR_NOTE.sub(lambda m: f" (factor of {m.group(2)} used for {m.group(1)})", out)
    # what is left in Chinese (a clause's own words) is left out, as clause_ref does
    out = " ".join(p.strip() for p in _CJK.split(out) if p.strip())
    return " ".join(out.split())


def clause_ref(clause: str | None, lang: str) -> str:
    """A pack clause or citation for display. In English only its reference part is shown
    (``"HN 5.3 配备率"`` → ``"HN 5.3"``): the pack's clause titles are written in Chinese, and a
    page stays in one language."""
    if not clause:
        return ""
    if lang == "zh":
        return clause
    parts = [p.strip(" ,;()（）") for p in _CJK.split(clause)]
    return " ".join(p for p in parts if p).strip() or clause
