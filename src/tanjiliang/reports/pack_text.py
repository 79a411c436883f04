"""A rule pack's citations in words, in one language (issue 13 §4 "citations an auditor accepts").

A pack is data written by its author in a mix of Chinese and English: source titles, clause
references (``Art. 19(3)(b)``, ``Table 3 煤炭、焦炭``, ``HN 5.3 配备率``) and notes. A page shows
them in its own language:

* **documents** by their Chinese title where they have one (``GB 17167-2006 用能单位能源计量器具配备和管理通则``,
  the EU regulation as 欧盟 (EU) 2018/2066 号实施条例), an English title on English pages;
* **clause references** translated mechanically (``Art. 19(3)(b)`` → ``第19条第3款(b)项``,
  ``Annex VIII section 1`` → ``附件八 第1节``, ``Table 4`` → ``表4``), the author's glosses and
  notes through :data:`TEXTS` (the bundled packs' texts as written → Chinese, English);
* **status** as words: V 已核实, S 转引 (a value read only in a secondary copy), I 推断
  (labels group ``cite_status``).

A text this module has no words for (a pack file of the user's own) is shown as its author wrote
it: it is what the user wrote.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from tanjiliang.assess.labels import label
from tanjiliang.i18n import pairs, pick

if TYPE_CHECKING:
    from tanjiliang.rules.schema import Citation, Pack, Source

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef（），、：；《》]+")

#: The bundled packs' titles, clauses, notes and editions as written → (中文, English). Keys
#: are the pack's text; a text of the pack not listed here is translated mechanically
#: (:func:`clause_text`).
TEXTS = cast("dict[str, tuple[str, str]]", pairs("packtext", {
    # ---------------------------------------------------------------- documents
    "Commission Implementing Regulation (EU) 2018/2066 (MRR)": "欧盟委员会 (EU) 2018/2066 号实施条例（温室气体排放监测与报告条例，MRR）",
    "Commission Implementing Regulation (EU) 2018/2066 on the monitoring and reporting of greenhouse gas emissions": "欧盟委员会 (EU) 2018/2066 号实施条例（温室气体排放监测与报告条例，MRR）",
    "DL/T 448-2016 电能计量装置技术管理规程": "DL/T 448-2016 电能计量装置技术管理规程",
    "Directive 2003/87/EC (EU ETS Directive) Annex I": "欧盟 2003/87/EC 号指令（欧盟碳排放交易体系指令）附件一",
    "EN 14181:2014 Stationary source emissions — Quality assurance of automated measuring systems": "EN 14181:2014 固定污染源排放 自动测量系统的质量保证",
    "GB 17167-2006 用能单位能源计量器具配备和管理通则": "GB 17167-2006 用能单位能源计量器具配备和管理通则",
    "GB 17167-2025 用能单位能源计量器具配备和管理通则": "GB 17167-2025 用能单位能源计量器具配备和管理通则",
    "IPCC Fifth Assessment Report, WG I, Ch. 8, Table 8.7": "IPCC 第五次评估报告，第一工作组，第8章 表8.7",
    "JJF 1356-2012 重点用能单位能源计量审查规范": "JJF 1356-2012 重点用能单位能源计量审查规范",
    "MRR Guidance document No. 4 — Guidance on uncertainty assessment": "欧盟 MRR 指导文件第4号 不确定度评估指南",
    "tanjiliang reconstruction (docs/packs.md)": "tanjiliang 重构（规则包说明）",
    "tanjiliang reconstruction (domain.md)": "tanjiliang 重构（领域说明）",
    "《重点排放单位碳计量器具配备和管理规范》编制说明": "《重点排放单位碳计量器具配备和管理规范》编制说明",
    "企业温室气体排放核算与报告填报说明 水泥熟料生产（转载）": "企业温室气体排放核算与报告填报说明 水泥熟料生产（转载）",
    "企业温室气体排放核算与报告指南 发电设施（2022年修订版）": "企业温室气体排放核算与报告指南 发电设施（2022年修订版）",
    "企业温室气体排放核算与报告指南 水泥行业（CETS—AG—02.01—V01—2024）": "企业温室气体排放核算与报告指南 水泥行业（CETS—AG—02.01—V01—2024）",
    "企业温室气体排放核算与报告指南 钢铁行业（CETS—AG—03.01—V01—2024）": "企业温室气体排放核算与报告指南 钢铁行业（CETS—AG—03.01—V01—2024）",
    "企业温室气体排放核算与报告指南 铝冶炼行业（CETS—AG—04.01—V01—2024）": "企业温室气体排放核算与报告指南 铝冶炼行业（CETS—AG—04.01—V01—2024）",
    "国家计量检定规程检定周期（JJG 539、JJG 195、JJG 596 等）": "国家计量检定规程检定周期（JJG 539、JJG 195、JJG 596 等）",
    "碳排放权交易管理办法（试行）（生态环境部令第19号）": "碳排放权交易管理办法（试行）（生态环境部令第19号）",
    "能源计量监督管理办法（国家质检总局令第132号）": "能源计量监督管理办法（国家质检总局令第132号）",
    "重点用能单位能耗在线监测系统技术规范": "重点用能单位能耗在线监测系统技术规范",
    # ---------------------------------------------------------------- editions
    "2017 update": "2017 年更新",
    "2018, consolidated": "2018，合并文本",
    "2018, consolidated 2022": "2018，2022 年合并文本",
    "2023 draft": "2023 年草案",
    "2025 (in force 2026-02-01)": "2025（2026-02-01 实施）",
    "consolidated 2023": "2023 年合并文本",
    "various": "各规程现行版",
    # ---------------------------------------------------------------- notes of sources
    "announced by 生态环境部办公厅 2024-09-13 (reprint m.mysteel.com/a/24091811); text not read here": "生态环境部办公厅 2024-09-13 发布（转载 m.mysteel.com/a/24091811）；本包未读到原文",
    "data completeness ≥ 90 % (as quoted in issue 14; text not read here)": "数据完整率 ≥ 90 %（据问题 14 所引；未读到原文）",
    "engineering choice where GB 17167 is silent or the schema needs a value": "GB 17167 未作规定或数据结构需要取值处的工程取舍",
    "engineering choice where the MRR is silent or where the schema needs a value": "MRR 未作规定或数据结构需要取值处的工程取舍",
    "engineering choice where the basis documents are silent": "依据文件未作规定处的工程取舍",
    "numbering by analogy with 02.01 (cement) and 04.01 (aluminium); text not read here": "编号参照 02.01（水泥）和 04.01（铝冶炼）类推；未读到原文",
    "reprint freewechat.com/a/MzkyNDE3MTE4OQ==/2247531669: clinker boundary and enterprise boundary; cites GB 17167 and GB/T 35461 for metering": "转载 freewechat.com/a/MzkyNDE3MTE4OQ==/2247531669：熟料边界与企业边界；计量引用 GB 17167 和 GB/T 35461",
    "reprint fxbaogao.com/detail/4534862: contents and §1–2 read (two boundaries: 铝电解工序 §6 and 企业层级 §7; 附录A 相关参数缺省值 not read)": "转载 fxbaogao.com/detail/4534862：读到目录及第1—2章（两个边界：铝电解工序 第6章、企业层级 第7章；附录A 相关参数缺省值 未读到）",
    # ---------------------------------------------------------------- notes of values
    "0 disables the retention check; set the 2025 edition's period when published": "0 表示不检查保存期限；2025 版发布后填入其规定期限",
    "GB 17167 has no GWP; emissions are shown for comparison only": "GB 17167 无 GWP 规定；排放量仅供对照",
    "LPG and LNG deliveries are weighed": "LPG、LNG 按质量（称重）计量",
    "as quoted in shared/domain.md §6": "据 tanjiliang 领域说明第6节所引",
    "as quoted in shared/domain.md §6 (monthly coal analysis by a CMA/CNAS laboratory)": "据 tanjiliang 领域说明第6节所引（燃煤每月由 CMA/CNAS 实验室检测）",
    "commercial standard fuels (natural gas, diesel) may use supplier or inventory values (tier 2a/2b) and are not forced": "商品标准燃料（天然气、柴油）可采用供应商或清单值（层级 2a/2b），不强制实测",
    "declare major: true|false on the sub-unit where Table 1 decides otherwise": "表1 另有判定时，在次级单位上声明是否为主要次级单位",
    "domain.md records the 10 years; the article text was not re-read for this pack": "tanjiliang 领域说明记载为 10 年；本包未重新核对条文",
    "electricity, heat and flue-gas streams follow the gaseous/liquid row (engineering choice)": "电力、热力和烟气源流按气体/液体燃料一行处理（工程取舍）",
    "every installation assessed with this pack is taken to be in scope": "用本规则包评价的设施均视为在适用范围内",
    "exported electricity and heat are reported apart, not deducted from direct emissions": "输出的电力、热力单独报告，不从直接排放中扣除",
    "indirect electricity and heat included": "含间接排放（购入电力、热力）",
    "issue 17: a stock-take is a metering point with its own method and uncertainty (consumption = receipts + opening − closing)": "盘库是计量点，有其方法和不确定度（消耗量 = 购入量 + 期初库存 − 期末库存）",
    "default-pack.md: fuel oil and heavier 1.0 — crude oil and coal tar (density ≈ 1.1–1.2 t/m³) with them": "默认规则包说明：燃料油及更重的油品 1.0 — 原油和焦油（密度约 1.1–1.2 t/m³）同列",
    "kept so that attribution to sub-units is still reported": "保留该值，以便仍报告各次级单位的归属排放",
    "no per-instrument class limit; see tiers": "不按单台器具规定等级；见层级要求",
    "one tier lower (C) or two (A, B), not below 1, where the highest tier is technically not feasible or unreasonably costly: record it as a justified deviation": "最高层级技术上不可行或成本过高时，可降低一级（C 类）或两级（A、B 类），但不低于层级 1：须记录为经说明的偏离",
    "purchased electricity and heat reported apart (scope.indirect); products carrying carbon out deducted (scope.exports)": "购入电力、热力单独报告；输出的含碳产品扣除",
    "scope by energy use, not emissions; 重点用能单位 are those above 10 000 tce (节约能源法 art. 52), which the schema cannot express": "适用范围按能耗而非排放量确定；重点用能单位为年综合能耗 1 万 tce 以上的单位（《节约能源法》第五十二条），规则包结构无法表达",
    "structure read in the reprint (S); that purchased electricity is outside the covered total is inferred": "结构见于转载文本（S）；购入电力不计入覆盖排放总量为推断",
    "temperature, pressure and moisture corrections belong to the AMS quality assurance (EN 14181), not separate metering points": "温度、压力、湿度修正属于自动测量系统的质量保证（EN 14181），不单列计量点",
    "the Chinese draft wording may be per stream (pack option per_stream)": "河南征求意见稿的措辞可能是逐一判定（规则包可选逐一判定）",
    "the ETS has no indirect emissions; the schema cannot exclude purchased electricity and heat from the total, so leave them out of a unit file assessed with this pack": "欧盟碳市场不含间接排放；规则包结构无法将购入电力、热力排除在总量之外，用本包评价时单位文件中不列这些源流",
    "the MRR covers CO2, N2O and PFCs; CH4 is not an ETS gas, AR5 applies to N2O": "MRR 覆盖 CO2、N2O 和全氟化碳；CH4 不属于欧盟碳市场气体，AR5 用于 N2O",
    "the aluminium guideline's PFC GWP basis not read here": "未读到铝冶炼指南全氟化碳 GWP 的依据",
    "the default pack asks 1.0 inside the unit; GB 17167 asks the boundary classes only": "默认规则包对单位内部要求 1.0；GB 17167 只规定进出用能单位的等级",
    "the draft's GWP basis is not public": "征求意见稿的 GWP 依据未公开",
    "the factor 1.10 on the missing share is this project's reconstruction": "缺失部分乘以 1.10 的系数为本项目重构",
    "the national market's key-unit test and allocation count direct emissions (issue 17; the 2024 guidelines report purchased electricity apart)": "全国碳市场重点排放单位判定与配额分配按直接排放计（2024 年指南将购入电力单独报告）",
    "weighing in motion is dynamic weighing (GB 17167 Table 4: 0.5)": "动态称量即动态计量（GB 17167 表4：0.5）",
    # ---------------------------------------------------------------- clauses with words
    "4.2 管理制度 (energy analogue)": "4.2 管理制度（按能源计量类推）",
    "4.3 (no de-minimis streams)": "4.3（无微量源流）",
    "4.3 (no minor streams)": "4.3（无次要源流）",
    "4.3 (three levels), applied to major streams": "4.3（三级配备），用于主要源流",
    "4.3 level 1 (进出用能单位) by analogy: the stock-take (盘库) meters what the unit holds at its boundary; counted in the stream's medium, level 1": "4.3 一级（进出用能单位）类推：盘库计量单位边界处的库存，计入该源流介质的一级",
    "4.3 用能单位、次级用能单位、用能设备三级配备": "4.3 用能单位、次级用能单位、用能设备三级配备",
    "4.3.1 (no minor streams)": "4.3.1（无次要源流）",
    "4.3.1 进出用能单位的能源全部计量 (no de-minimis)": "4.3.1 进出用能单位的能源全部计量（无微量源流）",
    "4.3.5 accuracy by instrument class, not by annual uncertainty": "4.3.5 按器具准确度等级，而非年度不确定度",
    "4.4 燃料低位发热量等检测（用于能源计量数据折算）": "4.4 燃料低位发热量等检测（用于能源计量数据折算）",
    "5.1 计量制度, 5.2 计量人员, 5.3 计量器具, 5.4 计量数据": "5.1 计量制度，5.2 计量人员，5.3 计量器具，5.4 计量数据",
    "5.1 计量管理人员": "5.1 计量管理人员",
    "5.2 元素碳含量与低位发热量每月检测": "5.2 元素碳含量与低位发热量每月检测",
    "5.2 燃煤元素碳与低位发热量检测": "5.2 燃煤元素碳与低位发热量检测",
    "5.4 计量数据应妥善保存（no minimum period stated as remembered）": "5.4 计量数据应妥善保存（据记忆未规定最短期限）",
    "1 范围（适用于独立核算的用能单位）": "1 范围（适用于独立核算的用能单位）",
    "Annex I (scope by activity, e.g. > 20 MW rated thermal input), not by emissions": "附件一（按活动确定适用范围，如额定热输入 > 20 MW），而非按排放量",
    "Annex II section 1 Table 1 (combustion)": "附件二 第1节 表1（燃烧）",
    "Annex VI section 3 Table 6 (GWP as amended by 2020/2085: N2O 265)": "附件六 第3节 表6（GWP 经 2020/2085 号条例修订：N2O 265）",
    "Annex VIII (CO2 conc., flue gas flow; HJ 75 reference conditions)": "附件八（CO2 浓度、烟气流量；HJ 75 参比状态）",
    "Annex VIII section 1 Table 1 (CO2 emission sources)": "附件八 第1节 表1（CO2 排放源）",
    "Art. 11-12 (monitoring plan), 57 (data flow), 58 (control system), 59 (QA of measuring equipment), 58(3)(a)/Annex I (competences)": "第11—12条（监测计划）、第57条（数据流）、第58条（控制体系）、第59条（测量设备的质量保证）、第58条第3款(a)项/附件一（能力）",
    "Art. 19(3) absolute values": "第19条第3款 按绝对值",
    "Art. 19(3): source streams selected by the operator jointly correspond to less than …": "第19条第3款：运营者选定的源流合计低于……",
    "Art. 24(2) process emissions; Annex IV": "第24条第2款 过程排放；附件四",
    "Art. 26(1) first subparagraph: highest tier of Annex II": "第26条第1款第一项：附件二的最高层级",
    "Art. 26(1) highest tier": "第26条第1款 最高层级",
    "Art. 26(1) highest tier; Annex II section 2: tier 3 calculation factors by analysis (Art. 32-35)": "第26条第1款 最高层级；附件二 第2节：层级 3 的计算因子由分析确定（第32—35条）",
    "Art. 26(1)(a), Annex V (gaseous and liquid fuels)": "第26条第1款(a)项，附件五（气体和液体燃料）",
    "Art. 26(1)(a), Annex V Table 1 (commercial standard fuels, other gaseous and liquid fuels)": "第26条第1款(a)项，附件五 表1（商品标准燃料及其他气体、液体燃料）",
    "Art. 26(1)(a), Annex V Table 1 (solid fuels; carbonates method A)": "第26条第1款(a)项，附件五 表1（固体燃料；碳酸盐 方法 A）",
    "Art. 26(2) last subparagraph: conservative estimation (no tier)": "第26条第2款最后一项：保守估算（无层级）",
    "Art. 26(2) no-tier approach for de-minimis streams": "第26条第2款 微量源流不适用层级方法",
    "Art. 26(2): conservative estimates for de-minimis streams": "第26条第2款：微量源流保守估算",
    "Art. 26(2): highest technically feasible tier, at least tier 1": "第26条第2款：技术上可行的最高层级，至少层级 1",
    "Art. 26(3) estimation": "第26条第3款 估算",
    "Art. 27(1): activity data of each source stream, by continuous metering at the process or by aggregation of separately metered quantities": "第27条第1款：每一源流的活动数据，由过程处连续计量或由分别计量的量汇总确定",
    "Art. 27(1); Annex IV section 9 (iron and steel)": "第27条第1款；附件四 第9节（钢铁）",
    "Art. 28(1)(b), 59(3): calibrated at regular intervals (interval: engineering choice)": "第28条第1款(b)项、第59条第3款：定期校准（周期为工程取舍）",
    "Art. 28(1), 29(1): the instrument's in-service MPE enters the uncertainty assessment; the requirement is the tier (Annex II)": "第28条第1款、第29条第1款：器具的使用中最大允许误差计入不确定度评估；要求的是层级（附件二）",
    "Art. 32(2) on-line gas chromatographs validated annually (EN ISO 10723)": "第32条第2款 在线气相色谱仪每年验证（EN ISO 10723）",
    "Art. 32-35 (analyses, sampling plan, accredited laboratories)": "第32—35条（分析、采样计划、认可实验室）",
    "Art. 34 (EN ISO/IEC 17025 laboratory)": "第34条（符合 EN ISO/IEC 17025 的实验室）",
    "Art. 40-43 (per emission source)": "第40—43条（按排放源）",
    "Art. 40-46 measurement-based methodology": "第40—46条 基于测量的方法",
    "Art. 41-43 and Annex VIII: GHG concentration and flue gas flow": "第41—43条及附件八：温室气体浓度和烟气流量",
    "Art. 58(3)(c) assignment of responsibilities": "第58条第3款(c)项 职责分配",
    "Art. 66(1) conservative estimate of missing data": "第66条第1款 缺失数据的保守估算",
    "Art. 67(1): records kept for at least 10 years": "第67条第1款：记录至少保存 10 年",
    "CETS-AG-2024 核算边界": "CETS-AG-2024 核算边界",
    "GB 17167 1 范围": "GB 17167 1 范围",
    "GB 17167 4.3 (all energy entering the unit is metered)": "GB 17167 4.3（进入用能单位的能源全部计量）",
    "GB 17167 4.3 配备要求": "GB 17167 4.3 配备要求",
    "GB 17167 4.3.4 Table 3 能源计量器具配备率要求": "GB 17167 4.3.4 表3 能源计量器具配备率要求",
    "GB 17167 4.3.5 Table 4 能源计量器具准确度等级要求": "GB 17167 4.3.5 表4 能源计量器具准确度等级要求",
    "GB 17167 5 能源计量器具管理要求": "GB 17167 5 能源计量器具管理要求",
    "GB 17167 5.3 能源计量器具管理": "GB 17167 5.3 能源计量器具管理",
    "HN 1 范围": "HN 1 范围",
    "HN 3 术语 源流; HN 5.1": "HN 3 术语 源流；HN 5.1",
    "HN 5.2 配备级别": "HN 5.2 配备级别",
    "HN 5.3 配备率": "HN 5.3 配备率",
    "HN 5.4 不确定度与层级": "HN 5.4 不确定度与层级",
    "HN 5.4 最大允许误差": "HN 5.4 最大允许误差",
    "HN 6 碳计量管理要求": "HN 6 碳计量管理要求",
    "HN 6.3 碳计量器具管理": "HN 6.3 碳计量器具管理",
    "JJG 195 连续累计自动衡器 1 年": "JJG 195 连续累计自动衡器 1 年",
    "JJG 234 动态称量轨道衡 检定周期 1 年": "JJG 234 动态称量轨道衡 检定周期 1 年",
    "JJG 234/JJG 781 检定周期 ≤ 1 年": "JJG 234/JJG 781 检定周期 ≤ 1 年",
    "JJG 539 数字指示秤 ≤ 1 年": "JJG 539 数字指示秤 ≤ 1 年",
    "JJG 810 波长色散X射线荧光光谱仪 检定周期 2 年（未核对）": "JJG 810 波长色散X射线荧光光谱仪 检定周期 2 年（未核对）",
    "issue 17: the clinker's CaO and MgO (GB/T 176 水泥化学分析方法 or XRF) as measured parameters of a clinker stream": "熟料的 CaO 和 MgO（GB/T 176 水泥化学分析方法或 X 射线荧光分析）作为熟料源流的实测参数",
    "JJG 596 电子式电能表 0.2S/0.5S 6 年，1/2 级 8 年": "JJG 596 电子式电能表 0.2S/0.5S 6 年，1/2 级 8 年",
    "MRR Art. 12, 27 (every source stream monitored)": "MRR 第12条、第27条（每一源流均须监测）",
    "MRR Art. 19 (no sub-unit levels)": "MRR 第19条（无次级单位层级）",
    "MRR Art. 26 and Annex II, VIII": "MRR 第26条及附件二、附件八",
    "MRR Art. 27-29 (activity data per source stream)": "MRR 第27—29条（按源流的活动数据）",
    "MRR Art. 28-29 (uncertainty of activity data, not instrument classes)": "MRR 第28—29条（活动数据的不确定度，而非器具等级）",
    "MRR Art. 2; Directive 2003/87/EC Annex I": "MRR 第2条；2003/87/EC 号指令 附件一",
    "MRR Art. 59 (quality assurance of measuring equipment)": "MRR 第59条（测量设备的质量保证）",
    "GB 17167 4.3.2-4.3.3 Tables 1 and 2": "GB 17167 4.3.2—4.3.3 表1、表2",
    "Art. 28(1)(b), 59(3)": "第28条第1款(b)项、第59条第3款",
    "Art. 26(2), 27(1)": "第26条第2款、第27条第1款",
    "MRR Art. 11-12, 57-59, 67": "MRR 第11—12条、第57—59条、第67条",
    "Table 1 (0.5S at the boundary)": "表1（边界处 0.5S 级）",
    "Table 3 (coal gas)": "表3（煤气）",
    "Table 3 (coal, coke)": "表3（煤炭、焦炭）",
    "Table 3 (crude, refined oil)": "表3（原油、成品油）",
    "Table 3 (electricity)": "表3（电力）",
    "Table 3 (natural gas, LPG)": "表3（天然气、液化气）",
    "Table 3 (steam, hot water)": "表3（蒸汽、热水）",
    "Table 3 by analogy (raw materials)": "表3 类推（原材料）",
    "Table 3 原油、重油、渣油": "表3 原油、重油、渣油",
    "Table 3 天然气、液化气": "表3 天然气、液化气",
    "Table 3 成品油": "表3 成品油",
    "Table 3 煤气": "表3 煤气",
    "Table 3 煤炭、焦炭": "表3 煤炭、焦炭",
    "Table 3 电力": "表3 电力",
    "Table 3 蒸汽": "表3 蒸汽",
    "Table 4 (internal metering, class 2)": "表4（内部计量，2 级）",
    "Table 4 动态衡器 0.5": "表4 动态衡器 0.5",
    "Table 4 成品油 0.5": "表4 成品油 0.5",
    "Table 4 成品油 ±0.5 %": "表4 成品油 ±0.5 %",
    "Table 4 温度、压力（与气体、蒸汽质量计算相关）": "表4 温度、压力（与气体、蒸汽质量计算相关）",
    "Table 4 温度、压力（用于气体、蒸汽补偿）1.0": "表4 温度、压力（用于气体、蒸汽补偿）1.0",
    "Table 4 煤气、天然气 2.0": "表4 煤气、天然气 2.0",
    "Table 4 煤气、天然气 ±2.0 %": "表4 煤气、天然气 ±2.0 %",
    "Table 4 电能表 1.0": "表4 电能表 1.0",
    "Table 4 蒸汽 2.5": "表4 蒸汽 2.5",
    "Table 4 蒸汽 ±2.5 %": "表4 蒸汽 ±2.5 %",
    "Table 4 衡器 动态计量 ±0.5 %": "表4 衡器 动态计量 ±0.5 %",
    "Table 4 衡器 静态计量 ±0.1 %": "表4 衡器 静态计量 ±0.1 %",
    "Table 4 进出用能单位 I–II 类 0.2S/0.5S": "表4 进出用能单位 Ⅰ、Ⅱ类 0.2S/0.5S",
    "Table 4 重油、渣油 1.0": "表4 重油、渣油 1.0",
    "Table 4 重油、渣油 ±1.0 %": "表4 重油、渣油 ±1.0 %",
    "Table 4 静态衡器 0.1": "表4 静态衡器 0.1",
    "Table 8.7 (CH4 28, N2O 265)": "表8.7（CH4 28，N2O 265）",
    "Table 8.7 (CH4 28, N2O 265); CF4 6630, C2F6 11100 (Table 8.A.1)": "表8.7（CH4 28，N2O 265）；CF4 6630，C2F6 11100（表8.A.1）",
    "annual surveillance test (AST)": "年度监督检验",
    "annual surveillance test (AST); QAL2 at least every 5 years (MRR Art. 42)": "年度监督检验；第二级质量保证至少每 5 年一次（MRR 第42条）",
    "as henan-2025-draft": "同 henan-2025-draft",
    "default-pack.md Confirmation status": "tanjiliang 默认规则包说明：计量确认状态",
    "default-pack.md Major sub-units": "tanjiliang 默认规则包说明：主要次级单位",
    "default-pack.md Required metering points": "tanjiliang 默认规则包说明：应配计量点",
    "default-pack.md Required metering points (folding)": "tanjiliang 默认规则包说明：应配计量点（等效位置合并）",
    "default-pack.md Rp rounded half-up to 0.1 %": "tanjiliang 默认规则包说明：配备率四舍五入到 0.1 %",
    "default-pack.md instrument types": "tanjiliang 默认规则包说明：器具类型",
    "default-pack.md: no class requirement, confirmation must be valid": "tanjiliang 默认规则包说明：不要求准确度等级，计量确认须有效",
    "docs/packs.md confirmation.due_soon_days": "tanjiliang 规则包说明：到期提醒天数",
    "docs/packs.md media.rounding_decimals": "tanjiliang 规则包说明：配备率小数位数",
    "docs/packs.md points.fold_equivalent_places": "tanjiliang 规则包说明：等效位置合并",
    "docs/packs.md scope.totals": "tanjiliang 规则包说明：总量口径",
    "domain.md §7 (I)": "tanjiliang 领域说明第7节（推断）",
    "domain.md §7 (engineering choice)": "tanjiliang 领域说明第7节（工程取舍）",
    "henan-2025-draft instrument types (engineering choice)": "henan-2025-draft 的器具类型（工程取舍）",
    "issue 17: anode-effect minutes per cell-day metered by the pot-line control system": "阳极效应持续时间（分钟/槽·日）由电解槽控系统计量",
    "issue 17: stock-take as a metering point (CETS-AG-2024 库存)": "盘库作为计量点（CETS-AG-2024 库存）",
    "issue 17: stock-takes and pot-line logs have no class requirement; their method and uncertainty are stated, their confirmation must be valid": "盘库和槽控记录不要求准确度等级；须说明其方法和不确定度，计量确认须有效",
    "kept for the output contract": "为输出格式保留",
    "kept for the output contract; GB 17167 has no categories": "为输出格式保留；GB 17167 不分类别",
    "no class requirement; confirmation must be valid": "不要求准确度等级；计量确认须有效",
    "no stream classes: with zero thresholds every stream is major": "不分源流类别：阈值为零时每一源流均为主要源流",
    "not an ETS source stream (imported heat is attributed to the producer)": "不是欧盟碳市场的源流（购入热力归于生产者）",
    "not an ETS source stream; kept for unit files that list it": "不是欧盟碳市场的源流；为列有该介质的单位文件保留",
    "not an energy-metering matter": "不属于能源计量事项",
    "not an energy-metering matter; kept so that CEMS streams are listed": "不属于能源计量事项；保留以列出 CEMS 源流",
    "not energy; treated like solid fuels": "非能源；按固体燃料处理",
    "not regulated by the MRR": "MRR 未作规定",
    "peripheral measurements within QAL2/AST": "外围测量纳入自动测量系统的质量保证",
    "proxy for Table 1 (主要次级用能单位 power/flow limits)": "代替表1（主要次级用能单位的功率/流量界限）",
    "proxy for Table 2 (主要用能设备 power/flow limits, e.g. 100 kW electricity, 1 t/h coal)": "代替表2（主要用能设备的功率/流量界限，如电力 100 kW、煤 1 t/h）",
    "reported for information (EU MRR Annex II values)": "仅供参考（欧盟 MRR 附件二的数值）",
    "reported for information (EU MRR Annex VIII values)": "仅供参考（欧盟 MRR 附件八的数值）",
    "unused: levels_by_class asks level 1 only": "未使用：各源流只要求一级",
    "§6 铝电解工序 (covered) vs §7 企业层级 (reported, incl. purchased electricity)": "第6章 铝电解工序（覆盖）与第7章 企业层级（报告，含购入电力）",
    "— (GB 17167 has no tiers)": "—（GB 17167 无层级规定）",
    "五、2 适用范围": "五、2 适用范围",
    "元素碳含量、低位发热量由通过 CMA 认定或 CNAS 认可的检测机构/实验室检测": "元素碳含量、低位发热量由通过 CMA 认定或 CNAS 认可的检测机构/实验室检测",
    "固碳产品隐含的排放 扣除": "固碳产品隐含的排放 扣除",
    "数据完整性": "数据完整性",
    "日数据与月数据一致性": "日数据与月数据一致性",
    "数据质量控制计划 / 信息化存证：月度燃煤检测报告等于月结束后40日内存证": "数据质量控制计划 / 信息化存证：月度燃煤检测报告等于月结束后40日内存证",
    "月度信息化存证 (issue 14; docs/month.md)": "月度信息化存证（tanjiliang 月度说明）",
    "核算边界：化石燃料燃烧、工业生产过程（熟料/阳极效应/固碳产品）的直接排放": "核算边界：化石燃料燃烧、工业生产过程（熟料/阳极效应/固碳产品）的直接排放",
    "第九条 能源计量管理人员": "第九条 能源计量管理人员",
    "第二十五条 原始记录和管理台账保存不少于5年": "第二十五条 原始记录和管理台账保存不少于5年",
    "第八条 年度温室气体排放量达到2.6万吨二氧化碳当量": "第八条 年度温室气体排放量达到2.6万吨二氧化碳当量",
}))

_ROMAN = {"I": "一", "II": "二", "III": "三", "IV": "四", "V": "五", "VI": "六", "VII": "七",
          "VIII": "八", "IX": "九", "X": "十"}
_ART = re.compile(r"\bArt\.\s*(\d+)(?:-(\d+))?((?:\(\d+\))?)((?:\([a-z]\))?)")
_ANNEX = re.compile(r"\bAnnex\s+(VIII|VII|VI|IV|IX|III|II|I|V|X)\b")
_SECTION = re.compile(r"\bsection\s+(\d+)")
_TABLE = re.compile(r"\bTables?\s+(\d[\d.A-Z]*)")
_MORE_ARTS = re.compile(r"(?<=[条项款])[,，]\s*(\d+)(?:-(\d+))?(?=$|[,，;；\s])")
_DIRECTIVE = re.compile(r"\bDirective\s+(\S+)")


def _mechanical_zh(text: str) -> str:
    """Reference words of a clause in Chinese (``Art. 19(3)(b)`` → ``第19条第3款(b)项``)."""

    def art(m: re.Match[str]) -> str:
        out = f"第{m.group(1)}—{m.group(2)}条" if m.group(2) else f"第{m.group(1)}条"
        if m.group(3):
            out += f"第{m.group(3)[1:-1]}款"
        if m.group(4):
            out += f"{m.group(4)}项"
        return out

    text = _ART.sub(art, text)
    text = _ANNEX.sub(lambda m: f"附件{_ROMAN[m.group(1)]}", text)
    text = _SECTION.sub(r"第\1节", text)
    text = _DIRECTIVE.sub(r"\1 号指令", text)
    text = _TABLE.sub(r"表\1", text)
    # "第12条, 57-59" → "第12条、第57—59条"; "第26条, 附件二" → "第26条、附件二"
    text = _MORE_ARTS.sub(lambda m: f"、第{m.group(1)}" + (f"—{m.group(2)}" if m.group(2) else "") + "条", text)
    return re.sub(r"(?<=[条项款])[,，]\s*(?=[附表第])", "、", text)


def text(written: str | None, lang: str) -> str:
    """A text of a pack (title, clause, note, edition) in ``lang``."""
    if not written:
        return ""
    pair = TEXTS.get(written)
    if pair is not None:
        return pick(pair, lang, f"packtext:{written}")
    if lang == "zh":
        return _mechanical_zh(written)
    # other languages: the written text without its Chinese glosses (as clause_ref does)
    parts = [p.strip(" ,;（）") for p in _CJK.split(written)]
    return " ".join(p for p in parts if p).strip() or written


def has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def source_title(src: Source, lang: str) -> str:
    """A cited document's title in ``lang`` (Chinese pages: its Chinese title)."""
    return text(src.title, lang)


