"""The ledger (台账): table with filters and sorting, Excel import/export, a page per
instrument (confirmation history, certificate files) and the due/overdue calendar."""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tanjiliang.model.errors import LoadError
from tanjiliang.model.unit import ConfirmationRecord, Instrument
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import pack_names, today, try_assessment, unit_key
from tanjiliang.web.core.changes import apply_change, record
from tanjiliang.web.core.forms import fields_for, issue_errors, issue_texts, parse_post
from tanjiliang.web.core.mapping import unit_data
from tanjiliang.web.core.security import download
from tanjiliang.web.core.tenancy import file_for, instrument_for, unit_for
from tanjiliang.web.core.views.common import is_htmx, lang_of, page

_LOCK = threading.Lock()

COLUMNS = ("ident", "name", "type", "measures", "at", "accuracy", "status", "level",
           "calibration_status", "last_confirmed", "next_due", "accuracy_ok")
PAGE_SIZE = 50
#: rows per page the ledger offers (issue 13 §7: hundreds of instruments stay readable)
PAGE_SIZES = (50, 100, 200)


class LedgerData:
    """The ledger's rows joined with their assessment, and the values the filters offer."""

    def __init__(self, rows: list[dict[str, Any]], places: dict[str, str] | None = None) -> None:
        self.rows = rows
        self.choices = {k: sorted({str(r[k]) for r in rows if r[k] is not None})
                        for k in ("type", "status", "calibration_status", "at", "level")}
        #: sub-unit and equipment ids → their names, for the location filter
        self.places = places or {}

    def at_choices(self, lang: str) -> list[tuple[str, str]]:
        """The location filter's options: (``at`` value, "B1 1号锅炉"; 边界/化验室 in words)."""
        from tanjiliang.web.core.templatetags.tj import word

        return [(c, f"{c} {self.places[c]}" if self.places.get(c) else word(c, lang))
                for c in self.choices["at"]]


_DATA: OrderedDict[tuple[Any, ...], LedgerData] = OrderedDict()
_TABLES: OrderedDict[tuple[Any, ...], str] = OrderedDict()


def _remember(cache: OrderedDict, key: Any, value: Any, size: int) -> None:
    with _LOCK:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)


def ledger_data(unit: m.Unit) -> LedgerData:
    """The ledger with its assessment (cached per unit revision and day)."""
    key = (*unit_key(unit), today())
    hit = _DATA.get(key)
    if hit is not None:
        return hit
    data, _ = try_assessment(unit)
    results = {i["id"]: i for i in (data or {}).get("instruments", [])}
    rows = []
    for r in (m.Instrument.objects.filter(unit=unit).order_by("position")
              .values("pk", "ident", "name", "type", "measures", "at", "accuracy", "status",
                      "last_confirmed", "position")):
        a = results.get(r["ident"], {})
        r["level"] = a.get("level")
        r["calibration_status"] = a.get("calibration_status")
        r["next_due"] = a.get("next_due") or ""
        r["accuracy_ok"] = a.get("accuracy_ok")
        r["last_confirmed"] = r["last_confirmed"].isoformat() if r["last_confirmed"] else \
            (a.get("last_confirmed") or "")
        rows.append(r)
    doc = json.loads(unit.document or "{}")
    places = {str(x.get("id")): str(x.get("name") or "") for k in ("subunits", "equipment")
              for x in (doc.get(k) or []) if isinstance(x, dict)}
    out = LedgerData(rows, places)
    _remember(_DATA, key, out, 32)
    return out


def ledger_rows(unit: m.Unit) -> list[dict[str, Any]]:
    return ledger_data(unit).rows


def filtered(rows: list[dict[str, Any]], params: Any) -> list[dict[str, Any]]:
    q = (params.get("q") or "").strip().lower()
    out = rows
    if q:
        out = [r for r in out if q in r["ident"].lower() or q in r["name"].lower()
               or q in r["measures"].lower()]
    for key in ("type", "status", "calibration_status", "at"):
        v = params.get(key)
        if v:
            out = [r for r in out if str(r[key]) == v]
    if params.get("level"):
        out = [r for r in out if str(r["level"]) == params["level"]]
    if params.get("accuracy_ok") in ("true", "false"):
        want = params["accuracy_ok"] == "true"
        out = [r for r in out if r["accuracy_ok"] is want]
    sort = params.get("sort") or "position"
    desc = sort.startswith("-")
    col = sort.lstrip("-")
    if col in COLUMNS:
        out = sorted(out, key=lambda r: (r[col] is None, str(r[col])), reverse=desc)
    elif desc and col == "position":
        out = out[::-1]
    return out


