"""Names people write for codes: one resolver for the unit file, the Excel ledger and the forms.

Issue 12 (3): "Chinese names are accepted wherever a code is expected — materials (天然气, 烟煤),
types (气体流量计), places by name, units (万Nm³, 万立方米, 吨, 万千瓦时), dates — stored as codes,
every mapping reported, an ambiguous name an error listing the candidates."

A name resolves to a code when it is the code, the zh or en label, or a listed word
(``names.yaml``) — compared after folding full-width characters, case and spaces — else when it
is contained in exactly one label or contains exactly one (``partial``: an inference, refused by
``strict``). Vocabularies: materials of the factor library, instrument types of a pack, places
and streams of a unit (ids and names), and the enumerations of the model.

The factor library and the pack are read lazily (``tanjiliang.rules``): the one place where
the model layer looks upwards, so that the loader can store 天然气 as ``natural_gas``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, cast

import yaml

from tanjiliang.i18n import pairs

KINDS = ("material", "instrument_type", "place", "stream", "subunit", "equipment",
         "emission_point", "sector", "stream_kind", "method", "param_source", "status",
         "confirmation_kind", "result", "co2_basis")

#: Labels of the enumerations (code → zh, en), the model's words: written in Chinese, the English
#: (and any further language) from the catalogue, context ``enum:<kind>.<code>``.
ENUM_LABELS = cast("dict[str, dict[str, tuple[str, str]]]", pairs("enum", {
    "sector": {"power": "发电", "cement": "水泥", "steel": "钢铁",
               "aluminium": "电解铝", "chemical": "化工",
               "petrochemical": "石化", "glass": "平板玻璃",
               "paper": "造纸", "aviation": "民航", "other": "其他"},
    "stream_kind": {"combustion": "燃料燃烧", "process": "工业过程",
                    "electricity": "购入电力",
                    "heat": "购入热力",
                    "product": "含碳产品",
                    "pfc": "全氟化碳（阳极效应）"},
    "method": {"calculation": "核算法", "measurement": "实测法"},
    "param_source": {"measured": "实测值", "default": "缺省值",
                     "supplier": "供应商数据"},
    "status": {"in_use": "在用", "standby": "备用",
               "out_of_service": "停用"},
    "confirmation_kind": {"verification": "检定",
                          "calibration": "校准"},
    "result": {"pass": "合格", "fail": "不合格", "limited": "准用"},
    "co2_basis": {"dry": "干基", "wet": "湿基"},
}))

#: The places every unit has (unit-file.md: boundary | lab), context ``place:<code>``.
PLACES = cast("dict[str, tuple[str, str]]", pairs("place", {
    "boundary": "核算边界",
    "lab": "实验室",
}))

HOW_ZH = {"code": "编码", "label": "名称", "word": "同义词", "partial": "唯一部分匹配（推断）",
          "unit": "单位名称", "date": "日期写法", "keyword": "由名称推断", "value": "写法",
          "default": "缺省推断", "gas_volume": "燃气按标准立方米计", "stream": "由名称或器具类型推断源流", "pending": "无法判定，待补充", "empty": "占位符，视为未填写"}


_SPACES = re.compile(r"[\s_]+")


def norm(text: object) -> str:
    """Loose comparison form: NFKC (全角→半角), lower case, no spaces or underscores."""
    return _norm(text if isinstance(text, str) else str(text if text is not None else ""))


@lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", s).lower())


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    """The word table (``names.yaml``)."""
    text = (resources.files("tanjiliang.model") / "names.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    zh: str
    en: str
    words: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Mapped:
    """One reported mapping: ``text`` was read as ``code`` (``how``: code, label, word,
    partial, unit, date, keyword, value)."""

    kind: str
    text: str
    code: str
    how: str

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"“{self.text}” → {self.code}（{HOW_ZH.get(self.how, self.how)}）"
        return f'"{self.text}" → {self.code} ({self.how})'

    @property
    def inferred(self) -> bool:
        return self.how in ("partial", "keyword")


#: Kinds whose codes are the user's own ids (shown beside a name in a list of choices); the
#: codes of the catalogues (materials, types, enumerations) are never shown (issue 13).
USER_CODES = {"place", "stream", "subunit", "equipment", "emission_point"}


@dataclass
class NameProblem(Exception):
    """A name that is unknown or ambiguous; ``candidates`` are (code, label), ``labels_en`` their
    English labels (an English message lists no Chinese the user did not write)."""

    kind: str
    text: str
    candidates: list[tuple[str, str]] = field(default_factory=list)
    ambiguous: bool = False
    labels_en: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, kind: str, text: str, entries: Iterable[Entry], ambiguous: bool = False) -> NameProblem:
        es = list(entries)
        return cls(kind, text, [(e.code, e.zh) for e in es], ambiguous, [e.en for e in es])

    def __post_init__(self) -> None:
        Exception.__init__(self, self.en)

    @property
    def zh(self) -> str:
        shown = "、".join(f"{label}（{code}）" if label != code and self.kind in USER_CODES else label
                         for code, label in self.candidates[:12])
        more = " 等" if len(self.candidates) > 12 else ""
        what = KIND_ZH.get(self.kind, self.kind)
        if self.ambiguous:
            return f"“{self.text}”可指多个{what}：{shown}{more}；请写完整名称" + ("或编码" if self.kind in USER_CODES else "")
        return f"“{self.text}”不是已知的{what}" + (f"（可选：{shown}{more}）" if shown else "")

    @property
    def reason_zh(self) -> str:
        """The message without the name itself (shown beside it)."""
        return self.zh.removeprefix(f"“{self.text}”")

    @property
    def reason_en(self) -> str:
        return self.en.removeprefix(f'"{self.text}" ')

    @property
    def en(self) -> str:
        labels = self.labels_en if len(self.labels_en) == len(self.candidates) else [c[1] for c in self.candidates]
        shown = ", ".join(f"{label} ({code})" if label != code and self.kind in USER_CODES else label
                          for (code, _), label in zip(self.candidates[:12], labels, strict=False))
        more = ", …" if len(self.candidates) > 12 else ""
        what = self.kind.replace("_", " ")
        if self.ambiguous:
            return (f'"{self.text}" could be several {what}s: {shown}{more}; write the full name'
                    + (" or the code" if self.kind in USER_CODES else ""))
        return f'"{self.text}" is not a known {what}' + (f" (choose from: {shown}{more})" if shown else "")


KIND_ZH = {"material": "物料", "instrument_type": "器具类型", "place": "安装地点", "stream": "源流",
           "subunit": "次级单位", "equipment": "设施", "emission_point": "排放口", "sector": "行业",
           "stream_kind": "源流类别", "method": "核算方法", "param_source": "参数来源",
           "status": "状态", "confirmation_kind": "检定/校准方式", "result": "结论", "unit": "计量单位",
           "co2_basis": "干湿基准"}


# ------------------------------------------------------------------------ vocabularies

def enum_entries(kind: str) -> list[Entry]:
    table = words().get(kind, {})
    out = []
    for code, (zh, en) in ENUM_LABELS[kind].items():
        extra: tuple[str, ...] = ()
        if kind == "status":
            extra = tuple(w for w, v in table.items() if v[0] == code)
        elif isinstance(table, dict):
            extra = tuple(table.get(code, ()))
        out.append(Entry(code, zh, en, extra))
    return out


def material_entries() -> list[Entry]:
    from tanjiliang.rules.factors import bundled_library

    return [Entry(k, m.name.zh, m.name.en) for k, m in bundled_library().materials.items()]


def type_entries(pack: Any = None) -> list[Entry]:
    """Instrument types of ``pack`` (a Pack, a LoadedPack, or a pack name; None: the default)."""
    p = _pack(pack)
    if p is None:
        return []
    return [Entry(t.id, t.name.zh, t.name.en, tuple(t.name.zh.split("/")) if "/" in t.name.zh else ())
            for t in p.instrument_types]


def _pack(pack: Any) -> Any:
    if pack is None or isinstance(pack, str):
        from tanjiliang.model.errors import LoadError
        from tanjiliang.rules.load import load_pack

        try:
            return load_pack(pack).pack
        except LoadError:
            return None
    return getattr(pack, "pack", pack)


def _items(unit: Any, section: str) -> list[tuple[str, str]]:
    """(id, name) of a unit's section; ``unit`` is a UnitFile or the file's raw data."""
    if unit is None:
        return []
    if isinstance(unit, Mapping):
        raw = unit.get(section) or []
        return [(str(o.get("id")), str(o.get("name") or o.get("id")))
                for o in raw if isinstance(o, Mapping) and o.get("id") is not None]
    return [(o.id, o.name) for o in getattr(unit, section)]


def place_entries(unit: Any) -> list[Entry]:
    """boundary, lab, and the unit's sub-units, equipment and emission points."""
    table = words()["places"]
    out = [Entry(code, *PLACES[code], tuple(table[code])) for code in ("boundary", "lab")]
    for section in ("subunits", "equipment", "emission_points"):
        out += [Entry(i, n, n) for i, n in _items(unit, section)]
    return out


