"""Unit list, dashboard, import/export and the unit editor."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tanjiliang.i18n import pick
from tanjiliang.model.errors import LoadError
from tanjiliang.model.unit import UnitInfo
from tanjiliang.model.write import dump_json, dump_yaml
from tanjiliang.web.core import integrations
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import summaries, try_assessment
from tanjiliang.web.core.changes import (
    apply_change,
    create_unit,
    import_unit_file,
    parse_upload,
    validate,
)
from tanjiliang.web.core.forms import (
    SECTION_LABELS,
    SECTIONS,
    fields_for,
    fill_id,
    issue_errors,
    issue_texts,
    parse_post,
)
from tanjiliang.web.core.mapping import unit_data, unit_file
from tanjiliang.web.core.tenancy import enterprises_for, unit_for, units_for
from tanjiliang.web.core.views.common import is_htmx, lang_of, page

UNITS_PER_PAGE = 24


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The units in the user's scope, 24 a page, with search and filters; the figures come
    from the cached assessment summaries (one query a page)."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    qs = units_for(request.user).select_related("enterprise").order_by(
        "enterprise__name", "name", "-year")
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q)
                       | Q(region__icontains=q) | Q(credit_code__icontains=q))
    sector = (request.GET.get("sector") or "").strip()
    if sector:
        qs = qs.filter(sector=sector)
    year = (request.GET.get("year") or "").strip()
    if year.isascii() and year.isdigit() and len(year) <= 4:
        qs = qs.filter(year=int(year))
    # a year that is not a year is no filter, as on the overview: the list shows 全部年度, which
    # is what its year menu then shows selected
    pg = Paginator(qs, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    units = list(pg)
    figures = summaries(units)
    rows = [{"unit": u, "s": figures[u.pk]} for u in units]
    scope = units_for(request.user)
    return page(request, "tj/unit_list.html", rows=rows, page=pg, params=request.GET,
                years=sorted(set(scope.values_list("year", flat=True)), reverse=True),
                sectors=sorted(set(scope.values_list("sector", flat=True))),
                enterprises=enterprises_for(request.user, write=True))


@login_required
@require_POST
def unit_import_new(request: HttpRequest) -> HttpResponse:
    """Create a unit from an uploaded unit file (YAML/JSON) or Excel ledger workbook."""
    lang = lang_of(request)
    ents = enterprises_for(request.user, write=True)
    try:
        enterprise = ents.get(pk=int(request.POST.get("enterprise") or 0)) \
            if ents.count() != 1 else ents.get()
    except (ValueError, m.Enterprise.DoesNotExist):
        raise Http404("no such enterprise") from None
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, gettext("请选择文件"))
        return redirect("unit-list")
    try:
        uf = parse_upload(upload.name, upload.read())
    except LoadError as exc:
        return page(request, "tj/errors.html", status=400, title=upload.name,
                    issues=issue_texts(exc, lang), back="unit-list")
    try:
        unit = create_unit(uf, enterprise, request.user, source=upload.name)
    except LoadError as exc:  # e.g. another enterprise's credit code
        return page(request, "tj/errors.html", status=400, title=upload.name,
                    issues=issue_texts(exc, lang), back="unit-list")
    _mappings(request, uf, lang)
    return redirect("unit-dashboard", pk=unit.pk)


def _mappings(request: HttpRequest, uf: Any, lang: str) -> None:
    """Show the names the loader read as codes (天然气 → natural_gas…; issue 12)."""
    from tanjiliang.model.load import name_mappings

    lines = name_mappings(uf, lang)
    for line in lines[:30]:
        messages.info(request, line)
    if len(lines) > 30:
        messages.info(request, gettext("……共 {0} 项").format(len(lines)))


@login_required
def unit_new(request: HttpRequest) -> HttpResponse:
    """Start a unit from its details (name, sector, region, year); the rest is added in the
    editor or imported (unit file, Excel ledger)."""
    lang = lang_of(request)
    ents = enterprises_for(request.user, write=True)
    if not ents.exists():
        raise Http404("no enterprise to create a unit for")
    values: dict[str, Any] = {}
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        values, by_field = parse_post(UnitInfo, request.POST)
        try:
            enterprise = ents.get(pk=int(request.POST.get("enterprise") or 0)) \
                if ents.count() != 1 else ents.get()
        except (ValueError, m.Enterprise.DoesNotExist):
            raise Http404("no such enterprise") from None
        if not by_field:
            try:
                uf = validate({"format": "tanjiliang/unit@1", "unit": values})
            except LoadError as exc:
                by_field, general = issue_errors(exc, "unit", lang)
            else:
                try:
                    unit = create_unit(uf, enterprise, request.user,
                                       source=gettext("新建单位向导"))
                except LoadError as exc:  # another enterprise's credit code
                    by_field, general = issue_errors(exc, "unit", lang)
                else:
                    return redirect("wizard-subunits", pk=unit.pk)
    from tanjiliang.web.core.views.wizard import steps

    return page(request, "tj/unit_new.html", status=400 if by_field or general else 200,
                fields=fields_for(UnitInfo, values, lang, by_field), general=general,
                enterprises=ents, writable=True, steps=steps(None, "basics", lang))


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    data, err = try_assessment(unit)
    diagram = integrations.diagram_svg(unit, lang_of(request)) if data else None
    summary = None
    if data:
        summary = {
            "nc": [f for f in data["findings"] if f["severity"] == "nonconformity"],
            "obs": [f for f in data["findings"] if f["severity"] == "observation"],
            "overdue": sum(1 for i in data["instruments"] if i["calibration_status"] == "overdue"),
            "due_soon": sum(1 for i in data["instruments"]
                            if i["calibration_status"] == "due_soon"),
            "instruments": len(data["instruments"]),
            "points_missing": sum(1 for p in data["metering_points"]
                                  if p["required"] and p["status"] == "missing"),
        }
    from tanjiliang.web.core.assessing import today
    from tanjiliang.web.month.reminders import unit_reminders

    return page(request, "tj/dashboard.html", unit, "dashboard", a=data,
                error=issue_texts(err, lang_of(request)) if err else None, s=summary,
                diagram=diagram, reminders=unit_reminders(unit, data, today(), lang_of(request)))


@login_required
def export_unit(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    unit = unit_for(request.user, pk)
    uf = unit_file(unit)
    if fmt == "json":
        resp = HttpResponse(dump_json(uf), content_type="application/json; charset=utf-8")
    else:
        resp = HttpResponse(dump_yaml(uf), content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="unit-{unit.pk}-{unit.year}.{fmt}"'
    return resp


@login_required
@require_POST
def import_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the unit by an uploaded unit file (all-or-nothing)."""
    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, gettext("请选择文件"))
        return redirect("unit-edit", pk=pk)
    try:
        uf = parse_upload(upload.name, upload.read())
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "edit", status=400, title=upload.name,
                    issues=issue_texts(exc, lang))
    try:
        _, changed = import_unit_file(unit, uf, request.user, zh=f"导入单位文件 {upload.name}",
                                      en=f"unit file {upload.name} imported")
    except LoadError as exc:  # e.g. another enterprise's credit code
        return page(request, "tj/errors.html", unit, "edit", status=400, title=upload.name,
                    issues=issue_texts(exc, lang))
    if changed:
        messages.success(request, gettext("已导入"))
    else:  # the file is the unit as stored: no new revision, no history entry
        messages.info(request, gettext("没有要改的内容：{0} 与本单位现有数据相同，未新增版本").format(upload.name))
    _mappings(request, uf, lang)
    return redirect("unit-edit", pk=pk)


