"""Which province and city a unit's region names (model/regions.py): the Chinese names of
GB/T 2260 from Chinese and English text, the data file's own consistency, and the regulator's
scope built on it."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from tanjiliang.model.regions import Place, city_of, division, name_in, place_of, within

JIAOZUO = Place("河南省", "焦作市")


@pytest.mark.parametrize("text", [
    "河南省焦作市", "河南焦作", "中国河南省焦作市", "河南省 焦作市",
    # tanjiliang init --lang en writes "Henan Province"; the city is added after it or before
    "Henan Province, Jiaozuo", "Henan Province, Jiaozuo City", "Henan, Jiaozuo",
    "Jiaozuo, Henan", "Jiaozuo City, Henan Province", "Jiaozuo City, Henan Province, China",
    "Jiaozuo, Henan, P.R. China", "HENAN PROVINCE, JIAOZUO", "Henan Province Jiaozuo City",
    "henan jiaozuo", "Jiaozuo", "Jiaozuo Prefecture-level City, Henan",
])
def test_forms_of_one_city_are_one_place(text: str) -> None:
    assert place_of(text) == JIAOZUO


@pytest.mark.parametrize(("text", "province", "city"), [
    ("Henan Province", "河南省", None), ("HENAN", "河南省", None), ("河南", "河南省", None),
    ("Zhengzhou, Henan", "河南省", "郑州市"), ("Jiyuan, Henan", "河南省", "济源市"),
    ("河南省济源市", "河南省", "济源市"), ("郑州市金水区", "河南省", "郑州市"),
    # Shanxi and Shaanxi are two provinces; Xi'an is in Shaanxi, written with or without '
    ("Shanxi Province", "山西省", None), ("Shaanxi", "陕西省", None),
    ("Xi'an, Shaanxi", "陕西省", "西安市"), ("Xian City, Shaanxi Province", "陕西省", "西安市"),
    ("Taiyuan, Shanxi", "山西省", "太原市"),
    # a name that is both a province and a city (Jilin), or a province and a prefecture
    # of another one (Hainan: 海南省, and 海南藏族自治州 in Qinghai)
    ("Jilin", "吉林省", None), ("Jilin City", "吉林省", "吉林市"), ("Jilin, Jilin", "吉林省", "吉林市"),
    ("吉林省吉林市", "吉林省", "吉林市"), ("Hainan", "海南省", None),
    ("Hainan Prefecture, Qinghai", "青海省", "海南藏族自治州"), ("海南州", "青海省", "海南藏族自治州"),
    # a city name two provinces share: known with its province only
    ("Fuzhou, Fujian", "福建省", "福州市"), ("Fuzhou City, Jiangxi Province", "江西省", "抚州市"),
    ("Suzhou, Anhui", "安徽省", "宿州市"), ("Taizhou, Zhejiang", "浙江省", "台州市"),
    # municipalities are their own city
    ("Beijing", "北京市", "北京市"), ("Chaoyang District, Beijing", "北京市", "北京市"),
    ("北京市朝阳区", "北京市", "北京市"),
    # autonomous regions and prefectures, romanised names of non-Chinese origin, tone marks
    ("Guangxi Zhuang Autonomous Region, Nanning", "广西壮族自治区", "南宁市"),
    ("Yanbian Korean Autonomous Prefecture, Jilin", "吉林省", "延边朝鲜族自治州"),
    ("Xilin Gol League, Inner Mongolia", "内蒙古自治区", "锡林郭勒盟"),
    ("Hohhot, Inner Mongolia", "内蒙古自治区", "呼和浩特市"),
    ("Ürümqi, Xinjiang", "新疆维吾尔自治区", "乌鲁木齐市"), ("Urumqi", "新疆维吾尔自治区", "乌鲁木齐市"),
    ("Shigatse, Tibet", "西藏自治区", "日喀则市"), ("Xigazê, Xizang", "西藏自治区", "日喀则市"),
    ("新疆巴州库尔勒市", "新疆维吾尔自治区", "巴音郭楞蒙古自治州"),
])
def test_place_of_reads_province_and_city(text: str, province: str, city: str | None) -> None:
    place = place_of(text)
    assert (place.province, place.city) == (province, city)


@pytest.mark.parametrize("text", [
    "Henanxi County", "Henan Road", "河南路", "朝阳区", "Fuzhou", "Henan, Hebei", "某某开发区", "",
    "Chaoyang District",
])
def test_what_names_no_known_place_is_none(text: str) -> None:
    assert place_of(text).province is None and place_of(text).city is None


def test_a_city_of_another_province_is_not_taken() -> None:
    # "Shanxi" for 陕西 is a common slip; Xi'an is not made a city of 山西省
    assert place_of("Xi'an, Shanxi") == Place("山西省", None, "Xi'an")


def test_within_a_regulators_region() -> None:
    assert within("Henan Province, Jiaozuo", "河南省焦作市")
    assert within("Jiaozuo City, Henan Province", "河南省焦作市")
    assert within("河南省焦作市解放区", "河南省焦作市")
    assert within("Henan Province, Jiaozuo", "河南省")
    assert not within("Henan Province, Zhengzhou", "河南省焦作市")
    assert not within("Henan Province", "河南省焦作市")  # no city: not this city's
    assert not within("Henan Province, Jiaozuo", "山东省")
    assert not within("Hebei Province, Tangshan", "河南省")
    # a scope finer than a city, or unknown, is a prefix only
    assert within("河南省焦作市解放区民主路", "河南省焦作市解放区")
    assert not within("Henan Province, Jiaozuo", "河南省焦作市解放区")
    assert within("某某开发区一号", "某某开发区") and not within("Henan", "某某开发区")
    assert not within(None, "河南省") and not within("", "河南省")


def test_city_of_and_names_in_each_language() -> None:
    assert city_of("Henan Province, Jiaozuo") == city_of("河南省焦作市") == "焦作市"
    assert city_of("Henan Province") == city_of("河南省") == "河南省"
    assert city_of("somewhere") is None
    assert name_in("焦作市", "en") == "Jiaozuo" and name_in("焦作市", "zh") == "焦作市"
    assert name_in("郑州市", "en") == "Zhengzhou" and name_in("河南省", "en") == "Henan"
    assert name_in("山西省", "en") == "Shanxi" and name_in("陕西省", "en") == "Shaanxi"
    assert name_in("某某市", "en") == "某某市"  # not a division: as written


def _rows() -> list[dict[str, str]]:
    text = resources.files("tanjiliang.model").joinpath("regions.csv").read_text("utf-8")
    return list(csv.DictReader(x for x in text.splitlines() if not x.startswith("#")))


def test_the_divisions_file() -> None:
    """GB/T 2260: 34 provincial-level divisions and 333 prefecture-level ones (293 地级市,
    7 地区, 30 自治州, 3 盟), codes unique; every city under a listed province; English names
    unique within a province; romanisations that a reading machine gets wrong are right."""
    rows = _rows()
    codes = Counter(r["code"] for r in rows)
    assert all(len(c) == 6 and c.isdigit() and n == 1 for c, n in codes.items())
    provinces = {r["code"] for r in rows if r["code"].endswith("0000")}
    assert len(provinces) == 34
    prefectures = [r for r in rows if r["code"].endswith("00") and r["code"] not in provinces]
    assert len(prefectures) == 333
    kinds = Counter(next(k for k in ("自治州", "地区", "盟", "市") if r["name"].endswith(k))
                    for r in prefectures)
    assert kinds == {"市": 293, "地区": 7, "自治州": 30, "盟": 3}
    assert all(r["code"][:2] + "0000" in provinces for r in rows)
    per_province = Counter((r["code"][:2], r["en"].casefold()) for r in rows
                           if r["code"] not in provinces)
    assert max(per_province.values()) == 1
    assert all(r["en"] and r["name"] for r in rows)
    for name, en in {"焦作市": "Jiaozuo", "郑州市": "Zhengzhou", "长治市": "Changzhi",
                     "朝阳市": "Chaoyang", "漯河市": "Luohe", "六安市": "Lu'an", "济源市": "Jiyuan",
                     "哈尔滨市": "Harbin", "呼和浩特市": "Hohhot", "拉萨市": "Lhasa"}.items():
        d = division(name)
        assert d is not None and d.en == en, name
