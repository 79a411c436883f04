"""A key written by its Chinese label (``名称:`` for ``name:``): the unknown-key message says
which key is meant (unit-file.md: the keys are the format's own; each field has a Chinese
label, ``Model.model_fields[name].json_schema_extra["zh"]``)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel


def _models(annotation: Any) -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out.append(annotation)
    for arg in typing.get_args(annotation):
        out += _models(arg)
    return out


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class holding the last key of ``loc`` (a validation error's location)."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if model is None:
            return None
        if isinstance(part, int):
            continue  # an item of a list: the same model as the list's items
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        found = _models(field.annotation)
        model = found[0] if found else None
    return model


def key_for_label(root: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The key whose Chinese label the last part of ``loc`` is (``名称`` → ``name``), if one."""
    model = model_at(root, loc)
    if model is None or not loc or not isinstance(loc[-1], str):
        return None
    written = loc[-1].strip()
    hits = {f.alias or name for name, f in model.model_fields.items()
            if isinstance(f.json_schema_extra, dict) and str(f.json_schema_extra.get("zh", "")).strip() == written}
    return hits.pop() if len(hits) == 1 else None
