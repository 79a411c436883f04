"""Template helpers: ``{% t "中文" "English" %}`` picks the request's language."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django import template

from tanjiliang.assess.labels import LABELS
from tanjiliang.i18n import pairs, pick

register = template.Library()


@register.simple_tag(takes_context=True)
def t(context: Any, zh: str, en: str) -> str:
    return zh if context.get("lang", "zh") == "zh" else en


@register.filter
def num(value: Any, digits: int = 0) -> str:
    """A number with thousands separators."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):,.{int(digits)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def query(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (filters, sorting, pages)."""
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        if v is None or v == "":
            params.pop(k, None)
        else:
            params[k] = v
    params.pop("lang", None)
    return "?" + urlencode(list(params.items()))


def _shared_labels() -> dict[str, tuple[str, str]]:
    """The assessment's enumerations in the words the CLI and the reports use
    (tanjiliang.assess.labels), capitalised for English table cells."""
    out: dict[str, tuple[str, str]] = {}
    for group in ("class", "calibration_status", "point_status", "conclusion", "severity",
                  "instrument_status", "kind", "sector"):
        for key, (zh, en) in LABELS[group].items():
            out[key] = (zh, en[:1].upper() + en[1:])
    return out


# Words the screens show for values of the model (one table, both languages): the shared
# labels, then what only the web app shows.
WORDS = cast("dict[str, tuple[str, str]]", pairs("word", {
    **_shared_labels(),
    "verification": "检定",
    "calibration": "校准",
    "pass": "合格",
    "fail": "不合格",
    "limited": "准用",
    "create": "创建",
    "import": "导入",
    "ledger_import": "导入台账",
    "edit": "修改",
    "add": "新增",
    "delete": "删除",
    "confirmation": "检定/校准记录",
    "file": "证书文件",
    "readings": "计量数据",
    "true": "是",
    "True": "是",
    "False": "否",
    "false": "否",
    "boundary": "边界",
    "self_inspection_signed": "自查签署",
    "review_signed": "审查签署",
    "in": "输入",
    "reported_apart": "单独报告",
    "deduct": "扣减",
    "include": "计入",
    "exclude": "不计入",
    "kiln": "窑",
    "boiler": "锅炉",
    "desulphurisation": "脱硫装置",
    "holding_furnace": "保温炉",
    "hot_air_furnace": "热风炉",
    "hot_stove": "高炉热风炉",
    "ladle_furnace": "钢包精炼炉",
    "lime_kiln": "石灰窑",
    "potline": "电解槽系列",
    "reformer": "转化炉",
    "reheating_furnace": "加热炉",
    "sinter_strand": "烧结机",
    "out": "输出",
    "lab": "化验室",
    "enterprise": "企业用户",
    "reviewer": "审查员",
    "regulator": "监管部门",
    "admin": "管理员",
}))


@register.simple_tag(takes_context=True)
def w(context: Any, value: Any) -> str:
    """A model value in words of the request's language (the value itself if unknown)."""
    pair = WORDS.get(str(value))
    if pair is None:
        return "—" if value is None else str(value)
    return pick(pair, context.get("lang", "zh"), f"word:{value}")


@register.simple_tag(takes_context=True)
def place(context: Any, value: Any) -> str:
    """A division's name (a city of the regulator's overview: 焦作市) in the request's
    language, Jiaozuo in English (tanjiliang.model.regions); other text as it is."""
    from tanjiliang.model.regions import name_in

    return "—" if value is None else name_in(str(value), context.get("lang", "zh"))


def word(value: Any, lang: str) -> str:
    pair = WORDS.get(str(value))
    return pick(pair, lang, f"word:{value}") if pair else str(value)


@register.simple_tag(takes_context=True)
def sortq(context: Any, column: str) -> str:
    """The query string sorting by ``column`` (descending when already ascending)."""
    current = context["request"].GET.get("sort", "")
    return query(context, sort=f"-{column}" if current == column else column, page="",
                 partial="")


