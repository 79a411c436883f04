"""Canonical writing of the unit file: the keys in the spec's order, short mappings in flow
style, values exactly as entered (quantities as their strings), nothing added or dropped."""

from __future__ import annotations

import json
from typing import Any

import yaml

from tanjiliang.model.unit import UnitFile

_FLOW_WIDTH = 96


class _Dumper(yaml.SafeDumper):
    pass


def _scalar_len(v: Any) -> int:
    return len(str(v)) + 4


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    flat = all(not isinstance(v, dict | list) or (isinstance(v, list) and all(
        not isinstance(x, dict | list) for x in v) and len(v) <= 6) for v in data.values())
    width = sum(len(str(k)) + _scalar_len(v) for k, v in data.items())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(),
                                    flow_style=flat and width <= _FLOW_WIDTH and len(data) > 0)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, dict | list) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data,
                                     flow_style=flat and sum(map(_scalar_len, data)) <= _FLOW_WIDTH)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def unit_to_data(unit: UnitFile) -> dict[str, Any]:
    """What the user set, in the model's field order (defaults the user did not write stay out)."""
    data: dict[str, Any] = unit.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data.setdefault("format", "tanjiliang/unit@1")
    return {"format": data.pop("format"), **data}


def dump_yaml(unit: UnitFile) -> str:
    data = unit_to_data(unit)
    parts = []
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    for key, value in data.items():  # a blank line between top-level sections
        if key in scalars:
            if key == next(iter(scalars)):
                parts.append(_block(scalars))
            continue
        parts.append(_block({key: value}))
    return "\n".join(parts)


def _block(data: dict[str, Any]) -> str:
    """A top-level mapping in block style (its values choose their own style)."""
    node_text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                               width=100, default_flow_style=None)
    if node_text.startswith("{"):
        node_text = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False,
                              width=100, default_flow_style=False)
    return node_text


def dump_json(unit: UnitFile) -> str:
    return json.dumps(unit_to_data(unit), ensure_ascii=False, indent=2) + "\n"
