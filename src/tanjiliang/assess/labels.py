"""Display names (zh/en) of the assessment's enumerations, shared by CLI, reports and web.
Media and instrument-type names come from the pack (``Medium.name``, ``InstrumentType.name``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tanjiliang.i18n import pairs, pick

if TYPE_CHECKING:
    from tanjiliang.assess.result import PointResult

LABELS = cast("dict[str, dict[str, tuple[str, str]]]", pairs("label", {
    "class": {"major": "主要源流", "minor": "次要源流",
              "de_minimis": "微量源流"},
    "calibration_status": {"valid": "有效", "due_soon": "即将到期",
                           "overdue": "超期", "out_of_service": "停用",
                           "unknown": "无记录"},
    "point_status": {"conforming": "符合", "nonconforming": "不符合",
                     "missing": "未配备"},
    "severity": {"nonconformity": "不符合项", "observation": "观察项"},
    "conclusion": {"conforming": "符合", "nonconforming": "不符合"},
    "instrument_status": {"in_use": "在用", "standby": "备用",
                          "out_of_service": "停用"},
    "kind": {"combustion": "燃料燃烧", "process": "工业过程",
             "electricity": "净购入电力", "heat": "净购入热力",
             "product": "含碳产品",
             "pfc": "全氟化碳（阳极效应）"},
    "direction": {"in": "输入", "out": "输出"},
    "role": {"direct": "直接排放", "indirect": "间接排放",
             "export": "输出"},
    "method": {"calculation": "计算法", "measurement": "实测法"},
    "quantity": {"activity": "活动数据", "ncv": "低位发热量",
                 "carbon_content": "单位热值含碳量", "oxidation_rate": "碳氧化率",
                 "emission_factor": "排放因子", "co2": "CO2浓度",
                 "flow": "烟气流量", "temperature": "烟气温度",
                 "pressure": "烟气压力", "moisture": "烟气湿度",
                 "emissions": "排放量",
                 "anode_effect_minutes_per_cell_day": "阳极效应持续时间（分钟/槽·日）",
                 "slope_cf4": "CF4 斜率系数",
                 "c2f6_to_cf4": "C2F6/CF4 质量比",
                 "stock": "盘库（库存）",
                 "anode_effects": "阳极效应持续时间",
                 # a clinker stream's items (issue 17: cement, CETS-AG-02.01-V01-2024)
                 "cao": "熟料CaO含量",
                 "mgo": "熟料MgO含量",
                 "cao_non_carbonate": "非碳酸盐来源的CaO",
                 "mgo_non_carbonate": "非碳酸盐来源的MgO",
                 "organic_carbon": "生料中非燃料碳含量",
                 "raw_meal": "生料量",
                 "raw_meal_ratio": "生料与熟料之比",
                 "kiln_dust": "窑头粉尘量",
                 "bypass_dust": "旁路放风粉尘量",
                 "carbonate_emissions": "碳酸盐分解排放",
                 "organic_carbon_emissions": "生料中非燃料碳煅烧排放",
                 "substitutes": "非碳酸盐替代原料消耗量",
                 "substitute_deduction": "替代原料扣减系数",
                 "substitute_deductions": "替代原料扣减量"},
    "sector": {"power": "发电", "cement": "水泥", "steel": "钢铁",
               "aluminium": "电解铝", "chemical": "化工",
               "petrochemical": "石化", "glass": "平板玻璃",
               "paper": "造纸", "aviation": "民航", "other": "其他"},
    "pack_status": {"draft": "征求意见稿", "official": "正式发布",
                    "reference": "参考规则包", "custom": "自定义"},
    "flag": {"duplicate": "重复", "negative": "负值",
             "out_of_range": "超量程", "reset": "累计值复位",
             "rollover": "计数器翻转", "stuck": "数值停滞",
             "spike": "突变", "bad_time": "时间无法识别",
             "bad_value": "数值无法识别", "gap": "缺测"},
    "reading_kind": {"total": "累计值", "amount": "区间量",
                     "reading": "瞬时值"},
    "layout": {"long": "长表", "wide": "宽表"},
    "condition": {"measurement_method": "采用实测法",
                  "measured_parameters": "有实测参数",
                  "key_emission_unit": "属于重点排放单位",
                  "has_subunits": "设有次级单位",
                  "has_management": "填报了管理制度",
                  "sector": "行业："},
    "classification_mode": {"joint": "累计判定", "per_stream": "逐一判定"},
    "level": {"1": "一级", "2": "二级", "3": "三级",
              "None": "实验室"},
    # a rule pack's words (tanjiliang packs show, issue 13): citation status, scope options
    "cite_status": {"V": "已核实", "S": "转引",
                    "I": "推断"},
    "totals": {"absolute": "按绝对值累加",
               "signed": "按代数和（输出为负）"},
    "key_unit_basis": {"direct": "仅计直接排放",
                       "total": "排放总量（含间接排放）"},
    "exports": {"deduct": "全部从总量中扣除",
                "deduct_products": "扣除含碳产品，输出电力、热力单独报告",
                "report_apart": "单独报告，不扣除"},
    "indirect": {"include": "计入总量",
                 "exclude": "单独报告，不计入总量"},
    "weighing_basis": {"verification": "首次检定最大允许误差",
                       "in_service": "使用中最大允许误差（首次检定的两倍）"},
    "family": {"coal": "煤", "coke": "焦炭",
               "petroleum_coke": "石油焦", "oil": "油品",
               "natural_gas": "天然气", "lpg": "液化石油气",
               "byproduct_gas": "副产煤气", "heat": "热力",
               "electricity": "电力", "carbonate": "碳酸盐",
               "electrode": "电极", "reductant": "还原剂",
               "process_material": "过程物料",
               "product": "含碳产品",
               "pfc": "全氟化碳（阳极效应）"},
}))


def label(group: str, key: object, lang: str = "zh") -> str:
    """``label("class", "major", "zh")`` → ``主要源流``; unknown keys are shown as they are."""
    pair = LABELS.get(group, {}).get(str(key))
    if pair is None:
        return str(key)
    return pick(pair, lang, f"label:{group}.{key}")


def point_name(p: PointResult, stream_names: dict[str, str], lang: str = "zh") -> str:
    """A metering point as a reader names it: ``入炉烟煤 低位发热量（实验室）``, ``入炉烟煤
    活动数据（G2）``, not its code ``coal.ncv`` or ``coal@G2`` (a boundary point has no place)."""
    from tanjiliang.model.names import PLACES

    where = pick(PLACES[p.place], lang, f"place:{p.place}") if p.place in PLACES else p.place
    what = f"{stream_names.get(p.stream, p.stream)} {label('quantity', p.quantity, lang)}"
    if p.place == "boundary":
        return what
    return f"{what}（{where}）" if lang == "zh" else f"{what} ({where})"
