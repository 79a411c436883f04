"""A unit's changes in words (the history page and the 409 "someone else changed it" page;
issue 13, probe s10 #12a).

The history stores each change as ``{"path", "old", "new"}`` with the unit file's keys
(``instruments[W-11].notes``, ``source_streams[coal].parameters``) and the values as the file
holds them (codes, dicts, lists). On a page they are shown as the forms show them: the section
and the item's id, the field's label, codes in words (instrument types and media by the pack's
names, enumerations by their labels) and nested values as ``label value`` lists — never a key
path or a Python ``{…}``.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from django.utils.translation import gettext, pgettext
from pydantic import BaseModel

from tanjiliang.model.names import ENUM_LABELS, PLACES
from tanjiliang.model.unit import Management, Param, UnitFile, UnitInfo

_PATH = re.compile(r"^(?P<key>\w+)(?:\[(?P<ident>[^\]]*)\])?(?:\.(?P<field>\w+))?$")

#: (model, field) → the enumeration of ``tanjiliang.model.names.ENUM_LABELS`` naming its values
_ENUMS = {"kind": {"ConfirmationRecord": "confirmation_kind", "SourceStream": "stream_kind"},
          "confirmation": {"*": "confirmation_kind"}, "result": {"*": "result"},
          "status": {"*": "status"}, "method": {"*": "method"}, "source": {"*": "param_source"},
          "sector": {"*": "sector"}, "basis": {"*": "co2_basis"}}
#: fields whose value is a code of the unit's pack (named by ``names``)
_PACK_CODES = {"type", "medium", "material"}


def _sections() -> dict[str, type[BaseModel]]:
    from tanjiliang.web.core.forms import SECTIONS

    return SECTIONS


def section_label(key: str, lang: str) -> str | None:
    from tanjiliang.web.core.forms import SECTION_LABELS

    pair = SECTION_LABELS.get(key)
    if pair is not None:
        return pair[0] if lang == "zh" else pair[1]
    return {"unit": gettext("单位信息"), "pack": pgettext("Pack", "规则包"),
            "gwp": gettext("全球变暖潜势（GWP）基准"), "management": gettext("计量管理"),
            "format": gettext("文件格式")}.get(key)


def _label(model: type[BaseModel] | None, name: str, lang: str) -> str:
    from tanjiliang.web.core.forms import field_label

    if model is not None and name in model.model_fields:
        return field_label(model, name, lang)
    return name


def submodel(model: type[BaseModel] | None, name: str) -> type[BaseModel] | None:
    """The model a field's nested value follows (``confirmations`` → ConfirmationRecord)."""
    if model is None or name not in model.model_fields:
        return None
    todo = [model.model_fields[name].annotation]
    while todo:
        a = todo.pop(0)
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        todo.extend(typing.get_args(a))
    return None


def _model_of(key: str) -> type[BaseModel] | None:
    return _sections().get(key) or {"unit": UnitInfo, "management": Management}.get(key)


def where(path: str, lang: str) -> str:
    """``instruments[W-11].notes`` → ``计量器具 W-11 · 备注``."""
    mt = _PATH.match(path)
    if mt is None:
        return path
    key, ident, field = mt["key"], mt["ident"], mt["field"]
    parts = [section_label(key, lang) or key]
    if ident is not None:
        parts[0] += f" {ident}"
    if field:
        parts.append(_label(_model_of(key), field, lang))
    return " · ".join(parts)


