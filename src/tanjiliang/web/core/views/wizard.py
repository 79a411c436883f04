"""新建单位: the wizard that takes a plant from nothing to its assessment (issue 12 §3).

basic facts (``units.unit_new``) → sub-units → equipment → source streams → emission points
→ instruments (a table, or the ledger import) → management → the dashboard. The unit exists
from the first step on; every later step is a change through ``changes.apply_change``, so it
is validated by the same pydantic models and checks as a unit file, recorded in the history,
and can be left and resumed at any time. No step asks for YAML or an internal code: every
choice is a list in words (``choices.py``), ids are numbered automatically.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from tanjiliang.model.errors import LoadError
from tanjiliang.model.unit import (
    EmissionPoint,
    Equipment,
    Instrument,
    Person,
    Procedure,
    SourceStream,
    SubUnit,
)
from tanjiliang.web.core import choices
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import pack_for
from tanjiliang.web.core.changes import apply_change
from tanjiliang.web.core.forms import SECTION_LABELS, fields_for, fill_id, issue_errors, parse_post
from tanjiliang.web.core.mapping import unit_data
from tanjiliang.web.core.tables import make_table, merged, parse_table, row_issues
from tanjiliang.web.core.tenancy import unit_for
from tanjiliang.web.core.views.common import lang_of, page

#: The steps, their words and their screens.
STEPS: list[tuple[str, str, str, str]] = [
    ("basics", "基本信息", "Details", ""),
    ("subunits", "次级单位", "Sub-units", "wizard-subunits"),
    ("equipment", "排放设施", "Equipment", "wizard-equipment"),
    ("streams", "源流", "Source streams", "wizard-streams"),
    ("points", "排放口", "Emission points", "wizard-points"),
    ("instruments", "计量器具", "Instruments", "wizard-instruments"),
    ("management", "管理信息", "Management", "unit-management"),
    ("dashboard", "概览", "Dashboard", "unit-dashboard"),
]
#: Table steps: the section, its model and the columns shown.
TABLES: dict[str, tuple[str, type, list[str]]] = {
    "subunits": ("subunits", SubUnit, ["id", "name", "major"]),
    "equipment": ("equipment", Equipment, ["id", "name", "subunit", "kind", "capacity", "major"]),
    "points": ("emission_points", EmissionPoint, ["id", "name", "equipment", "subunit"]),
    "instruments": ("instruments", Instrument,
                    ["id", "name", "type", "measures", "at", "accuracy", "serial", "confirmation",
                     "interval", "last_confirmed", "status"]),
}
HINTS = {
    "subunits": ("次级单位即工序或机组（如 锅炉房）。编号可不填，系统自动编号。",
                 "Sub-units are processes or production lines (e.g. the boiler house). Ids are numbered automatically."),
    "equipment": ("主要排放设施（如 1号锅炉），选择其所属次级单位。",
                  "Major emitting equipment (e.g. boiler no. 1) and the sub-unit it belongs to."),
    "points": ("排放口（烟囱）。仅实测法（CEMS）需要；计算法可跳过。",
               "Emission points (stacks): needed for the measurement method (CEMS) only; skip otherwise."),
    "instruments": ("逐台填写计量器具，或到“器具台账”上传单位现有的 Excel 台账。",
                    "Enter the instruments one per row, or upload the plant's Excel ledger on the Ledger tab."),
}


def steps(unit: m.Unit | None, current: str, lang: str) -> list[dict[str, Any]]:
    out = []
    seen = False
    for key, zh, en, name in STEPS:
        on = key == current
        url = reverse(name, args=[unit.pk]) if unit is not None and name else ""
        if name == "unit-management" and url:
            url += "?wizard=1"
        out.append({"key": key, "label": zh if lang == "zh" else en, "url": url, "on": on,
                    "done": not seen and not on})
        seen = seen or on
    return out


def next_url(unit: m.Unit, step: str) -> str:
    keys = [s[0] for s in STEPS]
    key, _, _, name = STEPS[keys.index(step) + 1]
    url = reverse(name, args=[unit.pk])
    return url + "?wizard=1" if key == "management" else url


def _pack(unit: m.Unit) -> Any:
    try:
        return pack_for(unit).pack
    except LoadError:
        return None


def refs_for(unit: m.Unit, data: dict[str, Any], model: type, lang: str) -> dict[str, Any]:
    return choices.form_refs(model.__name__, data, _pack(unit), lang)


# ------------------------------------------------------------------------------ table steps

def _table_page(request: HttpRequest, unit: m.Unit, step: str, table: Any, general: list[str],
                status: int = 200) -> HttpResponse:
    lang = lang_of(request)
    hint = HINTS.get(step)
    return page(request, "tj/wizard_table.html", unit, "edit", status=status, table=table,
                general=general, steps=steps(unit, step, lang), step=step,
                title=next(zh if lang == "zh" else en for k, zh, en, _ in STEPS if k == step),
                hint=(hint[0] if lang == "zh" else hint[1]) if hint else "",
                next=next_url(unit, step))


def table_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in TABLES:
        raise Http404("no such step")
    section, model, columns = TABLES[step]
    lang = lang_of(request)
    if request.method != "POST":
        unit = unit_for(request.user, pk)
        data = unit_data(unit)
        table = make_table(model, data.get(section) or [], columns, lang,
                           refs_for(unit, data, model, lang))
        return _table_page(request, unit, step, table, [])
    unit = unit_for(request.user, pk, write=True)
    data = unit_data(unit)
    existing = data.get(section) or []
    rows = parse_table(model, request.POST, columns)
    new = merged(section, rows, existing, columns)
    refs = refs_for(unit, data, model, lang)
    parse_errors = {j: r.errors for j, r in enumerate(rows) if r.errors}
    if "_more" in request.POST or parse_errors:
        table = make_table(model, new, columns, lang, refs, errors=parse_errors,
                           origs=[r.orig for r in rows],
                           blanks=6 if "_more" in request.POST else 3)
        return _table_page(request, unit, step, table, [], status=400 if parse_errors else 200)

    from tanjiliang.web.core.wording import InUse, still_used, users_of

    kept = {str(x.get("id")) for x in new}
    gone = [x for x in existing if str(x.get("id")) not in kept]

    def mutate(d: dict[str, Any]) -> None:
        in_use = still_used({**d, section: new}, section, gone, lang)
        if in_use:  # a ticked item others still use (checked on the current data)
            raise InUse(in_use)
        d[section] = new

    label = SECTION_LABELS[section]
    try:
        apply_change(unit, request.user, mutate, action="edit", subject=section,
                     zh=f"新建单位向导：{label[0]}（{len(new)} 项）",
                     en=f"wizard: {label[1]} ({len(new)})")
    except InUse as exc:  # say which, in the page's words; the ticked row stays on the page
        shown = list(new)
        for j, x in enumerate(existing):
            if x in gone and users_of({**data, section: new}, section, str(x.get("id")), lang):
                shown.insert(min(j, len(shown)), x)
        return _table_page(request, unit, step, make_table(model, shown, columns, lang, refs),
                           exc.messages, status=400)
    except LoadError as exc:
        by_row, general = row_issues(exc, section, rows, lang)
        table = make_table(model, new, columns, lang, refs, errors=by_row,
                           origs=[r.orig for r in rows])
        return _table_page(request, unit, step, table, general, status=400)
    if "_stay" in request.POST:
        messages.success(request, gettext("已保存"))
        return redirect(request.path)
    return redirect(next_url(unit, step))


@login_required
def wizard_subunits(request: HttpRequest, pk: int) -> HttpResponse:
    return table_step(request, pk, "subunits")


@login_required
def wizard_equipment(request: HttpRequest, pk: int) -> HttpResponse:
    return table_step(request, pk, "equipment")


@login_required
def wizard_points(request: HttpRequest, pk: int) -> HttpResponse:
    return table_step(request, pk, "points")


@login_required
def wizard_instruments(request: HttpRequest, pk: int) -> HttpResponse:
    return table_step(request, pk, "instruments")


# ------------------------------------------------------------------------------ streams

def stream_context(unit: m.Unit, data: dict[str, Any], values: dict[str, Any], lang: str,
                   errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The stream form: fields (material by name, activity with its unit, consumers as a
    table), and the chosen material's library defaults."""
    material = values.get("material")
    return {"fields": fields_for(SourceStream, values, lang, errors,
                                 refs=refs_for(unit, data, SourceStream, lang)),
            "defaults": choices.material_defaults(material, lang),
            "material_chosen": bool(material),
            "default_unit": choices.material_unit(material) or "t"}


