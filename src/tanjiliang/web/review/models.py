"""Stored reviews, their evidence files and the overview's per-unit summary rows.

A :class:`ReviewRecord` holds one version of a review or self-inspection as the JSON of
:class:`tanjiliang.review.model.Review` (the workflow's one implementation); once signed (or
submitted) a version is never written again (``save`` refuses), a later edit is a new version
(docs/review.md "Sign-off and versions").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from tanjiliang.web.core.models import Unit

FROZEN = ("signed", "submitted")


class FrozenRecord(Exception):
    """A signed version was about to be changed."""


class FrozenQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse signed rows too (the database triggers of migration
    0002 refuse them whatever the door; this says so before SQL is sent)."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(state__in=FROZEN).exists():
            raise FrozenRecord("signed review records cannot change")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(state__in=FROZEN).exists():
            raise FrozenRecord("signed review records cannot be deleted")
        return super().delete()


class ReviewRecord(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20)  # review | self_inspection
    year = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, db_index=True)
    conclusion = models.CharField(max_length=16, blank=True)
    open_ncs = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year", "version"],
                                               name="tjreview_one_version")]
        indexes = [models.Index(fields=["unit", "kind", "year"])]
        ordering = ["unit", "kind", "year", "version"]

    objects = FrozenQuerySet.as_manager()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = ReviewRecord.objects.filter(pk=self.pk).values_list("state", flat=True)
            if stored and stored[0] in FROZEN:
                raise FrozenRecord(f"review record {self.pk} is signed and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None and ReviewRecord.objects.filter(
                pk=self.pk, state__in=FROZEN).exists():
            raise FrozenRecord(f"review record {self.pk} is signed and cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def frozen(self) -> bool:
        return self.state in FROZEN


class EvidenceFile(models.Model):
    """An uploaded evidence file; reviews refer to it by ``ident`` and its SHA-256."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="review_evidence")
    ident = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to="review-evidence/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class UnitSummary(models.Model):
    """One unit in one year as the regulator's overview shows it (province/batch.py
    ``summarise``): stored so that the overview is one indexed query."""

    credit_code = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=60)
    region = models.CharField(max_length=100, blank=True)
    sector = models.CharField(max_length=20)
    #: The stored unit the row is of (its row goes with it); none for a row published by
    #: ``province publish``. A stored unit's row is found by this, never by its credit code
    #: (s10 web #1: one enterprise's unit never stands for another's).
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="summaries")
    as_of = models.DateField()
    pack = models.CharField(max_length=100)
    pack_version = models.CharField(max_length=40)
    conclusion = models.CharField(max_length=16)
    key_emission_unit = models.BooleanField(default=True)
    total_tco2e = models.FloatField(null=True)  # none: the unit cannot be assessed
    instruments = models.PositiveIntegerField(default=0)
    instruments_in_use = models.PositiveIntegerField(default=0)
    overdue_instruments = models.PositiveIntegerField(default=0)
    unconfirmed_instruments = models.PositiveIntegerField(default=0)
    due_soon_instruments = models.PositiveIntegerField(default=0)
    points_required = models.PositiveIntegerField(default=0)
    points_missing = models.PositiveIntegerField(default=0)
    equipping_rate = models.FloatField(null=True)
    rate_level1 = models.FloatField(null=True)
    rate_level2 = models.FloatField(null=True)
    rate_level3 = models.FloatField(null=True)
    rates_not_met = models.PositiveIntegerField(default=0)
    nonconformities = models.PositiveIntegerField(default=0)
    observations = models.PositiveIntegerField(default=0)
    n_eq_rate = models.PositiveIntegerField(default=0)
    n_acc_mpe = models.PositiveIntegerField(default=0)
    n_cal_overdue = models.PositiveIntegerField(default=0)
    n_cal_none = models.PositiveIntegerField(default=0)
    n_mgmt_procedure = models.PositiveIntegerField(default=0)
    n_mgmt_responsible = models.PositiveIntegerField(default=0)
    n_data_retention = models.PositiveIntegerField(default=0)
    review_state = models.CharField(max_length=20, blank=True)
    review_conclusion = models.CharField(max_length=16, blank=True)
    open_ncs = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=models.Q(unit__isnull=False),
                                    name="tjreview_summary_one_per_unit"),
            models.UniqueConstraint(fields=["credit_code", "year"],
                                    condition=models.Q(unit__isnull=True),
                                    name="tjreview_summary_published_year"),
        ]
        indexes = [
            models.Index(fields=["year", "city", "sector", "name"]),
            models.Index(fields=["year", "sector", "name"]),
            models.Index(fields=["year", "conclusion", "name"]),
            models.Index(fields=["year", "name"]),
            models.Index(fields=["region", "year"]),
        ]
        ordering = ["year", "city", "sector", "name"]


class SigningKey(models.Model):
    """A user's signing keys (docs/security.md "Keys"): an Ed25519 key that signs review
    records and a P-256 key with an X.509 certificate, issued by the app's own authority
    (``purpose="ca"``, no user), that signs the report PDF. Private keys are stored encrypted
    (AES-256-GCM under a key derived with HKDF from ``SIGNING_KEY_SECRET``). Keys are never
    deleted: a signature made with a key that was later replaced still verifies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="signing_keys")
    purpose = models.CharField(max_length=8, default="user")  # user | ca
    key_id = models.CharField(max_length=64, unique=True)
    public_key = models.CharField(max_length=64, blank=True)  # raw Ed25519, base64
    private_key = models.TextField(blank=True)  # encrypted Ed25519 private key
    certificate = models.TextField()  # PEM (P-256; the PDF signature's certificate)
    certificate_key = models.TextField()  # encrypted P-256 private key (PKCS#8 DER)
    created = models.DateTimeField(auto_now_add=True)
    replaced = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(replaced__isnull=True),
                                    name="tjreview_one_current_key"),
        ]
