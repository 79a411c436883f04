"""What exists as of the assessment date (shared/spec/default-pack.md "Confirmation status";
shared/design.md "Time").

An assessment is "as of" a date: a confirmation, certificate, procedure or personnel record
dated after it does not exist for it. :func:`as_of_view` returns the unit as it stood on that
date — the same file with those records left out — and the list of what was left out, which the
result keeps (``after_as_of``) so that a report can show them as "after the assessment date".
The file itself is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from tanjiliang.model.unit import Instrument, Management, UnitFile

RecordKind = Literal["confirmation", "last_confirmed", "procedure", "person"]


@dataclass(slots=True, frozen=True)
class LaterRecord:
    """A record of the file dated after the assessment date (not counted)."""

    kind: RecordKind
    subject: str  # instrument id, procedure kind or person name
    date: date
    path: str  # where it is in the unit file

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "date": self.date.isoformat(),
                "path": self.path}


def _has_later(ins: Instrument, as_of: date) -> bool:
    if ins.last_confirmed is not None and ins.last_confirmed > as_of:
        return True
    recs = ins.confirmations
    return bool(recs) and max([r.date for r in recs or ()]) > as_of  # no generator per instrument (issue 16)


def _instrument(ins: Instrument, i: int, as_of: date, later: list[LaterRecord]) -> Instrument:
    update: dict[str, Any] = {}
    if ins.last_confirmed is not None and ins.last_confirmed > as_of:
        later.append(LaterRecord("last_confirmed", ins.id, ins.last_confirmed, f"instruments[{i}].last_confirmed"))
        update["last_confirmed"] = None
    if ins.confirmations and any(r.date > as_of for r in ins.confirmations):
        kept = []
        for j, r in enumerate(ins.confirmations):
            if r.date > as_of:
                later.append(LaterRecord("confirmation", ins.id, r.date, f"instruments[{i}].confirmations[{j}]"))
            else:
                kept.append(r)
        update["confirmations"] = kept or None
    return ins.model_copy(update=update) if update else ins


def _management(m: Management, as_of: date, later: list[LaterRecord]) -> Management:
    procs, people = [], []
    for i, p in enumerate(m.procedures):
        if p.issued is not None and p.issued > as_of:
            later.append(LaterRecord("procedure", p.kind, p.issued, f"management.procedures[{i}]"))
        else:
            procs.append(p)
    for i, person in enumerate(m.personnel):
        if person.trained is not None and person.trained > as_of:
            later.append(LaterRecord("person", person.name, person.trained, f"management.personnel[{i}]"))
        else:
            people.append(person)
    if len(procs) == len(m.procedures) and len(people) == len(m.personnel):
        return m
    return m.model_copy(update={"procedures": procs, "personnel": people})


def as_of_view(unit: UnitFile, as_of: date) -> tuple[UnitFile, list[LaterRecord]]:
    """The unit as it stood on ``as_of`` and the records dated after it (design.md "Time")."""
    later: list[LaterRecord] = []
    instruments = [ins if not _has_later(ins, as_of) else _instrument(ins, i, as_of, later)
                   for i, ins in enumerate(unit.instruments)]
    management = _management(unit.management, as_of, later) if unit.management is not None else None
    if not later:
        return unit, later
    return unit.model_copy(update={"instruments": instruments, "management": management}), later
