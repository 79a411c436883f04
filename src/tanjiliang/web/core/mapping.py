"""The one mapping between the unit file and the database (issue 5 §2).

``store_unit`` writes a validated :class:`~tanjiliang.model.unit.UnitFile` into the tables;
``unit_file`` reads it back. Both go through :func:`tanjiliang.model.write.unit_to_data`, the
canonical form the file writer uses, so file → database → file is identical
(``tests/web/test_mapping.py`` compares ``dump_yaml``). Instruments are synchronised by id:
an unchanged instrument keeps its row (and so its certificate files).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction

from tanjiliang.model.unit import ConfirmationRecord, Instrument, UnitFile
from tanjiliang.model.write import unit_to_data
from tanjiliang.web.core import models as m
from tanjiliang.web.core.models import dumps

_INSTRUMENT_COLUMNS = ("name", "type", "measures", "at", "accuracy", "status", "confirmation",
                       "interval", "last_confirmed", "certificate", "confirmed_by")


def _columns(ins: Instrument) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _INSTRUMENT_COLUMNS:
        v = ins.measures_text() if name == "measures" else getattr(ins, name)  # a list as "a, b"
        out[name] = v if isinstance(v, date) or name == "last_confirmed" else (v or "")
    return out


def _confirmation_columns(c: ConfirmationRecord) -> dict[str, Any]:
    return {"date": c.date, "kind": c.kind, "result": c.result or "",
            "certificate": c.certificate or "", "body": c.body or "", "next_due": c.next_due}


def split(uf: UnitFile) -> tuple[dict[str, Any], list[tuple[Instrument, dict[str, Any]]]]:
    """The document (the file without instrument rows) and each instrument with its data."""
    data = unit_to_data(uf)
    rows = data.get("instruments")
    if rows is not None:
        data["instruments"] = []  # the key's presence is kept; the rows live in the table
    return data, list(zip(uf.instruments, rows or [], strict=True))


@transaction.atomic
def store_unit(uf: UnitFile, *, enterprise: m.Enterprise | None = None,
               unit: m.Unit | None = None) -> m.Unit:
    """Create (``enterprise``) or replace (``unit``) a unit from a validated unit file."""
    doc, instruments = split(uf)
    if unit is None:
        assert enterprise is not None
        unit = m.Unit(enterprise=enterprise)
    else:
        unit.revision += 1
    info = uf.unit
    unit.name = info.name
    unit.credit_code = info.credit_code or ""
    unit.sector = info.sector
    unit.region = info.region or ""
    unit.year = info.year
    unit.pack = uf.pack or ""
    unit.document = dumps(doc)
    unit.save()
    _sync_instruments(unit, instruments)
    return unit


def _sync_instruments(unit: m.Unit, instruments: list[tuple[Instrument, dict[str, Any]]]) -> None:
    existing = {row.ident: row for row in m.Instrument.objects.filter(unit=unit)}
    keep: set[str] = set()
    create: list[m.Instrument] = []
    update: list[m.Instrument] = []
    confirmations: dict[str, list[ConfirmationRecord]] = {}
    conf_data: dict[str, list[dict[str, Any]]] = {}
    for pos, (ins, raw) in enumerate(instruments):
        digest = hashlib.sha1(dumps(raw).encode()).hexdigest()
        raw = dict(raw)
        confs = raw.get("confirmations")
        if confs is not None:
            raw["confirmations"] = []
        text = dumps(raw)
        keep.add(ins.id)
        row = existing.get(ins.id)
        if row is None:
            row = m.Instrument(unit=unit, position=pos, ident=ins.id, data=text, digest=digest,
                               **_columns(ins))
            create.append(row)
        elif row.digest != digest or row.position != pos:
            row.position = pos
            row.data = text
            row.digest = digest
            for k, v in _columns(ins).items():
                setattr(row, k, v)
            update.append(row)
        else:
            continue
        confirmations[ins.id] = list(ins.confirmations or [])
        conf_data[ins.id] = list(confs or [])
    gone = [row.pk for ident, row in existing.items() if ident not in keep]
    if gone:
        m.Instrument.objects.filter(pk__in=gone).delete()
    if update:
        m.Instrument.objects.bulk_update(update, ["position", "data", "digest",
                                                   *_INSTRUMENT_COLUMNS],
                                         batch_size=500)
        m.Confirmation.objects.filter(instrument__in=[r.pk for r in update]).delete()
    if create:
        m.Instrument.objects.bulk_create(create, batch_size=500)
        if any(r.pk is None for r in create):  # backends that do not return ids
            ids = dict(m.Instrument.objects.filter(unit=unit, ident__in=[r.ident for r in create])
                       .values_list("ident", "pk"))
            for r in create:
                r.pk = ids[r.ident]
    rows = []
    for row in [*update, *create]:
        for pos, (rec, raw) in enumerate(zip(confirmations[row.ident], conf_data[row.ident],
                                             strict=True)):
            rows.append(m.Confirmation(instrument_id=row.pk, position=pos, data=dumps(raw),
                                       **_confirmation_columns(rec)))
    if rows:
        m.Confirmation.objects.bulk_create(rows, batch_size=1000)


def unit_data(unit: m.Unit) -> dict[str, Any]:
    """The unit file's data (as :func:`unit_to_data` gives it) rebuilt from the tables."""
    doc: dict[str, Any] = json.loads(unit.document)
    rows = list(m.Instrument.objects.filter(unit=unit).order_by("position")
                .values_list("pk", "data"))
    if "instruments" in doc or rows:
        confs: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for iid, text in (m.Confirmation.objects.filter(instrument__unit=unit)
                          .order_by("instrument_id", "position").values_list("instrument_id", "data")):
            confs[iid].append(json.loads(text))
        out = []
        for pk, text in rows:
            raw = json.loads(text)
            if "confirmations" in raw or confs.get(pk):
                raw["confirmations"] = confs.get(pk, [])
            out.append(raw)
        doc["instruments"] = out
    return doc


def unit_file(unit: m.Unit) -> UnitFile:
    """The unit file of a stored unit."""
    return UnitFile.model_validate(unit_data(unit))