def field_word(model: type[BaseModel] | None, field: str, value: str, lang: str,
          names: dict[str, str]) -> str:
    i = 0 if lang == "zh" else 1
    if field == "pack" and model is UnitFile:
        return _pack_title(value, lang)
    if field in _PACK_CODES and value in names:
        return names[value]
    if field == "material":
        from tanjiliang.rules import bundled_library

        material = bundled_library().materials.get(value)
        if material is not None:
            return str(material.name.zh if lang == "zh" else material.name.en)
    if field == "at" and value in PLACES:
        return PLACES[value][i]
    kinds = _ENUMS.get(field, {})
    kind = kinds.get(model.__name__ if model is not None else "", kinds.get("*"))
    if kind and value in ENUM_LABELS.get(kind, {}):
        return ENUM_LABELS[kind][value][i]
    if field == "measures":
        from tanjiliang.assess.labels import LABELS, label

        out = []
        for part in value.split(","):
            sid, dot, qty = part.strip().rpartition(".")
            out.append(f"{sid} · {label('quantity', qty, lang)}" if dot and qty in LABELS["quantity"]
                       else part.strip())
        return ", ".join(out)
    return value


def _pack_title(name: str, lang: str) -> str:
    from tanjiliang.model.errors import LoadError
    from tanjiliang.rules.load import bundled_pack_names, load_pack

    if name not in bundled_pack_names():
        return name
    try:
        title = load_pack(name).pack.title
    except LoadError:
        return name
    return str(title.zh if lang == "zh" else title.en)


def value_text(model: type[BaseModel] | None, field: str, value: Any, lang: str,
               names: dict[str, str]) -> str:
    """A stored value in words: codes named, nested values as ``label value`` lists."""
    zh = lang == "zh"
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return (gettext("是") if value else gettext("否"))
    if isinstance(value, list):
        sep = ("；" if zh else "; ") if any(isinstance(x, dict) for x in value) else ("、" if zh else ", ")
        return sep.join(value_text(model, field, x, lang, names) for x in value) or "∅"
    if isinstance(value, dict):
        sub = submodel(model, field) if model is not None else None
        if sub is Param or (set(value) == {"value", "source"}):
            return (f"{value_text(Param, 'value', value.get('value'), lang, names)}"
                    + (f"（{field_word(Param, 'source', str(value.get('source')), lang, names)}）" if zh
                       else f" ({field_word(Param, 'source', str(value.get('source')), lang, names)})"))
        inner = sub if sub is not None else model
        parts = [f"{_label(inner, str(k), lang)} {value_text(inner, str(k), x, lang, names)}"
                 for k, x in value.items() if x not in (None, "", [], {})]
        return ("，" if zh else ", ").join(parts) or "∅"
    return field_word(model, field, str(value), lang, names)


def shown(changes: list[dict[str, Any]], lang: str, names: dict[str, str] | None = None
          ) -> list[dict[str, str]]:
    """The stored changes as rows of words: ``where``, ``old``, ``new``."""
    names = names or {}
    out = []
    for c in changes:
        path = str(c.get("path", ""))
        mt = _PATH.match(path)
        if mt is None:  # the "…" row of a long change list
            out.append({"where": path, "old": value_text(None, "", c.get("old"), lang, names),
                        "new": value_text(None, "", c.get("new"), lang, names)})
            continue
        key, ident, field = mt["key"], mt["ident"], mt["field"]
        if ident is not None and not field:  # a whole item added or removed
            item = _sections().get(key)
            out.append({"where": where(path, lang),
                        "old": _item_text(item, c.get("old"), lang, names),
                        "new": _item_text(item, c.get("new"), lang, names)})
            continue
        model, name = (_model_of(key), field) if field else (UnitFile, key)
        out.append({"where": where(path, lang),
                    "old": value_text(model, name, c.get("old"), lang, names),
                    "new": value_text(model, name, c.get("new"), lang, names)})
    return out


def _item_text(model: type[BaseModel] | None, value: Any, lang: str, names: dict[str, str]) -> str:
    if not isinstance(value, dict):
        return value_text(model, "", value, lang, names)
    parts = [f"{_label(model, str(k), lang)} {value_text(model, str(k), x, lang, names)}"
             for k, x in value.items() if x not in (None, "", [], {})]
    return ("，" if lang == "zh" else ", ").join(parts) or "∅"