# ------------------------------------------------------------------------------ the editor

def _section(name: str) -> type:
    if name not in SECTIONS or name == "instruments":
        raise Http404("no such section")
    return SECTIONS[name]


def _shown(f: Any, lang: str) -> str:
    """A field's value for display: choices in words of ``lang``, other values as entered."""
    from tanjiliang.web.core.templatetags.tj import word

    if f.value and f.labels.get(f.value):
        return str(f.labels[f.value])
    if f.name == "kind" and f.value:  # equipment kinds have no choices list: their words
        return word(f.value, lang)
    if f.widget == "parameters":  # "低位发热量 386.5 GJ/万Nm3；…", never the mapping's text
        return "；".join(f"{r['label']} {r['value']}" for r in f.rows if r.get("value")) \
            if lang == "zh" else "; ".join(f"{r['label']} {r['value']}" for r in f.rows if r.get("value"))
    return word(f.value, lang) if f.widget in ("select", "bool") and f.value else f.value


@login_required
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    data = unit_data(unit)
    lang = lang_of(request)
    sections = []
    from tanjiliang.web.core.views.wizard import refs_for

    for name in ("subunits", "equipment", "emission_points", "source_streams"):
        model = SECTIONS[name]
        refs = refs_for(unit, data, model, lang)
        cols = [f for f in fields_for(model, {}, lang)][:7]
        sections.append({"name": name, "label": pick(SECTION_LABELS[name], lang, f"section:{name}"),
                         "cols": cols,
                         "rows": [{"id": r["id"], "cells": [_shown(f, lang) for f in
                                                            fields_for(model, r, lang, refs=refs)[:len(cols)]]}
                                  for r in data.get(name, [])]})
    info = fields_for(UnitInfo, data["unit"], lang)
    for f in info:
        f.value = _shown(f, lang)
    mgmt = data.get("management")
    return page(request, "tj/editor.html", unit, "edit", sections=sections, info=info,
                pack=data.get("pack") or "", gwp=data.get("gwp") or "",
                management=None if mgmt is None else {
                    "procedures": [p.get("title") for p in mgmt.get("procedures") or []],
                    "personnel": [f"{p.get('name')}（{p.get('role')}）" if lang == "zh"
                                  else f"{p.get('name')} ({p.get('role')})"
                                  for p in mgmt.get("personnel") or []],
                    "years": mgmt.get("records_retention_years")})