_TABLE_PARAMS = ("q", "type", "status", "calibration_status", "at", "level", "accuracy_ok",
                 "sort", "page", "per")


def page_size(params: Any) -> int:
    """Rows per page: ``per`` when it is one of :data:`PAGE_SIZES`, else :data:`PAGE_SIZE`."""
    per = str(params.get("per") or "")
    return int(per) if per.isdigit() and int(per) in PAGE_SIZES else PAGE_SIZE


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """The ledger table; the rendered table is cached per unit revision, language and query
    (a page view then costs the scoping queries and the frame around it)."""
    unit = unit_for(request.user, pk)
    lang = lang_of(request)
    ld = ledger_data(unit)
    params = tuple((k, request.GET.get(k, "")) for k in _TABLE_PARAMS)
    key = (*unit_key(unit), today(), lang, params)
    table = _TABLES.get(key)
    if table is None:
        shown = filtered(ld.rows, request.GET)
        pg = Paginator(shown, page_size(request.GET)).get_page(request.GET.get("page"))
        labels = {f.name: f.label for f in fields_for(Instrument, {}, lang)}
        table = render_to_string("tj/ledger_table.html", {
            "page": pg, "total": len(ld.rows), "count": len(shown), "labels": labels,
            "unit": unit, "lang": lang, "names": pack_names(unit, lang)}, request)
        _remember(_TABLES, key, table, 512)
    if is_htmx(request) and request.GET.get("partial"):
        return HttpResponse(table)
    from tanjiliang.web.core.integrations_ledger import last_import

    return page(request, "tj/ledger.html", unit, "ledger", table=table, choices=ld.choices,
                at_choices=ld.at_choices(lang),
                params=request.GET, undo=last_import(unit), page_sizes=PAGE_SIZES,
                per=page_size(request.GET))


@login_required
def ledger_export(request: HttpRequest, pk: int) -> HttpResponse:
    from tanjiliang.web.core.integrations_ledger import export_workbook

    unit = unit_for(request.user, pk)
    try:
        data = export_workbook(unit, lang_of(request))
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "ledger", status=400,
                    title="Excel", issues=issue_texts(exc, lang_of(request)))
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="ledger-{unit.pk}-{unit.year}.xlsx"'
    return resp


_UPLOAD = "ledger_upload"


@login_required
@require_POST
def ledger_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 of an import: read the workbook and show its change set (added, changed field by
    field, unchanged, absent from the file — each absent one with a tick box, unticked), what
    each column was read as, every inference and what is left 待补充. Nothing is stored yet
    (issue 12: nothing removed without asking)."""
    import base64

    from tanjiliang.web.core.integrations_ledger import preview_workbook

    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, gettext("请选择 Excel 文件"))
        return redirect("ledger", pk=pk)
    content = upload.read()
    strict = request.POST.get("strict") == "1"
    try:
        cs, read = preview_workbook(unit, upload.name or "ledger.xlsx", content, strict)
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "ledger", status=400, title=upload.name,
                    issues=issue_texts(exc, lang))
    sha256 = hashlib.sha256(content).hexdigest()
    request.session[_UPLOAD] = {"unit": unit.pk, "name": upload.name, "strict": strict, "sha256": sha256,
                                "data": base64.b64encode(content).decode("ascii")}
    names = {i.ident: i.name for i in unit.instruments.all()}
    return page(request, "tj/ledger_import.html", unit, "ledger", cs=cs, file_name=upload.name,
                summary=cs.summary(lang), sha256=sha256, changed_rows=cs.field_rows(lang),
                report=read.report(lang), pending=read.pending, strict=strict,
                absent=[(ident, names.get(ident, "")) for ident in cs.absent],
                added=[(str(r.get("id")), str(r.get("name", ""))) for r in cs.added])


@login_required
@require_POST
def ledger_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: merge the previewed workbook; only the ticked absent instruments are removed."""
    import base64

    from tanjiliang.web.core.integrations_ledger import import_workbook

    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    held = request.session.get(_UPLOAD)
    if not held or held.get("unit") != unit.pk or held.get("sha256") != request.POST.get("sha256"):
        messages.error(request, gettext("请重新选择要导入的 Excel 文件"))
        return redirect("ledger", pk=pk)
    content = base64.b64decode(held["data"])
    remove = request.POST.getlist("remove")
    try:
        unit, cs, _ = import_workbook(unit, held["name"], content, request.user, lang, remove,
                                      bool(held.get("strict")))
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "ledger", status=400, title=held["name"],
                    issues=issue_texts(exc, lang))
    del request.session[_UPLOAD]
    n = unit.instruments.count()
    messages.success(request, (gettext("已导入：{0}；现有 {1} 台器具").format(cs.summary('zh'), n, cs.summary('en'))))
    return redirect("ledger", pk=pk)


