"""The words of a ledger import's report (issue 13): fields by their column names and values by
their names in the reader's language, never the model's codes (``last_confirmed``,
``in_use``, ``rail_scale``) — what the import read each cell as, said as a person says it.

Chinese, with the English beside it until the sweep moves it to the catalogue (context
``ledger.report:<key>``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from tanjiliang.i18n import Pair, pairs, pick
from tanjiliang.ledger.catalogue import (
    BASIS,
    CONFIRMATION_COLUMNS,
    KIND,
    READ_COLUMNS,
    RESULT,
    STATUS,
)
from tanjiliang.model.names import PLACES, Entry

WORDS = cast("dict[str, dict[str, Pair]]", pairs("ledger.report", {
    # how a header was matched
    "header": {
        "exact": "完全一致",
        "variant": "格式变体（全角/空格/大小写）",
        "synonym": "同义词",
        "derived": "计算列，不导入",
        "empty": "空列，忽略",
        "unknown": "无法识别",
        "id_from_no": "无管理编号列，序号作管理编号",
    },
    # how a value was read
    "how": {
        "code": "编码",
        "label": "名称",
        "word": "同义词",
        "partial": "唯一部分匹配（推断）",
        "unit": "单位名称",
        "date": "日期写法",
        "keyword": "由名称推断",
        "value": "写法",
        "default": "缺省推断",
        "gas_volume": "燃气按标准立方米计",
        "stream": "由名称或器具类型推断源流",
        "pending": "无法判定，待补充",
        "empty": "占位符，视为未填写",
    },
    "line": {
        "read": "读作",
        "inferred": "推断",
        "pending": "待补充",
        "months": "{0} 个月",
        "years": "{0} 年",
        "confirmations": "确认记录",
    },
}))

_FIELD_ALIASES = {"confirmations.kind": ("kind", CONFIRMATION_COLUMNS)}


def word(group: str, key: str, lang: str) -> str:
    """One word of :data:`WORDS` in ``lang`` (the key itself if the table lacks it)."""
    pair = WORDS[group].get(key)
    return pick(pair, lang, f"ledger.report:{group}.{key}") if pair else key


def field_label(field: str | None, lang: str) -> str:
    """A field by its column's name (``last_confirmed`` → 最近检定/校准日期 / Last confirmed)."""
    if not field:
        return "—"
    if field == "confirmations":  # a change set's field: the confirmation history
        return word("line", "confirmations", lang)
    name, cols = _FIELD_ALIASES.get(field, (field, READ_COLUMNS))
    for c in (*cols, *CONFIRMATION_COLUMNS):
        if c.field == name:
            return c.zh if lang == "zh" else c.en
    return field


def _entry(vocab: Iterable[Entry], code: str, lang: str, with_code: bool) -> str | None:
    """The name of ``code`` in ``vocab``; with the code beside it when the code is the user's
    own (a place's id), never a catalogue code (a type)."""
    for e in vocab:
        if e.code == code:
            label = e.label(lang)
            if label == code or not with_code:
                return label
            return f"{label}（{code}）" if lang == "zh" else f"{label} ({code})"
    return None


def value_label(field: str, code: str, lang: str, types: Iterable[Entry] = (),
                places: Iterable[Entry] = ()) -> str:
    """A value the import read, by its name (``in_use`` → 在用; ``wet`` → 湿基; ``rail_scale`` → 轨道衡; ``12 月``
    → 12 个月 / 12 months); ids and free text as they are."""
    if field == "status":  # "in_use（pass）": the status, and the result the word also gave
        status, _, result = code.partition("（")
        text = pick(STATUS[status], lang, f"enum:status.{status}") if status in STATUS else status
        result = result.rstrip("）")
        if result in RESULT:
            r = pick(RESULT[result], lang, f"enum:result.{result}")
            text += f"（{r}）" if lang == "zh" else f" ({r})"
        return text
    if field in ("confirmation", "confirmations.kind", "kind") and code in KIND:
        return pick(KIND[code], lang, f"enum:confirmation_kind.{code}")
    if field == "result" and code in RESULT:
        return pick(RESULT[code], lang, f"enum:result.{code}")
    if field == "basis" and code in BASIS:
        return pick(BASIS[code], lang, f"enum:co2_basis.{code}")
    if field == "type":  # without the pack's types (a change set), the default pack's names
        from tanjiliang.model.names import type_entries

        return _entry(types, code, lang, False) or _entry(type_entries(None), code, lang, False) or code
    if field == "at":
        if code in PLACES:
            return pick(PLACES[code], lang, f"place:{code}")
        return _entry(places, code, lang, True) or code
    if field == "id" and code == "id":
        return field_label("id", lang)
    if code == "待补充":
        return word("line", "pending", lang)
    m = re.fullmatch(r"(\d+(?:\.\d+)?) ?(月|个月|months?|年|years?)", code)
    if m and field == "interval":
        unit = "years" if m.group(2) in ("年", "year", "years") else "months"
        return word("line", unit, lang).format(m.group(1))
    return code
