"""Confirmation history queries (issue 3 §2; domain.md §7 "traceability").

A confirmation record names the reference standards used (``standards``). A standard may be
an instrument of the same ledger (named by its management no., serial no. or certificate
no.), so traceability runs both ways:

* :func:`confirmed_by` — reverse traceability: which instruments did standard X confirm
  (directly, or with ``transitive=True`` also through instruments X confirmed that served as
  standards in turn). Used when X is found out of tolerance or its certificate is withdrawn.
* :func:`traceability_chain` — forward: the standards behind an instrument's latest
  confirmation, and theirs, up to where the chain leaves the ledger.

Names are compared loosely (full-width/half-width, case and spaces folded).
"""

from __future__ import annotations

from dataclasses import dataclass

from tanjiliang.ledger.catalogue import norm
from tanjiliang.model.unit import ConfirmationRecord, Instrument, UnitFile


@dataclass(frozen=True, slots=True)
class TraceHit:
    instrument: str
    record: ConfirmationRecord
    standard: str  # the standard as written in the record
    depth: int  # 1: confirmed by X itself; 2: by an instrument X confirmed; …
    via: tuple[str, ...]  # the chain of standards from X down to this record


def _aliases(ins: Instrument) -> set[str]:
    names = {ins.id, ins.serial, ins.certificate}
    names |= {r.certificate for r in ins.confirmations or []}
    return {norm(n) for n in names if n}


def resolve(unit: UnitFile, standard: str) -> Instrument | None:
    """The ledger instrument a standard's name refers to, if any."""
    n = norm(standard)
    for ins in unit.instruments:
        if n in _aliases(ins):
            return ins
    return None


def confirmed_by(unit: UnitFile, standard: str, transitive: bool = False) -> list[TraceHit]:
    """Every confirmation record that used ``standard`` (reverse traceability)."""
    out: list[TraceHit] = []
    frontier: list[tuple[set[str], tuple[str, ...]]] = []
    names = {norm(standard)}
    start = resolve(unit, standard)
    if start is not None:
        names |= _aliases(start)
    frontier.append((names, (standard,)))
    seen: set[str] = {start.id} if start is not None else set()
    depth = 0
    while frontier:
        depth += 1
        nxt: list[tuple[set[str], tuple[str, ...]]] = []
        for names, via in frontier:
            for ins in unit.instruments:
                for rec in ins.confirmations or []:
                    used = [s for s in rec.standards or [] if norm(s) in names]
                    if used:
                        out.append(TraceHit(ins.id, rec, used[0], depth, via))
                        if transitive and ins.id not in seen:
                            seen.add(ins.id)
                            nxt.append((_aliases(ins), (*via, ins.id)))
        frontier = nxt if transitive else []
    return sorted(out, key=lambda h: (h.depth, h.instrument, h.record.date))


def traceability_chain(unit: UnitFile, instrument_id: str) -> list[tuple[str, str, str | None]]:
    """(instrument, standard, ledger id of the standard or None) along the latest
    confirmations, from ``instrument_id`` upwards; stops at standards outside the ledger."""
    by_id = {i.id: i for i in unit.instruments}
    out: list[tuple[str, str, str | None]] = []
    todo = [instrument_id]
    seen = set()
    while todo:
        cur = todo.pop(0)
        if cur in seen or cur not in by_id:
            continue
        seen.add(cur)
        recs = sorted(by_id[cur].confirmations or [], key=lambda r: r.date)
        if not recs:
            continue
        for s in recs[-1].standards or []:
            ins = resolve(unit, s)
            out.append((cur, s, ins.id if ins else None))
            if ins is not None:
                todo.append(ins.id)
    return out
