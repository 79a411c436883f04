"""The year's twelve month cards of a unit and filing a month (issue 14 §5).

Enterprise users file a month from the readings uploaded for the unit, with evidence files
(laboratory reports, delivery notes); a second filing is a correction and needs a reason.
Each filing is frozen under its SHA-256 (tanjiliang.month.close.file_month): the record, the
evidence files' hashes, the time in Asia/Shanghai. Reviewers and the regulator read the cards.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from tanjiliang.i18n import pairs, pick
from tanjiliang.kpi.indicators import percent
from tanjiliang.model.errors import LoadError
from tanjiliang.month.close import (
    CHECK_WORDS,
    STATUS_WORDS,
    ZONE,
    card_state,
    deadline,
    file_month,
    lab_reports,
    month_bounds,
    parse_month,
    record_notes,
    rule,
)
from tanjiliang.month.lab import lab_lines
from tanjiliang.web.core.assessing import pack_for, readings_paths, today
from tanjiliang.web.core.forms import issue_texts, simple_issue
from tanjiliang.web.core.mapping import unit_file
from tanjiliang.web.core.tenancy import unit_for
from tanjiliang.web.core.views.common import lang_of, page
from tanjiliang.web.month.models import MonthEvidence, MonthFiling

#: The month pages' words (Chinese; the English from the catalogue, context ``month.web:<key>``).
WORDS = cast("dict[str, tuple[str, str]]", pairs("month.web", {
    "not_this_year": "不是本报告年度的月份",
    "late": "（逾期提交）",
    "filed": "已提交 {month} 第 {version} 版{late}",
    "sheet": "监管指标",
    "unit": "单位", "credit_code": "统一社会信用代码",
    "year": "年度", "conclusion": "结论",
    "equipping": "配备率%", "inspection": "受检率%",
    "pass": "检定合格率%", "in_confirmation": "在有效期内%",
    "timeliness": "存证及时率%", "consistency": "日月数据一致率%", "index": "指数",
    "reasons": "现场检查理由",
}))


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"month.web:{key}")


def month_pack(unit: Any) -> Any:
    """The pack whose monthly rules apply to ``unit`` (its bundled pack; None, the default
    pack, when its file names a pack the server does not use)."""
    try:
        return pack_for(unit)
    except LoadError:
        return None


def cards(unit_pk: int, year: int, day: date, lang: str, pack: Any = None) -> list[dict[str, object]]:
    """Twelve cards (the rules of tanjiliang.month.close.month_status, deadlines of
    ``pack``) from the stored filings."""
    latest: dict[str, MonthFiling] = {}
    versions: dict[str, list[MonthFiling]] = {}
    for f in MonthFiling.objects.filter(unit_id=unit_pk, month__startswith=f"{year:04d}-"):
        latest[f.month] = f if f.month not in latest or f.version > latest[f.month].version \
            else latest[f.month]
        versions.setdefault(f.month, []).append(f)
    out = []
    for m in range(1, 13):
        label = f"{year:04d}-{m:02d}"
        _, end = month_bounds(year, m)
        due = deadline(year, m, pack)
        rec = latest.get(label)
        state = card_state(year, m, rec.version if rec else None, day, pack)
        data = rec.data if rec else {}
        out.append({
            "month": label, "state": state, "word": pick(STATUS_WORDS[state], lang, f"month.status:{state}"), "deadline": due,
            "filing": rec, "can_file": day >= end,
            # filed late: the first version's (month_status' rule; timeliness counts it too)
            "late": bool(min(versions[label], key=lambda f: f.version).data.get("late")) if rec else False,
            "emissions": data.get("emissions_tco2e"),
            "failed": [pick(CHECK_WORDS[c["check"]], lang, f"month.check:{c['check']}")
                       for c in data.get("checks", []) if c["ok"] is False],
            "notes": record_notes(data, lang),
            "versions": sorted(versions.get(label, []), key=lambda f: f.version),
            "lab": lab_lines(data, lang),
        })
    return out


@login_required
def months(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    lang = lang_of(request)
    day = today()
    pack = month_pack(unit)
    grid = cards(unit.pk, unit.year, day, lang, pack)
    filed = sum((c["emissions"] or 0.0) for c in grid if c["filing"] is not None)  # type: ignore[operator]
    days = rule("deadline_days_after_month_end", pack)
    return page(request, "tj/months.html", unit, "months", cards=grid, today=day,
                filed_total=filed, has_readings=unit.readings.exists(), deadline_days=days)


@login_required
@require_POST
def month_file(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    unit = unit_for(request.user, pk, write=True)
    lang = lang_of(request)
    try:
        year, m = parse_month(month)
        if year != unit.year:
            raise LoadError([])
        _, end = month_bounds(year, m)
        if today() < end:
            raise simple_issue(f"{month} 尚未结束，不能提交", f"{month} has not ended yet", "month")
        paths = readings_paths(unit)
        uf = unit_file(unit)
        entered = _entered(request, uf)
        if not paths and not entered:  # a month entered by hand is filed without readings
            raise simple_issue("尚未上传计量数据：请先在“计量数据”页上传本月读数，或手工填报活动数据并附证据文件",
                               "no readings uploaded: upload the month's readings first, or enter "
                               "its activity by hand with its evidence", "month")
        pack = pack_for(unit)
        uploads = request.FILES.getlist("evidence")
        evidence = []
        blobs = []
        for up in uploads:
            content = up.read()
            digest = hashlib.sha256(content).hexdigest()
            evidence.append({"file": up.name[:255], "sha256": digest, "bytes": len(content)})
            blobs.append((up.name[:255], digest, content))
        lab, reports = _lab_upload(request, uf, month, pack, evidence, blobs)
        with transaction.atomic():
            previous = (MonthFiling.objects.select_for_update().filter(unit=unit, month=month)
                        .order_by("-version").first())
            data = file_month(uf, year, m, paths,
                              previous=previous.data if previous else None, evidence=evidence,
                              reason=request.POST.get("reason") or None,
                              filed_at=datetime.now(ZONE), pack=pack, lab=lab, reports=reports,
                              entered=entered)
            filing = MonthFiling.objects.create(
                unit=unit, month=month, version=data["version"], data=data,
                sha256=data["sha256"], filed_by=request.user,
                filed_at=datetime.fromisoformat(data["filed_at"]))
            for name, digest, content in blobs:
                ev = MonthEvidence(filing=filing, name=name, sha256=digest, size=len(content))
                ev.file.save(digest, ContentFile(content), save=True)
    except LoadError as exc:
        texts = issue_texts(exc, lang) or [_w("not_this_year", lang)]
        return page(request, "tj/errors.html", unit, "months", status=400, title=month,
                    issues=texts)
    late = _w("late", lang) if data["late"] else ""
    messages.success(request, _w("filed", lang).format(month=month, version=data["version"],
                                                       late=late))
    return redirect("months", pk=pk)


def _entered(request: HttpRequest, uf: Any) -> dict[str, float] | None:
    """The form's activity entered by hand, a ``stream=quantity`` per line (issue 14 §1:
    "entered with evidence"; tanjiliang.month.close.entered_activity checks each), or None."""
    from tanjiliang.month.close import entered_activity, parse_entered

    texts = parse_entered((request.POST.get("activity") or "").splitlines(), "activity")
    return entered_activity(uf, texts) if texts else None


def _lab_upload(request: HttpRequest, uf: Any, month: str, pack: Any,
                evidence: list[dict[str, Any]], blobs: list[tuple[str, str, bytes]]
                ) -> tuple[Any, dict[str, str]]:
    """The laboratory results file uploaded with a filing (``lab``, CSV or XLSX), read
    all-or-nothing (tanjiliang.month.lab.read_lab); it is kept as evidence (kind
    ``lab_results``), and the report files its month's results name must be among the uploaded
    evidence files (kind ``lab_report``)."""
    import tempfile
    from pathlib import Path

    from tanjiliang.month.lab import read_lab

    up = request.FILES.get("lab")
    if up is None:
        return None, {}
    name = Path(up.name).name[:255]
    content = up.read()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("lab" + Path(name).suffix.lower())
        path.write_bytes(content)
        lab = read_lab(path, uf, name=name, accreditations=rule("lab_accreditations", pack))
    named = {Path(r.report_file).name for r in lab.of_month(month) if r.report_file}
    reports = lab_reports(lab, month, {e["file"]: e["sha256"] for e in evidence})
    for e in evidence:
        if e["file"] in named:
            e["kind"] = "lab_report"
    digest = hashlib.sha256(content).hexdigest()
    evidence.append({"file": name, "sha256": digest, "bytes": len(content), "kind": "lab_results"})
    blobs.append((name, digest, content))
    return lab, reports


def timeliness_of(units: list[Any], day: date) -> dict[int, float | None]:
    """Months of each unit's reporting year filed by their deadline (version 1 not late) ÷
    months whose deadline has passed by ``day`` (percent, one decimal half up; None when no
    deadline has passed), counted in the database: one aggregate query per
    reporting year and pack (months filed on time by version 1 ÷ months past the deadline)."""
    from django.db.models import Count, Q

    groups: dict[tuple[int, str], list[Any]] = {}
    for u in units:
        groups.setdefault((u.year, u.pack or ""), []).append(u)
    out: dict[int, float | None] = {}
    for (year, _), members in groups.items():
        pack = month_pack(members[0])
        due = [f"{year:04d}-{m:02d}" for m in range(1, 13) if deadline(year, m, pack) < day]
        pks = [u.pk for u in members]
        if not due:
            out.update(dict.fromkeys(pks))
            continue
        counts = dict(MonthFiling.objects.filter(unit_id__in=pks, version=1, month__in=due)
                      .values("unit_id").annotate(n=Count("pk", filter=Q(data__late=False)))
                      .values_list("unit_id", "n"))
        for pk in pks:
            out[pk] = percent(counts.get(pk, 0), len(due))
    return out


def consistency_of(units: list[Any]) -> dict[int, float | None]:
    """Daily-vs-monthly consistency of many units (tanjiliang.month.close.consistency_indicator's
    rule), counted in the database: per unit, the months of its reporting year whose latest
    version (no later version exists) was judged consistent ÷ those whose latest version made
    the check (``MonthFiling.consistent`` not NULL), in percent (one decimal, half up; None when
    no month has the check). One aggregate query per reporting year."""
    from django.db.models import Count, Exists, OuterRef, Q

    later = MonthFiling.objects.filter(unit_id=OuterRef("unit_id"), month=OuterRef("month"),
                                       version__gt=OuterRef("version"))
    years: dict[int, list[int]] = {}
    for u in units:
        years.setdefault(u.year, []).append(u.pk)
    out: dict[int, float | None] = {}
    for year, pks in years.items():
        counts = {r["unit_id"]: r for r in (
            MonthFiling.objects.filter(unit_id__in=pks, month__gte=f"{year:04d}-01",
                                       month__lte=f"{year:04d}-12", consistent__isnull=False)
            .filter(~Exists(later)).values("unit_id")
            .annotate(n=Count("pk"), ok=Count("pk", filter=Q(consistent=True))))}
        for pk in pks:
            r = counts.get(pk)
            out[pk] = percent(r["ok"], r["n"]) if r else None
    return out


def _indicator_json(k: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {**asdict(k), "as_of": k.as_of.isoformat(), "reasons": [list(r) for r in k.reasons]}


def unit_indicators(units: list[Any], day: date) -> list[Any]:
    """Indicators of each unit (tanjiliang.kpi) for its reporting year, from its assessment
    through the one door and its filed months; units whose file cannot be assessed are left
    out (their pages say why).

    Each unit's indicators are kept per revision and date (IndicatorCache, stale when readings
    were uploaded after it) and read for all units in one query; the
    filings' timeliness and daily-vs-monthly consistency are counted in the database
    (:func:`timeliness_of`, :func:`consistency_of`) and the index and reasons worked out again
    with them (kpi.with_filings)."""
    from django.db.models import Max

    from tanjiliang.kpi import indicators, rank
    from tanjiliang.kpi.indicators import from_json, with_filings
    from tanjiliang.web.core import models as cm
    from tanjiliang.web.core.assessing import assessment_cached_too, default_as_of
    from tanjiliang.web.month.models import IndicatorCache

    pks = [u.pk for u in units]
    days = {u.pk: default_as_of(u) for u in units}
    want = {(u.pk, u.revision, days[u.pk]) for u in units}
    uploads = dict(cm.ReadingsUpload.objects.filter(unit__in=pks).values("unit_id")
                   .annotate(last=Max("uploaded_at")).values_list("unit_id", "last"))
    cached: dict[int, dict[str, Any]] = {}
    for r in (IndicatorCache.objects.filter(unit__in=pks, as_of__in=set(days.values()))
              .values("unit_id", "revision", "as_of", "created", "data")):
        last = uploads.get(r["unit_id"])
        if (r["unit_id"], r["revision"], r["as_of"]) in want and (last is None or r["created"] >= last):
            cached[r["unit_id"]] = r["data"]
    on_time = timeliness_of(units, day)
    consistent = consistency_of(units)
    rows = []
    for u in units:
        data = cached.get(u.pk)
        if data is not None:
            k = from_json(data)
        else:
            try:
                a = assessment_cached_too(u, days[u.pk])
                uf = unit_file(u)
            except LoadError:
                continue
            k = indicators(uf, a, date(u.year, 1, 1), date(u.year + 1, 1, 1))
            try:
                with transaction.atomic():
                    IndicatorCache.objects.filter(unit=u).exclude(revision=u.revision).delete()
                    IndicatorCache.objects.update_or_create(
                        unit=u, revision=u.revision, as_of=days[u.pk],
                        defaults={"data": _indicator_json(k), "created": timezone.now()})
            except IntegrityError:
                pass  # another worker stored the same indicators
        k = with_filings(k, on_time.get(u.pk), consistent.get(u.pk))
        k.unit_pk = u.pk  # type: ignore[attr-defined]
        rows.append(k)
    return rank(rows)


def warm_indicators(day: date | None = None) -> int:
    """Compute and keep every unit's indicators (:func:`unit_indicators`), so that the first
    view of the 监管指标 page after a deployment, or on a new day for units of the current
    year, reads them instead of assessing the whole province while the regulator waits
    (``tanjiliang serve --warm``; with ``--no-serve`` from cron). Returns the units counted."""
    from tanjiliang.web.core import models as cm

    return len(unit_indicators(list(cm.Unit.objects.defer("document").order_by("pk")),
                               day or today()))


#: Rows of the 监管指标 page per page (the Excel export holds them all).
PAGE_ROWS = 50
_RANKED: OrderedDict[Any, list[Any]] = OrderedDict()
_RANKED_LOCK = threading.Lock()


def ranked_indicators(units: Any, day: date) -> tuple[Any, list[Any]]:
    """:func:`unit_indicators` of the query set ``units``, kept in this process while nothing
    they depend on changed: the units (count, last change, revisions), their filings (count,
    last) and readings uploads (last) — three aggregate queries instead of reading every
    unit's cached indicators on each view. Filings are append-only and what the page counts of
    them (lateness, ``consistent``) is fixed when a row is created, so a new filing or
    correction is a new count and last id. Returns (that key, the rows)."""
    from django.db.models import Count, Max, Sum

    from tanjiliang.web.core import models as cm

    pks = units.values("pk")
    key = (day, tuple(units.aggregate(n=Count("pk"), u=Max("updated"), r=Sum("revision")).values()),
           tuple(MonthFiling.objects.filter(unit__in=pks).aggregate(n=Count("pk"), m=Max("pk")).values()),
           tuple(cm.ReadingsUpload.objects.filter(unit__in=pks).aggregate(m=Max("pk")).values()),
           str(units.query))
    with _RANKED_LOCK:
        hit = _RANKED.get(key)
        if hit is not None:
            _RANKED.move_to_end(key)
            return key, hit
    rows = unit_indicators(list(units.defer("document").order_by("name")), day)
    _remember_ranked(key, rows)
    return key, rows


def _remember_ranked(key: Any, value: Any) -> None:
    with _RANKED_LOCK:
        _RANKED[key] = value
        _RANKED.move_to_end(key)
        while len(_RANKED) > 64:
            _RANKED.popitem(last=False)


@login_required
def indicators_page(request: HttpRequest) -> HttpResponse:
    """The regulator's indicators of every unit the user may read, lowest index first, with
    the reasons to visit (issue 14 §4), :data:`PAGE_ROWS` a page (``?page=N``);
    ``?format=xlsx`` downloads the whole table."""
    from django.template.loader import render_to_string

    from tanjiliang.web.core.tenancy import units_for

    lang = lang_of(request)
    key, rows = ranked_indicators(units_for(request.user), today())
    if request.GET.get("format") == "xlsx":
        return _indicators_xlsx(rows, lang)
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    try:
        n = min(max(1, int(request.GET.get("page", "1"))), pages)
    except ValueError:
        n = 1
    first = (n - 1) * PAGE_ROWS
    html_key = ("rows", key, n, lang)  # the page's rows as rendered, with the ranking
    with _RANKED_LOCK:
        html = _RANKED.get(html_key)
    if html is None:
        html = render_to_string("tj/indicators_rows.html", {
            "rows": rows[first:first + PAGE_ROWS], "offset": first, "lang": lang})
        _remember_ranked(html_key, html)
    return page(request, "tj/indicators.html", None, "indicators",
                rows_html=html, offset=first, total=len(rows),  # SafeString of the engine
                page_no=n, pages=pages, prev_page=n - 1 if n > 1 else None,
                next_page=n + 1 if n < pages else None)


def _indicators_xlsx(rows: list[Any], lang: str) -> HttpResponse:
    from openpyxl import Workbook

    from tanjiliang.assess.labels import label
    from tanjiliang.model.xlsx import workbook_bytes

    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = _w("sheet", lang)
    ws.append([*(_w(k, lang) for k in ("unit", "credit_code", "year", "conclusion", "equipping",
                                        "inspection", "pass", "in_confirmation", "timeliness",
                                        "consistency", "index")),
               "tCO2e", _w("reasons", lang)])
    for r in rows:
        ws.append([r.name, r.credit_code, r.year, label("conclusion", r.conclusion, lang),
                   r.equipping_rate, r.inspection_rate, r.pass_rate, r.in_confirmation,
                   r.timeliness, r.consistency, r.index, r.total_tco2e,
                   ("；" if zh else "; ").join(z if zh else e for z, e in r.reasons)])
    resp = HttpResponse(workbook_bytes(wb), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    resp["Content-Disposition"] = 'attachment; filename="indicators.xlsx"'
    return resp
