"""The assessment, readings uploads and the history of a unit."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from tanjiliang.model.errors import LoadError
from tanjiliang.web.core import integrations
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import pack_names, try_assessment
from tanjiliang.web.core.change_words import shown
from tanjiliang.web.core.changes import record
from tanjiliang.web.core.forms import issue_texts
from tanjiliang.web.core.tenancy import history_for, readings_for, unit_for
from tanjiliang.web.core.views.common import lang_of, page

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@login_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    data, err = try_assessment(unit)
    return page(request, "tj/assessment.html", unit, "assessment", a=data,
                error=issue_texts(err, lang_of(request)) if err else None)


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("no such format")
    unit = unit_for(request.user, pk)
    lang = lang_of(request)
    try:
        body = integrations.report_bytes(unit, fmt, lang)
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "assessment", status=400,
                    title=gettext("无法评估"),
                    issues=issue_texts(exc, lang))
    resp = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = (f'attachment; filename="assessment-{unit.pk}-{unit.year}-'
                                   f'{lang}.{fmt}"')
    return resp


@login_required
@xframe_options_sameorigin
def report_inline(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's HTML (tanjiliang.reports), shown inside the assessment page."""
    unit = unit_for(request.user, pk)
    lang = lang_of(request)
    try:
        body = integrations.report_bytes(unit, "html", lang)
    except LoadError as exc:
        return page(request, "tj/errors.html", unit, "assessment", status=400,
                    title=gettext("无法评估"),
                    issues=issue_texts(exc, lang))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


@login_required
def readings(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    uploads = list(m.ReadingsUpload.objects.filter(unit=unit)[:50])
    return page(request, "tj/readings.html", unit, "readings", uploads=uploads,
                periods=json_periods(uploads), year=unit.year)


def json_periods(uploads: list[m.ReadingsUpload]) -> dict[int, str]:
    """The period each upload was judged for (from its stored report)."""
    out = {}
    for u in uploads:
        try:
            per = json.loads(u.report or "{}").get("zh", {}).get("period") or {}
        except ValueError:
            per = {}
        if per:
            out[u.pk] = f"{per.get('from', '')[:10]} — {_last_day(per.get('to', ''))}"
    return out


def _last_day(end: str) -> str:
    """The inclusive last day of an exclusive end (``2025-03-01T00:00`` → ``2025-02-28``)."""
    from datetime import datetime, timedelta

    try:
        return (datetime.fromisoformat(end) - timedelta(seconds=1)).date().isoformat()
    except ValueError:
        return end[:10]


@login_required
@require_POST
def readings_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store a readings file (CSV/XLSX/Parquet) and its quality report (tanjiliang.data) for
    the period chosen, or the months the data covers (issue 12 §5)."""
    from tanjiliang.data.readings import ReadingsError

    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, gettext("请选择文件"))
        return redirect("readings", pk=pk)
    name = Path(upload.name).name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        return page(request, "tj/errors.html", unit, "readings", status=400, title=name,
                    issues=[gettext("只接受 CSV、XLSX、Parquet 文件")])
    try:
        how, start, end = integrations.chosen_period(request.POST, unit.year, lang)
    except integrations.PeriodProblem as exc:
        return page(request, "tj/errors.html", unit, "readings", status=400, title=name,
                    issues=[str(exc)])
    content = upload.read()
    row = m.ReadingsUpload(unit=unit, name=name[:255], size=len(content),
                           uploaded_by=request.user)
    row.file.save(name, ContentFile(content), save=False)
    path = Path(row.file.path)
    try:
        if how == "data":
            ids = set(unit.instruments.values_list("ident", flat=True))
            start, end = integrations.readings_period(path, ids) or (None, None)
        report = integrations.readings_report(unit, path, name, start, end)
    except ReadingsError as exc:
        row.file.delete(save=False)
        return page(request, "tj/errors.html", unit, "readings", status=400, title=name,
                    issues=[integrations.hide_path(i.message(lang), path, name)
                            for i in exc.issues])
    except LoadError as exc:
        row.file.delete(save=False)
        return page(request, "tj/errors.html", unit, "readings", status=400, title=name,
                    issues=issue_texts(exc, lang))
    report["period_how"] = how
    row.rows = report["rows"]
    row.report = json.dumps(report, ensure_ascii=False)
    row.save()
    record(unit, request.user, "readings", f"上传计量数据 {name}（{row.rows} 行）",
           f"readings {name} uploaded ({row.rows} rows)", subject=name)
    return redirect("readings-report", pk=pk, rpk=row.pk)


@login_required
def readings_report(request: HttpRequest, pk: int, rpk: int) -> HttpResponse:
    upload = readings_for(request.user, pk, rpk)
    report = json.loads(upload.report)
    lang = lang_of(request)
    r = report.get(lang, {})
    per = r.get("period") or {}
    return page(request, "tj/readings_report.html", upload.unit, "readings", upload=upload,
                r=r, flagged=report.get("flagged", []), rows=report.get("rows"),
                columns=READINGS_COLUMNS, period_how=report.get("period_how", "year"),
                period_to=_last_day(per.get("to", "")), monthly=monthly_table(r, stream_names(upload.unit)))


def stream_names(unit: m.Unit) -> dict[str, str]:
    from tanjiliang.web.core.mapping import unit_data

    return {s["id"]: s.get("name") or s["id"] for s in unit_data(unit).get("source_streams") or []}


def monthly_table(r: dict, names: dict[str, str]) -> dict[str, object]:
    """Metered activity by stream and month (``stream_monthly``) as a table: one row per
    month, one column per stream."""
    streams = sorted({x["stream"] for x in r.get("stream_monthly", [])})
    months = sorted({x["month"][:7] for x in r.get("stream_monthly", [])})
    cell = {(x["stream"], x["month"][:7]): x for x in r.get("stream_monthly", [])}
    units = {x["stream"]: x.get("unit") for x in r.get("stream_monthly", [])}
    rows = [{"month": mo, "cells": [cell.get((s, mo), {}).get("activity") for s in streams]}
            for mo in months]
    return {"streams": [{"id": s, "name": names.get(s, s), "unit": units.get(s) or ""}
                        for s in streams], "rows": rows}


#: The quality summary's columns and their headings (the columns of ``tanjiliang data check``).
READINGS_COLUMNS = [
    ("instrument", "器具", "instrument"), ("kind", "类型", "kind"), ("n", "条数", "n"),
    ("coverage_percent", "覆盖率 %", "coverage %"), ("missing", "缺失", "missing"),
    ("gaps", "断档", "gaps"), ("duplicates", "重复", "duplicates"), ("negative", "负值", "negative"),
    ("out_of_range", "超量程", "out of range"), ("resets", "复位", "resets"),
    ("rollovers", "溢出", "rollovers"), ("stuck", "冻结", "stuck"), ("spikes", "突变", "spikes"),
    ("amount", "期间计量量", "amount"), ("unit", "单位", "unit"),
]


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    pager = Paginator(history_for(request.user, unit).select_related("user"), 50)
    pg = pager.get_page(request.GET.get("page"))
    lang = lang_of(request)
    names = pack_names(unit, lang)
    entries = [{"e": e, "changes": shown(json.loads(e.changes), lang, names)} for e in pg]
    return page(request, "tj/history.html", unit, "history", page=pg, entries=entries)
