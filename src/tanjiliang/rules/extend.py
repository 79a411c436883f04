"""A pack that extends another (``extends: <bundled pack name>``): the base pack's tree with
the extending pack's keys laid over it. Mappings merge key by key; lists of rows that carry an
``id`` (sources, media rows, instrument types) merge row by row (a row with a known id replaces
it, a new id is appended); any other value replaces the base's. The content hash covers both
texts, so a change of the base changes the hash of every pack built on it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if (isinstance(base, list) and isinstance(over, list) and over
            and all(isinstance(x, dict) and "id" in x for x in [*base, *over])):
        rows = {x["id"]: i for i, x in enumerate(base)}
        merged = list(base)
        for x in over:
            if x["id"] in rows:
                merged[rows[x["id"]]] = x
            else:
                merged.append(x)
        return merged
    return over


def resolve_extends(data: Any, text: str) -> tuple[Any, str]:
    """``data`` with its base laid under it, and the text the content hash covers."""
    if not isinstance(data, dict) or "extends" not in data:
        return data, text
    from tanjiliang.model.load import read_tree

    name = str(data["extends"])
    res = resources.files("tanjiliang.rules") / "packs" / f"{name}.yaml"
    base_text = res.read_text(encoding="utf-8")
    base, _ = read_tree(Path(f"{name}.yaml"), base_text)
    base, base_text = resolve_extends(base, base_text)
    child = {k: v for k, v in data.items() if k != "extends"}
    return _merge(base, child), base_text + "\n---\n" + text
