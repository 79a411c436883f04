"""Editable tables: many items of one section (sub-units, equipment, emission points,
instruments, procedures, persons) entered at once, one row per item (issue 12 §3, the 新建单位
wizard and the management section). Each row is read by :func:`forms.parse_post`, so a table
validates exactly as the item form and the file loader do; a row keeps the fields its table
does not show (an instrument's confirmation records stay with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from tanjiliang.model.errors import LoadError
from tanjiliang.web.core.forms import Field, fields_for, fill_id, parse_post

BLANK_ROWS = 3


class Prefixed:
    """The part of a POST whose keys start with ``prefix`` (``r3-name`` → ``name``)."""

    def __init__(self, post: Any, prefix: str) -> None:
        self.post, self.prefix = post, prefix

    def keys(self) -> list[str]:
        return [k[len(self.prefix):] for k in self.post if k.startswith(self.prefix)]

    def __iter__(self) -> Any:
        return iter(self.keys())

    def get(self, key: str, default: Any = None) -> Any:
        return self.post.get(self.prefix + key, default)

    def getlist(self, key: str) -> list[str]:
        getlist = getattr(self.post, "getlist", None)
        if getlist is None:
            v = self.post.get(self.prefix + key)
            return [] if v is None else [v]
        return list(getlist(self.prefix + key))

    def __contains__(self, key: str) -> bool:
        return self.prefix + key in self.post


@dataclass
class Row:
    index: int
    orig: str
    cells: list[Field]
    errors: list[str] = field(default_factory=list)


@dataclass
class Table:
    """What ``tj/_table.html`` draws."""

    prefix: str
    heads: list[str]
    rows: list[Row]
    keyed: bool = True  # rows carry their original id (sections), not lists of records


@dataclass
class Parsed:
    index: int
    orig: str
    values: dict[str, Any]
    errors: dict[str, list[str]]


def make_table(model: type[BaseModel], items: list[dict[str, Any]], columns: list[str],
               lang: str, refs: dict[str, list[tuple[str, str]]] | None = None, *,
               prefix: str = "r", blanks: int = BLANK_ROWS, keyed: bool = True,
               errors: dict[int, dict[str, list[str]]] | None = None,
               row_errors: dict[int, list[str]] | None = None,
               origs: list[str] | None = None) -> Table:
    """Rows for ``items`` then ``blanks`` empty rows."""
    heads = [f.label for f in fields_for(model, {}, lang) if f.name in columns]
    rows = []
    for i, item in enumerate([*items, *({} for _ in range(blanks))]):
        cells = [f for f in fields_for(model, item, lang, (errors or {}).get(i), refs=refs)
                 if f.name in columns]
        orig = (origs[i] if origs is not None and i < len(origs)
                else str(item.get("id", "")) if keyed else "")
        rows.append(Row(i, orig, cells, (row_errors or {}).get(i, [])))
    return Table(prefix, heads, rows, keyed)


def parse_table(model: type[BaseModel], post: Any, columns: list[str],
                prefix: str = "r") -> list[Parsed]:
    """The rows of a posted table, in order; blank new rows and rows ticked for removal are
    left out."""
    indices = sorted({int(m[1]) for k in post if (m := re.match(rf"^{prefix}(\d+)-", k))})
    out = []
    for i in indices:
        sub = Prefixed(post, f"{prefix}{i}-")
        if sub.get("_delete"):
            continue
        orig = (sub.get("_orig") or "").strip()
        values, errs = parse_post(model, sub)
        values = {k: v for k, v in values.items() if k in columns or k == "id"}
        if not values and not orig:
            continue
        out.append(Parsed(i, orig, values, errs))
    return out


def merged(section: str, rows: list[Parsed], existing: list[dict[str, Any]],
           columns: list[str]) -> list[dict[str, Any]]:
    """The section's new list: each row over the item it came from (fields the table does not
    show are kept), new rows numbered automatically."""
    by_id = {str(x.get("id")): x for x in existing}
    out: list[dict[str, Any]] = []
    for r in rows:
        base = dict(by_id.get(r.orig, {}))
        for key in columns:
            base.pop(key, None)
        base.update(r.values)
        if "id" not in base:
            fill_id(base, section, [*existing, *out])
        ordered = {k: base[k] for k in [*columns, *base] if k in base}
        out.append(ordered)
    return out


def row_issues(exc: LoadError, section: str, rows: list[Parsed],
               lang: str) -> tuple[dict[int, dict[str, list[str]]], list[str]]:
    """The loader's issues by form row and field (``equipment[2].subunit`` → the row that
    became item 2); the rest as general."""
    from tanjiliang.web.core.wording import issue_message, issue_text

    by_row: dict[int, dict[str, list[str]]] = {}
    general: list[str] = []
    for issue in exc.issues:
        m = re.match(rf"^{re.escape(section)}\[(\d+)\](?:\.([^.\[]+))?", issue.path or "")
        if m and int(m[1]) < len(rows):
            by_row.setdefault(int(m[1]), {}).setdefault(m[2] or "id", []).append(
                issue_text(issue, lang))
        else:  # in the page's words (core.wording), never a key path
            general.append(issue_message(issue, lang))
    return by_row, general


__all__ = ["Parsed", "Prefixed", "Row", "Table", "make_table", "merged", "parse_table",
           "row_issues"]