def _item_form(request: HttpRequest, unit: m.Unit, section: str, ident: str | None,
               values: dict[str, Any], errors: dict[str, list[str]] | None = None,
               general: list[str] | None = None, status: int = 200) -> HttpResponse:
    model = _section(section)
    lang = lang_of(request)
    from tanjiliang.web.core.views.wizard import refs_for, stream_context

    data = unit_data(unit)
    extra: dict[str, Any] = {"fields": fields_for(model, values, lang, errors,
                                                  refs=refs_for(unit, data, model, lang))}
    if section == "source_streams":
        extra = stream_context(unit, data, values, lang, errors)
    return page(request, "tj/item_form.html", unit, "edit", status=status, section=section,
                section_label=pick(SECTION_LABELS[section], lang, f"section:{section}"), ident=ident,
                general=general or [], **extra)




@login_required
def edit_item(request: HttpRequest, pk: int, section: str, index: int | None = None) -> HttpResponse:
    """Add (``index`` None) or change one sub-unit, equipment, emission point or stream."""
    model = _section(section)
    lang = lang_of(request)
    if request.method != "POST":
        unit = unit_for(request.user, pk)
        items = unit_data(unit).get(section, [])
        if index is not None and not 0 <= index < len(items):
            raise Http404("no such item")
        return _item_form(request, unit, section, None if index is None else items[index]["id"],
                          items[index] if index is not None else {})
    unit = unit_for(request.user, pk, write=True)
    values, errors = parse_post(model, request.POST)
    if errors:
        return _item_form(request, unit, section, None, values, errors, status=400)
    pos: list[int] = []

    def mutate(d: dict[str, Any]) -> None:
        items = d.setdefault(section, [])
        if index is None:
            fill_id(values, section, items)
            items.append(values)
            pos.append(len(items) - 1)
        else:
            if not 0 <= index < len(items):
                raise Http404("no such item")
            if not values.get("id"):
                fill_id(values, section, [])
                values["id"] = items[index]["id"]
            items[index] = values
            pos.append(index)

    try:
        apply_change(unit, request.user, mutate, action="add" if index is None else "edit",
                     subject=f"{section}:{values.get('id', '')}",
                     zh=f"{'新增' if index is None else '修改'}{SECTION_LABELS[section][0]} {values.get('id', '')}",
                     en=f"{SECTION_LABELS[section][1]} {values.get('id', '')} {'added' if index is None else 'changed'}")
    except LoadError as exc:
        by_field, general = issue_errors(exc, f"{section}[{pos[0]}]" if pos else section, lang)
        return _item_form(request, unit, section, None, values, by_field, general, status=400)
    messages.success(request, gettext("已保存"))
    return redirect("unit-edit", pk=pk)