def _streams_page(request: HttpRequest, unit: m.Unit, data: dict[str, Any], index: int | None,
                  values: dict[str, Any], errors: dict[str, list[str]] | None = None,
                  general: list[str] | None = None, status: int = 200) -> HttpResponse:
    lang = lang_of(request)
    kinds = dict(choices.words("kind", ["combustion", "process", "electricity", "heat"], lang))
    names = dict(choices.materials(lang))
    who = dict(choices.consumers(data, lang))
    listed = []
    for i, s in enumerate(data.get("source_streams") or []):
        cons = s.get("consumers") or []
        shown = [f"{who.get(c, c)} {cons[c]:g}" if isinstance(cons, dict) else who.get(c, c)
                 for c in cons]
        listed.append({"index": i, "name": s.get("name"), "kind": kinds.get(s.get("kind"), s.get("kind")),
                       "material": names.get(s.get("material"), s.get("material") or "—"),
                       "activity": s.get("activity") or "—", "consumers": "、".join(shown) or "—"})
    return page(request, "tj/wizard_streams.html", unit, "edit", status=status, streams=listed,
                index=index, general=general or [], steps=steps(unit, "streams", lang),
                next=next_url(unit, "streams"),
                **stream_context(unit, data, values, lang, errors))


@login_required
def wizard_streams(request: HttpRequest, pk: int, index: int | None = None) -> HttpResponse:
    """The streams so far, and a form for one (a new one, or the one at ``index``)."""
    lang = lang_of(request)
    if request.method != "POST":
        unit = unit_for(request.user, pk)
        data = unit_data(unit)
        items = data.get("source_streams") or []
        if index is not None and not 0 <= index < len(items):
            raise Http404("no such stream")
        values = items[index] if index is not None else {"kind": "combustion",
                                                         "method": "calculation"}
        return _streams_page(request, unit, data, index, values)
    unit = unit_for(request.user, pk, write=True)
    data = unit_data(unit)
    values, errors = parse_post(SourceStream, request.POST)
    if errors:
        return _streams_page(request, unit, data, index, values, errors, status=400)
    pos: list[int] = []

    def mutate(d: dict[str, Any]) -> None:
        items = d.setdefault("source_streams", [])
        if index is None:
            fill_id(values, "source_streams", items)
            items.append(values)
            pos.append(len(items) - 1)
        else:
            if not 0 <= index < len(items):
                raise Http404("no such stream")
            values.setdefault("id", items[index]["id"])
            items[index] = values
            pos.append(index)

    try:
        apply_change(unit, request.user, mutate, action="add" if index is None else "edit",
                     subject=f"source_streams:{values.get('id', '')}",
                     zh=f"新建单位向导：源流 {values.get('name', '')}",
                     en=f"wizard: source stream {values.get('name', '')}")
    except LoadError as exc:
        from tanjiliang.web.core.wording import issue_text

        by_field, general = issue_errors(exc, f"source_streams[{pos[0]}]" if pos else "source_streams", lang)
        if pos and not by_field and not general:
            general = [issue_text(i, lang) for i in exc.issues]
        return _streams_page(request, unit, data, index, values, by_field, general, status=400)
    if "_next" in request.POST:
        return redirect(next_url(unit, "streams"))
    messages.success(request, gettext("已保存源流"))
    return redirect("wizard-streams", pk=pk)


