"""The choices the forms offer, each in words of the user's language (issue 12 §3: "nowhere
in the web app does a user type YAML or an internal code; every choice shows Chinese words").

Materials come from the factor library by name, instrument types, media and procedure kinds
from the unit's pack, and the places, streams and emission points a field may refer to from
the unit's own data (shown by their names). A material typed as a name (天然气, Natural gas)
is resolved to its library key before anything is stored; an unknown or ambiguous name is an
error listing the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tanjiliang.assess.labels import LABELS
from tanjiliang.rules.factors import bundled_library
from tanjiliang.rules.schema import Pack

Choice = tuple[str, str]  # (stored value, words shown)


def _pick(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


# ------------------------------------------------------------------------------ materials

def materials(lang: str) -> list[Choice]:
    """Every material of the factor library, by its name in ``lang`` (sorted by family)."""
    lib = bundled_library()
    items = sorted(lib.materials.items(), key=lambda kv: (kv[1].family or "~", kv[0]))
    return [(key, _pick(m.name.zh, m.name.en, lang)) for key, m in items]


@dataclass
class MaterialProblem(Exception):
    zh: str
    en: str


def resolve_material(text: str) -> str:
    """A library key for ``text``: the key itself or a material's name, resolved by the one
    name resolver (``tanjiliang.model.names``, issue 12 §3). Raises :class:`MaterialProblem`
    naming the candidates when the name is unknown or ambiguous."""
    from tanjiliang.model.names import NameProblem, resolve

    try:
        return resolve("material", text).code
    except NameProblem as exc:
        raise MaterialProblem(exc.zh, exc.en) from None


def material_groups(pack: Pack | None, lang: str) -> list[tuple[str, list[Choice]]]:
    """The materials grouped by the pack's media (固体燃料, 液体燃料, 气体燃料 …) through their
    family, the rest under one heading — so that 天然气 is found among its kind."""
    lib = bundled_library()
    names = dict(materials(lang))
    groups: list[tuple[str, list[Choice]]] = []
    placed: set[str] = set()
    for row in (pack.media.rows if pack is not None else []):
        keys = [k for k, mat in lib.materials.items()
                if mat.family and mat.family in (row.families or []) and k not in placed]
        if keys:
            placed.update(keys)
            groups.append((_pick(row.name.zh, row.name.en, lang),
                           sorted(((k, names[k]) for k in keys), key=lambda c: c[0])))
    rest = [(k, v) for k, v in names.items() if k not in placed]
    if rest:
        groups.append((_pick("电力、热力及其他", "Electricity, heat and other", lang), rest))
    return groups


PARAMETER_NAMES = ("ncv", "carbon_content", "oxidation_rate", "emission_factor")


def material_defaults(key: str | None, lang: str) -> list[dict[str, str]]:
    """The library's default parameters of a material, each with its citation."""
    lib = bundled_library()
    mat = lib.material(key) if key else None
    if mat is None:
        return []
    out = []
    for name in PARAMETER_NAMES:
        cited = getattr(mat, name)
        if cited is None:
            continue
        value = cited.value
        if isinstance(value, dict):
            value = "，".join(f"{g} {v}" for g, v in value.items()) if lang == "zh" else \
                ", ".join(f"{g} {v}" for g, v in value.items())
        src = lib.sources.get(cited.source)
        out.append({"name": name, "label": _pick(*LABELS["quantity"][name], lang),
                    "value": str(value), "status": cited.status,
                    "source": f"{src.title if src else cited.source} {cited.clause or ''}".strip()})
    if mat.emission_factor_by_year:
        year = max(mat.emission_factor_by_year)
        cited = mat.emission_factor_by_year[year]
        out.append({"name": "emission_factor",
                    "label": _pick(f"排放因子（{year}年）", f"Emission factor ({year})", lang),
                    "value": str(cited.value), "status": cited.status,
                    "source": f"{cited.source} {cited.clause or ''}".strip()})
    return out


# ------------------------------------------------------------------------------ units

#: Units of activity data a form offers (what the quantity parser reads), with their words.
ACTIVITY_UNITS: list[tuple[str, str, str]] = [
    ("t", "吨", "t"),
    ("kg", "千克", "kg"),
    ("万Nm3", "万标准立方米", "10⁴ Nm³"),
    ("Nm3", "标准立方米", "Nm³"),
    ("m3", "立方米", "m³"),
    ("MWh", "兆瓦时", "MWh"),
    ("万kWh", "万千瓦时", "10⁴ kWh"),
    ("kWh", "千瓦时", "kWh"),
    ("GJ", "吉焦", "GJ"),
    ("TJ", "太焦", "TJ"),
]


