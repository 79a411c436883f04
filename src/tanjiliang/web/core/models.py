"""Persistence of the unit model (issue 5 §2).

What needs querying or tenancy is normalised (enterprise, unit with region/sector/year,
instrument rows, confirmation records, certificate files, readings uploads, history); each
row also keeps the exact object the user entered (``data``, ordered JSON text), so that
:mod:`tanjiliang.web.core.mapping` rebuilds the unit file exactly. The rest of the unit
(sub-units, equipment, streams, emission points, management) is the canonical document.
JSON is kept as text, not ``jsonb``: PostgreSQL would reorder the keys of a consumers map.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ROLE_ENTERPRISE = "enterprise"
ROLE_REVIEWER = "reviewer"
ROLE_REGULATOR = "regulator"
ROLE_ADMIN = "admin"
ROLES = [
    (ROLE_ENTERPRISE, _("企业用户")),
    (ROLE_REVIEWER, _("审查员")),
    (ROLE_REGULATOR, _("监管部门")),
    (ROLE_ADMIN, _("管理员")),
]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Enterprise(models.Model):
    name = models.CharField(_("名称"), max_length=200, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.CharField(_("地区"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A user's role: enterprise users belong to one enterprise; a regulator to a region
    (every unit whose region starts with it); reviewers see the units assigned to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="tj")
    role = models.CharField(_("角色"), max_length=16, choices=ROLES, default=ROLE_ENTERPRISE)
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="members", verbose_name=_("企业"))
    region = models.CharField(_("监管地区"), max_length=100, blank=True)
    #: The organisation a person signs for (审查机构, 监管部门); enterprise users sign for their
    #: enterprise, so this may stay empty for them (issue 13: names on reviews and history).
    organisation = models.CharField(_("所在单位"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("用户角色")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Unit(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="units",
                                   verbose_name=_("企业"))
    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    sector = models.CharField(_("行业"), max_length=20, db_index=True)
    region = models.CharField(_("地区"), max_length=100, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(_("报告年度"), db_index=True)
    pack = models.CharField(_("规则包"), max_length=200, blank=True)
    #: The unit file without its instruments (ordered JSON text); see mapping.py.
    document = models.TextField()
    #: Increases with every change; the assessment is cached per revision.
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="reviewed_units", verbose_name=_("审查员"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enterprise__name", "name", "year"]
        verbose_name = verbose_name_plural = _("重点排放单位")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def doc(self) -> dict[str, Any]:
        return json.loads(self.document)  # type: ignore[no-any-return]


class Instrument(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="instruments")
    position = models.PositiveIntegerField()
    ident = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=64, db_index=True)
    measures = models.CharField(max_length=130)
    at = models.CharField(max_length=64)
    accuracy = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, db_index=True)
    confirmation = models.CharField(max_length=16, blank=True)
    interval = models.CharField(max_length=32, blank=True)
    last_confirmed = models.DateField(null=True, blank=True)
    certificate = models.CharField(max_length=200, blank=True)
    confirmed_by = models.CharField(max_length=200, blank=True)
    #: The instrument as entered, without its confirmation records (ordered JSON text).
    data = models.TextField()
    #: SHA-1 of the instrument with its confirmation records (to skip unchanged rows).
    digest = models.CharField(max_length=40)

    class Meta:
        ordering = ["unit", "position"]
        constraints = [models.UniqueConstraint(fields=["unit", "ident"], name="instrument_id_unique")]
        indexes = [models.Index(fields=["unit", "position"])]
        verbose_name = verbose_name_plural = _("计量器具")

    def __str__(self) -> str:
        return f"{self.ident} {self.name}"


class Confirmation(models.Model):
    """A verification or calibration record (the unit file's ``instruments[].confirmations``)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE,
                                   related_name="confirmation_records")
    position = models.PositiveIntegerField()
    date = models.DateField()
    kind = models.CharField(max_length=16)
    result = models.CharField(max_length=16, blank=True)
    certificate = models.CharField(max_length=200, blank=True)
    body = models.CharField(max_length=200, blank=True)
    next_due = models.DateField(null=True, blank=True)
    data = models.TextField()

    class Meta:
        ordering = ["instrument", "position"]
        verbose_name = verbose_name_plural = _("检定/校准记录")


class CertificateFile(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="files")
    certificate = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="certificates/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = verbose_name_plural = _("证书文件")


class ReadingsUpload(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="readings")
    file = models.FileField(upload_to="readings/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField(default=0)
    report = models.TextField(default="{}")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = verbose_name_plural = _("计量数据")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("history is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("history is append-only")

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("history rows are appended one by one (hash chain)")


class HistoryEntry(models.Model):
    """Who changed what and when (issue 5 §4); rows are never updated or deleted."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    unit = models.ForeignKey(Unit, null=True, on_delete=models.SET_NULL, related_name="history",
                             verbose_name=_("重点排放单位"))
    unit_name = models.CharField(_("单位名称"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             verbose_name=_("用户"))
    username = models.CharField(_("登录名"), max_length=150)
    at = models.DateTimeField(pgettext_lazy("When", "时间"), default=timezone.now, db_index=True)
    revision = models.PositiveIntegerField(_("修订号"))
    action = models.CharField(_("操作"), max_length=32)
    subject = models.CharField(_("对象"), max_length=200, blank=True)
    zh = models.TextField(_("内容（中文）"))
    en = models.TextField(_("内容（英文）"))
    changes = models.TextField(_("改动"), default="[]")
    #: The hash chain (web/core/audit.py): the previous row's hash and this row's.
    prev_sha256 = models.CharField(_("上一条的哈希"), max_length=64, default="")
    sha256 = models.CharField(_("哈希"), max_length=64, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = _("变更记录")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("history is append-only")
        from tanjiliang.web.core import audit

        with transaction.atomic():
            audit.lock()
            self.prev_sha256 = audit.head_hash(HistoryEntry)
            self.at = timezone.now()
            self.sha256 = audit.row_hash(self.prev_sha256, vars(self))
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("history is append-only")

    def __str__(self) -> str:  # the admin's title of a row: the unit and its revision
        return f"{self.unit_name} · {self.revision}"


class AssessmentCache(models.Model):
    """The assessment JSON of one unit revision on one date (shared by server workers)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    as_of = models.DateField()
    data = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    # The figures the unit list shows, so that it need not read the whole result.
    conclusion = models.CharField(max_length=16, default="")
    total_tco2e = models.FloatField(default=0.0)
    nonconformities = models.PositiveIntegerField(default=0)
    instruments = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "revision", "as_of"],
                                               name="assessment_cache_unique")]


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=100, blank=True)
    digest = models.CharField(_("摘要（SHA-256）"), max_length=64, unique=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("API 令牌")
        constraints = [models.UniqueConstraint(fields=["user", "name"],
                                               name="api_token_one_per_client")]

    def __str__(self) -> str:  # the admin's title of a row: whose token, which client
        return f"{self.user} · {self.name}" if self.name else str(self.user)