@login_required
@require_POST
def delete_item(request: HttpRequest, pk: int, section: str, index: int) -> HttpResponse:
    _section(section)
    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    removed: list[str] = []
    from tanjiliang.web.core.wording import InUse, still_used

    def mutate(d: dict[str, Any]) -> None:
        items = d.get(section) or []
        if not 0 <= index < len(items):
            raise Http404("no such item")
        in_use = still_used(d, section, [items[index]], lang)
        if in_use:  # others still use it: say which, in the page's words (nothing written)
            raise InUse(in_use)
        removed.append(items.pop(index)["id"])

    try:
        apply_change(unit, request.user, mutate, action="delete",
                     zh=f"删除{SECTION_LABELS[section][0]}", en=f"{SECTION_LABELS[section][1]} deleted",
                     subject=section)
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "edit", status=400,
                    title=gettext("删除失败"),
                    issues=issue_texts(exc, lang))
    except InUse as exc:
        return page(request, "tj/errors.html", unit, "edit", status=400,
                    title=gettext("删除失败"), issues=exc.messages)
    return redirect("unit-edit", pk=pk)


def pack_choices(lang: str, current: str = "") -> list[tuple[str, str]]:
    """The bundled packs by their titles (a pack is chosen, never typed: issue 12 §3); a
    pack the unit names that is not bundled stays offered as it is."""
    from tanjiliang.rules.load import bundled_pack_names, load_pack

    out = []
    for name in bundled_pack_names():
        title = load_pack(name).pack.title
        out.append((name, title.zh if lang == "zh" else title.en))
    if current and current not in {k for k, _ in out}:
        out.append((current, current))
    return out


@login_required
def edit_info(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's own fields (name, credit code, sector, region, year) and its pack."""
    lang = lang_of(request)
    if request.method != "POST":
        unit = unit_for(request.user, pk)
        d = unit_data(unit)
        return page(request, "tj/info_form.html", unit, "edit",
                    packs=pack_choices(lang, d.get("pack") or ""),
                    fields=fields_for(UnitInfo, d["unit"], lang), pack=d.get("pack") or "",
                    gwp=d.get("gwp") or "", general=[])
    unit = unit_for(request.user, pk, write=True)
    values, by_field = parse_post(UnitInfo, request.POST)
    pack = (request.POST.get("pack") or "").strip()
    gwp = (request.POST.get("gwp") or "").strip()

    def refused(by_field: dict[str, list[str]], general: list[str]) -> HttpResponse:
        # 400 with the errors next to their fields and what the user typed kept, as 新建单位
        return page(request, "tj/info_form.html", unit, "edit", status=400,
                    packs=pack_choices(lang, pack), pack=pack, gwp=gwp, general=general,
                    fields=fields_for(UnitInfo, values, lang, by_field))

    if by_field:
        return refused(by_field, [])

    def mutate(d: dict[str, Any]) -> None:
        d["unit"] = values
        for key, v in (("pack", pack), ("gwp", gwp)):
            if v:
                d[key] = v
            else:
                d.pop(key, None)

    try:
        apply_change(unit, request.user, mutate, action="edit", zh="修改单位信息",
                     en="unit details changed", subject="unit")
    except LoadError as exc:
        return refused(*issue_errors(exc, "unit", lang))
    return redirect("unit-edit", pk=pk)


@login_required
@require_POST
def delete_unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk, write=True)
    if request.POST.get("confirm", "").strip() != unit.name:
        messages.error(request, gettext("单位名称不符，未删除"))
        return redirect("unit-edit", pk=pk)
    from tanjiliang.web.core.changes import UnitHasReviews
    from tanjiliang.web.core.changes import delete_unit as delete

    try:
        delete(unit, request.user)
    except UnitHasReviews as exc:
        messages.error(request, exc.message(lang_of(request)))
        return redirect("unit-edit", pk=pk)
    return redirect("unit-list")


__all__ = ["copy", "is_htmx"]
