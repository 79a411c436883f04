"""Forms generated from the pydantic models of the unit file (issue 5 §5: one source of
validation). A form only collects text; the unit loader validates it, and its issues (with
field names in zh and en) are shown next to the fields they name.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.load import read_tree
from tanjiliang.model.unit import (
    ConfirmationRecord,
    EmissionPoint,
    Equipment,
    Instrument,
    Parameters,
    SourceStream,
    SubUnit,
    UnitInfo,
)

#: The editable sections of a unit and their models.
SECTIONS: dict[str, type[BaseModel]] = {
    "subunits": SubUnit,
    "equipment": Equipment,
    "emission_points": EmissionPoint,
    "source_streams": SourceStream,
    "instruments": Instrument,
}
SECTION_LABELS = {
    "subunits": ("次级单位", "Sub-units"),
    "equipment": ("排放设施", "Equipment"),
    "emission_points": ("排放口", "Emission points"),
    "source_streams": ("源流", "Source streams"),
    "instruments": ("计量器具", "Instruments"),
}
#: Fields edited elsewhere (confirmation records have their own form on the instrument page).
SKIP = {Instrument: {"confirmations"}}


def field_label(model: type[BaseModel], name: str, lang: str) -> str:
    f = model.model_fields.get(name)
    extra = f.json_schema_extra if f is not None and isinstance(f.json_schema_extra, dict) else {}
    return str(extra.get(lang) or name)


def _literal_choices(annotation: Any) -> list[str] | None:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Literal:
        return [str(a) for a in args]
    for a in args:
        if typing.get_origin(a) is Literal:
            return [str(x) for x in typing.get_args(a)]
    return None


def _is(annotation: Any, kind: type) -> bool:
    if annotation is kind:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is(a, kind) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is(typing.get_args(annotation)[0], kind)
    return False


@dataclass
class Field:
    name: str
    label: str
    widget: str  # text | select | date | bool | structured
    value: str
    choices: list[str] = field(default_factory=list)
    required: bool = False
    errors: list[str] = field(default_factory=list)
    help: str = ""


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict | list):
        return yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, width=10_000,
                              sort_keys=False).strip()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def fields_for(model: type[BaseModel], values: dict[str, Any], lang: str,
               errors: dict[str, list[str]] | None = None,
               options: dict[str, list[str]] | None = None) -> list[Field]:
    """The form fields of ``model`` with ``values``; ``options`` offers a list of values for a
    free-text field (e.g. the pack's instrument types), keeping any other value entered."""
    out = []
    for name, f in model.model_fields.items():
        if name in SKIP.get(model, set()):
            continue
        key = f.alias or name
        ann = f.annotation
        choices = _literal_choices(ann)
        if options and key in options:
            current = _show(values.get(key))
            choices = list(options[key]) + ([current] if current and current not in options[key] else [])
        if choices:
            widget = "select"
        elif _is(ann, bool):
            widget, choices = "bool", ["true", "false"]
        elif _is(ann, date):
            widget = "date"
        elif name in ("parameters", "consumers", "emission_points", "standards"):
            widget = "structured"
        else:
            widget = "text"
        help_ = {"consumers": ("如 [B1, B2] 或 {B1: 0.6, B2: 0.4}", "e.g. [B1, B2] or {B1: 0.6, B2: 0.4}"),
                 "parameters": ("如 {ncv: 22.35 GJ/t, oxidation_rate: {value: 0.99, source: default}}",
                                "e.g. {ncv: 22.35 GJ/t, oxidation_rate: {value: 0.99, source: default}}"),
                 "emission_points": ("如 [S1]", "e.g. [S1]"),
                 "standards": ("如 [标准器A, 标准器B]", "e.g. [standard A, standard B]")}.get(name)
        out.append(Field(name=key, label=field_label(model, name, lang), widget=widget,
                         value=_show(values.get(key)), choices=choices or [],
                         required=f.is_required(), errors=(errors or {}).get(key, []),
                         help=(help_[0] if lang == "zh" else help_[1]) if help_ else ""))
    return out


def parse_post(model: type[BaseModel], post: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Form text → plain data as the file loader would read it (blank = not given)."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, f in model.model_fields.items():
        if name in SKIP.get(model, set()):
            continue
        key = f.alias or name
        raw = (post.get(key) or "").strip()
        if raw == "":
            continue
        if _is(f.annotation, bool):
            data[key] = raw.lower() in ("true", "1", "yes", "是")
        elif raw[:1] in "[{" and name in ("parameters", "consumers", "emission_points",
                                         "standards"):
            try:
                data[key], _ = read_tree(Path("<form>"), raw)
            except LoadError as exc:
                errors[key] = [exc.issues[0].zh + " / " + exc.issues[0].en]
        elif name in ("emission_points", "standards"):
            data[key] = [raw]
        elif model is SourceStream and name == "consumers":
            data[key] = [c.strip() for c in raw.split(",") if c.strip()]
        else:
            data[key] = raw
    return data, errors


def issue_errors(exc: LoadError, prefix: str, lang: str) -> tuple[dict[str, list[str]], list[str]]:
    """Issues under ``prefix`` (e.g. ``instruments[3]``) by field; the others as general."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for issue in exc.issues:
        text = issue.zh if lang == "zh" else issue.en
        path = issue.path
        if prefix and path.startswith(prefix + "."):
            name = path[len(prefix) + 1:].split(".")[0].split("[")[0]
            by_field.setdefault(name, []).append(text)
        else:
            general.append(f"{path}: {text}" if path else text)
    return by_field, general


def issue_texts(exc: LoadError, lang: str) -> list[str]:
    return [i.message(lang) for i in exc.issues]


def simple_issue(zh: str, en: str, path: str = "") -> LoadError:
    return LoadError([Issue("<form>", None, path, zh, en)])


__all__ = ["SECTIONS", "SECTION_LABELS", "ConfirmationRecord", "Field", "Parameters",
           "UnitInfo", "field_label", "fields_for", "issue_errors", "parse_post"]
