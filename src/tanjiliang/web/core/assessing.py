"""The assessment of a stored unit, cached per unit revision, readings and date.

The web app obtains its assessments through the one door, :func:`tanjiliang.check.check`
(issue 11), with the readings uploaded for the unit (the data check keeps those of the reporting
year up to the as-of date), and never re-derives a rule (design.md "Findings"). A unit is
assessed for its reporting year as of :func:`default_as_of` (the year's last day for a past
year, today for the current one) unless a date is asked for. The JSON contract
(``Assessment.to_json``) is cached in the database (shared by all server workers) and in each
worker's memory, keyed by (unit, revision, readings, date): any change to the unit raises its
revision and a readings upload is newer than a cached row, so a stale result is never shown.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from tanjiliang.assess.result import Assessment
from tanjiliang.check import check
from tanjiliang.model.errors import LoadError
from tanjiliang.rules.load import LoadedPack, bundled_pack_names, load_pack
from tanjiliang.web.core import models as m
from tanjiliang.web.core.mapping import unit_file

_LOCK = threading.Lock()
_MEMO: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_BYTES: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_MAX = 64


def unit_key(unit: m.Unit) -> tuple[Any, ...]:
    """What identifies a unit's content in the in-memory caches: id, revision, the time of
    the last change (so a rolled-back or re-created row never meets a stale entry) and its
    readings uploads (count, latest)."""
    r = unit.readings.aggregate(n=Count("pk"), last=Max("pk"))
    return (unit.pk, unit.revision, unit.updated.isoformat() if unit.updated else "", r["n"], r["last"])


def default_as_of(unit: m.Unit) -> date:
    """The date a unit is assessed on unless another is asked for: ``settings.AS_OF`` when
    set; else the last day of its reporting year for a past year, today for the current one
    (issue 11)."""
    from django.conf import settings

    if settings.AS_OF:
        return date.fromisoformat(settings.AS_OF)
    from tanjiliang.check import default_as_of as rule

    return rule(unit.year, timezone.localdate())


def readings_paths(unit: m.Unit) -> list[Path]:
    """The readings files uploaded for the unit (oldest first)."""
    out = []
    for r in unit.readings.order_by("pk"):
        try:
            path = Path(r.file.path)
        except (NotImplementedError, ValueError):
            continue
        if path.exists():
            out.append(path)
    return out


def today() -> date:
    """The assessment date: ``settings.AS_OF`` when set, else today in the server's zone."""
    from django.conf import settings

    if settings.AS_OF:
        return date.fromisoformat(settings.AS_OF)
    return timezone.localdate()


def pack_for(unit: m.Unit) -> LoadedPack:
    """The unit's pack: a bundled pack by name (a server never reads a pack path from a
    user's file); the default pack when the file names none."""
    return pack_named(unit.pack)


def pack_named(name: str | None, where: str = "pack") -> LoadedPack:
    """The bundled pack ``name`` (the default pack for none); any other name or a path is
    refused (``LoadError`` at ``pack``; ``where`` names the file or request)."""
    if name and name not in bundled_pack_names():
        from tanjiliang.model.errors import Issue

        names = ", ".join(bundled_pack_names())
        raise LoadError([Issue(where, None, "pack",
                               f"服务器只使用内置规则包（{names}），“{name}”不是其中之一",
                               f'the server uses bundled packs only ({names}); "{name}" is not one')])
    return load_pack(name or None)


def pack_names(unit: m.Unit, lang: str) -> dict[str, str]:
    """Names of the pack's media and instrument types in ``lang`` (for display)."""
    try:
        pack = pack_for(unit).pack
    except LoadError:
        return {}
    pick = (lambda t: t.zh) if lang == "zh" else (lambda t: t.en)
    names = {md.id: pick(md.name) for md in pack.media.rows}
    names.update({t.id: pick(t.name) for t in pack.instrument_types})
    return names


def assessment(unit: m.Unit, as_of: date | None = None) -> Assessment:
    """A fresh assessment object through the one door, with the unit's uploaded readings;
    raises ``LoadError``."""
    return check(unit_file(unit), pack_for(unit), as_of or default_as_of(unit),
                 readings=readings_paths(unit) or None)


def _remember(cache: OrderedDict, key: Any, value: Any) -> None:
    with _LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > _MAX:
            cache.popitem(last=False)


def assessment_json(unit: m.Unit, as_of: date | None = None) -> dict[str, Any]:
    """``Assessment.to_json`` of the unit's current revision (cached); raises ``LoadError``."""
    as_of = as_of or default_as_of(unit)
    key = (*unit_key(unit), as_of)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit
    row = (m.AssessmentCache.objects.filter(unit=unit, revision=unit.revision, as_of=as_of)
           .values_list("data", "created").first())
    if row is not None and _fresh(unit, row[1]):
        data: dict[str, Any] = json.loads(row[0])
        _remember(_MEMO, key, data)
        return data
    data = assessment(unit, as_of).to_json("zh")
    _store(unit, as_of, key, data)
    return data


