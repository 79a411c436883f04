"""Screens of the review workflow and the regulator's overview (issue 6).

Every step is a POST that runs one function of :mod:`tanjiliang.review.workflow` through
:mod:`tanjiliang.web.review.store`; a refused step shows the workflow's own message (403 when
the role may not do it). Units are reached only through the core app's ``unit_for``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from tanjiliang.model.errors import LoadError
from tanjiliang.model.regions import name_in
from tanjiliang.province.charts import line_chart, stacked_bars
from tanjiliang.reports.i18n import clause_ref
from tanjiliang.review import report as review_report
from tanjiliang.review import workflow as w
from tanjiliang.review.model import LABELS, STATES, label
from tanjiliang.review.seal import check
from tanjiliang.web.core import models as m
from tanjiliang.web.core.i18n import django_code
from tanjiliang.web.core.security import download
from tanjiliang.web.core.tenancy import role_of, unit_for
from tanjiliang.web.core.views.common import lang_of, page
from tanjiliang.web.review import keys, store
from tanjiliang.web.review import summaries as s
from tanjiliang.web.review.models import EvidenceFile, ReviewRecord

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _msg(request: HttpRequest, zh: str, context: str | None = None, **fields: Any) -> str:
    """A message written in Chinese, in the request's language (the web catalogue, issue 13);
    ``{name}`` placeholders are filled from ``fields``."""
    with translation.override(django_code(lang_of(request))):
        text = translation.pgettext(context, zh) if context else translation.gettext(zh)
    return str(text).format(**fields) if fields else str(text)


def _record(request: HttpRequest, pk: int, rid: int) -> tuple[m.Unit, ReviewRecord]:
    unit = unit_for(request.user, pk)
    try:
        return unit, ReviewRecord.objects.get(pk=rid, unit=unit)
    except ReviewRecord.DoesNotExist:
        raise Http404("no such review") from None


def _refused(request: HttpRequest, unit: m.Unit, rid: int | None,
             exc: w.ReviewError | LoadError) -> HttpResponse:
    text = exc.message(lang_of(request))
    if isinstance(exc, w.Forbidden):
        return HttpResponseForbidden(text)
    messages.error(request, text)
    if rid is None:
        return redirect("review-list", pk=unit.pk)
    return redirect("review-detail", pk=unit.pk, rid=rid)


# ------------------------------------------------------------------------------ per unit

@login_required
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    recs = store.records(unit)
    role = role_of(request.user)
    return page(request, "tjreview/list.html", unit, "reviews", records=recs,
                can_self=role == m.ROLE_ENTERPRISE, can_review=role == m.ROLE_REVIEWER,
                labels=LABELS)


@login_required
@require_POST
def open_self(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk, write=True)  # the enterprise's own unit
    if role_of(request.user) != m.ROLE_ENTERPRISE:
        return HttpResponseForbidden(_msg(request, "仅企业可以开展自查"))
    try:
        rec = store.open_self_inspection(unit, request.user)
    except (w.ReviewError, LoadError) as exc:
        return _refused(request, unit, None, exc)
    return redirect("review-detail", pk=unit.pk, rid=rec.pk)


@login_required
@require_POST
def open_review(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk)
    try:
        rec = store.open_review(unit, request.user)
    except (w.ReviewError, LoadError) as exc:
        return _refused(request, unit, None, exc)
    return redirect("review-detail", pk=unit.pk, rid=rec.pk)


def _self_inspection(unit: m.Unit, rec: ReviewRecord, review: Any) -> Any:
    """The submitted self-inspection a review was opened on (matched by its hash)."""
    if rec.kind != "review" or not review.self_inspection_sha256:
        return None
    si = ReviewRecord.objects.filter(unit=unit, kind="self_inspection", year=rec.year,
                                     sha256=review.self_inspection_sha256).first()
    return store.review_of(si) if si else None


def _item_rows(review: Any, checklist: Any, lang: str,
               self_review: Any = None) -> list[dict[str, Any]]:
    own = {r.item: r.result for r in self_review.items} if self_review else {}
    ev = {e.id: e for e in review.evidence}
    groups = []
    for sec in checklist.sections:
        for sub in sec.subsections:
            rows = []
            for item in sub.items:
                r = review.result(item.id)
                rows.append({"item": item, "r": r, "text": item.text(lang),
                             "basis": clause_ref(item.basis, lang),
                             "self_result": own.get(item.id) if self_review else "",
                             "evidence_hint": item.evidence(lang) if item.evidence else "",
                             "auto_reason": r.auto_reason_zh if lang == "zh"
                             else r.auto_reason_en,
                             "files": [ev[x] for x in r.evidence if x in ev]})
            groups.append({"title": f"{sub.id} {sec.title(lang)} · {sub.title(lang)}",
                           "rows": rows})
    return groups


@login_required
def review_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    unit, rec = _record(request, pk, rid)
    review = store.review_of(rec)
    checklist = store.checklist_of(rec).checklist
    lang = lang_of(request)
    act = store.actor(request.user)
    can = {a: w.allowed(review, act, a) for a in w.ACTIONS}
    ev = {e.id: e for e in review.evidence}
    ncs = [{"nc": n, "files": [ev[x] for x in n.action.evidence if x in ev]}
           for n in review.nonconformities]
    versions = ReviewRecord.objects.filter(unit=unit, kind=rec.kind, year=rec.year
                                           ).order_by("version")
    states = [{"code": st, "label": label(st, lang),
               "done": STATES[review.kind].index(st) < STATES[review.kind].index(review.state),
               "on": st == review.state} for st in STATES[review.kind]]
    return page(request, "tjreview/detail.html", unit, "reviews", rec=rec, review=review,
                groups=_item_rows(review, checklist, lang,
                                  _self_inspection(unit, rec, review)), ncs=ncs, can=can,
                states=states, versions=versions, counts=review.counts(),
                verified=check(review, keys.trusted) if review.signature else None,
                labels=LABELS, default_owner=_default_owner(unit),
                today=date.today().isoformat())


def _default_owner(unit: m.Unit) -> str:
    try:
        from tanjiliang.web.core.mapping import unit_file

        uf = unit_file(unit)
        if uf.management:
            for p in uf.management.personnel:
                if "负责人" in p.role:
                    return str(p.name)
    except Exception:  # the owner is only a suggestion
        return ""
    return ""


def _do(request: HttpRequest, pk: int, rid: int, fn: Any, ok: str, context: str | None = None,
        **fields: Any) -> HttpResponse:
    unit, rec = _record(request, pk, rid)
    try:
        store.step(rec, request.user, fn)
    except (w.ReviewError, LoadError) as exc:
        return _refused(request, unit, rec.pk, exc)
    except keys.KeyUnusable:  # signing with a key made under another server secret
        messages.error(request, _msg(request, "您的签名密钥在服务器密钥更换后已无法使用：请先在“我的签名密钥”页面更换密钥，再签名。"))
        return redirect("review-detail", pk=unit.pk, rid=rec.pk)
    messages.success(request, _msg(request, ok, context, **fields))
    return redirect(reverse("review-detail", args=[unit.pk, rec.pk]) + request.POST.get(
        "anchor", ""))


@login_required
@require_POST
def judge(request: HttpRequest, pk: int, rid: int, item: str) -> HttpResponse:
    result, reason = request.POST.get("result", ""), request.POST.get("reason", "")
    return _do(request, pk, rid, lambda r, a, at: w.judge_item(r, a, item, result,  # type: ignore[arg-type]
                                                                reason, at),
               "条目 {item} 已判定", item=item)


@login_required
@require_POST
def judge_pending(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """Judge every pending item 符合 with one reason (what the reviewer saw on site)."""
    reason = request.POST.get("reason", "")

    def run(r: Any, a: Any, at: Any) -> None:
        w.judge_pending(r, a, reason, at)
    return _do(request, pk, rid, run, "待判定条目已判为符合")


@login_required
@require_POST
def upload_evidence(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    unit, rec = _record(request, pk, rid)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _msg(request, "请选择文件"))
        return redirect("review-detail", pk=unit.pk, rid=rec.pk)
    try:
        store.add_evidence(rec, request.user, upload, item=request.POST.get("item") or None,
                           action=request.POST.get("action") or None)
    except (w.ReviewError, LoadError) as exc:
        return _refused(request, unit, rec.pk, exc)
    messages.success(request, _msg(request, "已上传证据：{name}",
                                   name=upload.name))
    return redirect("review-detail", pk=unit.pk, rid=rec.pk)


@login_required
def download_evidence(request: HttpRequest, pk: int, rid: int, ident: str) -> HttpResponse:
    unit, rec = _record(request, pk, rid)
    review = store.review_of(rec)
    if not any(e.id == ident for e in review.evidence):
        raise Http404("no such evidence")
    try:
        ef = EvidenceFile.objects.get(ident=ident, unit=unit)
    except EvidenceFile.DoesNotExist:
        raise Http404("no such evidence") from None
    return download(ef.file.open("rb"), ef.name)  # typed from its content (security.py)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    _, rec = _record(request, pk, rid)
    owner = request.POST.get("owner", "")
    due_text = request.POST.get("due", "")
    try:
        due = date.fromisoformat(due_text) if due_text else None
    except ValueError:
        due = None
    cl = store.checklist_of(rec)
    return _do(request, pk, rid, lambda r, a, at: w.issue_findings(r, a, cl, owner, at, due),
               "已出具不符合项")


@login_required
@require_POST
def action(request: HttpRequest, pk: int, rid: int, nc: str, verb: str) -> HttpResponse:
    P = request.POST
    if verb == "answer":
        fn = lambda r, a, at: w.answer_action(r, a, nc, P.get("cause", ""),  # noqa: E731
                                              P.get("correction", ""), at)
    elif verb == "close":
        fn = lambda r, a, at: w.close_action(r, a, nc, P.get("verification", ""), at)  # noqa: E731
    elif verb == "reject":
        fn = lambda r, a, at: w.reject_action(r, a, nc, P.get("verification", ""), at)  # noqa: E731
    elif verb == "assign":
        try:
            due = date.fromisoformat(P.get("due", ""))
        except ValueError:
            unit, rec = _record(request, pk, rid)
            messages.error(request, _msg(request, "整改期限日期格式应为 YYYY-MM-DD"))
            return redirect("review-detail", pk=unit.pk, rid=rec.pk)
        fn = lambda r, a, at: w.assign_action(r, a, nc, P.get("owner", ""), due, at)  # noqa: E731
    else:
        raise Http404("no such step")
    return _do(request, pk, rid, fn, "{nc}：已保存", nc=nc)


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    _, rec = _record(request, pk, rid)
    cl = store.checklist_of(rec)
    return _do(request, pk, rid,
               lambda r, a, at: w.conclude(r, a, cl, request.POST.get("summary", ""), at),
               "已作出审查结论")


@login_required
@require_POST
def sign(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    return _do(request, pk, rid,
               lambda r, a, at: w.sign(r, a, at, keys.signer_of(request.user)),
               "审查已签发")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    _, rec = _record(request, pk, rid)
    cl = store.checklist_of(rec)
    return _do(request, pk, rid,
               lambda r, a, at: w.submit(r, a, cl, at, keys.signer_of(request.user)), "自查已提交")


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    unit, rec = _record(request, pk, rid)
    try:
        store.refresh(rec, request.user)
    except (w.ReviewError, LoadError) as exc:
        return _refused(request, unit, rec.pk, exc)
    messages.success(request, _msg(request, "已按最新评价更新自动判定条目"))
    return redirect("review-detail", pk=unit.pk, rid=rec.pk)


@login_required
@require_POST
def amend(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    unit, rec = _record(request, pk, rid)
    try:
        new = store.amend(rec, request.user, request.POST.get("reason", ""))
    except (w.ReviewError, LoadError) as exc:
        return _refused(request, unit, rec.pk, exc)
    messages.success(request, _msg(request, "已生成第 {version} 版",
                                   version=new.version))
    return redirect("review-detail", pk=unit.pk, rid=new.pk)


@login_required
def report(request: HttpRequest, pk: int, rid: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("no such format")
    unit, rec = _record(request, pk, rid)
    review = store.review_of(rec)
    lang = lang_of(request)
    ctx = review_report.build(review, store.checklist_of(rec).checklist, lang,
                              _self_inspection(unit, rec, review))
    from tanjiliang.review import render as review_render  # openpyxl, jinja2: when rendering

    sig = review.signature
    body = None
    if fmt == "pdf" and rec.frozen and sig is not None and sig.key_id and \
            keys.trusted(sig.by, sig.key_id):
        # The signed report carries a standard PDF signature by the certificate of the key
        # that signed the review (keys.py), never by another key.
        what = "审查报告签发 / review report signed" if rec.kind == "review" else \
            "自查提交 / self-inspection submitted"
        try:
            body = keys.sign_pdf(review_render.render_pdf(ctx), sig.by, sig.key_id,
                                 reason=f"{what} SHA-256 {review.signature.sha256}",
                                 location=unit.region or "")
        except keys.KeyUnusable:
            # The server's secret changed since the signer's key was made (docs/security.md
            # "Keys"): the record's signature still verifies, the PDF cannot be signed again.
            # The report is served without a PDF signature and says so, in the seal table.
            ctx.seal.append((_msg(request, "PDF 数字签名"), _msg(request, "本文件未附 PDF 数字签名：签发人的签名密钥在服务器密钥更换后已无法使用，须在“我的签名密钥”页面更换。审查记录本身的签名不受影响，仍可在审查页面和“审计校验”页面核验（内容校验值见上）。")))
    if body is None:
        body = (review_render.render_pdf(ctx) if fmt == "pdf"
                else review_render.render_xlsx(ctx))
    kind = "review" if rec.kind == "review" else "self-inspection"
    name = f"{kind}-{unit.pk}-{rec.year}-v{rec.version}.{fmt}"
    resp = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


# ------------------------------------------------------------------------------ overview

@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """The units in the user's scope with their latest review (the reviewer's work list)."""
    from tanjiliang.web.core.tenancy import units_for

    units = list(units_for(request.user).select_related("enterprise").order_by("name")[:500])
    latest = {}
    for rec in ReviewRecord.objects.filter(unit__in=units).order_by("kind", "version"):
        latest[(rec.unit_id, rec.kind)] = rec
    rows = [{"unit": u, "self": latest.get((u.pk, "self_inspection")),
             "review": latest.get((u.pk, "review"))} for u in units]
    return page(request, "tjreview/mine.html", rows=rows, labels=LABELS)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    lang = lang_of(request)
    base = s.summaries_for(request.user)
    f = s.Filters.of(request.GET)
    all_years = s.years(base)
    if f.year is None and all_years:
        f.year = all_years[-1]
    qs = s.filtered(base, f)
    page_obj = Paginator(qs.order_by(s.SORTS[f.sort], "name").only(
        "credit_code", "name", "city", "sector", "year", "conclusion", "total_tco2e",
        "equipping_rate", "rate_level1", "overdue_instruments", "nonconformities",
        "open_ncs", "review_state", "review_conclusion", "as_of", "unit_id").annotate(
        enterprise_id=F("unit__enterprise_id")), 50).get_page(request.GET.get("page"))
    by_city = s.grouped(qs, "city")
    by_sector = s.grouped(qs, "sector")
    tot = s.totals(qs)
    trend = s.grouped(s.filtered(base, f, year=False), "year")
    good, bad = label("conforming", lang), label("nonconforming", lang)
    charts = {
        "city": stacked_bars([(name_in(r["city"], lang), r["good"], r["bad"]) for r in by_city],
                             title=_msg(request, "各地市评价结论"),
                             good_label=good, bad_label=bad),
        "sector": stacked_bars([(_sector(r["sector"], lang), r["good"], r["bad"])
                                for r in by_sector],
                               title=_msg(request, "各行业评价结论"),
                               good_label=good, bad_label=bad),
        "trend_share": line_chart(  # of the units assessed
            [(str(r["year"]), 100.0 * r["good"] / (r["good"] + r["bad"])
              if r["good"] + r["bad"] else None) for r in trend],
            title=_msg(request, "符合率（%）"), unit=" %"),
        "trend_emissions": line_chart(
            [(str(r["year"]), (r["emissions"] or 0) / 1e6) for r in trend],
            title=_msg(request, "排放总量（百万吨CO₂e）"),
            unit=" Mt", color="#6a1b9a", decimals=2),
        "trend_overdue": line_chart(
            [(str(r["year"]), float(r["overdue"] or 0)) for r in trend],
            title=_msg(request, "超期器具（台）"), color="#ef6c00",
            decimals=0),
    }
    cities = sorted(set(base.order_by().values_list("city", flat=True).distinct()))
    sectors = sorted(set(base.order_by().values_list("sector", flat=True).distinct()))
    return page(request, "tjreview/overview.html", f=f, years=all_years, cities=cities,
                sectors=sectors, page_obj=page_obj, by_city=by_city, by_sector=by_sector,
                tot=tot, trend=trend, charts=charts, labels=LABELS)


_sector = s.sector_words


@login_required
def overview_export(request: HttpRequest) -> HttpResponse:
    """The rows the overview shows with the same filters: the latest year when none is
    asked, as on the page (s10 web #9)."""
    base = s.summaries_for(request.user)
    f = s.Filters.of(request.GET)
    if f.year is None:
        f.year = max(s.years(base), default=None)
    qs = s.filtered(base, f).order_by(s.SORTS[f.sort], "name")
    body = s.export_xlsx(qs, lang_of(request))
    resp = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    resp["Content-Disposition"] = f'attachment; filename="overview-{f.year or "all"}.xlsx"'
    return resp


@login_required
def overview_unit(request: HttpRequest, code: str) -> HttpResponse:
    """Drill-down: one enterprise's unit of a credit code over the years (and a link to its
    pages when it is stored); ``?e=`` names the enterprise (s.series)."""
    try:
        ent = int(request.GET["e"]) if request.GET.get("e") else None
    except ValueError:
        ent = None
    rows = list(s.series(s.summaries_for(request.user), code, ent).order_by("year", "unit_id"))
    if not rows:
        raise Http404("no such unit")
    lang = lang_of(request)
    charts = {
        "rate": line_chart([(str(r.year), r.equipping_rate) for r in rows],
                           title=_msg(request, "配备率（%）"), unit=" %"),
        "emissions": line_chart([(str(r.year), r.total_tco2e) for r in rows],
                                title=_msg(request, "年排放量（tCO₂e）"),
                                color="#6a1b9a", decimals=0),
        "overdue": line_chart([(str(r.year), float(r.overdue_instruments)) for r in rows],
                              title=_msg(request, "超期器具（台）"),
                              color="#ef6c00", decimals=0),
    }
    return page(request, "tjreview/overview_unit.html", rows=rows, last=rows[-1],
                charts=charts, sector=_sector(rows[-1].sector, lang), labels=LABELS)