@register.simple_tag(takes_context=True)
def arrow(context: Any, column: str) -> str:
    current = context["request"].GET.get("sort", "")
    return "▲" if current == column else "▼" if current == f"-{column}" else ""


@register.simple_tag(takes_context=True)
def lbl(context: Any, group: str, value: Any) -> str:
    """An assessment enumeration's display name (tanjiliang.assess.labels, shared with the
    CLI and the reports)."""
    from tanjiliang.assess.labels import label

    return label(group, value, context.get("lang", "zh"))


@register.simple_tag(takes_context=True)
def name(context: Any, value: Any) -> str:
    """A medium's or instrument type's name from the unit's pack (``names`` in the context)."""
    return str(context.get("names", {}).get(value, value if value is not None else "—"))


@register.simple_tag(takes_context=True)
def subject(context: Any, value: Any) -> str:
    """What a finding is about, in words (``byproduct_gas/3`` → 副产煤气 三级; issue 13)."""
    from tanjiliang.reports.i18n import finding_subject

    pack = None
    unit = context.get("unit")
    if unit is not None and hasattr(unit, "pack"):
        from tanjiliang.model.errors import LoadError
        from tanjiliang.web.core.assessing import pack_for

        try:
            pack = pack_for(unit).pack
        except LoadError:
            pack = None
    return finding_subject(value, pack, context.get("lang", "zh"))


@register.simple_tag(takes_context=True)
def measures(context: Any, value: Any) -> str:
    """What an instrument measures, in words: ``S1.co2`` → ``S1 · CO2浓度``, ``coal.ncv`` →
    ``coal · 低位发热量`` (ids as the user wrote them, quantities in words; issue 13)."""
    from tanjiliang.assess.labels import label

    if value in (None, ""):
        return "—"
    lang = context.get("lang", "zh")
    out = []
    for part in str(value).split(","):
        part = part.strip()
        sid, dot, qty = part.rpartition(".")
        if dot and qty in LABELS["quantity"]:
            out.append(f"{sid} · {label('quantity', qty, lang)}")
        else:
            out.append(part)
    return ", ".join(out)


@register.simple_tag(takes_context=True)
def flags(context: Any, value: Any) -> str:
    """A reading's flags in words (``out_of_range,spike`` → ``超量程、突变``; issue 13)."""
    from tanjiliang.assess.labels import label

    lang = context.get("lang", "zh")
    parts = [p.strip() for p in str(value or "").split(",") if p.strip()]
    return ("、" if lang == "zh" else ", ").join(label("flag", p, lang) for p in parts) or "—"


# Names of the assessment figures a review item rests on (review/auto.py ``figures``).
FIGURES = cast("dict[str, tuple[str, str]]", pairs("figure", {
    "accuracy": "准确度",
    "biogenic_tco2": "生物质 CO2 (t)",
    "calibration": "检定/校准状态",
    "class": "分类",
    "emissions": "排放量 (tCO2e)",
    "equipped": "实配数",
    "equipping_rates": "配备率",
    "installation_category": "排放设施类别",
    "instruments": "计量器具",
    "key_emission_unit": "重点排放单位",
    "level": "级别",
    "medium": "介质",
    "meets": "达标",
    "not_ok": "不满足",
    "not_required_or_unknown": "无要求或无法判定",
    "ok": "满足",
    "points": "计量点",
    "rate_percent": "配备率 (%)",
    "required": "应配数",
    "required_percent": "要求 (%)",
    "stream": "源流",
    "streams": "源流",
    "tier_achieved": "达到层级",
    "tier_required": "要求层级",
    "tiers": "层级",
    "total": "合计",
    "total_tco2e": "年排放总量 (tCO2e)",
    "uncertainty_percent": "不确定度 (%)",
    "unit": "单位",
}))