def assessment_cached_too(unit: m.Unit, as_of: date | None = None) -> Assessment:
    """A fresh assessment object whose JSON also fills the cache of the unit's revision, so
    that the next page view of that revision does not assess it again; raises ``LoadError``."""
    as_of = as_of or default_as_of(unit)
    a = assessment(unit, as_of)
    key = (*unit_key(unit), as_of)
    if key not in _MEMO:
        _store(unit, as_of, key, a.to_json("zh"))
    return a


def _fresh(unit: m.Unit, created: Any) -> bool:
    """A cached row is stale when readings were uploaded after it was computed."""
    last = unit.readings.aggregate(last=Max("uploaded_at"))["last"]
    return last is None or created is None or created >= last


def _store(unit: m.Unit, as_of: date, key: Any, data: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            m.AssessmentCache.objects.filter(unit=unit).exclude(revision=unit.revision).delete()
            m.AssessmentCache.objects.filter(unit=unit, revision=unit.revision, as_of=as_of).delete()
            m.AssessmentCache.objects.create(unit=unit, revision=unit.revision, as_of=as_of,
                                             data=json.dumps(data, ensure_ascii=False),
                                             **summary_of(data))
    except IntegrityError:
        pass  # another worker stored the same result
    _remember(_MEMO, key, data)


def summary_of(data: dict[str, Any]) -> dict[str, Any]:
    """The few figures a list of units shows, from the JSON contract."""
    return {"conclusion": data["conclusion"],
            "total_tco2e": data["emissions"]["total_tco2e"],
            "nonconformities": sum(1 for f in data["findings"] if f["severity"] == "nonconformity"),
            "instruments": len(data["instruments"])}


def summaries(units: list[m.Unit], as_of: date | None = None) -> dict[int, dict[str, Any]]:
    """Summary figures of ``units`` (their current revisions): read from the cache in one
    query; a unit not yet assessed is assessed now. A unit that cannot be assessed maps to
    ``{"error": LoadError}``. Each unit as of ``as_of``, else its :func:`default_as_of`."""
    days = {u.pk: as_of or default_as_of(u) for u in units}
    want = {(u.pk, u.revision, days[u.pk]) for u in units}
    out: dict[int, dict[str, Any]] = {}
    uploads = dict(m.ReadingsUpload.objects.filter(unit__in=[u.pk for u in units])
                   .values("unit_id").annotate(last=Max("uploaded_at")).values_list("unit_id", "last"))
    rows = m.AssessmentCache.objects.filter(unit__in=[u.pk for u in units], as_of__in=set(days.values())).values(
        "unit_id", "revision", "as_of", "created", "conclusion", "total_tco2e", "nonconformities", "instruments")
    for r in rows:
        last = uploads.get(r["unit_id"])
        if ((r["unit_id"], r["revision"], r["as_of"]) in want and r["conclusion"]
                and (last is None or r["created"] >= last)):
            out[r["unit_id"]] = r
    for u in units:
        if u.pk not in out:
            data, err = try_assessment(u, days[u.pk])
            out[u.pk] = summary_of(data) if data is not None else {"error": err}
    return out


def localised(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The JSON contract in ``lang`` (the finding ``message`` in that language)."""
    if lang == "zh":
        return data
    out = dict(data)
    out["findings"] = [{**f, "message": f["message_en"]} for f in data["findings"]]
    return out


def assessment_bytes(unit: m.Unit, lang: str, as_of: date | None = None, *,
                     gzipped: bool = False) -> bytes:
    """The serialised JSON contract (cached per revision, date and language), gzip-compressed
    on request (1.6 MB → 70 kB for 5 000 instruments)."""
    as_of = as_of or default_as_of(unit)
    key = (*unit_key(unit), as_of, lang, gzipped)
    hit = _BYTES.get(key)
    if hit is None:
        if gzipped:
            hit = gzip.compress(assessment_bytes(unit, lang, as_of), 6)
        else:
            hit = json.dumps(localised(assessment_json(unit, as_of), lang), ensure_ascii=False,
                             separators=(",", ":")).encode()
        _remember(_BYTES, key, hit)
    return hit


def try_assessment(unit: m.Unit, as_of: date | None = None) -> tuple[dict[str, Any] | None, LoadError | None]:
    try:
        return assessment_json(unit, as_of), None
    except LoadError as exc:
        return None, exc