@login_required
def wizard_material(request: HttpRequest, pk: int) -> HttpResponse:
    """The library defaults of the material chosen (HTMX swaps them in under the select),
    and the activity unit those defaults are per."""
    unit = unit_for(request.user, pk)
    lang = lang_of(request)
    key = request.GET.get("material") or ""
    try:
        key = choices.resolve_material(key) if key else ""
    except choices.MaterialProblem:
        key = ""
    from django.template.loader import render_to_string

    html = render_to_string("tj/_material_defaults.html", {
        "defaults": choices.material_defaults(key, lang), "material_chosen": bool(key),
        "lang": lang, "unit": unit}, request)
    unit_of = choices.material_unit(key)
    if unit_of:
        opts = "".join(
            f'<option value="{u}"{" selected" if u == unit_of else ""}>{w}</option>'
            for u, w in choices.activity_units(lang))
        html += (f'<select name="activity.unit" id="activity-unit" hx-swap-oob="true">'
                 f'{opts}</select>')
    return HttpResponse(html)


# ------------------------------------------------------------------------------ management

MGMT_COLUMNS = {"procedures": ["title", "kind", "issued", "number"],
                "personnel": ["name", "role", "trained", "certificate"]}


def _mgmt_page(request: HttpRequest, unit: m.Unit, data: dict[str, Any], mgmt: dict[str, Any],
               errors: dict[str, dict[int, dict[str, list[str]]]] | None = None,
               general: list[str] | None = None, status: int = 200,
               more: bool = False, typed: str | None = None) -> HttpResponse:
    """``typed``: the retention as the user typed it, shown again when the form is refused."""
    lang = lang_of(request)
    errors = errors or {}
    pack = _pack(unit)
    procs = make_table(Procedure, mgmt.get("procedures") or [], MGMT_COLUMNS["procedures"], lang,
                       choices.form_refs("Procedure", data, pack, lang), prefix="p",
                       keyed=False, errors=errors.get("procedures"), blanks=6 if more else 3)
    people = make_table(Person, mgmt.get("personnel") or [], MGMT_COLUMNS["personnel"], lang,
                        prefix="q", keyed=False, errors=errors.get("personnel"),
                        blanks=6 if more else 3)
    required = []
    if pack is not None:
        required = [k.name.zh if lang == "zh" else k.name.en
                    for k in pack.management.required_procedures.value]
    wizard = bool(request.GET.get("wizard"))
    return page(request, "tj/management.html", unit, "edit", status=status, procs=procs,
                people=people, general=general or [], wizard=wizard,
                steps=steps(unit, "management", lang) if wizard else None,
                retention=mgmt.get("records_retention_years", "") if typed is None else typed,
                required=required,
                minimum=pack.management.min_retention_years.value if pack else None,
                has_mgmt=bool(data.get("management")))


