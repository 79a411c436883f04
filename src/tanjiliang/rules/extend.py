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


def resolve_extends(data: Any, text: str, src: Any = None,
                    seen: tuple[str, ...] = ()) -> tuple[Any, str]:
    """``data`` with its base laid under it, and the text the content hash covers.

    The base must be a bundled pack (a name, never a path), and a chain of packs may not come
    back to itself: either is a LoadError naming the ``extends`` key (``src``: the source map
    of the extending file; found by fuzzing, issue 18)."""
    if not isinstance(data, dict) or "extends" not in data:
        return data, text
    from tanjiliang.model.errors import Issue, LoadError
    from tanjiliang.model.load import read_tree
    from tanjiliang.rules.load import bundled_pack_names

    name = str(data["extends"])
    names = bundled_pack_names()
    if name not in names or name in seen:
        zh = (f"“{name}”在继承链中重复出现（{' → '.join([*seen, name])}）" if name in seen
              else f"没有名为“{name}”的内置规则包（可用：{', '.join(names)}）")
        en = (f'"{name}" comes back in the chain of packs ({" → ".join([*seen, name])})' if name in seen
              else f'no bundled pack "{name}" (known: {", ".join(names)})')
        raise LoadError([src.issue(("extends",), zh, en) if src is not None
                         else Issue(f"{name}.yaml", None, "extends", zh, en)])
    res = resources.files("tanjiliang.rules") / "packs" / f"{name}.yaml"
    base_text = res.read_text(encoding="utf-8")
    base, base_src = read_tree(Path(f"{name}.yaml"), base_text)
    base, base_text = resolve_extends(base, base_text, base_src, (*seen, name))
    child = {k: v for k, v in data.items() if k != "extends"}
    return _merge(base, child), base_text + "\n---\n" + text
