"""A latest confirmation that failed (不合格) confirms nothing (probe s10 ledger #12: the report
called the instrument 有效, due again a full interval later, beside its own CAL-OOT): the
instrument is overdue from the day it failed until it passes again; a record dated after the
as-of date still changes nothing for that date."""

from __future__ import annotations

from datetime import date

from tests.unit_builders import base_unit, instrument, run, stream


def _unit(*records: dict[str, str]) -> dict:
    return base_unit(source_streams=[stream("coal", 30000.0, consumers=["B1"])],
                     instruments=[instrument("W-01", "coal", "boundary", last_confirmed="2025-01-10",
                                             interval="12 months", confirmations=list(records))])


FAIL = {"date": "2025-06-01", "kind": "verification", "result": "fail", "certificate": "C-2"}
PASS_LATER = {"date": "2025-07-01", "kind": "verification", "result": "pass", "certificate": "C-3"}


def _w01(a):
    return next(i for i in a.instruments if i.id == "W-01")


def test_a_failed_latest_confirmation_is_overdue_from_that_day() -> None:
    a = run(_unit(FAIL), as_of=date(2025, 6, 1))
    w = _w01(a)
    assert (w.calibration_status, w.next_due) == ("overdue", date(2025, 6, 1))
    [f] = [f for f in a.findings if f.code == "CAL-OVERDUE"]
    assert f.message("zh") == "器具 W-01 于 2025-06-01 确认不合格，截至 2025-06-01 未再确认合格"
    assert f.message("en") == ("instrument W-01 failed its confirmation on 2025-06-01 and has not passed "
                               "one since, as of 2025-06-01")
    point = next(p for p in a.points if p.id == "coal@boundary")
    assert point.status == "nonconforming"


def test_before_the_failure_the_earlier_pass_stands() -> None:
    a = run(_unit(FAIL), as_of=date(2025, 5, 31))  # the failed record does not exist yet
    w = _w01(a)
    assert (w.calibration_status, w.next_due) == ("valid", date(2026, 1, 10))
    assert not [f for f in a.findings if f.code == "CAL-OVERDUE"]


def test_a_pass_after_the_failure_confirms_again() -> None:
    a = run(_unit(FAIL, PASS_LATER), as_of=date(2025, 12, 31))
    w = _w01(a)
    assert (w.calibration_status, w.next_due) == ("valid", date(2026, 7, 1))
    assert not [f for f in a.findings if f.code == "CAL-OVERDUE"]


def test_a_limited_result_still_confirms() -> None:
    limited = {**FAIL, "result": "limited"}
    w = _w01(run(_unit(limited), as_of=date(2025, 12, 31)))
    assert (w.calibration_status, w.next_due) == ("valid", date(2026, 6, 1))