@login_required
def edit_management(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's management section (procedures, persons, records retention): what the
    assessment needs to assess the management requirements (clears MGMT-NOT-ASSESSED)."""
    lang = lang_of(request)
    if request.method != "POST":
        unit = unit_for(request.user, pk)
        data = unit_data(unit)
        return _mgmt_page(request, unit, data, data.get("management") or {})
    unit = unit_for(request.user, pk, write=True)
    data = unit_data(unit)
    procs = parse_table(Procedure, request.POST, MGMT_COLUMNS["procedures"], prefix="p")
    people = parse_table(Person, request.POST, MGMT_COLUMNS["personnel"], prefix="q")
    mgmt: dict[str, Any] = {"procedures": [r.values for r in procs],
                            "personnel": [r.values for r in people]}
    raw_years = (request.POST.get("records_retention_years") or "").strip()
    general: list[str] = []
    if raw_years:
        try:
            mgmt["records_retention_years"] = float(raw_years)
        except ValueError:
            general.append(gettext("记录保存年限“{0}”不是数字").format(raw_years))
    parse_errors = {"procedures": {j: r.errors for j, r in enumerate(procs) if r.errors},
                    "personnel": {j: r.errors for j, r in enumerate(people) if r.errors}}
    if "_more" in request.POST or general or any(parse_errors.values()):
        bad = bool(general or any(parse_errors.values()))
        return _mgmt_page(request, unit, data, mgmt, parse_errors, general,
                          status=400 if bad else 200, more="_more" in request.POST,
                          typed=raw_years)

    def mutate(d: dict[str, Any]) -> None:
        d["management"] = mgmt

    try:
        apply_change(unit, request.user, mutate, action="edit", subject="management",
                     zh="修改管理信息", en="management changed")
    except LoadError as exc:
        from tanjiliang.web.core.wording import issue_message

        errs: dict[str, dict[int, dict[str, list[str]]]] = {}
        for part, rows in (("procedures", procs), ("personnel", people)):
            errs[part], _ = row_issues(exc, f"management.{part}", rows, lang)
        # the rest (a row's issues are shown on the row), in the page's words
        general = sorted({issue_message(i, lang) for i in exc.issues
                          if not i.path.startswith(("management.procedures[",
                                                    "management.personnel["))})
        return _mgmt_page(request, unit, data, mgmt, errs, general, status=400, typed=raw_years)
    messages.success(request, gettext("已保存管理信息"))
    if request.GET.get("wizard"):
        return redirect("unit-dashboard", pk=pk)
    return redirect("unit-edit", pk=pk)
