"""The overview's per-unit summary rows: written by the batch reassessment (``province
publish``) and refreshed when a stored unit or its review changes; read by the overview in one
indexed query per table, scoped like the core app's tenancy."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum

from tanjiliang.i18n import gettext
from tanjiliang.web.core import models as m
from tanjiliang.web.core.tenancy import role_of
from tanjiliang.web.review.models import ReviewRecord, UnitSummary

if TYPE_CHECKING:
    import polars as pl

log = logging.getLogger(__name__)

FIELDS = [f.name for f in UnitSummary._meta.get_fields()
          if f.concrete and f.name not in ("id", "unit", "updated", "review_state",
                                           "review_conclusion", "open_ncs")]


def summaries_for(user: AbstractBaseUser) -> QuerySet[UnitSummary]:
    """Rows in the user's scope: the regulator's region, an enterprise's own units, a
    reviewer's assigned units, everything for an administrator (core/tenancy.py)."""
    qs = UnitSummary.objects.all()
    role = role_of(user)
    if role == m.ROLE_ADMIN:
        return qs
    profile = getattr(user, "tj", None)
    if role == m.ROLE_REGULATOR and profile is not None and profile.region:
        from tanjiliang.web.core.regions import in_region

        return qs.filter(in_region(profile.region, qs))
    if role == m.ROLE_ENTERPRISE and profile is not None and profile.enterprise_id:
        return qs.filter(unit__enterprise_id=profile.enterprise_id)
    if role == m.ROLE_REVIEWER:
        return qs.filter(unit__reviewers=user)
    return qs.none()


def publish_frame(df: pl.DataFrame) -> int:
    """Store summary rows (``province reassess`` output), replacing the published row of the
    same credit code and year. A year of a credit code that a stored unit stands for (a unit
    of the enterprise registered with that code, :func:`refresh_unit`) is not published over:
    that row is the stored unit's, refreshed from it."""
    import polars as pl  # here: a new web worker need not import polars (issue 16)

    df = df.filter(pl.col("error").is_null())
    n = 0
    with transaction.atomic():
        for (year,), part in df.partition_by("year", as_dict=True).items():
            codes = part["credit_code"].to_list()
            stored: set[str] = set()
            for i in range(0, len(codes), 1000):
                chunk = codes[i:i + 1000]
                stored |= set(UnitSummary.objects.filter(
                    year=year, credit_code__in=chunk, unit__isnull=False,
                    unit__enterprise__credit_code=F("credit_code")).values_list(
                    "credit_code", flat=True))
                UnitSummary.objects.filter(year=year, credit_code__in=chunk,
                                           unit__isnull=True).delete()
            objs = []
            for row in part.iter_rows(named=True):
                if row["credit_code"] in stored:
                    continue
                data = {k: row[k] for k in FIELDS if k in row}
                data["region"] = data.get("region") or ""
                objs.append(UnitSummary(**data))
            UnitSummary.objects.bulk_create(objs, batch_size=1000)
            n += len(objs)
    return n


def _key(unit: m.Unit) -> str:
    return unit.credit_code or f"unit-{unit.pk}"


#: The row of a unit that cannot be assessed: its figures are unknown, not zero.
UNASSESSED = {"conclusion": "error", "total_tco2e": None, "equipping_rate": None,
              "rate_level1": None, "rate_level2": None, "rate_level3": None,
              **{f: 0 for f in FIELDS if f.startswith("n_") or f in (
                  "instruments", "instruments_in_use", "overdue_instruments",
                  "unconfirmed_instruments", "due_soon_instruments", "points_required",
                  "points_missing", "rates_not_met", "nonconformities", "observations")}}


