"""A regulator's region as a filter on units (core/tenancy.py, review/summaries.py).

A unit's region is what its file says (``unit.region``): 河南省焦作市 in Chinese, and in an
English file (``tanjiliang init --lang en``) "Henan Province, Jiaozuo". A provincial
regulator's profile names its province in Chinese (河南省); it sees the units whose region
starts with it — and, for a provincial-level division, those whose region starts with the
division's English name (Henan, case-insensitive), so that a unit written in English is not
out of its regulator's sight. Below the province (a city's regulator) the Chinese prefix alone
applies: city names are not translated here.
"""

from __future__ import annotations

from django.db.models import Q

#: The 34 provincial-level divisions (GB/T 2260): the Chinese name → the English name a unit
#: file written in English starts its region with.
PROVINCES: dict[str, str] = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia", "辽宁省": "Liaoning", "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu", "浙江省": "Zhejiang",
    "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi", "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan",
    "贵州省": "Guizhou", "云南省": "Yunnan", "西藏自治区": "Tibet", "陕西省": "Shaanxi",
    "甘肃省": "Gansu", "青海省": "Qinghai", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang", "台湾省": "Taiwan", "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
}
#: The short forms people also write (河南, 内蒙古, 广西).
_SHORT = {k.removesuffix("省").removesuffix("市").removesuffix("特别行政区")
          .removesuffix("维吾尔自治区").removesuffix("回族自治区").removesuffix("壮族自治区")
          .removesuffix("自治区"): k for k in PROVINCES}


def english_name(region: str) -> str | None:
    """The English name of ``region`` when it is a provincial-level division, whole (河南省,
    河南), else None."""
    text = region.strip()
    return PROVINCES.get(text) or PROVINCES.get(_SHORT.get(text, ""))


def in_region(region: str, field: str = "region") -> Q:
    """Units (or summaries) whose ``field`` lies in ``region``: starting with it, or for a
    province with its English name (a word boundary after it: Henan…, not Henanxi)."""
    q = Q(**{f"{field}__startswith": region})
    en = english_name(region)
    if en:
        q |= Q(**{f"{field}__iregex": rf"^{en}([^a-z]|$)"})
    return q
