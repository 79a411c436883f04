"""The regulator's indicators (issue 14 §4), from hand-computed cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from tanjiliang.check import check
from tanjiliang.cli.app import app
from tanjiliang.kpi import indicators, rank
from tanjiliang.kpi.indicators import inspection_counts
from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import ConfirmationRecord, Instrument

ROOT = Path(__file__).resolve().parents[2]
Y25 = (date(2025, 1, 1), date(2026, 1, 1))


def _ins(*records: tuple[str, str, str | None], last: str | None = None) -> Instrument:
    return Instrument.model_validate({
        "id": "W-01", "name": "轨道衡", "type": "rail_scale", "measures": "coal", "at": "boundary",
        "last_confirmed": last,
        "confirmations": [{"date": d, "kind": "verification", "result": r,
                           **({"next_due": nd} if nd else {})} for d, r, nd in records] or None})


def test_confirmation_before_its_due_date_is_on_time() -> None:
    # 2024-03-01 + 12 months = due 2025-03-01; confirmed 2025-02-20 ≤ due → 1 due, 1 on time.
    # Its own due, 2026-02-20, is outside 2025.
    ins = _ins(("2024-03-01", "pass", None), ("2025-02-20", "pass", None))
    assert inspection_counts(ins, 12, *Y25, date(2025, 12, 31)) == (1, 1)


def test_late_confirmation_counts_once_and_not_on_time() -> None:
    # due 2025-03-01, confirmed 2025-04-15: one due (answered late), not a second "missed" one.
    ins = _ins(("2024-03-01", "pass", None), ("2025-04-15", "pass", None))
    assert inspection_counts(ins, 12, *Y25, date(2025, 12, 31)) == (1, 0)


def test_missed_due_date() -> None:
    # due 2025-03-01, nothing since: 1 due, 0 on time.
    ins = _ins(("2024-03-01", "pass", None))
    assert inspection_counts(ins, 12, *Y25, date(2025, 12, 31)) == (1, 0)
    # as of 2025-02-01 the due date has not come: nothing due yet
    assert inspection_counts(ins, 12, *Y25, date(2025, 2, 1)) == (0, 0)


def test_records_after_the_as_of_date_do_not_count() -> None:
    # as of 2025-02-10 the confirmation of 2025-02-20 does not exist; the due date 2025-03-01
    # has not passed: nothing due.
    ins = _ins(("2024-03-01", "pass", None), ("2025-02-20", "pass", None))
    assert inspection_counts(ins, 12, *Y25, date(2025, 2, 10)) == (0, 0)
    # as of 2025-03-05 it is missed (the confirmation of 2025-04-15 comes later)
    late = _ins(("2024-03-01", "pass", None), ("2025-04-15", "pass", None))
    assert inspection_counts(late, 12, *Y25, date(2025, 3, 5)) == (1, 0)


def test_the_certificates_own_due_date_rules() -> None:
    # the certificate of 2024-03-01 states next due 2025-01-31: 2025-02-20 is late.
    ins = _ins(("2024-03-01", "pass", "2025-01-31"), ("2025-02-20", "pass", None))
    assert inspection_counts(ins, 12, *Y25, date(2025, 12, 31)) == (1, 0)


def test_a_ledger_with_only_the_last_date() -> None:
    # confirmed 2025-05-10, nothing earlier known: due and on time (1, 1)
    assert inspection_counts(_ins(last="2025-05-10"), 12, *Y25, date(2025, 12, 31)) == (1, 1)
    # confirmed 2024-05-10: due 2025-05-10 missed
    assert inspection_counts(_ins(last="2024-05-10"), 12, *Y25, date(2025, 12, 31)) == (1, 0)


def test_power_example_indicators_follow_its_assessment() -> None:
    unit = load_unit(ROOT / "examples" / "power" / "unit.yaml")
    a = check(unit, as_of=date(2025, 12, 31))
    k = indicators(unit, a, *Y25)
    req = sum(r.required for r in a.rates)
    eq = sum(r.equipped for r in a.rates)
    assert k.equipping_rate == round(100 * eq / req, 1)
    assert k.conclusion == a.conclusion
    # the index is the weighted mean of the indicators present (completeness absent here):
    # (0.30·E + 0.25·I + 0.15·P + 0.10·C) / 0.80
    present = [(0.30, k.equipping_rate), (0.25, k.inspection_rate), (0.15, k.pass_rate),
               (0.10, k.in_confirmation)]
    num = sum(w * v for w, v in present if v is not None)
    den = sum(w for w, v in present if v is not None)
    assert k.index is not None and abs(k.index - num / den) < 0.051
    if a.conclusion == "nonconforming":
        assert k.reasons and "不符合" in k.reasons[0][0]


def test_pass_rate_counts_limited_as_not_passed() -> None:
    unit = load_unit(ROOT / "examples" / "power" / "unit.yaml")
    first = unit.instruments[0]
    recs = [{"date": "2025-01-10", "kind": "verification", "result": "pass"},
            {"date": "2025-04-10", "kind": "verification", "result": "fail"},
            {"date": "2025-05-10", "kind": "verification", "result": "limited"},
            {"date": "2025-06-10", "kind": "verification", "result": "pass"}]
    changed = first.model_copy(update={"confirmations": [
        ConfirmationRecord.model_validate(r) for r in recs], "last_confirmed": None})
    others = [i.model_copy(update={"confirmations": None, "last_confirmed": None})
              for i in unit.instruments[1:]]
    unit = unit.model_copy(update={"instruments": [changed, *others]})
    k = indicators(unit, check(unit, as_of=date(2025, 12, 31)), *Y25)
    assert (k.confirmations, k.passed, k.pass_rate) == (4, 2, 50.0)  # 2 of 4


def test_rank_puts_the_lowest_index_first() -> None:
    unit = load_unit(ROOT / "examples" / "power" / "unit.yaml")
    a = check(unit, as_of=date(2025, 12, 31))
    k = indicators(unit, a, *Y25)
    worse = indicators(unit, a, *Y25)
    worse.index = (k.index or 0) - 10
    worse.name = "另一单位"
    assert rank([k, worse])[0] is worse


def test_cli_kpi_folder_json() -> None:
    r = CliRunner().invoke(app, ["kpi", str(ROOT / "examples"), "--as-of", "2025-12-31",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["format"] == "tanjiliang/kpi@1"
    idx = [u["index"] for u in out["units"]]
    assert idx == sorted(idx) and len(idx) >= 4
    r = CliRunner().invoke(app, ["kpi", str(ROOT / "missing.yaml")])
    assert r.exit_code == 2


def test_timeliness_of_filings_weighs_in_and_is_a_reason() -> None:
    unit = load_unit(ROOT / "examples" / "power" / "unit.yaml")
    a = check(unit, as_of=date(2025, 12, 31))
    k = indicators(unit, a, *Y25, timeliness=50.0)  # 6 of 12 months on time
    present = [(0.30, k.equipping_rate), (0.25, k.inspection_rate), (0.15, k.pass_rate),
               (0.10, k.in_confirmation), (0.10, 50.0)]
    num = sum(w * v for w, v in present if v is not None)
    den = sum(w for w, v in present if v is not None)
    assert k.index is not None and abs(k.index - num / den) < 0.051
    assert any("月度存证及时率 50.0%" in zh for zh, _ in k.reasons)


def test_pass_rate_counts_last_confirmed_beside_records_and_ignores_later_ones() -> None:
    """Probe s10 ledger #2: a record dated after the as-of date took ``last_confirmed`` out of
    the pass rate (50 % → 0 %); ``last_confirmed`` beside records counts as the inspection rate
    counts it (once, as passed, unless a record bears its date)."""
    from tanjiliang.kpi.indicators import pass_counts

    failed = ("2025-02-10", "fail", None)
    later = ("2025-09-30", "pass", None)
    as_of = date(2025, 6, 30)
    assert pass_counts(_ins(failed, last="2025-03-31"), *Y25, as_of) == (2, 1)
    assert pass_counts(_ins(failed, later, last="2025-03-31"), *Y25, as_of) == (2, 1)
    assert pass_counts(_ins(failed, later, last="2025-03-31"), *Y25, date(2025, 12, 31)) == (3, 2)
    # last_confirmed restating a record's date is that record, not a second confirmation
    assert pass_counts(_ins(("2025-03-31", "fail", None), last="2025-03-31"), *Y25, as_of) == (1, 0)
    assert pass_counts(_ins(last="2025-03-31"), *Y25, as_of) == (1, 1)
    assert pass_counts(_ins(last="2024-03-31"), *Y25, as_of) == (0, 0)