def status_word(status: str, lang: str) -> str:
    """``V 已核实`` / ``S 转引`` / ``I 推断`` (the mark and its word)."""
    return f"{status} {label('cite_status', status, lang)}"


def citation(c: Citation, pack: Pack, lang: str) -> str:
    """Where a value comes from: the document's title, the clause and the note, in ``lang``
    (the status is shown apart, :func:`status_word`)."""
    src = next((s for s in pack.sources if s.id == c.source), None)
    title = source_title(src, lang) if src is not None else c.source
    out = f"{title}{'，' if lang == 'zh' else ', '}{text(c.clause, lang)}" if c.clause else title
    if c.note:
        out += f"（{text(c.note, lang)}）" if lang == "zh" else f" ({text(c.note, lang)})"
    return out


#: The words of ``tanjiliang packs show`` (section titles, rows, columns).
WORDS = cast("dict[str, tuple[str, str]]", pairs("pack", {
    "legend": ("依据状态：V 已核实（在所引文件中读到）；S 转引（仅在转载或二手资料中读到）；"
               "I 推断（类推或工程取舍，待正式文本发布后替换）",
               "Status of each value: V verified (read in the document cited); S secondary (read "
               "only in a reprint or a secondary copy); I inferred (by analogy or an engineering "
               "choice, to be replaced by the official text)"),
    "col.rule": ("规则", "rule"),
    "col.value": ("取值", "value"),
    "col.basis": ("依据（文件，条款）", "basis (document, clause)"),
    "col.status": ("状态", "status"),
    "col.medium": ("介质", "medium"),
    "col.type": ("器具类型", "instrument type"),
    "col.letter": ("图中字母", "letter"),
    "col.interval": ("检定/校准周期", "confirmation interval"),
    "col.applies": ("适用器具", "instruments"),
    "col.condition": ("条件", "condition"),
    "col.mpe": ("最大允许误差要求", "maximum MPE"),
    "col.code": ("代码", "code"),
    "col.severity": ("性质", "severity"),
    "col.clause": ("条款", "clause"),
    "col.meaning": ("含义", "meaning"),
    "col.document": ("文件", "document"),
    "col.edition": ("版本", "edition"),
    "col.note": ("说明", "note"),
    "sec.scope": ("适用范围", "Scope"),
    "sec.classes": ("源流分类", "Stream classes"),
    "sec.major": ("主要次级单位与设施", "Major sub-units and equipment"),
    "sec.points": ("计量点", "Metering points"),
    "sec.rates": ("配备率要求（%）", "Required equipping rates (%)"),
    "sec.types": ("器具类型与检定/校准周期", "Instrument types and confirmation intervals"),
    "sec.accuracy": ("最大允许误差要求", "Maximum MPE"),
    "sec.tiers": ("层级", "Tiers"),
    "sec.management": ("管理要求", "Management"),
    "sec.findings": ("审查发现", "Findings"),
    "sec.sources": ("引用文件", "Sources"),
    "key_threshold": ("重点排放单位门槛", "key emission unit threshold"),
    "category": ("排放设施类别 {name}", "category {name}"),
    "totals": ("总量口径", "totals"),
    "key_unit_basis": ("重点排放单位判定口径", "key-unit basis"),
    "exports": ("输出（外送）", "flows out"),
    "indirect": ("间接排放", "indirect emissions"),
    "gwp": ("GWP 基准", "GWP basis"),
    "mode": ("判定方式", "mode"),
    "threshold.floor_tco2e": ("{cls}阈值 下限", "{cls} threshold, floor"),
    "threshold.fraction": ("{cls}阈值 占总量比例", "{cls} threshold, share of the total"),
    "threshold.cap_tco2e": ("{cls}阈值 上限", "{cls} threshold, cap"),
    "threshold.note": ("阈值 = max(下限, min(比例 × T, 上限))，T 为年排放总量（tCO₂e）",
                       "threshold = max(floor, min(share × T, cap)), T the annual total (tCO₂e)"),
    "subunit_threshold": ("主要次级单位门槛", "major sub-unit threshold"),
    "equipment_threshold": ("主要排放设施门槛", "major equipment threshold"),
    "levels_of": ("{cls} 应配级别", "levels required: {cls}"),
    "none_required": ("不要求", "none"),
    "emission_point_quantities": ("排放口测量对象", "emission-point quantities"),
    "emission_point_level": ("排放口配备级别", "emission-point level"),
    "forced": ("强制实测参数", "parameters to be measured"),
    "fold": ("等效位置合并", "equivalent places folded"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "months": ("{n} 个月", "{n} months"),
    "classes_of": ("{acc} 级：{months}", "class {acc}: {months}"),
    "otherwise": ("其他：{months}", "otherwise {months}"),
    "no_class": ("不要求准确度等级", "no class requirement"),
    "weighing_basis": ("衡器最大允许误差依据", "weighing MPE basis"),
    "activity_thresholds": ("活动数据不确定度上限（层级 1—4，%）", "activity-data uncertainty limits (tiers 1–4, %)"),
    "cems_thresholds": ("实测法不确定度上限（层级 1—4，%）", "measurement uncertainty limits (tiers 1–4, %)"),
    "tier": ("层级 {n}", "tier {n}"),
    "no_tier": ("无层级要求", "no tier required"),
    "categories": ("类别 {names}", "category {names}"),
    "tier_for": ("要求层级：{who}", "tier required: {who}"),
    "procedures": ("必备制度", "required procedures"),
    "role_keywords": ("负责人岗位关键词", "responsible-role keywords"),
    "retention": ("记录保存年限", "records retention"),
    "years_at_least": ("不少于 {n} 年", "at least {n} years"),
    "not_checked": ("不检查", "not checked"),
    "due_soon": ("到期提醒窗口", "due-soon window"),
    "days": ("{n} 天", "{n} days"),
    "rounding": ("配备率保留小数位数", "equipping rate decimals"),
    "stock_take_level": ("盘库计入的配备级别", "stock-takes counted at level"),
    "stock_take_none": ("不计入配备率", "not counted in the rates"),
    "sec.monthly": ("月度存证", "Monthly close"),
    "deadline": ("存证截止（月末后）", "filing deadline (after the month's end)"),
    "substitution": ("缺测数据保守替代系数", "conservative substitution factor for missing data"),
    "completeness": ("数据完整率下限", "minimum data completeness"),
    "daily_monthly": ("日数据与月数据偏差上限", "maximum daily-monthly deviation"),
    "lab_accreditations": ("实验室资质", "laboratory accreditations"),
}))


def word(key: str, lang: str, **kw: object) -> str:
    """A word of ``packs show`` in ``lang`` (``{name}`` placeholders filled from ``kw``)."""
    s = pick(WORDS[key], lang, f"pack:{key}")
    return s.format(**kw) if kw else s