def activity_units(lang: str) -> list[Choice]:
    return [(u, f"{zh}（{u}）" if lang == "zh" else en) for u, zh, en in ACTIVITY_UNITS]


def material_unit(key: str | None) -> str | None:
    """The unit a material's defaults are per (万Nm3 for gases, t for solids), for the form's
    initial choice."""
    mat = bundled_library().material(key) if key else None
    if mat is None or mat.ncv is None:
        return None
    per = str(mat.ncv.value).split("/", 1)
    return per[1].strip() if len(per) == 2 else None


# ------------------------------------------------------------------------------ the pack

def instrument_types(pack: Pack, lang: str) -> list[Choice]:
    return [(t.id, _pick(t.name.zh, t.name.en, lang)) for t in pack.instrument_types]


def media(pack: Pack, lang: str) -> list[Choice]:
    return [(m.id, _pick(m.name.zh, m.name.en, lang)) for m in pack.media.rows]


def procedure_kinds(pack: Pack, lang: str) -> list[Choice]:
    kinds = [(k.id, _pick(k.name.zh, k.name.en, lang))
             for k in pack.management.required_procedures.value]
    return [*kinds, ("other", _pick("其他制度", "Other procedure", lang))]


# ------------------------------------------------------------------------------ the unit's own

def _named(items: list[dict[str, Any]]) -> list[Choice]:
    return [(str(x["id"]), str(x.get("name") or x["id"])) for x in items]


def subunits(data: dict[str, Any]) -> list[Choice]:
    return _named(data.get("subunits") or [])


def equipment(data: dict[str, Any]) -> list[Choice]:
    return _named(data.get("equipment") or [])


def emission_points(data: dict[str, Any]) -> list[Choice]:
    return _named(data.get("emission_points") or [])


def consumers(data: dict[str, Any], lang: str) -> list[Choice]:
    """What may use a stream: the equipment, then the sub-units (unit-file.md ``consumers``)."""
    su = _pick("（次级单位）", " (sub-unit)", lang)
    return [*equipment(data), *[(k, v + su) for k, v in subunits(data)]]


def places(data: dict[str, Any], lang: str) -> list[Choice]:
    """Where an instrument may be installed (unit-file.md ``at``)."""
    return [("boundary", _pick("边界（厂界进出）", "Boundary", lang)),
            ("lab", _pick("化验室", "Laboratory", lang)),
            *subunits(data), *equipment(data), *emission_points(data)]


def measures(data: dict[str, Any], lang: str) -> list[Choice]:
    """What an instrument may measure: a stream's activity or parameter, or an emission
    point's quantity (unit-file.md ``measures``)."""
    out: list[Choice] = []
    q = LABELS["quantity"]
    for s in data.get("source_streams") or []:
        name = str(s.get("name") or s["id"])
        out.append((str(s["id"]), f"{name} · {_pick(*q['activity'], lang)}"))
        for p in ("ncv", "carbon_content", "stock"):  # stock: the stock count (issue 13)
            out.append((f"{s['id']}.{p}", f"{name} · {_pick(*q[p], lang)}"))
    for p in data.get("emission_points") or []:
        name = str(p.get("name") or p["id"])
        for quantity in ("co2", "flow", "temperature", "pressure", "moisture"):
            out.append((f"{p['id']}.{quantity}", f"{name} · {_pick(*q[quantity], lang)}"))
    return out


def words(group: str, values: list[str], lang: str) -> list[Choice]:
    """Enumeration values with the words of ``tanjiliang.assess.labels``."""
    return [(v, _pick(*LABELS[group][v], lang) if v in LABELS.get(group, {}) else v)
            for v in values]


def form_refs(model: str, data: dict[str, Any], pack: Pack | None,
              lang: str) -> dict[str, list[Choice]]:
    """The reference fields of one model's form (forms.fields_for ``refs``), by field key."""
    if model == "Equipment":
        return {"subunit": subunits(data)}
    if model == "EmissionPoint":
        return {"equipment": equipment(data), "subunit": subunits(data)}
    if model == "SourceStream":
        out = {"material": materials(lang), "consumers": consumers(data, lang),
               "emission_points": emission_points(data),
               "material:groups": material_groups(pack, lang)}  # type: ignore[dict-item]
        if pack is not None:
            out["medium"] = media(pack, lang)
        return out
    if model == "Instrument":
        out = {"measures": measures(data, lang), "at": places(data, lang)}
        if pack is not None:
            out["type"] = instrument_types(pack, lang)
        return out
    if model == "Procedure" and pack is not None:
        return {"kind": procedure_kinds(pack, lang)}
    return {}
