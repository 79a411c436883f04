"""Forms generated from the pydantic models of the unit file (issue 5 §5: one source of
validation). A form only collects text; the unit loader validates it, and its issues (with
field names in zh and en) are shown next to the fields they name.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from pydantic import BaseModel

from tanjiliang.i18n import gettext, pairs
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.load import read_tree
from tanjiliang.model.names import ENUM_LABELS
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
#: The unit's sections (Chinese; the English from the catalogue, context ``section:<key>``).
SECTION_LABELS = cast("dict[str, tuple[str, str]]", pairs("section", {
    "subunits": "次级单位",
    "equipment": "排放设施",
    "emission_points": "排放口",
    "source_streams": "源流",
    "instruments": "计量器具",
}))
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
    widget: str  # text | select | date | bool | quantity | parameters | consumers | multi
    value: str
    choices: list[str] = field(default_factory=list)
    required: bool = False
    errors: list[str] = field(default_factory=list)
    help: str = ""
    #: words shown for each choice (the stored value is never shown)
    labels: dict[str, str] = field(default_factory=dict)
    #: rows of a composite widget (parameters, consumers, multi)
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: a quantity's number and unit, with the units offered
    number: str = ""
    unit: str = ""
    units: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    #: a select's choices under headings (materials by medium), when there are headings
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


#: Words of enumeration values the shared labels do not hold (Chinese; the English from the
#: catalogue, context ``form.value:<key>``).
EXTRA_WORDS = cast("dict[str, tuple[str, str]]", pairs("form.value", {
    "calculation": "计算法",
    "measurement": "实测法",
    "measured": "实测",
    "default": "缺省值",
    "supplier": "供应商提供",
}))

#: Fields whose value refers to something else (chosen from a list in words, never typed).
REFERENCES = {"subunit", "equipment", "material", "type", "measures", "at", "medium", "kind",
              "consumers", "emission_points"}


#: The group of ``tanjiliang.assess.labels`` that names a field's enumeration values.
LABEL_GROUPS = {"kind": "kind", "method": "method", "declared_class": "class",
                "direction": "direction", "status": "instrument_status", "sector": "sector"}
#: Fields whose values the model's enumeration labels name (``tanjiliang.model.names.ENUM_LABELS``).
ENUM_GROUPS = {"basis": "co2_basis"}


def _word(value: str, lang: str, name: str = "") -> str:
    from tanjiliang.assess.labels import LABELS
    from tanjiliang.web.core.templatetags.tj import WORDS

    group = LABELS.get(LABEL_GROUPS.get(name, ""), {})
    if value in group:
        zh, en = group[value]
        return zh if lang == "zh" else en[:1].upper() + en[1:]
    enum = ENUM_LABELS.get(ENUM_GROUPS.get(name, ""), {})
    if value in enum:
        return enum[value][0 if lang == "zh" else 1]
    pair = EXTRA_WORDS.get(value) or WORDS.get(value)
    return (pair[0] if lang == "zh" else pair[1]) if pair else value


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    if isinstance(v, dict):
        return yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, width=10_000,
                              sort_keys=False).strip()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def split_quantity(text: str) -> tuple[str, str]:
    """``"152 万Nm3"`` → ``("152", "万Nm3")``; text that is not a number and unit stays whole."""
    m = _NUMBER_UNIT.match(text or "")
    return (m[1], m[2]) if m else (text or "", "")


def _param_rows(values: Any, lang: str) -> list[dict[str, Any]]:
    from tanjiliang.web.core.choices import PARAMETER_NAMES

    rows = []
    params = values if isinstance(values, dict) else {}
    for name in PARAMETER_NAMES:
        v = params.get(name)
        source = ""
        if isinstance(v, dict) and "value" in v:
            source, v = str(v.get("source") or ""), v["value"]
        by_gas = isinstance(v, dict)
        gases = {str(k): str(x) for k, x in v.items()} if by_gas else {}
        rows.append({"name": name, "label": field_label(Parameters, name, lang),
                     "value": gases.get("CO2", "") if by_gas else _show(v), "source": source,
                     "by_gas": by_gas, "CH4": gases.get("CH4", ""), "N2O": gases.get("N2O", "")})
    return rows


def fields_for(model: type[BaseModel], values: dict[str, Any], lang: str,
               errors: dict[str, list[str]] | None = None,
               options: dict[str, list[str]] | None = None,
               refs: dict[str, list[tuple[str, str]]] | None = None) -> list[Field]:
    """The form fields of ``model`` with ``values``; ``options`` offers a list of values for a
    free-text field (e.g. the pack's instrument types), ``refs`` a list of (value, words) for
    a field that refers to something (materials, places, streams, equipment: choices.py). A
    value entered that is not offered is kept and shown as it is."""
    from tanjiliang.web.core.choices import activity_units

    refs = refs or {}
    out = []
    for name, f in model.model_fields.items():
        if name in SKIP.get(model, set()):
            continue
        key = f.alias or name
        ann = f.annotation
        raw = values.get(key)
        current = _show(raw)
        choices = _literal_choices(ann)
        labels: dict[str, str] = {}
        fld = Field(name=key, label=field_label(model, name, lang), widget="text", value=current,
                    required=(f.is_required() or name == "name") and name != "id", errors=(errors or {}).get(key, []))
        if name == "parameters":
            fld.widget, fld.rows = "parameters", _param_rows(raw, lang)
            fld.sources = [(s, _word(s, lang)) for s in ("measured", "default", "supplier")]
        elif name == "consumers" and key in refs:
            shares = raw if isinstance(raw, dict) else {}
            ticked = set(raw or [])
            fld.widget = "consumers"
            fld.rows = [{"id": v, "label": w, "on": v in ticked,
                         "share": _show(shares.get(v)) if v in shares else ""}
                        for v, w in refs[key]]
            fld.help = (gettext("勾选使用该源流的设施；填写份额时各份额之和须为 1，不填则平均分配", lang, "web.form"))
        elif name in ("emission_points",) and key in refs:
            ticked = set(raw or [])
            fld.widget = "multi"
            fld.rows = [{"id": v, "label": w, "on": v in ticked} for v, w in refs[key]]
        elif (sub := _model_of(ann)) is not None:
            # a nested object (a stream's stock, its justified lower tier …): its own fields
            fld.widget = "group"
            fld.rows = [{"field": x, "name": f"{key}.{x.name}"} for x in
                        fields_for(sub, raw if isinstance(raw, dict) else {}, lang, None,
                                   refs=refs)]
        elif name == "activity":
            fld.widget = "quantity"
            fld.number, fld.unit = split_quantity(current)
            fld.units = activity_units(lang)
            if fld.unit and fld.unit not in {u for u, _ in fld.units}:
                fld.units.append((fld.unit, fld.unit))
        else:
            if key in refs:
                choices = [v for v, _ in refs[key]]
                labels = dict(refs[key])
                fld.groups = list(refs.get(key + ":groups") or [])  # type: ignore[arg-type]
            elif options and key in options:
                choices = list(options[key])
            if choices and current and current not in choices:
                choices = [*choices, current]
            if choices:
                fld.widget = "select"
                fld.choices = choices
                fld.labels = {c: labels.get(c) or _word(c, lang, name) for c in choices}
            elif _is(ann, bool):
                fld.widget, fld.choices = "bool", ["true", "false"]
                fld.labels = {c: _word(c, lang) for c in fld.choices}
            elif _is(ann, date):
                fld.widget = "date"
            if name == "standards":
                fld.help = (gettext("多个用逗号分隔", lang, "web.form"))
            if name == "id":
                fld.help = (gettext("可不填，自动编号", lang, "web.form"))
            if name == "basis" and model is Instrument:
                fld.help = gettext("仅用于排放口 CO2 分析仪；湿基读数按 C干 = C湿 ÷ (1 − 烟气湿度) 换算为干基",
                                   lang, "web.form")
        out.append(fld)
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model of a field holding one nested object (``Stock | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if _model_of(a) is not None]
        others = [a for a in typing.get_args(annotation) if a is not type(None) and a not in models]
        if len(models) == 1 and not others:
            return _model_of(models[0])
    return None


class _Sub:
    """The keys of a POST under ``prefix.`` (a nested object's fields)."""

    def __init__(self, post: Any, prefix: str) -> None:
        self.post, self.prefix = post, prefix + "."

    def __iter__(self) -> Any:
        return iter([k[len(self.prefix):] for k in self.post if k.startswith(self.prefix)])

    def keys(self) -> list[str]:
        return list(self)

    def get(self, key: str, default: Any = None) -> Any:
        return self.post.get(self.prefix + key, default)

    def __contains__(self, key: str) -> bool:
        return self.prefix + key in self.post


def _getlist(post: Any, key: str) -> list[str]:
    getlist = getattr(post, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(key)]
    v = post.get(key)
    return [str(x) for x in v] if isinstance(v, list) else ([] if v is None else [str(v)])


def _number(raw: str) -> float | str:
    try:
        return float(raw)
    except ValueError:
        return raw


def _parse_parameters(post: Any) -> dict[str, Any]:
    from tanjiliang.web.core.choices import PARAMETER_NAMES

    out: dict[str, Any] = {}
    for name in PARAMETER_NAMES:
        value = (post.get(f"parameters.{name}") or "").strip()
        source = (post.get(f"parameters.{name}.source") or "").strip()
        gases = {g: (post.get(f"parameters.{name}.{g}") or "").strip() for g in ("CH4", "N2O")}
        by_gas = (post.get(f"parameters.{name}.by_gas") or "") == "1" or any(gases.values())
        if not value and not any(gases.values()):
            continue
        v: Any = value
        if by_gas:
            v = {g: x for g, x in (("CO2", value), *gases.items()) if x}
        out[name] = {"value": v, "source": source} if source else v
    return out


def _page_lang() -> str:
    """The page's language (Django's active one: the request's, core.i18n) for messages made
    while reading a form."""
    from django.utils.translation import get_language

    code = get_language() or "zh"
    return "zh" if code.startswith("zh") else code


def _parse_consumers(post: Any) -> tuple[Any, list[str]]:
    """Ticked consumers (a list: equal split) or their shares (a map that must add up to 1)."""
    keys = [k for k in post if k.startswith("consumers.") and not k.endswith(".share")]
    ticked = [k.split(".", 1)[1] for k in keys if (post.get(k) or "") not in ("", "0", "false")]
    shares: dict[str, Any] = {}
    problems: list[str] = []
    for k in post:
        if k.startswith("consumers.") and k.endswith(".share"):
            raw = (post.get(k) or "").strip()
            if raw:
                shares[k[len("consumers."):-len(".share")]] = _number(raw.rstrip("%"))
                if raw.endswith("%") and isinstance(shares[k[len("consumers."):-len(".share")]], float):
                    shares[k[len("consumers."):-len(".share")]] /= 100
    if shares:
        bad = [k for k, v in shares.items() if not isinstance(v, float)]
        if bad:
            problems.append(gettext("份额须为数字", _page_lang(), "web.form"))
        else:
            total = sum(shares.values())
            if abs(total - 1.0) > 1e-6:
                problems.append(gettext("各份额之和应为 1，实为 {0}", _page_lang(), "web.form")
                                .format(f"{total:g}"))
        return shares, problems
    return (ticked or None), problems


def parse_post(model: type[BaseModel], post: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Form fields → plain data as the file loader would read it (blank = not given). A
    material typed by its name is stored as its library key (choices.resolve_material)."""
    from tanjiliang.web.core.choices import MaterialProblem, resolve_material

    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, f in model.model_fields.items():
        if name in SKIP.get(model, set()):
            continue
        key = f.alias or name
        if name == "parameters" and model is SourceStream:
            params = _parse_parameters(post)
            if params:
                data[key] = params
            continue
        if name == "consumers" and model is SourceStream:
            value, problems = _parse_consumers(post)
            if problems:
                errors[key] = problems
            if value:
                data[key] = value
            if "consumers" not in post or value or problems:
                continue
        if name == "emission_points" and model is SourceStream \
                and any(k.startswith("emission_points.") for k in post):
            ticked = [k.split(".", 1)[1] for k in post
                      if k.startswith("emission_points.") and post.get(k)]
            if ticked:
                data[key] = ticked
            continue
        if name == "activity" and model is SourceStream and "activity.number" in post:
            number = (post.get("activity.number") or "").strip()
            unit = (post.get("activity.unit") or "").strip()
            if number:
                data[key] = f"{number} {unit}".strip()
            continue
        sub = _model_of(f.annotation) if name != "parameters" else None
        if sub is not None and any(k.startswith(key + ".") for k in post):
            nested, errs = parse_post(sub, _Sub(post, key))
            if nested:
                data[key] = nested
            for v in errs.values():
                errors.setdefault(key, []).extend(v)
            continue
        raw = (post.get(key) or "").strip()
        if raw == "":
            continue
        if _is(f.annotation, bool):
            data[key] = raw.lower() in ("true", "1", "yes", "是")
        elif raw[:1] in "[{" and name in ("parameters", "consumers", "emission_points",
                                         "standards", "split", "substitutes"):
            try:
                data[key], _ = read_tree(Path("<form>"), raw)
            except LoadError as exc:
                lang = _page_lang()  # one language per page (probe s10 #12b)
                errors[key] = [exc.issues[0].zh if lang == "zh" else exc.issues[0].en]
        elif name in ("emission_points", "standards", "consumers"):
            data[key] = [c.strip() for c in re.split(r"[,，、;；]", raw) if c.strip()]
        elif name == "measures" and model is Instrument and re.search(r"[,，]", raw):
            # an instrument that measures several things (issue 17 §1), shown as "a, b"
            data[key] = [c.strip() for c in re.split(r"[,，]", raw) if c.strip()]
        elif model is SourceStream and name == "material":
            try:
                data[key] = resolve_material(raw)
            except MaterialProblem as exc:  # in the page's language, never both on one page
                from django.utils.translation import get_language

                data[key] = raw
                errors[key] = [exc.zh if (get_language() or "zh").startswith("zh") else exc.en]
        else:
            data[key] = raw
    return data, errors


PREFIXES = {"subunits": "G", "equipment": "E", "emission_points": "P", "source_streams": "S",
            "instruments": "M"}


def fill_id(values: dict[str, Any], section: str, items: list[dict[str, Any]]) -> None:
    """Give a new item without an id the next free one of its section (G1, E1, S1 …)."""
    if values.get("id"):
        return
    taken = {str(x.get("id")) for x in items}
    prefix = PREFIXES.get(section, "X")
    n = len(items) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    values["id"] = f"{prefix}{n}"
    # keep "id" first, as the loader's canonical order has it
    rest = {k: v for k, v in values.items() if k != "id"}
    values.clear()
    values.update({"id": f"{prefix}{n}", **rest})


def issue_errors(exc: LoadError, prefix: str, lang: str) -> tuple[dict[str, list[str]], list[str]]:
    """Issues under ``prefix`` (e.g. ``instruments[3]``) by field; the others as general."""
    from tanjiliang.web.core.wording import issue_message, issue_text

    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for issue in exc.issues:
        path = issue.path
        if prefix and path.startswith(prefix + "."):
            name = path[len(prefix) + 1:].split(".")[0].split("[")[0]
            by_field.setdefault(name, []).append(issue_text(issue, lang))
        else:  # the place in the page's words (计量器具第 2 项 · 编号), never a key path
            general.append(issue_message(issue, lang))
    return by_field, general


def issue_texts(exc: LoadError, lang: str) -> list[str]:
    """The messages of ``exc`` on a page (core.wording: the form's words, not the file's)."""
    from tanjiliang.web.core.wording import issue_message

    return [issue_message(i, lang) for i in exc.issues]


def simple_issue(zh: str, en: str, path: str = "") -> LoadError:
    return LoadError([Issue("<form>", None, path, zh, en)])


__all__ = ["REFERENCES", "SECTIONS", "SECTION_LABELS", "ConfirmationRecord", "Field",
           "Parameters", "UnitInfo", "field_label", "fields_for", "fill_id", "issue_errors",
           "parse_post", "split_quantity"]