def section_entries(unit: Any, section: str) -> list[Entry]:
    return [Entry(i, n, n) for i, n in _items(unit, section)]


def entries(kind: str, *, pack: Any = None, unit: Any = None) -> list[Entry]:
    """The vocabulary of ``kind``."""
    if kind == "material":
        return material_entries()
    if kind == "instrument_type":
        return type_entries(pack)
    if kind == "place":
        return place_entries(unit)
    if kind == "stream":
        return section_entries(unit, "source_streams")
    if kind in ("subunit", "equipment", "emission_point"):
        return section_entries(unit, {"subunit": "subunits", "equipment": "equipment",
                                      "emission_point": "emission_points"}[kind])
    return enum_entries(kind)


def choices(kind: str, lang: str = "zh", *, pack: Any = None, unit: Any = None) -> list[tuple[str, str]]:
    """(code, label in ``lang``) for a form's drop-down."""
    return [(e.code, e.label(lang)) for e in entries(kind, pack=pack, unit=unit)]


# ------------------------------------------------------------------------ resolution

def resolve_in(vocab: Iterable[Entry], text: str, kind: str, *, strict: bool = False) -> Mapped:
    """The code ``text`` names in ``vocab``; :class:`NameProblem` if none or several."""
    vocab = list(vocab)
    raw = str(text).strip()
    n = norm(raw)
    if not n:
        raise NameProblem.of(kind, raw, vocab)
    for e in vocab:
        if n == norm(e.code):
            return Mapped(kind, raw, e.code, "code")
    hits = [e for e in vocab if n in (norm(e.zh), norm(e.en))]
    if not hits:
        hits = [e for e in vocab if n in {norm(w) for w in e.words}]
        how = "word"
    else:
        how = "label"
    codes = sorted({e.code for e in hits})
    if len(codes) == 1:
        return Mapped(kind, raw, codes[0], how)
    if len(codes) > 1:
        raise NameProblem.of(kind, raw, hits, ambiguous=True)
    if len(n) >= 2:
        part = {e.code: e for e in vocab
                for lab in (e.zh, *e.words) if len(norm(lab)) >= 2 and (n in norm(lab) or norm(lab) in n)}
        if len(part) == 1:
            code = next(iter(part))
            if strict:
                raise NameProblem.of(kind, raw, [part[code]], ambiguous=True)
            return Mapped(kind, raw, code, "partial")
        if len(part) > 1:
            raise NameProblem.of(kind, raw, part.values(), ambiguous=True)
    raise NameProblem.of(kind, raw, vocab)


