"""Display names (zh/en) of the assessment's enumerations, shared by CLI, reports and web.
Media and instrument-type names come from the pack (``Medium.name``, ``InstrumentType.name``)."""

from __future__ import annotations

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "class": {"major": ("主要源流", "major"), "minor": ("次要源流", "minor"),
              "de_minimis": ("微量源流", "de minimis")},
    "calibration_status": {"valid": ("有效", "valid"), "due_soon": ("即将到期", "due soon"),
                           "overdue": ("超期", "overdue"), "out_of_service": ("停用", "out of service"),
                           "unknown": ("无记录", "unknown")},
    "point_status": {"conforming": ("符合", "conforming"), "nonconforming": ("不符合", "nonconforming"),
                     "missing": ("未配备", "missing")},
    "severity": {"nonconformity": ("不符合项", "non-conformity"), "observation": ("观察项", "observation")},
    "conclusion": {"conforming": ("符合", "conforming"), "nonconforming": ("不符合", "non-conforming")},
    "instrument_status": {"in_use": ("在用", "in use"), "standby": ("备用", "standby"),
                          "out_of_service": ("停用", "out of service")},
    "kind": {"combustion": ("燃料燃烧", "combustion"), "process": ("工业过程", "process"),
             "electricity": ("净购入电力", "purchased electricity"), "heat": ("净购入热力", "purchased heat")},
    "method": {"calculation": ("计算法", "calculation"), "measurement": ("实测法", "measurement")},
    "quantity": {"activity": ("活动数据", "activity data"), "ncv": ("低位发热量", "NCV"),
                 "carbon_content": ("单位热值含碳量", "carbon content"), "oxidation_rate": ("碳氧化率", "oxidation rate"),
                 "emission_factor": ("排放因子", "emission factor"), "co2": ("CO2浓度", "CO2 concentration"),
                 "flow": ("烟气流量", "flue-gas flow"), "temperature": ("烟气温度", "temperature"),
                 "pressure": ("烟气压力", "pressure"), "moisture": ("烟气湿度", "moisture")},
    "sector": {"power": ("发电", "power"), "cement": ("水泥", "cement"), "steel": ("钢铁", "steel"),
               "aluminium": ("电解铝", "aluminium"), "chemical": ("化工", "chemicals"),
               "petrochemical": ("石化", "petrochemicals"), "glass": ("平板玻璃", "glass"),
               "paper": ("造纸", "paper"), "aviation": ("民航", "aviation"), "other": ("其他", "other")},
    "level": {"1": ("一级", "level 1"), "2": ("二级", "level 2"), "3": ("三级", "level 3"),
              "None": ("实验室", "laboratory")},
}


def label(group: str, key: object, lang: str = "zh") -> str:
    """``label("class", "major", "zh")`` → ``主要源流``; unknown keys are shown as they are."""
    pair = LABELS.get(group, {}).get(str(key))
    if pair is None:
        return str(key)
    return pair[0] if lang == "zh" else pair[1]
