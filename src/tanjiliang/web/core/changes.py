"""Every change to a unit goes through here: the new unit data is validated by the same
loader as a unit file (one source of validation, issue 5 §5), stored through the mapping and
recorded in the append-only history.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.load import SourceMap, read_tree, validate_data
from tanjiliang.model.unit import UnitFile
from tanjiliang.model.write import unit_to_data
from tanjiliang.web.core import concurrency
from tanjiliang.web.core import models as m
from tanjiliang.web.core.mapping import store_unit, unit_data
from tanjiliang.web.core.models import dumps

SECTIONS = ("subunits", "equipment", "emission_points", "source_streams", "instruments")


def validate(data: dict[str, Any], where: str = "<form>") -> UnitFile:
    """Validate unit data exactly as the file loader does, then as the assessment will
    (:func:`assessable`); raises ``LoadError``."""
    return assessable(validate_data(copy.deepcopy(data), SourceMap(where, None)), where)


def parse_upload(name: str, content: bytes) -> UnitFile:
    """A uploaded unit file (YAML or JSON), with errors naming the file, line and key; read
    in a child process under the import limits (bounded.py), then checked as the assessment
    will (:func:`assessable`)."""
    from tanjiliang.web.core import bounded

    return assessable(bounded.run(_parse_upload, name, content, name=name), name)


def assessable(uf: UnitFile, where: str = "<form>") -> UnitFile:
    """``uf`` when the server can assess it, else the ``LoadError`` the assessment would
    raise (probe s10 #5): a pack that is not bundled, an instrument type or a medium the pack
    does not know, a stream whose emissions or medium cannot be worked out. Every write
    (forms, imports, API) goes through here, so a unit never becomes unassessable by a change
    that was accepted. The check is the assessment itself through the one door, as of the
    date the unit is assessed on, without readings (what readings add is checked at upload)."""
    from django.conf import settings
    from django.utils import timezone

    from tanjiliang.check import check, default_as_of
    from tanjiliang.web.core.assessing import pack_named

    day = (date.fromisoformat(settings.AS_OF) if settings.AS_OF
           else default_as_of(uf.unit.year, timezone.localdate()))
    check(uf, pack_named(uf.pack, where), day)
    return uf


def _parse_upload(name: str, content: bytes) -> UnitFile:
    from tanjiliang.model.limits import decode_user_bytes

    text = decode_user_bytes(name, content)  # not UTF-8: the line, and a GBK file said as such
    data, src = read_tree(Path(name), text)
    return validate_data(data, src)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two unit data: per section and id, the fields that differ."""
    out: list[dict[str, Any]] = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key in SECTIONS:
            ao = {x["id"]: x for x in a or []}
            bo = {x["id"]: x for x in b or []}
            for ident in dict.fromkeys([*ao, *bo]):
                x, y = ao.get(ident), bo.get(ident)
                if x == y:
                    continue
                if x is None or y is None:
                    out.append({"path": f"{key}[{ident}]", "old": x, "new": y})
                    continue
                for f in dict.fromkeys([*x, *y]):
                    if x.get(f) != y.get(f):
                        out.append({"path": f"{key}[{ident}].{f}", "old": x.get(f),
                                    "new": y.get(f)})
        elif isinstance(a, dict) and isinstance(b, dict):
            for f in dict.fromkeys([*a, *b]):
                if a.get(f) != b.get(f):
                    out.append({"path": f"{key}.{f}", "old": a.get(f), "new": b.get(f)})
        else:
            out.append({"path": key, "old": a, "new": b})
    return out


def record(unit: m.Unit, user: Any, action: str, zh: str, en: str, subject: str = "",
           changes: list[dict[str, Any]] | None = None) -> m.HistoryEntry:
    changes = changes or []
    if len(changes) > 200:
        changes = [*changes[:200], {"path": "…", "old": None, "new": f"+{len(changes) - 200}"}]
    return m.HistoryEntry.objects.create(
        enterprise_id=unit.enterprise_id, unit=unit, unit_name=unit.name,
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "system", revision=unit.revision,
        action=action, subject=subject[:200], zh=zh, en=en, changes=dumps(changes))


def check_credit_code(uf: UnitFile, enterprise_id: int, old: str | None = None) -> None:
    """A unit carries its own enterprise's credit code: a code registered to another
    enterprise, or carried by another enterprise's unit, is refused (``LoadError`` on
    ``unit.credit_code``) when a unit is created with it or changed to it — otherwise one
    enterprise's unit could stand for another's in the regulator's overview (s10 web #1;
    docs/security.md "Credit codes"). A code a unit already carries is not asked again, so
    that data stored before this rule can still be edited."""
    code = (uf.unit.credit_code or "").strip().upper()
    if not code or code == (old or "").strip().upper():
        return
    taken = (m.Enterprise.objects.filter(credit_code__iexact=code).exclude(pk=enterprise_id)
             .exists()
             or m.Unit.objects.filter(credit_code__iexact=code)
             .exclude(enterprise_id=enterprise_id).exists())
    if taken:
        raise LoadError([Issue(
            "<form>", None, "unit.credit_code",
            f"该统一社会信用代码已属于另一企业（{code}）：本企业的单位只能填写本企业的统一社会"
            "信用代码；如确属本企业，请联系管理员核实",
            f"this credit code ({code}) belongs to another enterprise: an enterprise's units "
            "carry its own credit code; if it is yours, ask the administrator to check")])


@transaction.atomic
def create_unit(uf: UnitFile, enterprise: m.Enterprise, user: Any, *,
                source: str = "") -> m.Unit:
    """Store a new unit of ``enterprise`` (``LoadError`` when its credit code is another
    enterprise's)."""
    check_credit_code(uf, enterprise.pk)
    unit = store_unit(uf, enterprise=enterprise)
    n = len(uf.instruments)
    record(unit, user, "create", f"创建单位（{source or '表单'}，{n} 台器具）",
           f"unit created ({source or 'form'}, {n} instruments)", subject=unit.name)
    return unit


@transaction.atomic
def replace_unit(unit: m.Unit, uf: UnitFile, user: Any, *, action: str = "import",
                 zh: str = "导入单位文件", en: str = "unit file imported") -> m.Unit:
    """Replace a unit's content by a whole validated unit file (import, ledger import)."""
    unit = m.Unit.objects.select_for_update().get(pk=unit.pk)
    concurrency.check(unit)
    check_credit_code(uf, unit.enterprise_id, unit.credit_code)
    old = unit_data(unit)
    unit = store_unit(uf, unit=unit)
    record(unit, user, action, zh, en, changes=diff(old, unit_data(unit)))
    concurrency.advanced(unit)
    return unit


@transaction.atomic
def import_unit_file(unit: m.Unit, uf: UnitFile, user: Any, *, zh: str = "导入单位文件",
                     en: str = "unit file imported") -> tuple[m.Unit, bool]:
    """Replace a unit by an imported unit file (the page's and the API's unit-file import),
    and whether anything changed: a file equal to the unit as stored stores nothing — no new
    revision, no history entry, nothing to undo — and the unit comes back as it was."""
    locked = m.Unit.objects.select_for_update().get(pk=unit.pk)
    concurrency.check(locked)
    if not diff(unit_data(locked), unit_to_data(uf)):
        return locked, False
    return replace_unit(locked, uf, user, zh=zh, en=en), True


@transaction.atomic
def apply_change(unit: m.Unit, user: Any, mutate: Callable[[dict[str, Any]], None], *,
                 action: str, zh: str, en: str, subject: str = "") -> m.Unit:
    """Apply ``mutate`` to the unit's data, validate the result like a unit file, store it,
    and record who changed what. Raises ``LoadError`` (nothing stored) on invalid data."""
    unit = m.Unit.objects.select_for_update().get(pk=unit.pk)
    concurrency.check(unit)
    old = unit_data(unit)
    new = copy.deepcopy(old)
    mutate(new)
    uf = validate(new)
    changes = diff(old, unit_to_data(uf))
    if not changes:
        return unit
    check_credit_code(uf, unit.enterprise_id, unit.credit_code)
    unit = store_unit(uf, unit=unit)
    record(unit, user, action, zh, en, subject=subject, changes=changes)
    concurrency.advanced(unit)
    return unit


class UnitHasReviews(Exception):
    """A unit with review or self-inspection records is kept (issue 18 §7)."""

    def __init__(self, n: int) -> None:
        self.zh = f"该单位已有 {n} 份审查或自查记录，不能删除：审查记录须完整保留。"
        self.en = (f"this unit has {n} review or self-inspection records and cannot be "
                   "deleted: review records are kept in full.")
        super().__init__(self.en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@transaction.atomic
def delete_unit(unit: m.Unit, user: Any) -> None:
    """Delete a unit and record it, unless it has reviews (refused before anything is
    written: no history row)."""
    unit = m.Unit.objects.select_for_update().get(pk=unit.pk)
    concurrency.check(unit)
    n = unit.reviews.count()  # type: ignore[attr-defined]  # tjreview.ReviewRecord
    if n:
        raise UnitHasReviews(n)
    try:
        with transaction.atomic():
            record(unit, user, "delete", f"删除单位 {unit.name}", f"unit {unit.name} deleted")
            unit.delete()
    except ProtectedError as exc:  # anything else that must outlive the unit
        raise UnitHasReviews(len(exc.protected_objects)) from None
