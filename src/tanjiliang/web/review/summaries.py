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
from django.db.models import Count, Q, QuerySet, Sum

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
    """Store summary rows (``province reassess`` output), replacing the same unit and year;
    a link to a stored unit and the review columns are kept."""
    import polars as pl  # here: a new web worker need not import polars (issue 16)

    df = df.filter(pl.col("error").is_null())
    n = 0
    with transaction.atomic():
        for (year,), part in df.partition_by("year", as_dict=True).items():
            codes = part["credit_code"].to_list()
            keep: dict[str, dict[str, Any]] = {}
            for i in range(0, len(codes), 1000):
                for row in UnitSummary.objects.filter(
                        year=year, credit_code__in=codes[i:i + 1000]).values(
                        "credit_code", "unit_id", "review_state", "review_conclusion",
                        "open_ncs"):
                    keep[row["credit_code"]] = row
                UnitSummary.objects.filter(year=year, credit_code__in=codes[i:i + 1000]).delete()
            objs = []
            for row in part.iter_rows(named=True):
                data = {k: row[k] for k in FIELDS if k in row}
                data["region"] = data.get("region") or ""
                kept = keep.get(row["credit_code"], {})
                objs.append(UnitSummary(**data, unit_id=kept.get("unit_id"),
                                        review_state=kept.get("review_state", ""),
                                        review_conclusion=kept.get("review_conclusion", ""),
                                        open_ncs=kept.get("open_ncs", 0)))
            UnitSummary.objects.bulk_create(objs, batch_size=1000)
            n += len(objs)
    return n


def _key(unit: m.Unit) -> str:
    return unit.credit_code or f"unit-{unit.pk}"


def refresh_unit(unit: m.Unit, as_of: date | None = None) -> UnitSummary | None:
    """Recompute a stored unit's row from its assessment (None if it cannot be assessed)."""
    from tanjiliang.model.errors import LoadError
    from tanjiliang.web.core.assessing import assessment_cached_too

    try:
        a = assessment_cached_too(unit, as_of)  # the next page view of this revision reuses it
    except LoadError:
        return None
    from tanjiliang.province.batch import summarise  # polars: not for every new web worker

    row = summarise(a)
    data = {k: row[k] for k in FIELDS if k in row}
    data["credit_code"] = _key(unit)
    data["region"] = data.get("region") or unit.region or ""
    data["year"] = unit.year
    obj, _ = UnitSummary.objects.update_or_create(
        credit_code=data.pop("credit_code"), year=data.pop("year"),
        defaults={**data, "unit": unit})
    rec = (ReviewRecord.objects.filter(unit=unit, kind="review", year=unit.year)
           .order_by("-version").first())
    if rec is not None:
        note_review(rec)
        obj.refresh_from_db()
    return obj


def note_review(rec: ReviewRecord) -> None:
    """Carry a review's state, conclusion and open non-conformities into the row."""
    UnitSummary.objects.filter(credit_code=_key(rec.unit), year=rec.year).update(
        review_state=rec.state, review_conclusion=rec.conclusion, open_ncs=rec.open_ncs)


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
    "bad": Count("id", filter=Q(conclusion="nonconforming")),
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
        r["good"] = r["n"] - r["bad"]
        r["rate"] = _rate(r)
    return rows


def totals(qs: QuerySet[UnitSummary]) -> dict[str, Any]:
    d = qs.order_by().aggregate(**AGG)
    d = {k: v or 0 for k, v in d.items()}
    d["good"] = d["n"] - d["bad"]
    d["rate"] = _rate(d)
    return d


def years(qs: QuerySet[UnitSummary]) -> list[int]:
    return sorted(qs.order_by().values_list("year", flat=True).distinct())


# --------------------------------------------------------------------------- Excel export

COLUMNS: list[tuple[str, str, str]] = [
    ("credit_code", "统一社会信用代码", "Credit code"), ("name", "单位名称", "Unit"),
    ("city", "地市", "City"), ("sector", "行业", "Sector"), ("year", "年度", "Year"),
    ("conclusion", "评价结论", "Conclusion"), ("total_tco2e", "年排放量 tCO2e", "Emissions tCO2e"),
    ("equipping_rate", "配备率 %", "Equipping rate %"), ("rate_level1", "一级配备率 %", "Level 1 %"),
    ("rate_level2", "二级配备率 %", "Level 2 %"), ("rate_level3", "三级配备率 %", "Level 3 %"),
    ("instruments", "器具数", "Instruments"), ("overdue_instruments", "超期器具", "Overdue"),
    ("unconfirmed_instruments", "无检定记录", "Unconfirmed"),
    ("nonconformities", "评价不符合项", "Non-conformities"),
    ("review_state", "审查状态", "Review state"), ("review_conclusion", "审查结论", "Review conclusion"),
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

    city = [c for c, _, _ in COLUMNS].index("city")
    for row in qs.values_list(*[c for c, _, _ in COLUMNS]).iterator(chunk_size=2000):
        values = [label(v, lang) if isinstance(v, str) and v in words else v for v in row]
        values[city] = name_in(row[city], lang)  # 焦作市 → Jiaozuo in English
        # a unit's name typed as =HYPERLINK(…) stays text in the regulator's workbook
        ws.append(safe_row(ws, values))
    return workbook_bytes(wb)
