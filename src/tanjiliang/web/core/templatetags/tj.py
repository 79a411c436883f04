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
    "limited": "限用",
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