def resolve(kind: str, text: str, *, pack: Any = None, unit: Any = None, strict: bool = False) -> Mapped:
    """The code of a name of ``kind`` (see :data:`KINDS`); ``unit`` gives places and streams,
    ``pack`` the instrument types. Raises :class:`NameProblem` (zh/en, candidates)."""
    return resolve_in(entries(kind, pack=pack, unit=unit), text, kind, strict=strict)


def status_word(text: str) -> tuple[str, str | None, str] | None:
    """(status, result of the latest confirmation or None, how) for a status word."""
    n = norm(text)
    for code, (zh, en) in ENUM_LABELS["status"].items():
        if n in (norm(code), norm(zh), norm(en)):
            return code, None, "label"
    for word, (status, result) in words()["status"].items():
        if n == norm(word):
            return status, result, "word"
    return None


def infer_type(name: str, known: Iterable[str] | None = None) -> str | None:
    """The instrument type an instrument's name suggests (``type_keywords``), if the pack has it."""
    n = norm(name)
    allowed = set(known) if known is not None else None
    for keyword, code in words()["type_keywords"]:
        if norm(keyword) in n and (allowed is None or code in allowed):
            return str(code)
    return None


# ------------------------------------------------------------------------ units, dates

_QTY = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_GROUPED = re.compile(r"^\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][-+]?\d+)?\s*$")


