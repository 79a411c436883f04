"""The analysis settings of :mod:`tanjiliang.data` (``rules.yaml`` beside this module), each a
value with its citation and status; see docs/data.md."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    text = (resources.files("tanjiliang.data") / "rules.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def rule(section: str, name: str) -> Any:
    """The value of one setting (``rule("cems", "valid_minutes_per_hour")`` → 45)."""
    return _rules()[section][name]["value"]


def citation(section: str, name: str) -> str:
    r = _rules()[section][name]
    return f"{r['source']} ({r['status']})"
