"""Which province and city a unit's region names, whichever language it is written in.

A unit file's ``unit.region`` is free text: 河南省焦作市 in a Chinese file, and in an English
one what ``tanjiliang init --lang en`` starts it with (``Henan Province``) followed by the
city as people write it — ``Henan Province, Jiaozuo``, ``Jiaozuo, Henan``, ``Jiaozuo City,
Henan Province, China``. :func:`place_of` reads any of these as one canonical place, the
divisions' Chinese names of GB/T 2260 (河南省, 焦作市); the regulator's scope (web) and the
province batch's grouping by city (province) both ask it, so a city is one group however its
units wrote it. The divisions and their English names are data (``regions.csv``, cited there).

Understood, Chinese: ``[中国]<province>[<city>]…`` or ``<city>…`` with full or short names
(河南省焦作市, 河南焦作, 焦作市解放区, 延边州). English: comma-separated parts in either order,
each a province or a city with or without its generic words (Province, City, Prefecture,
Autonomous Prefecture, League, Municipality …), spelled with or without apostrophes, hyphens,
spaces and tone marks (Xi'an, Xian; Ürümqi, Urumqi); a part naming a county or a district is
passed over. A city whose English name is shared by two provinces (Fuzhou, Suzhou, Taizhou,
Yichun, Yulin) is known only with its province; two provinces and no city is no place.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

#: Provincial-level municipalities: the municipality is also the city (北京市朝阳区 → 北京市).
MUNICIPALITIES = ("110000", "120000", "310000", "500000")

_CN_SUFFIX = re.compile(r"(省|市|地区|盟|林区|县)$")
#: After a short name, a character that makes it part of a smaller place's name (朝阳区, 河南路).
_CN_SMALLER = set("区县镇乡村街路旗道")
#: Generic words of an English part: of a province, of a city (a hint which is meant).
_EN_PROVINCE = {"province", "sheng", "municipality", "autonomous", "region", "sar", "special",
                "administrative", "prov"}
_EN_CITY = {"city", "shi", "prefecture", "prefectural", "level", "league", "meng", "area",
            "diqu"}
#: Peoples named in an autonomous region's or prefecture's English name (Yanbian Korean
#: Autonomous Prefecture, Guangxi Zhuang Autonomous Region), passed over with ``autonomous``.
_EN_PEOPLES = {"korean", "tujia", "miao", "tibetan", "qiang", "yi", "bouyei", "buyei", "buyi",
               "dong", "hani", "zhuang", "dai", "jingpo", "lisu", "bai", "hui", "mongol",
               "mongolian", "kazak", "kazakh", "kirgiz", "kyrgyz", "uygur", "uyghur", "uighur",
               "li", "and", "nationality", "nationalities", "ethnic"}


@dataclass(frozen=True)
class Division:
    """A row of ``regions.csv``."""

    code: str
    name: str
    en: str

    @property
    def is_province(self) -> bool:
        return self.code.endswith("0000")

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


@dataclass(frozen=True)
class Place:
    """A region read as divisions: ``province`` and ``city`` are Chinese names (河南省, 焦作市),
    None when not named or not known; ``rest`` is what names something smaller or unknown
    (解放区), empty when the text names just the province or the city."""

    province: str | None = None
    city: str | None = None
    rest: str = ""


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Division]
    by_name: dict[str, Division]
    cn: dict[str, list[Division]]      # full and short Chinese names → divisions
    en: dict[str, list[Division]]      # folded English names and aliases → divisions
    cn_longest: int


def _fold(text: str) -> str:
    """``Xi'an`` → ``xian``, ``Ürümqi`` → ``urumqi``: letters only, lower case, no marks."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if "a" <= c <= "z")