def refresh_unit(unit: m.Unit, as_of: date | None = None) -> UnitSummary | None:
    """Recompute a stored unit's row from its assessment. The row is the unit's own, found
    by the unit: a unit never takes another unit's row, whatever credit code it carries
    (s10 web #1). It takes the place of a published row (``province publish``) of its credit
    code and year only when its enterprise is registered with that code. A unit that cannot
    be assessed keeps a row saying so (conclusion ``error``, no figures): its old conclusion
    is not shown as current (s10 web #2). None when the unit is gone."""
    from tanjiliang.model.errors import LoadError
    from tanjiliang.web.core.assessing import assessment_cached_too, default_as_of

    unit = m.Unit.objects.select_related("enterprise").filter(pk=unit.pk).first()
    if unit is None:  # deleted before the commit hook ran: its row went with it
        return None
    try:
        a = assessment_cached_too(unit, as_of)  # the next page view of this revision reuses it
    except LoadError:
        from tanjiliang.province.batch import city_of

        data: dict[str, Any] = {
            **UNASSESSED, "name": unit.name, "sector": unit.sector,
            "city": city_of(unit.region or None), "region": unit.region or "",
            "as_of": as_of or default_as_of(unit), "pack": unit.pack or "",
            "pack_version": ""}
    else:
        from tanjiliang.province.batch import summarise  # polars: not for every new web worker

        row = summarise(a)
        data = {k: row[k] for k in FIELDS if k in row}
        data["region"] = data.get("region") or unit.region or ""
    data["credit_code"] = _key(unit)
    data["year"] = unit.year
    with transaction.atomic():
        obj = UnitSummary.objects.select_for_update().filter(unit=unit).first()
        if obj is None and unit.credit_code and \
                unit.enterprise.credit_code.upper() == unit.credit_code.upper():
            obj = UnitSummary.objects.select_for_update().filter(
                unit__isnull=True, credit_code=data["credit_code"], year=unit.year).first()
        if obj is None:
            obj = UnitSummary(unit=unit)
        for k, v in data.items():
            setattr(obj, k, v)
        obj.unit = unit
        obj.save()
    note_unit_reviews(unit)
    obj.refresh_from_db()
    return obj


def note_review(rec: ReviewRecord) -> None:
    """Carry a review's state, conclusion and open non-conformities into the row."""
    note_unit_reviews(rec.unit)


def note_unit_reviews(unit: m.Unit) -> None:
    """The row's review columns: the state and open non-conformities of the unit's latest
    review version of its year, and the conclusion of its latest *signed* version — an
    amendment in progress does not take the signed conclusion away (s10 web #8)."""
    recs = ReviewRecord.objects.filter(unit=unit, kind="review", year=unit.year)
    latest = recs.order_by("-version").first()
    if latest is None:
        return
    signed = recs.filter(state="signed").order_by("-version").first()
    UnitSummary.objects.filter(unit=unit).update(
        review_state=latest.state, open_ncs=latest.open_ncs,
        review_conclusion=signed.conclusion if signed is not None else "")


def series(qs: QuerySet[UnitSummary], code: str, enterprise: int | None
           ) -> QuerySet[UnitSummary]:
    """One enterprise's rows of a credit code over the years (the drill-down and its trend):
    the rows of that enterprise's units, with the published rows of the code when the
    enterprise is registered with it. Without ``enterprise``: the published rows and the
    enterprise registered with the code, else the enterprise of the first stored unit that
    carried it. Never two enterprises' years mixed (s10 web #1)."""
    rows = qs.filter(credit_code=code)
    owner = (m.Enterprise.objects.filter(credit_code__iexact=code).order_by("pk")
             .values_list("pk", flat=True).first()) if not code.startswith("unit-") else None
    if enterprise is None:
        if owner is None and not rows.filter(unit__isnull=True).exists():
            first = rows.filter(unit__isnull=False).order_by("unit_id").values_list(
                "unit__enterprise_id", flat=True).first()
            return rows.filter(unit__enterprise_id=first) if first is not None else rows.none()
        enterprise = owner
    if enterprise is None:
        return rows.filter(unit__isnull=True)
    mine = Q(unit__enterprise_id=enterprise)
    if enterprise == owner:
        mine |= Q(unit__isnull=True)
    return rows.filter(mine)


# ------------------------------------------------------------------------------ overview

SORTS = {"name": "name", "city": "city", "sector": "sector", "total": "-total_tco2e",
         "rate": "equipping_rate", "overdue": "-overdue_instruments",
         "ncs": "-nonconformities", "open": "-open_ncs"}


@dataclass
class Filters:
    year: int | None
    city: str
    sector: str
    conclusion: str
    q: str
    sort: str

    @classmethod
    def of(cls, params: Any) -> Filters:
        try:
            year = int(params.get("year") or 0) or None
        except ValueError:
            year = None
        sort = params.get("sort") or "city"
        return cls(year, params.get("city", "").strip(), params.get("sector", "").strip(),
                   params.get("conclusion", "").strip(), params.get("q", "").strip()[:100],
                   sort if sort in SORTS else "city")


def filtered(qs: QuerySet[UnitSummary], f: Filters, *, year: bool = True
             ) -> QuerySet[UnitSummary]:
    if year and f.year:
        qs = qs.filter(year=f.year)
    if f.city:
        qs = qs.filter(city=f.city)
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.conclusion in ("conforming", "nonconforming"):
        qs = qs.filter(conclusion=f.conclusion)
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(credit_code__startswith=f.q.upper()))
    return qs