def ungrouped(number: str) -> str | None:
    """A number's text without its thousands separators (``1,234.5`` → ``1234.5``), or None
    when a comma in it does not group thousands: ``21,46`` is a decimal comma or a slip, never
    2146 (probe s10 web #4: a heat value 100 times too large was stored without a word)."""
    if "," not in number:
        return number
    return number.replace(",", "") if _GROUPED.match(number) else None


def unit_code(text: str) -> str:
    """Unit words replaced by unit codes (``万立方米`` → ``万m3``, ``吨`` → ``t``)."""
    s = unicodedata.normalize("NFKC", text)
    table: dict[str, str] = words()["units"]
    for w in sorted(table, key=len, reverse=True):
        s = s.replace(unicodedata.normalize("NFKC", w), table[w])
    return s


def quantity_text(text: str) -> tuple[str, Mapped | None]:
    """A quantity as written (``"3.5 万Nm³"``) → its stored form (``"3.5 万Nm3"``) and the
    mapping, or the text unchanged and None."""
    m = _QTY.match(str(text))
    if not m or not m[2]:
        return str(text), None
    number = ungrouped(m[1])
    if number is None:  # left as written: the quantity reader refuses it, naming the field
        return str(text), None
    unit = unit_code(m[2])
    out = f"{number} {unit}"
    if out == str(text):
        return out, None
    if unit == m[2] and number == m[1]:
        return str(text), None
    return out, Mapped("unit", str(text), out, "unit")


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE8 = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """A date as people write it: a date cell, ``2025-03-02``, ``2025.03.02``, ``2025/3/2``,
    ``2025年3月2日``, ``20250302`` or an Excel serial (1900 system). None for an empty value;
    ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000 and float(value).is_integer():
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    s = unicodedata.normalize("NFKC", str(value)).strip()
    if not s:
        return None
    m = _DATE.match(s) or _DATE8.match(s)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d{5}(?:\.0+)?", s):
        return parse_date(float(s))
    raise ValueError(value)


# ------------------------------------------------------------------------ unit-file data

Path_ = tuple[str | int, ...]


@dataclass
class Resolution:
    """What :func:`resolve_unit_data` did: every name read as a code, every name it could not."""

    mapped: list[tuple[Path_, Mapped]] = field(default_factory=list)
    problems: list[tuple[Path_, str, str]] = field(default_factory=list)

    def lines(self, lang: str = "zh") -> list[str]:
        from tanjiliang.model.errors import format_path

        return [f"{format_path(p)}: {m.message(lang)}" for p, m in self.mapped]


_ENUM_FIELDS = {"sector": "sector", "kind": "stream_kind", "method": "method", "source": "param_source",
                "status": "status", "confirmation": "confirmation_kind", "result": "result",
                "basis": "co2_basis"}


def _gas_material(code: Any) -> bool:
    """Whether the library's defaults for ``code`` are per standard cubic metre (a gas)."""
    if not isinstance(code, str):
        return False
    from tanjiliang.rules.factors import bundled_library

    m = bundled_library().material(code)
    return m is not None and m.ncv is not None and "Nm3" in str(m.ncv.value)