@cache
def _table() -> _Table:
    src = resources.files("tanjiliang.model").joinpath("regions.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in src.splitlines() if not line.startswith("#"))
    by_code: dict[str, Division] = {}
    cn: dict[str, list[Division]] = {}
    en: dict[str, list[Division]] = {}
    for row in rows:
        d = Division(row["code"], row["name"], row["en"])
        by_code[d.code] = d
        shorts = {s for s in row["short"].split("|") if s} or {_CN_SUFFIX.sub("", d.name)}
        if d.name.endswith("自治州"):
            shorts |= {s + "州" for s in shorts if not s.endswith("州")}
        for key in {d.name, *shorts}:
            cn.setdefault(key, []).append(d)
        for key in {_fold(d.en), *(_fold(a) for a in row["aliases"].split("|") if a)}:
            en.setdefault(key, []).append(d)
    return _Table(by_code, {d.name: d for d in by_code.values()}, cn, en,
                  max(len(k) for k in cn))


def division(name: str) -> Division | None:
    """The division whose Chinese name is ``name`` (河南省, 焦作市), if any."""
    return _table().by_name.get(name)


def name_in(name: str, lang: str) -> str:
    """A division's name in ``lang`` (焦作市 → Jiaozuo in English); any other text as it is."""
    d = _table().by_name.get(name) if lang != "zh" else None
    return d.en if d else name


# ---------------------------------------------------------------------------------- Chinese

def _cn_match(text: str, within: str | None = None) -> tuple[Division, int] | None:
    """The longest division name at the start of ``text`` (a city of province ``within``
    only, when given) and its length; a short name followed by 区/县/路 … is no match."""
    t = _table()
    for n in range(min(len(text), t.cn_longest), 0, -1):
        for d in t.cn.get(text[:n], ()):
            if within is not None and (d.is_province or d.province_code != within):
                continue
            if n < len(text) and text[:n] != d.name and text[n] in _CN_SMALLER:
                continue
            return d, n
    return None


def _place_cn(text: str) -> Place:
    s = re.sub(r"\s+", "", text).removeprefix("中华人民共和国").removeprefix("中国")
    first = _cn_match(s)
    if first is None:
        return Place(rest=s)
    d, n = first
    rest = s[n:]
    if not d.is_province:
        return Place(_table().by_code[d.province_code].name, d.name, rest)
    if d.code in MUNICIPALITIES:
        return Place(d.name, d.name, rest)
    city = _cn_match(rest, within=d.code)
    if city is None:
        return Place(d.name, None, rest)
    return Place(d.name, city[0].name, rest[city[1]:])


# ---------------------------------------------------------------------------------- English

def _en_part(words: list[str]) -> tuple[list[Division], str | None]:
    """The divisions one English part names (``Jiaozuo City``, ``Guangxi Zhuang Autonomous
    Region``) and which level its generic words point to, if any."""
    hint = None
    autonomous = "autonomous" in words
    while words and (words[-1] in _EN_PROVINCE or words[-1] in _EN_CITY
                     or (autonomous and words[-1] in _EN_PEOPLES)):
        word = words.pop()
        if word in _EN_PROVINCE and word != "autonomous" and hint is None:
            hint = "province"
        elif word in _EN_CITY and hint is None:
            hint = "city"
    found = _table().en.get("".join(words), []) if words else []
    if hint == "province":
        found = [d for d in found if d.is_province]
    elif hint == "city":
        found = [d for d in found if not d.is_province or d.code in MUNICIPALITIES]
    return found, hint


def _place_en(text: str) -> Place:
    folded = unicodedata.normalize("NFKD", text.lower())
    parts: list[list[Division]] = []
    unknown: list[str] = []
    for raw in re.split(r"[,;，；、/()（）\n]+", folded):
        words = ["".join(c for c in w if "a" <= c <= "z")
                 for w in re.findall(r"[a-z'’\u0300-\u036f]+", raw)]
        words = [w for w in words if w]
        if not words:
            continue
        found, _ = _en_part(list(words))
        if not found:  # two names in one part: "Henan Jiaozuo", "Jiaozuo City Henan Province"
            for i in range(1, len(words)):
                left, right = _en_part(words[:i])[0], _en_part(words[i:])[0]
                if left and right:
                    parts += [left, right]
                    break
            else:
                if words not in (["china"], ["pr", "china"], ["p", "r", "china"], ["prc"]):
                    unknown.append(raw.strip())
            continue
        parts.append(found)
    rest = ", ".join(unknown)
    provinces = [(i, d) for i, part in enumerate(parts) for d in part if d.is_province]
    cities = [(i, d) for i, part in enumerate(parts) for d in part if not d.is_province]
    pairs = {(p.code, c.code) for i, p in provinces for j, c in cities
             if i != j and c.province_code == p.code}
    t = _table()
    if len(pairs) == 1:
        province, city = next(iter(pairs))
        return Place(t.by_code[province].name, t.by_code[city].name, rest)
    # a part that can only be a province (Henan) before one that may be a city too (Jilin)
    named = {p.code for i, p in provinces if all(q.is_province for q in parts[i])} or \
        {p.code for _, p in provinces}
    if len(named) == 1:
        code = next(iter(named))
        if code in MUNICIPALITIES:
            return Place(t.by_code[code].name, t.by_code[code].name, rest)
        # a city part of another province (Henan, Xi'an) or none: the province alone
        others = {c.en for i, c in cities if all(p.code != code for p in parts[i])}
        return Place(t.by_code[code].name, None, ", ".join([*unknown, *sorted(others)]))
    if not named and len({c.code for _, c in cities}) == 1:
        only = cities[0][1]
        return Place(t.by_code[only.province_code].name, only.name, rest)
    return Place(rest=text.strip())


_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=65536)  # one entry per distinct region text
def place_of(region: str | None) -> Place:
    """The province and city ``region`` names (Chinese names of GB/T 2260), in Chinese or in
    English (module docstring); ``Place()`` for an empty region."""
    if not region or not region.strip():
        return Place()
    return _place_cn(region) if _CJK.search(region) else _place_en(region)


def within(region: str | None, scope: str) -> bool:
    """Whether a unit whose file says ``region`` lies in a regulator's ``scope`` (河南省,
    河南省焦作市): its region starts with the scope, or it names the same province (and the
    same city, when the scope names one). A scope finer than a city (河南省焦作市解放区) or one
    that names no known division is a prefix only."""
    if not region:
        return False
    if region.startswith(scope):
        return True
    target = place_of(scope)
    if target.province is None or target.rest:
        return False
    place = place_of(region)
    return place.province == target.province and (target.city is None
                                                  or place.city == target.city)


def city_of(region: str | None) -> str | None:
    """The city a region is grouped under: its city's Chinese name (焦作市, for 河南省焦作市
    and for ``Henan Province, Jiaozuo``), else its province's (河南省), else None."""
    place = place_of(region)
    return place.city or place.province