AGG = {
    "n": Count("id"),
    "good": Count("id", filter=Q(conclusion="conforming")),
    "bad": Count("id", filter=Q(conclusion="nonconforming")),
    "error": Count("id", filter=Q(conclusion="error")),  # cannot be assessed: neither
    "emissions": Sum("total_tco2e"),
    "overdue": Sum("overdue_instruments"),
    "open_ncs": Sum("open_ncs"),
    "ncs": Sum("nonconformities"),
    "instruments": Sum("instruments"),
    "points_required": Sum("points_required"),
    "points_missing": Sum("points_missing"),
}


def _rate(d: dict[str, Any]) -> float | None:
    req = d.get("points_required") or 0
    return round(100.0 * (req - (d.get("points_missing") or 0)) / req, 1) if req else None


def grouped(qs: QuerySet[UnitSummary], field: str) -> list[dict[str, Any]]:
    rows = list(qs.order_by().values(field).annotate(**AGG).order_by(field))
    for r in rows:
        r["rate"] = _rate(r)
    return rows


def totals(qs: QuerySet[UnitSummary]) -> dict[str, Any]:
    d = qs.order_by().aggregate(**AGG)
    d = {k: v or 0 for k, v in d.items()}
    d["rate"] = _rate(d)
    return d


def years(qs: QuerySet[UnitSummary]) -> list[int]:
    return sorted(qs.order_by().values_list("year", flat=True).distinct())


# --------------------------------------------------------------------------- Excel export

def sector_words(code: str, lang: str) -> str:
    """A sector code in the page's language (cement → 水泥 / Cement); a code not known as is."""
    from tanjiliang.web.core.templatetags.tj import WORDS

    pair = WORDS.get(code)
    return (pair[0] if lang == "zh" else pair[1]) if pair else code


COLUMNS: list[tuple[str, str, str]] = [
    ("credit_code", "统一社会信用代码", "Credit code"), ("name", "单位名称", "Unit"),
    ("city", "地市", "City"), ("sector", "行业", "Sector"), ("year", "年度", "Year"),
    ("conclusion", "评价结论", "Conclusion"), ("total_tco2e", "年排放量 tCO2e", "Emissions tCO2e"),
    ("equipping_rate", "配备率 %", "Equipping rate %"), ("rate_level1", "一级配备率 %", "Level 1 %"),
    ("rate_level2", "二级配备率 %", "Level 2 %"), ("rate_level3", "三级配备率 %", "Level 3 %"),
    ("instruments", "器具数", "Instruments"), ("overdue_instruments", "超期器具", "Overdue"),
    ("unconfirmed_instruments", "无检定记录", "Unconfirmed"),
    ("nonconformities", "评价不符合项", "Non-conformities"),
    ("review_state", "审查状态", "Review state"),
    ("review_conclusion", "已签署审查结论", "Signed review conclusion"),
    ("open_ncs", "未关闭不符合项", "Open non-conformities"), ("as_of", "评价日期", "As of"),
    ("pack", "规则包", "Pack"), ("pack_version", "版本", "Pack version"),
]


def export_xlsx(qs: QuerySet[UnitSummary], lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from tanjiliang.review.model import label

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(gettext("监管总览", lang, "web.summaries"))
    head = [zh if lang == "zh" else en for _, zh, en in COLUMNS]
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for h in head:
        c = WriteOnlyCell(ws, value=h)
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="EEF0F3")
        cells.append(c)
    ws.append(cells)
    words = {"conforming", "nonconforming", "opened", "findings_issued", "concluded", "signed"}
    from tanjiliang.model.regions import name_in
    from tanjiliang.model.xlsx import safe_row, workbook_bytes

    names = [c for c, _, _ in COLUMNS]
    city, sector, conclusion = (names.index(c) for c in ("city", "sector", "conclusion"))
    unassessed = gettext("无法评估", lang, "web.summaries")  # as the page says
    for row in qs.values_list(*names).iterator(chunk_size=2000):
        values = [label(v, lang) if isinstance(v, str) and v in words else v for v in row]
        values[city] = name_in(row[city], lang)  # 焦作市 → Jiaozuo in English
        values[sector] = sector_words(row[sector], lang)  # cement → 水泥 / Cement
        if row[conclusion] == "error":
            values[conclusion] = unassessed
        # a unit's name typed as =HYPERLINK(…) stays text in the regulator's workbook
        ws.append(safe_row(ws, values))
    return workbook_bytes(wb)