def resolve_unit_data(data: dict[str, Any], *, strict: bool = False) -> Resolution:
    """Replace, in the raw data of a unit file, the names people write where a code is expected
    (issue 12 (3)): 天然气 → natural_gas, 气体流量计 → gas_flow_meter, 1号锅炉 → B1, 电力 → power,
    "350 万立方米" → "350 万m3", 2025年3月2日 → 2025-03-02. A value that already is a code is left
    alone; an unknown name is left for the validation to judge; an ambiguous one is a problem
    listing the candidates. Mutates ``data``."""
    res = Resolution()
    if not isinstance(data, dict):
        return res

    def enum(path: Path_, node: dict[str, Any], key: str, kind: str) -> None:
        v = node.get(key)
        if not isinstance(v, str) or v in ENUM_LABELS[kind]:
            return
        if kind == "status":
            sw = status_word(v)
            if sw is not None:
                node[key] = sw[0]
                res.mapped.append(((*path, key), Mapped(kind, v, sw[0], sw[2])))
            return
        one(path, node, key, kind, enum_entries(kind))

    # the codes of each vocabulary, by identity; the list is kept with them, so that a
    # temporary list (``subunits + equipment``) cannot be freed and its id reused by another
    # (that read every emission point written as ``at: S01`` as a name, issue 16)
    code_sets: dict[int, tuple[list[Entry], set[str]]] = {}

    def codes_of(vocab: list[Entry]) -> set[str]:
        held = code_sets.get(id(vocab))
        if held is None or held[0] is not vocab:
            held = code_sets[id(vocab)] = (vocab, {e.code for e in vocab})
        return held[1]

    def one(path: Path_, node: dict[str, Any], key: str, kind: str, vocab: list[Entry]) -> None:
        v = node.get(key)
        if not isinstance(v, str):
            return
        codes = codes_of(vocab)
        if v in codes or not v.strip():
            return
        try:
            m = resolve_in(vocab, v, kind, strict=strict)
        except NameProblem as e:
            if e.ambiguous:
                res.problems.append(((*path, key), e.zh, e.en))
            return
        node[key] = m.code
        res.mapped.append(((*path, key), m))

    def refs(path: Path_, node: dict[str, Any], key: str, kind: str, vocab: list[Entry]) -> None:
        v = node.get(key)
        if isinstance(v, str):
            one(path, node, key, kind, vocab)
        elif isinstance(v, list):
            codes = codes_of(vocab)
            if all(isinstance(x, str) and x in codes for x in v):
                return  # all codes already: nothing to resolve
            box = {i: x for i, x in enumerate(v)}
            for i in list(box):
                one((*path, key), box, i, kind, vocab)  # type: ignore[arg-type]
            node[key] = [box[i] for i in range(len(v))]
        elif isinstance(v, dict):
            out: dict[Any, Any] = {}
            for k, share in v.items():
                box2 = {0: k}
                one((*path, key), box2, 0, kind, vocab)  # type: ignore[arg-type]
                out[box2[0]] = share
            node[key] = out

    def qty(path: Path_, node: dict[str, Any], key: str) -> None:
        v = node.get(key)
        if isinstance(v, str):
            out, m = quantity_text(v)
            if m is not None:
                node[key] = out
                res.mapped.append(((*path, key), m))
        elif isinstance(v, dict) and "value" in v:
            qty((*path, key), v, "value")

    def day(path: Path_, node: dict[str, Any], key: str) -> None:
        v = node.get(key)
        if not isinstance(v, str) or (len(v) == 10 and v[4] == "-" and v[7] == "-" and v.isascii()):
            return
        try:
            d = parse_date(v)
        except ValueError:
            return  # the validation reports it
        if d is not None:
            node[key] = d.isoformat()
            res.mapped.append(((*path, key), Mapped("date", v, d.isoformat(), "date")))

    def items(section: str) -> list[tuple[Path_, dict[str, Any]]]:
        raw = data.get(section)
        if not isinstance(raw, list):
            return []
        return [((section, i), x) for i, x in enumerate(raw) if isinstance(x, dict)]

    def coded(v: Any) -> bool:  # codes (natural_gas, gas_flow_meter): nothing to look up
        return isinstance(v, str) and v.isascii() and v.isidentifier()

    def coded_records(recs: Any) -> bool:
        """Confirmation records in which enum() and day() below have nothing to do: codes and
        ISO dates (a ledger the system wrote; three records per instrument, issue 16)."""
        for rec in recs if isinstance(recs, list) else ():
            if isinstance(rec, dict):
                k, r = rec.get("kind"), rec.get("result")
                if (isinstance(k, str) and k not in kinds) or (isinstance(r, str) and r not in results):
                    return False
                for v in (rec.get("date"), rec.get("next_due")):  # what day() leaves alone
                    if isinstance(v, str) and not (len(v) == 10 and v[4] == "-" and v[7] == "-" and v.isascii()):
                        return False
        return True

    info = data.get("unit")
    if isinstance(info, dict):
        enum(("unit",), info, "sector", "sector")
    subunits = section_entries(data, "subunits")
    equipment = section_entries(data, "equipment")
    points = section_entries(data, "emission_points")
    for path, e in items("equipment"):
        refs(path, e, "subunit", "subunit", subunits)
    for path, p in items("emission_points"):
        refs(path, p, "equipment", "equipment", equipment)
        refs(path, p, "subunit", "subunit", subunits)
    materials: list[Entry] | None = None
    for path, s in items("source_streams"):
        enum(path, s, "kind", "stream_kind")
        enum(path, s, "method", "method")
        if isinstance(s.get("material"), str) and not coded(s["material"]):
            materials = materials if materials is not None else material_entries()
            one(path, s, "material", "material", materials)
        act = s.get("activity")
        if isinstance(act, str) and "立方米" in act and "标" not in act and _gas_material(s.get("material")):
            # 万立方米 of a gaseous fuel is, as in Chinese energy statistics, standard cubic metres
            # (0 °C, 101.325 kPa) — the unit of the factor library's defaults (cn-fuels.yaml)
            std = act.replace("立方米", "Nm3")
            out_text, _ = quantity_text(std)
            s["activity"] = out_text
            res.mapped.append(((*path, "activity"), Mapped("unit", act, out_text, "gas_volume")))
        else:
            qty(path, s, "activity")
        refs(path, s, "consumers", "place", subunits + equipment)
        refs(path, s, "emission_points", "emission_point", points)
        params = s.get("parameters")
        if isinstance(params, dict):
            for name, v in params.items():
                if isinstance(v, dict) and "source" in v:
                    enum((*path, "parameters", name), v, "source", "param_source")
                qty((*path, "parameters"), params, name)
    places = place_entries(data)
    streams = section_entries(data, "source_streams")
    types: list[Entry] | None = None
    place_codes = {e.code for e in places}
    target_codes = {e.code for e in streams} | {e.code for e in points}
    statuses, kinds, results = ENUM_LABELS["status"], ENUM_LABELS["confirmation_kind"], ENUM_LABELS["result"]
    for path, ins in items("instruments"):
        m0, lc = ins.get("measures"), ins.get("last_confirmed")
        at, st_, cf = ins.get("at"), ins.get("status", "in_use"), ins.get("confirmation", "verification")
        if (isinstance(at, str) and at in place_codes and coded(ins.get("type"))
                and isinstance(st_, str) and st_ in statuses and isinstance(cf, str) and cf in kinds
                and coded_records(ins.get("confirmations"))
                and ins.get("basis") in (None, "dry", "wet")
                and (m0 is None or all(isinstance(x, str) and x.partition(".")[0] in target_codes
                                       for x in (m0 if isinstance(m0, list) else [m0])))
                and (lc is None or (isinstance(lc, str) and len(lc) == 10 and lc[4] == "-"))):
            continue  # everything already written as codes (the common case of a large file)
        if isinstance(ins.get("type"), str) and not coded(ins["type"]):
            types = types if types is not None else type_entries(data.get("pack") if isinstance(data.get("pack"), str) else None)
            one(path, ins, "type", "instrument_type", types)
        refs(path, ins, "at", "place", places)
        m = ins.get("measures")
        if isinstance(m, str) and "." not in m:
            refs(path, ins, "measures", "stream", streams)
        elif isinstance(m, list):
            box = {i: x for i, x in enumerate(m)}
            for i, x in box.items():
                if isinstance(x, str) and "." not in x:
                    one((*path, "measures"), box, i, "stream", streams)  # type: ignore[arg-type]
            ins["measures"] = [box[i] for i in range(len(m))]
        enum(path, ins, "status", "status")
        enum(path, ins, "confirmation", "confirmation_kind")
        enum(path, ins, "basis", "co2_basis")
        day(path, ins, "last_confirmed")
        recs = ins.get("confirmations")
        for k, rec in enumerate(recs if isinstance(recs, list) else []):
            if isinstance(rec, dict):
                rp = (*path, "confirmations", k)
                enum(rp, rec, "kind", "confirmation_kind")
                enum(rp, rec, "result", "result")
                day(rp, rec, "date")
                day(rp, rec, "next_due")
    mgmt = data.get("management")
    if isinstance(mgmt, dict):
        for section, key in (("procedures", "issued"), ("personnel", "trained")):
            for k, x in enumerate(mgmt.get(section) or []):
                if isinstance(x, dict):
                    day(("management", section, k), x, key)
    return res
