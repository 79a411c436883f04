"""The unit loader's messages in a page's words (probe s10 #13).

The loader (``tanjiliang.model.load``) and the month filing (``tanjiliang.month.close``) write
their messages for a file and the command line: key paths (``instruments[1].id``), "defined in
this file", "line N", options (``--activity``, ``--evidence``) and YAML (``direction: out``).
The command line keeps them as they are. A page shows them here in the form's words: an item
by its section and position (次级单位第 1 项), a field by its label, the month form's fields by
their labels, and no line where there is no file. A file the user uploaded keeps its file name,
line and key path (they point into that file).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from tanjiliang.i18n import pick
from tanjiliang.model.errors import Issue

_SECTIONS = "subunits|equipment|emission_points|source_streams|instruments"
_PATH = re.compile(rf"\b({_SECTIONS})(?:\[(\d+)\])?((?:\.[A-Za-z_]\w*)*)(?:\[[^\]]*\])?")
_MGMT = re.compile(r"\bmanagement(?:\.(procedures|personnel)\[(\d+)\])?(?:\.([A-Za-z_]\w*))?")


def _section(name: str, lang: str) -> str:
    from tanjiliang.web.core.forms import SECTION_LABELS

    return pick(SECTION_LABELS[name], lang, f"section:{name}")


def _management(m: re.Match[str], lang: str) -> str:
    """``management.procedures[0].title`` → 管理信息 · 管理制度第 1 项 · 名称."""
    from tanjiliang.model.unit import Management, Person, Procedure
    from tanjiliang.web.core.forms import field_label

    out = gettext("管理信息")
    part, index, name = m.group(1), m.group(2), m.group(3)
    if part:
        out += " · " + gettext("{0}第 {1} 项").format(
            field_label(Management, part, lang), int(index) + 1)
    if name:
        model = {"procedures": Procedure, "personnel": Person}.get(part or "", Management)
        out += " · " + field_label(model, name, lang)
    return out


def _field(section: str, name: str, lang: str) -> str:
    from tanjiliang.web.core.forms import SECTIONS, field_label

    model = SECTIONS.get(section)
    return field_label(model, name, lang) if model is not None else name


def path_words(path: str, lang: str) -> str:
    """``instruments[1].id`` → 计量器具第 2 项 · 编号 (Instruments, item 2 · Id)."""
    def one(m: re.Match[str]) -> str:
        section, index, fields = m.group(1), m.group(2), m.group(3)
        out = _section(section, lang)
        if index is not None:
            n = int(index) + 1
            out = gettext("{0}第 {1} 项").format(out, n)
        first = fields.lstrip(".").split(".")[0] if fields else ""
        if first:
            out += " · " + (_field(section, first, lang) if index is not None else first)
        return out
    return _MGMT.sub(lambda m: _management(m, lang), _PATH.sub(one, path))


#: the month form's fields for the options the command line names
def _option_words(option: str) -> str | None:
    return {"--activity": gettext("手工填报的活动数据"), "--month": gettext("月份"),
            "--evidence": gettext("证据文件"), "reason": gettext("更正原因")}.get(option)


def _known(zh: str) -> str | None:
    """Messages whose words are for a file or the command line, in the form's words (the
    Chinese; the page's language from the web catalogue)."""
    return {
        "活动数据不能为负；输出的电力、热力或产品请写 direction: out":
            gettext("活动数据不能为负；输出的电力、热力或产品请在“流向”中选“输出”，活动数据填正数"),
        "只有电力、热力和含碳产品可以输出（direction: out）":
            gettext("只有电力、热力和含碳产品可以选择流向“输出”"),
        "手工填报的活动数据须附证据文件（--evidence）":
            gettext("手工填报的活动数据须附证据文件：请在“证据文件”中选择文件后再提交"),
    }.get(zh)


def issue_text(issue: Issue, lang: str) -> str:
    """The message of ``issue`` alone (no place), in the page's words."""
    known = _known(issue.zh)
    if known is not None:
        return known
    text = issue.zh if lang == "zh" else issue.en
    text = text.replace("，第None行", "").replace(", line None", "")
    text = text.replace(" defined in this file", " defined in this unit")
    return path_words(text, lang)


def from_the_form(issue: Issue) -> bool:
    """Whether ``issue`` is about what a page sent (not a file the user uploaded)."""
    return issue.file.startswith(("<", "--")) or _option_words(issue.file) is not None


def issue_message(issue: Issue, lang: str) -> str:
    """The whole message of ``issue`` on a page: where (in words) and what."""
    if not from_the_form(issue):
        return issue.message(lang)  # a file the user uploaded: its name, line and key path
    where = _option_words(issue.file)
    if issue.path:
        shown = path_words(issue.path, lang)
        where = f"{where} {shown}" if where else shown
    text = issue_text(issue, lang)
    if not where:
        return text
    return f"{where}：{text}" if lang == "zh" else f"{where}: {text}"


class InUse(Exception):
    """Removing items others still use: ``messages`` (:func:`still_used`) say which."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


#: the fields by which an item refers to another (model/load.reference_issues)
_REFERRING = ("subunit", "equipment", "at", "consumers", "emission_points", "measures")


def _refers(value: object, ident: str) -> bool:
    if isinstance(value, dict):
        return any(_refers(k, ident) for k in value)
    if isinstance(value, list):
        return any(_refers(v, ident) for v in value)
    return isinstance(value, str) and (value == ident or value.split(".")[0] == ident)


def item_words(section: str, item: dict[str, object], lang: str) -> str:
    """An item as a page names it: 排放设施 E1（1号锅炉）."""
    name = item.get("name")
    ident = str(item.get("id"))
    shown = f"{ident}（{name}）" if lang == "zh" and name else \
        f"{ident} ({name})" if name else ident
    return f"{_section(section, lang)} {shown}"


def users_of(data: dict[str, object], section: str, ident: str, lang: str) -> list[str]:
    """The items of the unit (``data``: the unit file's data) that still refer to ``ident``
    of ``section``, in words."""
    out = []
    for other in ("subunits", "equipment", "emission_points", "source_streams", "instruments"):
        items = data.get(other) or []
        assert isinstance(items, list)
        for item in items:
            if other == section and str(item.get("id")) == ident:
                continue
            if any(_refers(item.get(f), ident) for f in _REFERRING):
                out.append(item_words(other, item, lang))
    return out


def still_used(data: dict[str, object], section: str, removed: list[dict[str, object]],
               lang: str) -> list[str]:
    """Why removing ``removed`` (items of ``section``) is refused: one message per item that
    other items still use, naming them (probe s10 #13: not the loader's "not defined in this
    file" on each user)."""
    out = []
    for item in removed:
        users = users_of(data, section, str(item.get("id")), lang)
        if users:
            out.append(gettext("{0}仍被使用，未删除：{1}。请先在这些项中改掉它，再删除。").format(
                item_words(section, item, lang), "、".join(users) if lang == "zh"
                else ", ".join(users)))
    return out
