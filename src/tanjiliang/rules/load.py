"""Finding and loading rule packs: bundled ones by name, any other by path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.limits import read_user_text
from tanjiliang.model.load import read_tree, validation_issues
from tanjiliang.rules.extend import resolve_extends
from tanjiliang.rules.schema import Pack

DEFAULT_PACK = "henan-2025-draft"


@dataclass(frozen=True)
class LoadedPack:
    """A pack with its content hash (recorded in every result)."""

    pack: Pack
    sha256: str
    origin: str

    @property
    def name(self) -> str:
        return self.pack.name

    @property
    def version(self) -> str:
        return self.pack.version


def bundled_pack_names() -> list[str]:
    folder = resources.files("tanjiliang.rules") / "packs"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _parse(name: str, text: str) -> LoadedPack:
    data, src = read_tree(Path(name), text)
    data, text = resolve_extends(data, text, src)  # ``extends: <pack>`` (rules/extend.py)
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise LoadError(validation_issues(exc, data, src)) from None
    from tanjiliang.assess.findings import pack_issues  # the one registry of finding codes

    problems = pack_issues(pack, src)
    if problems:
        raise LoadError(problems)
    return LoadedPack(pack, hashlib.sha256(text.encode()).hexdigest(), name)


@lru_cache(maxsize=16)
def _bundled(name: str) -> LoadedPack:
    res = resources.files("tanjiliang.rules") / "packs" / f"{name}.yaml"
    return _parse(f"{name}.yaml", res.read_text(encoding="utf-8"))


def load_pack(ref: str | Path | None = None) -> LoadedPack:
    """A bundled pack by name (default ``henan-2025-draft``) or a pack file by path."""
    ref = ref or DEFAULT_PACK
    if isinstance(ref, str) and ref in bundled_pack_names():
        return _bundled(ref)
    path = Path(ref)
    if not path.exists():
        names = ", ".join(bundled_pack_names())
        raise LoadError([Issue(str(ref), None, "", f"没有名为“{ref}”的规则包，也没有此文件（内置：{names}）",
                               f'no bundled pack "{ref}" and no such file (bundled: {names})')])
    return _parse(str(path), read_user_text(path))  # size, folder, encoding: LoadError


__all__ = ["DEFAULT_PACK", "LoadedPack", "bundled_pack_names", "load_pack"]