@login_required
@require_POST
def ledger_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the last ledger import in one click (the previous revision's instruments back)."""
    from tanjiliang.web.core.integrations_ledger import restore_previous

    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    try:
        restore_previous(unit, request.user)
    except LookupError:
        messages.error(request, _why_no_undo(unit))
        return redirect("ledger", pk=pk)
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "ledger", status=400, title="",
                    issues=issue_texts(exc, lang))
    messages.success(request, gettext("已撤销上次台账导入"))
    return redirect("ledger", pk=pk)


def _why_no_undo(unit: m.Unit) -> str:
    """Why the last ledger import cannot be undone: there was none, a later change stands on
    it, or its history entry was cut short (probe s10 #13)."""
    last = m.HistoryEntry.objects.filter(unit=unit, action="ledger_import").order_by(
        "-at", "-id").first()
    if last is None:
        return gettext("没有可撤销的台账导入")
    if last.revision != unit.revision:
        return gettext("上次台账导入（第 {0} 版）之后本单位又有修改（现为第 {1} 版），不能再撤销该次导入；请在变更记录中查看其改动，手工改回").format(
            last.revision, unit.revision)
    return gettext("上次台账导入改动的器具过多，变更记录未保存全部改动，不能一键撤销")


def type_ids(unit: m.Unit) -> list[str]:
    """The instrument types of the unit's pack (for the type selector)."""
    from tanjiliang.web.core.assessing import pack_for

    try:
        return [t.id for t in pack_for(unit).pack.instrument_types]
    except LoadError:
        return []


def _instrument_ctx(request: HttpRequest, unit: m.Unit, ins: m.Instrument,
                    values: dict[str, Any] | None = None, errors: Any = None,
                    general: list[str] | None = None, conf_values: dict[str, Any] | None = None,
                    conf_errors: Any = None, conf_general: list[str] | None = None) -> dict[str, Any]:
    lang = lang_of(request)
    data, _ = try_assessment(unit)
    result = next((i for i in (data or {}).get("instruments", []) if i["id"] == ins.ident), None)
    findings = [f for f in (data or {}).get("findings", []) if f["subject"] == ins.ident
                or f["subject"] in (result or {}).get("points", [])]
    import json

    raw = json.loads(ins.data)
    confs = list(ins.confirmation_records.order_by("-date", "-position"))
    return {
        "ins": ins, "result": result, "findings": findings,
        "fields": fields_for(Instrument, values if values is not None else raw, lang, errors,
                             {"type": type_ids(unit)}, refs=instrument_refs(unit, lang)),
        "general": general or [], "confirmations": confs,
        "conf_fields": fields_for(ConfirmationRecord, conf_values or {}, lang, conf_errors),
        "conf_general": conf_general or [],
        "files": list(ins.files.select_related("uploaded_by")),
    }


def instrument_refs(unit: m.Unit, lang: str) -> dict[str, Any]:
    """Places, measured quantities and types in words (issue 12: no codes typed)."""
    from tanjiliang.web.core.views.wizard import refs_for

    return refs_for(unit, unit_data(unit), Instrument, lang)


