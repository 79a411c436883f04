"""True and false where the unit file wants a number (unit-file.md: nothing a user entered is
silently changed).

YAML reads ``yes``, ``no``, ``on``, ``off``, ``true`` and ``false`` as booleans, and pydantic
turns a boolean into 1 or 0 where a number is expected: ``records_retention_years: yes``
became 1 year, a consumer share ``B1: true`` became 1. The numeric fields of the model are few
(:data:`NUMBERS`); this finds a boolean in any of them before validation, in one pass over
the sections that hold them (the instruments are looked at only for ``split``)."""

from __future__ import annotations

from typing import Any

Path_ = tuple[str | int, ...]

ZH = "应为数值，不是真假值（yes、no、on、off、true、false 不加引号会被读作真假值）"
EN = "must be a number, not true or false (yes, no, on, off, true and false unquoted are read as booleans)"


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _mapping_values(node: Any, path: Path_, out: list[Path_]) -> None:
    if isinstance(node, dict):
        out.extend((*path, k) for k, v in node.items() if _bool(v))


def bool_numbers(data: Any) -> list[Path_]:
    """Paths of the raw unit-file data where a boolean stands for a number: ``unit.year``,
    ``management.records_retention_years``, consumer shares, ``lower_tier.tier``,
    ``anode_effects.cells`` and an instrument's ``split`` shares."""
    out: list[Path_] = []
    if not isinstance(data, dict):
        return out
    unit = data.get("unit")
    if isinstance(unit, dict) and _bool(unit.get("year")):
        out.append(("unit", "year"))
    mgmt = data.get("management")
    if isinstance(mgmt, dict) and _bool(mgmt.get("records_retention_years")):
        out.append(("management", "records_retention_years"))
    streams = data.get("source_streams")
    for i, s in enumerate(streams if isinstance(streams, list) else []):
        if not isinstance(s, dict):
            continue
        _mapping_values(s.get("consumers"), ("source_streams", i, "consumers"), out)
        for key, sub in (("lower_tier", "tier"), ("anode_effects", "cells")):
            node = s.get(key)
            if isinstance(node, dict) and _bool(node.get(sub)):
                out.append(("source_streams", i, key, sub))
    instruments = data.get("instruments")
    for i, ins in enumerate(instruments if isinstance(instruments, list) else []):
        if isinstance(ins, dict) and "split" in ins:
            _mapping_values(ins["split"], ("instruments", i, "split"), out)
    return out
