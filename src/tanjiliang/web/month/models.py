"""Filed months: each filing is a frozen record (tanjiliang.month.close.file_month) with its
SHA-256; a correction is a new row with a higher version. Rows are never changed or deleted
through the ORM (append-only, as the history is)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from tanjiliang.month.close import filing_consistent
from tanjiliang.web.core.models import Unit


class AppendOnlyQuerySet(models.QuerySet):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for o in objs:  # what save() sets, for rows created in bulk (the benchmark, imports)
            o.consistent = filing_consistent(o.data)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("filed months are frozen")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("filed months are frozen")


class MonthFiling(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="month_filings")
    month = models.CharField(max_length=7)  # YYYY-MM
    version = models.PositiveIntegerField()
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    filed_at = models.DateTimeField()
    #: the record's daily-vs-monthly consistency check (tanjiliang.month.close.filing_consistent):
    #: True/False when made, NULL otherwise; set from ``data`` when the row is created, so that
    #: the overview counts it in the database (migration 0004 filled it for older rows)
    consistent = models.BooleanField(null=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["month", "version"]
        constraints = [models.UniqueConstraint(fields=["unit", "month", "version"],
                                               name="one_version_per_month")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("filed months are frozen")
        self.consistent = filing_consistent(self.data)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("filed months are frozen")


class MonthEvidence(models.Model):
    """An evidence file of a filing, kept by its SHA-256 (named in the filing's data)."""

    filing = models.ForeignKey(MonthFiling, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="months/%Y/%m/")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()


class IndicatorCache(models.Model):
    """A unit's indicators (tanjiliang.kpi, without the filings' timeliness and consistency) for
    one revision and date, so that the overview of every unit reads them in one query instead
    of rebuilding each unit's file. Stale when readings were uploaded after ``created`` (as the
    assessment cache is); rows of other revisions are removed when a new one is stored."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    as_of = models.DateField()
    created = models.DateTimeField(default=timezone.now)
    data = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "revision", "as_of"],
                                               name="indicator_cache_unique")]
