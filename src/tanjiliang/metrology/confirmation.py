"""Confirmation status (检定/校准) as of a date — default-pack.md "Confirmation status".

interval = the instrument's, else the type default; next_due = last_confirmed + interval
(calendar months) unless the latest certificate states its own next due date;
``out_of_service`` if the instrument says so; ``unknown`` without a confirmation;
``overdue`` if as_of > next_due; ``due_soon`` if next_due − as_of ≤ the pack's window;
``valid`` otherwise. Status is derived, never stored (domain.md §7).

A latest confirmation that failed (不合格, with no later one) confirms nothing: the instrument's
confirmation ended on that date (``next_due`` = its date, ``failed`` set) and it is ``overdue``
from that day until it passes again — JJF 1356 / domain.md §7: an instrument found out of
tolerance is taken out of use (停用) until repaired and re-confirmed; it is never "valid" for
another interval (probe s10 ledger #12: the report called it 有效 beside its own CAL-OOT).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from tanjiliang.model.unit import (
    ConfirmationRecord,
    Instrument,
    accuracy_canonical,
    interval_months,
)
from tanjiliang.rules.schema import InstrumentType


@lru_cache(maxsize=65536)
def add_months(d: date, months: int) -> date:
    """Calendar months, clamping the day (2024-01-31 + 1 month → 2024-02-29)."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def latest_record(ins: Instrument) -> ConfirmationRecord | None:
    """The record with the latest date (the first of equals, as ``max`` gives)."""
    best = None
    for r in ins.confirmations or ():
        if best is None or r.date > best.date:
            best = r
    return best


@dataclass(slots=True, frozen=True)
class ConfirmationState:
    status: str
    last_confirmed: date | None
    interval_months: int
    next_due: date | None
    failed: date | None = None  # the latest confirmation failed on this date


def confirmation_state(ins: Instrument, itype: InstrumentType, as_of: date,
                       due_soon_days: int) -> ConfirmationState:
    interval = interval_months(ins.interval) if ins.interval else itype.default_interval(accuracy_canonical(ins.accuracy))
    last = ins.last_confirmed
    next_due: date | None = None
    failed: date | None = None
    rec = latest_record(ins)
    if rec is not None and (last is None or rec.date >= last):
        last = rec.date
        next_due = rec.next_due
        if rec.result == "fail":  # it confirmed nothing: the confirmation ended that day
            failed = next_due = rec.date
    if last is not None and next_due is None:
        next_due = add_months(last, interval)
    if ins.status == "out_of_service":
        status = "out_of_service"
    elif last is None or next_due is None:
        status = "unknown"
    elif as_of > next_due or (failed is not None and as_of >= failed):
        status = "overdue"
    elif (next_due - as_of).days <= due_soon_days:
        status = "due_soon"
    else:
        status = "valid"
    return ConfirmationState(status, last, interval, next_due, failed)