@login_required
def instrument_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an instrument to the ledger (validated like a unit file)."""
    lang = lang_of(request)
    if request.method != "POST":
        unit = unit_for(request.user, pk, write=True)
        return page(request, "tj/instrument_new.html", unit, "ledger",
                    fields=fields_for(Instrument, {"status": "in_use"}, lang, None,
                                      {"type": type_ids(unit)}, refs=instrument_refs(unit, lang)), general=[])
    unit = unit_for(request.user, pk, write=True)
    values, errors = parse_post(Instrument, request.POST)
    pos: list[int] = []

    def mutate(d: dict[str, Any]) -> None:
        items = d.setdefault("instruments", [])
        items.append(values)
        pos.append(len(items) - 1)

    general: list[str] = []
    if not errors:
        try:
            unit = apply_change(unit, request.user, mutate, action="add",
                                subject=str(values.get("id", "")),
                                zh=f"新增计量器具 {values.get('id', '')}",
                                en=f"instrument {values.get('id', '')} added")
            new = m.Instrument.objects.get(unit=unit, ident=values["id"])
            return redirect("instrument", pk=pk, ipk=new.pk)
        except LoadError as exc:
            errors, general = issue_errors(exc, f"instruments[{pos[0]}]" if pos else "instruments",
                                           lang)
    return page(request, "tj/instrument_new.html", unit, "ledger", status=400,
                fields=fields_for(Instrument, values, lang, errors, {"type": type_ids(unit)}, refs=instrument_refs(unit, lang)),
                general=general)


@login_required
@require_POST
def instrument_delete(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    unit, ins = instrument_for(request.user, pk, ipk, write=True)

    def mutate(d: dict[str, Any]) -> None:
        d["instruments"].pop(_instrument_index(d, ins.ident))

    try:
        apply_change(unit, request.user, mutate, action="delete", subject=ins.ident,
                     zh=f"删除计量器具 {ins.ident}", en=f"instrument {ins.ident} deleted")
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "ledger", status=400, title=ins.ident,
                    issues=issue_texts(exc, lang_of(request)))
    return redirect("ledger", pk=pk)


@login_required
def instrument(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    unit, ins = instrument_for(request.user, pk, ipk)
    return page(request, "tj/instrument.html", unit, "ledger",
                **_instrument_ctx(request, unit, ins))


def _instrument_index(d: dict[str, Any], ident: str) -> int:
    for i, x in enumerate(d.get("instruments") or []):
        if x["id"] == ident:
            return i
    raise LookupError(ident)


@login_required
@require_POST
def instrument_edit(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    unit, ins = instrument_for(request.user, pk, ipk, write=True)
    lang = lang_of(request)
    values, errors = parse_post(Instrument, request.POST)
    pos: list[int] = []

    def mutate(d: dict[str, Any]) -> None:
        i = _instrument_index(d, ins.ident)
        old = d["instruments"][i]
        if "confirmations" in old:
            values["confirmations"] = old["confirmations"]
        d["instruments"][i] = values
        pos.append(i)

    if not errors:
        try:
            apply_change(unit, request.user, mutate, action="edit", subject=ins.ident,
                         zh=f"修改计量器具 {ins.ident}", en=f"instrument {ins.ident} changed")
            messages.success(request, gettext("已保存"))
            new = m.Instrument.objects.filter(unit=unit, ident=values.get("id")).first()
            return redirect("instrument", pk=pk, ipk=new.pk if new else ipk)
        except LoadError as exc:
            errors, general = issue_errors(exc, f"instruments[{pos[0]}]" if pos else "instruments", lang)
    else:
        general = []
    unit.refresh_from_db()
    return page(request, "tj/instrument.html", unit, "ledger", status=400,
                **_instrument_ctx(request, unit, ins, values, errors, general))


@login_required
@require_POST
def confirmation_add(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    """Record a verification or calibration (appended to the instrument's confirmations)."""
    unit, ins = instrument_for(request.user, pk, ipk, write=True)
    lang = lang_of(request)
    values, errors = parse_post(ConfirmationRecord, request.POST)
    pos: list[int] = []

    def mutate(d: dict[str, Any]) -> None:
        i = _instrument_index(d, ins.ident)
        confs = d["instruments"][i].setdefault("confirmations", [])
        confs.append(values)
        pos.extend([i, len(confs) - 1])

    upload = request.FILES.get("file")
    empty = _empty_file(upload)
    if not errors and not empty:
        try:
            unit = apply_change(unit, request.user, mutate, action="confirmation", subject=ins.ident,
                         zh=f"登记 {ins.ident} 的检定/校准（{values.get('date', '')}）",
                         en=f"confirmation of {ins.ident} recorded ({values.get('date', '')})")
            if upload is not None:
                _store_file(unit, ins, upload, values.get("certificate") or "", request.user)
            messages.success(request, gettext("已登记"))
            return redirect("instrument", pk=pk, ipk=ipk)
        except LoadError as exc:
            prefix = f"instruments[{pos[0]}].confirmations[{pos[1]}]" if pos else "instruments"
            errors, general = issue_errors(exc, prefix, lang)
    else:
        general = []
    if empty:
        general.append(empty)
    return page(request, "tj/instrument.html", unit, "ledger", status=400,
                **_instrument_ctx(request, unit, ins, conf_values=values, conf_errors=errors,
                                  conf_general=general))


def _empty_file(upload: Any) -> str:
    """What to say of an uploaded certificate file with no content (a 0-byte file is no
    certificate: probe s10 web #14), else ""."""
    if upload is None or upload.size:
        return ""
    return gettext("文件“{0}”是空的（0 字节），未保存：请重新选择证书文件").format(Path(upload.name or "").name)


def _store_file(unit: m.Unit, ins: m.Instrument, upload: Any, certificate: str,
                user: Any) -> m.CertificateFile:
    content = upload.read()
    upload.seek(0)
    f = m.CertificateFile(instrument=ins, certificate=certificate[:200],
                          name=Path(upload.name).name[:255], size=len(content),
                          sha256=hashlib.sha256(content).hexdigest(),
                          content_type=(getattr(upload, "content_type", "") or "")[:100],
                          uploaded_by=user)
    f.file.save(f"{ins.pk}-{f.sha256[:12]}-{Path(upload.name).name}"[-200:], upload, save=True)
    record(unit, user, "file", f"上传 {ins.ident} 的证书文件 {f.name}",
           f"certificate file {f.name} of {ins.ident} uploaded", subject=ins.ident)
    return f


@login_required
@require_POST
def file_upload(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    unit, ins = instrument_for(request.user, pk, ipk, write=True)
    upload = request.FILES.get("file")
    empty = _empty_file(upload)
    if empty:
        messages.error(request, empty)
    elif upload is not None:
        _store_file(unit, ins, upload, request.POST.get("certificate", ""), request.user)
    return redirect("instrument", pk=pk, ipk=ipk)


@login_required
def file_download(request: HttpRequest, pk: int, fpk: int) -> FileResponse:
    f = file_for(request.user, pk, fpk)
    # an attachment typed from its content, never the uploader's Content-Type (security.py)
    return download(f.file.open("rb"), f.name)


@login_required
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """Instruments by the month their confirmation falls due; overdue ones first."""
    unit = unit_for(request.user, pk)
    rows = ledger_rows(unit)
    now = today()
    overdue = [r for r in rows if r["calibration_status"] == "overdue"]
    unknown = [r for r in rows if r["calibration_status"] == "unknown"]
    months: dict[str, list[dict[str, Any]]] = {}
    horizon = date(now.year + 1, now.month, 1)
    for r in sorted((r for r in rows if r["next_due"] and r["calibration_status"]
                     in ("valid", "due_soon")), key=lambda r: r["next_due"]):
        d = date.fromisoformat(r["next_due"])
        if d < horizon:
            months.setdefault(r["next_due"][:7], []).append(r)
    return page(request, "tj/calendar.html", unit, "calendar", overdue=overdue,
                unknown=unknown, months=sorted(months.items()), today=now)


__all__ = ["tempfile", "unit_data"]
