"""Roles and tenancy, enforced here and only here (issue 5 §3).

Every view and API endpoint reaches units, instruments, files and history through
:func:`units_for` / :func:`unit_for` and the querysets derived from them:

* an enterprise user sees and edits the units of their enterprise;
* a reviewer sees the units assigned to them (read-only: a reviewer does not edit enterprise
  data, issue 6);
* the regulator sees every unit whose region starts with its own, or names the same province
  (and city) in English (core/regions.py), read-only;
* an administrator (``is_superuser`` or role ``admin``) sees and edits everything and manages
  accounts in the Django admin.

An object outside a user's scope does not exist for that user (404); an object the user may
read but not change answers 403 to a change.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tanjiliang.web.core import models as m

AnyUser = AbstractBaseUser | AnonymousUser


def role_of(user: AnyUser) -> str | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return m.ROLE_ADMIN
    profile = getattr(user, "tj", None)
    try:
        return profile.role if profile is not None else None
    except m.Profile.DoesNotExist:
        return None


def _profile(user: AnyUser) -> m.Profile | None:
    try:
        return user.tj  # type: ignore[union-attr]
    except (m.Profile.DoesNotExist, AttributeError):
        return None


def units_for(user: AnyUser, *, write: bool = False) -> QuerySet[m.Unit]:
    """The units ``user`` may see (``write=False``) or change (``write=True``)."""
    qs = m.Unit.objects.all()
    role = role_of(user)
    if role == m.ROLE_ADMIN:
        return qs
    profile = _profile(user)
    if role == m.ROLE_ENTERPRISE and profile and profile.enterprise_id:
        return qs.filter(enterprise_id=profile.enterprise_id)
    if write:
        return qs.none()
    if role == m.ROLE_REVIEWER:
        return qs.filter(reviewers=user)
    if role == m.ROLE_REGULATOR and profile and profile.region:
        from tanjiliang.web.core.regions import in_region

        return qs.filter(in_region(profile.region, qs))
    return qs.none()


def can_write(user: AnyUser, unit: m.Unit) -> bool:
    """Whether ``unit`` (already in the user's scope) is in ``units_for(user, write=True)``;
    the same rule evaluated on the object, without a query (tests compare the two)."""
    role = role_of(user)
    if role == m.ROLE_ADMIN:
        return True
    profile = _profile(user)
    return bool(role == m.ROLE_ENTERPRISE and profile and profile.enterprise_id
                and profile.enterprise_id == unit.enterprise_id)


def unit_for(user: AnyUser, pk: int | str, *, write: bool = False) -> m.Unit:
    """The unit ``pk`` if ``user`` may see it (404 otherwise); with ``write``, 403 when the
    user may see but not change it."""
    try:
        unit = units_for(user).select_related("enterprise").get(pk=int(pk))
    except (m.Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("no such unit") from None
    if write and not can_write(user, unit):
        raise PermissionDenied("read-only")
    return unit


def enterprises_for(user: AnyUser, *, write: bool = False) -> QuerySet[m.Enterprise]:
    """Enterprises in scope: where a user may create units (``write``) or whose units they see."""
    role = role_of(user)
    if role == m.ROLE_ADMIN:
        return m.Enterprise.objects.all()
    profile = _profile(user)
    if role == m.ROLE_ENTERPRISE and profile and profile.enterprise_id:
        return m.Enterprise.objects.filter(pk=profile.enterprise_id)
    if write:
        return m.Enterprise.objects.none()
    return m.Enterprise.objects.filter(units__in=units_for(user)).distinct()


def instruments_for(user: AnyUser, unit: m.Unit) -> QuerySet[m.Instrument]:
    """Instruments of a unit already obtained through :func:`unit_for`."""
    return m.Instrument.objects.filter(unit=unit)


def instrument_for(user: AnyUser, unit_pk: int | str, instrument_pk: int | str | None = None,
                   *, ident: str | None = None,
                   write: bool = False) -> tuple[m.Unit, m.Instrument]:
    """An instrument of a unit in scope, by row id (screens) or ledger id (API)."""
    unit = unit_for(user, unit_pk, write=write)
    try:
        if ident is not None:
            return unit, m.Instrument.objects.get(unit=unit, ident=ident)
        return unit, m.Instrument.objects.get(unit=unit, pk=int(instrument_pk))  # type: ignore[arg-type]
    except (m.Instrument.DoesNotExist, ValueError, TypeError):
        raise Http404("no such instrument") from None


def file_for(user: AnyUser, unit_pk: int | str, file_pk: int | str) -> m.CertificateFile:
    unit = unit_for(user, unit_pk)
    try:
        return m.CertificateFile.objects.select_related("instrument").get(
            pk=int(file_pk), instrument__unit=unit)
    except (m.CertificateFile.DoesNotExist, ValueError):
        raise Http404("no such file") from None


def readings_for(user: AnyUser, unit_pk: int | str, upload_pk: int | str) -> m.ReadingsUpload:
    unit = unit_for(user, unit_pk)
    try:
        return m.ReadingsUpload.objects.get(pk=int(upload_pk), unit=unit)
    except (m.ReadingsUpload.DoesNotExist, ValueError):
        raise Http404("no such upload") from None


def history_for(user: AnyUser, unit: m.Unit) -> QuerySet[m.HistoryEntry]:
    return m.HistoryEntry.objects.filter(unit=unit)