def _figure_value(value: Any, lang: str, key: str = "") -> str:
    from django.utils.html import escape

    from tanjiliang.assess.labels import LABELS, label

    if isinstance(value, dict):
        rows = "".join(f"<tr><th>{escape(_figure_key(k, lang))}</th><td>{_figure_value(v, lang, str(k))}</td></tr>"
                       for k, v in value.items())
        return f'<table class="grid small">{rows}</table>'
    if isinstance(value, list):
        return "".join(_figure_value(v, lang, key) for v in value) or "—"
    if isinstance(value, bool) or value is None:
        return escape(word(str(value).lower() if value is not None else "None", lang)) if value is not None else "—"
    if key == "level":
        return escape(label("level", value, lang))
    if key == "medium":
        return escape(_medium_names(lang).get(str(value), str(value)))
    if key == "class" and str(value) in LABELS["class"]:
        return escape(label("class", value, lang))
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"
    return escape(word(value, lang))


def _figure_key(key: Any, lang: str) -> str:
    pair = FIGURES.get(str(key))
    if pair is not None:
        return pick(pair, lang, f"figure:{key}")
    return word(key, lang)


@register.simple_tag(takes_context=True)
def figures(context: Any, value: Any) -> str:
    """The figures a review item rests on, as a small table in words (never a data dump)."""
    from django.utils.safestring import mark_safe

    return mark_safe(_figure_value(value, context.get("lang", "zh")))


@register.simple_tag(takes_context=True)
def colon(context: Any) -> str:
    """A label's colon in the page's language: ``：`` on Chinese pages, ``: `` otherwise (no
    full-width punctuation on an English page; probe s10 #12c)."""
    return "：" if context.get("lang", "zh") == "zh" else ": "


@register.simple_tag(takes_context=True)
def comma(context: Any) -> str:
    """A list's comma in the page's language: ``，`` on Chinese pages, ``, `` otherwise."""
    return "，" if context.get("lang", "zh") == "zh" else ", "


@register.simple_tag(takes_context=True)
def paren(context: Any, side: str = "(") -> str:
    """A bracket in the page's language: ``（``/``）`` on Chinese pages, `` (``/``)`` otherwise;
    ``{% paren %}…{% paren ")" %}``."""
    zh = context.get("lang", "zh") == "zh"
    if side == ")":
        return "）" if zh else ")"
    return "（" if zh else " ("


@register.simple_tag(takes_context=True)
def ver(context: Any, number: Any) -> str:
    """A version number: 第 2 版 (English: v2)."""
    return f"第 {number} 版" if context.get("lang", "zh") == "zh" else f"v{number}"


def person_text(user: Any, fallback: str = "", lang: str = "zh") -> str:
    """A person as shown on reviews, signatures and history: full name (姓名) and the
    organisation they act for — ``李工（河南省计量科学研究院）`` — the login name only when
    no name was given (issue 13)."""
    if user is None:
        return fallback or "—"
    name = (user.get_full_name() or "").strip() or user.get_username()
    profile = getattr(user, "tj", None)
    org = ""
    if profile is not None:
        org = profile.organisation or (profile.enterprise.name if profile.enterprise_id else "")
    if not org:
        return name
    return f"{name}（{org}）" if lang == "zh" else f"{name} ({org})"


@register.simple_tag(takes_context=True)
def person(context: Any, user: Any, fallback: str = "") -> str:
    return person_text(user, fallback, context.get("lang", "zh"))


@register.simple_tag(takes_context=True)
def clause(context: Any, value: Any) -> str:
    """A pack clause (``HN 6.3 碳计量器具管理``; in English its reference only)."""
    from tanjiliang.reports.i18n import clause_ref

    return clause_ref(str(value or ""), context.get("lang", "zh")) or "—"


@register.simple_tag(takes_context=True)
def cite(context: Any, value: Any) -> str:
    """A cited document with its table: the Chinese title on Chinese pages, the English one on
    English pages (tanjiliang.reports.i18n.citation_text)."""
    from tanjiliang.reports.i18n import citation_text

    return citation_text(str(value or ""), context.get("lang", "zh")) or "—"


def _medium_names(lang: str) -> dict[str, str]:
    from tanjiliang.rules.load import load_pack

    return {m.id: m.name(lang) for m in load_pack(None).pack.media.rows}
