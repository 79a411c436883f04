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

from tanjiliang.assess.labels import LABELS, label

LANGS = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- diagram
    "diagram.title": ("温室气体流向图", "GHG flow diagram"),
    "diagram.boundary": ("核算边界", "Accounting boundary"),
    "diagram.lab": ("化验分析", "Laboratory analysis"),
    "diagram.whole_unit": ("全厂", "whole unit"),
    "diagram.points": ("计量点", "Metering points"),
    "diagram.streams": ("源流（线宽随排放量增加）", "Source streams (width grows with emissions)"),
    "diagram.letters": ("器具类别字母", "Instrument class letters"),
    "diagram.line_major": ("主要 / 次要源流：实线", "Major / minor stream: solid line"),
    "diagram.line_de_minimis": ("微量源流：虚线（无需计量点）", "De-minimis stream: dashed (no point needed)"),
    "diagram.stack_line": ("排放口：排出边界", "Emission point: leaves the boundary"),
    "diagram.cems": ("CEMS", "CEMS"),
    # ---------------------------------------------------------------- statuses
    "point.conforming": ("已配备且合格", "Equipped, conforming"),
    "point.nonconforming": ("已配备，准确度或检定/校准不合格", "Equipped, accuracy or confirmation nonconforming"),
    "point.missing": ("应配未配", "Required, not equipped"),
    "point.extra": ("非必需（自愿配备）", "Not required (voluntary)"),
    "qshort.ncv": ("热值", "NCV"),
    "qshort.carbon_content": ("含碳量", "C content"),
    "qshort.oxidation_rate": ("氧化率", "ox. rate"),
    "qshort.emission_factor": ("排放因子", "EF"),
    "qshort.co2": ("CO2", "CO2"),
    "qshort.flow": ("流量", "flow"),
    "qshort.temperature": ("温度", "temp."),
    "qshort.pressure": ("压力", "press."),
    "qshort.moisture": ("湿度", "moist."),
    "qshort.activity": ("活动数据", "activity"),
    "confirm.verification": ("检定", "verification"),
    "confirm.calibration": ("校准", "calibration"),
    "source.measured": ("实测", "measured"),
    "source.default": ("缺省值", "default"),
    "source.supplier": ("供应商数据", "supplier"),
    "source.library": ("因子库", "factor library"),
    "place.boundary": ("边界", "boundary"),
    "place.lab": ("化验室", "laboratory"),
    "place.subunit": ("次级单位", "sub-unit"),
    "place.equipment": ("主要排放设施", "equipment"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "meets.true": ("达标", "meets"),
    "meets.false": ("未达标", "below"),
    "ok.true": ("满足", "OK"),
    "ok.false": ("不满足", "not OK"),
    "ok.none": ("不适用/无法判定", "n/a or unknown"),
    "none": ("—", "—"),
    "tier.none": ("无", "none"),
    **{f"sector.{k}": v for k, v in LABELS["sector"].items()},
    # ---------------------------------------------------------------- report
    "report.title": ("碳计量器具配备和管理评价报告", "Carbon metering assessment report"),
    "report.subtitle": ("重点排放单位碳计量审查", "Review of a key emission unit's carbon metering"),
    "report.toc": ("目录", "Contents"),
    "cover.unit": ("单位名称", "Unit"),
    "cover.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "cover.sector": ("行业", "Sector"),
    "cover.region": ("所在地区", "Region"),
    "cover.year": ("报告年度", "Reporting year"),
    "cover.pack": ("规则包", "Rule pack"),
    "cover.pack_version": ("规则包版本", "Pack version"),
    "cover.pack_hash": ("规则包 SHA-256", "Pack SHA-256"),
    "cover.factors": ("因子库版本", "Factor library"),
    "cover.gwp": ("GWP 基准", "GWP basis"),
    "cover.as_of": ("评价基准日", "Assessed as of"),
    "cover.conclusion": ("结论", "Conclusion"),
    "sec.summary": ("概要与结论", "Summary and conclusion"),
    "sec.diagram": ("温室气体流向图", "GHG flow diagram"),
    "sec.emissions": ("排放量：按源流与分类", "Emissions by stream and class"),
    "sec.rates": ("计量器具配备率", "Equipping rates"),
    "sec.points": ("计量点", "Metering points"),
    "sec.accuracy": ("准确度", "Accuracy"),
    "sec.confirmation": ("检定/校准（计量确认）", "Verification and calibration"),
    "sec.findings": ("不符合项与观察项", "Findings"),
    "sec.data": ("计算依据数据", "Data behind the numbers"),
    "sec.places": ("次级单位与主要排放设施", "Sub-units and equipment"),
    "sum.total": ("年排放总量 (tCO2e)", "Total emissions (tCO2e)"),
    "sum.biogenic": ("生物质 CO2（不计入总量，t）", "Biogenic CO2 (not in total, t)"),
    "sum.key_unit": ("重点排放单位（≥2.6万 tCO2e）", "Key emission unit (≥ 26 000 tCO2e)"),
    "sum.category": ("排放设施类别", "Installation category"),
    "sum.thresholds": ("分类阈值 微量 / 次要 (tCO2e)", "Class thresholds de minimis / minor (tCO2e)"),
    "sum.streams": ("源流数", "Source streams"),
    "sum.points": ("应配计量点 / 已配", "Required points / equipped"),
    "sum.instruments": ("计量器具数", "Instruments"),
    "sum.nonconformities": ("不符合项", "Non-conformities"),
    "sum.observations": ("观察项", "Observations"),
    "sum.conclusion_conforming": ("经评价，该单位碳计量器具配备和管理符合所用规则包的要求。",
                                  "The unit's carbon metering conforms to the rule pack applied."),
    "sum.conclusion_nonconforming": ("经评价，该单位碳计量器具配备和管理不符合所用规则包的要求，存在 {n} 项不符合项，须整改。",
                                     "The unit's carbon metering does not conform to the rule pack applied: {n} non-conformities require corrective action."),
    "sum.pack_note": ("规则包状态：{status}；带 I 标记的数值为推断值，待正式文本发布后替换。",
                      "Pack status: {status}; values marked I are inferred and will be replaced by the official text."),
    "col.no": ("序号", "No."),
    "col.id": ("编号", "Id"),
    "col.name": ("名称", "Name"),
    "col.kind": ("类别", "Kind"),
    "col.method": ("方法", "Method"),
    "col.material": ("物料", "Material"),
    "col.medium": ("介质", "Medium"),
    "col.activity": ("活动数据", "Activity data"),
    "col.emissions": ("排放量 (tCO2e)", "Emissions (tCO2e)"),
    "col.share": ("占比", "Share"),
    "col.class": ("分类", "Class"),
    "col.computed_class": ("计算分类", "Computed class"),
    "col.tier_required": ("要求层级", "Tier required"),
    "col.tier_achieved": ("达到层级", "Tier achieved"),
    "col.uncertainty": ("不确定度 (%)", "Uncertainty (%)"),
    "col.level": ("级别", "Level"),
    "col.required": ("应配数 N1", "Required N1"),
    "col.equipped": ("实配数 Ns", "Equipped Ns"),
    "col.rate": ("配备率 Rp (%)", "Rate Rp (%)"),
    "col.required_rate": ("要求 (%)", "Required (%)"),
    "col.meets": ("判定", "Result"),
    "col.stream": ("源流", "Stream"),
    "col.quantity": ("测量对象", "Quantity"),
    "col.place": ("计量位置", "Place"),
    "col.places": ("可覆盖位置", "Covered at"),
    "col.instruments": ("计量器具", "Instruments"),
    "col.status": ("状态", "Status"),
    "col.type": ("器具类型", "Type"),
    "col.measures": ("测量对象", "Measures"),
    "col.at": ("安装使用地点", "Location"),
    "col.accuracy": ("准确度等级", "Accuracy class"),
    "col.mpe": ("最大允许误差 (%)", "MPE (%)"),
    "col.required_mpe": ("要求 MPE (%)", "Required MPE (%)"),
    "col.accuracy_ok": ("准确度判定", "Accuracy"),
    "col.confirmation": ("检定/校准", "Verif./calib."),
    "col.last_confirmed": ("最近确认日期", "Last confirmed"),
    "col.interval": ("周期 (月)", "Interval (months)"),
    "col.next_due": ("下次到期", "Next due"),
    "col.calib_status": ("确认状态", "Confirmation status"),
    "col.certificate": ("证书编号", "Certificate"),
    "col.confirmed_by": ("检定/校准机构", "Issued by"),
    "col.model": ("型号规格", "Model"),
    "col.range": ("测量范围", "Range"),
    "col.manufacturer": ("生产厂家", "Manufacturer"),
    "col.serial": ("出厂编号", "Serial no."),
    "col.instr_status": ("使用状态", "Use status"),
    "col.code": ("代码", "Code"),
    "col.severity": ("性质", "Severity"),
    "col.clause": ("条款", "Clause"),
    "col.subject": ("对象", "Subject"),
    "col.message": ("说明", "Description"),
    "col.title": ("类型", "Type"),
    "col.parameter": ("参数", "Parameter"),
    "col.value": ("数值", "Value"),
    "col.unit": ("单位", "Unit"),
    "col.source": ("来源", "Source"),
    "col.citation": ("出处", "Citation"),
    "col.formula": ("计算式", "Formula"),
    "col.consumers": ("使用者（份额）", "Consumers (share)"),
    "col.by_gas": ("分气体 (t)", "By gas (t)"),
    "col.parent": ("所属", "Belongs to"),
    "col.attributed": ("归属排放量 (tCO2e)", "Attributed (tCO2e)"),
    "col.major": ("主要", "Major"),
    "col.declared": ("文件声明", "Declared in file"),
    "col.points": ("计量点", "Points"),
    "chart.by_stream": ("各源流排放量 (tCO2e)", "Emissions by stream (tCO2e)"),
    "chart.by_class": ("按分类", "By class"),
    "chart.total": ("合计", "Total"),
    "xlsx.summary": ("概要", "Summary"),
    "xlsx.ledger_level": ("{level}计量器具一览表", "{level} instruments"),
    "xlsx.ledger_other": ("其他计量器具一览表", "Other instruments"),
    "xlsx.rates": ("配备率", "Equipping rates"),
    "xlsx.streams": ("源流", "Streams"),
    "xlsx.parameters": ("参数", "Parameters"),
    "xlsx.points": ("计量点", "Points"),
    "xlsx.findings": ("不符合项与观察项", "Findings"),
    "xlsx.places": ("次级单位与设施", "Places"),
    "rates.pivot_note": ("单元格：实配数/应配数 = 配备率（要求）；格式仿 GB 17167 表 3。",
                         "Cell: equipped/required = rate (requirement); laid out like GB 17167 Table 3."),
    "xlsx.rates_note": ("配备率 Rp = Ns / N1 × 100%（GB 17167 定义）", "Rp = Ns / N1 × 100 % (GB 17167 definition)"),
    "none_found": ("无", "None"),
    "colon": ("：", ": "),
    "page": ("第 {n} 页", "Page {n}"),
    "generated_by": ("由 tanjiliang {version} 生成", "Generated by tanjiliang {version}"),
}

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef（），、：；]+")


def t(key: str, lang: str = "zh", **kw: object) -> str:
    """The text of ``key`` in ``lang`` (``{name}`` placeholders filled from ``kw``)."""
    zh, en = TEXT[key]
    s = zh if lang == "zh" else en
    return s.format(**kw) if kw else s


def enum(group: str, key: object, lang: str = "zh") -> str:
    """Display name of an enumeration value (``enum("class", "major")`` → ``主要源流``)."""
    return label(group, key, lang)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


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
