"""Every ledger of the plant-style corpus (tests/ledger/plant_corpus.py) imports in one go,
with the known answers: types, places, accuracy, status, what it measures, the next due date
the certificate states (有效期至), and what is left 待补充 (issue 12, items 1 and 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ledger.plant_corpus import CASES, UNIT, Case

from tanjiliang.ledger.changes import apply
from tanjiliang.ledger.excel import read_changes
from tanjiliang.ledger.reader import LedgerError
from tanjiliang.model.load import load_unit


def _unit(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = tmp_path / "unit.yaml"
    p.write_text(UNIT, encoding="utf-8")
    return load_unit(p)


def test_the_corpus_has_at_least_twelve_ledgers() -> None:
    assert len(CASES) >= 12
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_plant_ledger_imports_in_one_go(tmp_path: Path, case: Case) -> None:
    unit = _unit(tmp_path)
    book = tmp_path / f"{case.name}.xlsx"
    case.build(book)
    try:
        cs, read = read_changes(unit, book)
    except LedgerError as err:  # pragma: no cover - shows every problem when it fails
        pytest.fail(err.message("zh"))
    new = apply(unit, cs)
    got = {i.id: i for i in new.instruments}
    assert set(got) == set(case.expect), sorted(got)
    for ident, fields in case.expect.items():
        ins = got[ident]
        records = sorted(ins.confirmations or [], key=lambda r: r.date)
        for f, want in fields.items():
            if f == "next_due":
                assert records and records[-1].next_due == want, (ident, records)
            elif f == "result":
                assert records[-1].result == want, (ident, records)
            elif f == "records":
                assert len(records) == want, (ident, records)
            else:
                assert getattr(ins, f) == want, (ident, f, getattr(ins, f))
    assert {p.instrument for p in read.pending} == case.pending
    for ident in case.pending:
        assert got[ident].measures is None
    inferred = [n for n in read.notes if n.inferred]
    assert len(inferred) >= case.min_inferred
    report = "\n".join(read.report("zh"))
    for p in case.pending:
        assert f"待补充 {p}: measures" in report
    assert str(tmp_path) not in report  # no server paths


def test_valid_until_is_the_next_due_date_not_a_computed_one(tmp_path: Path) -> None:
    """Issue 12: a certificate that expired on 2025-09-11 was reported valid until 2026-09-12."""
    from datetime import date

    from tanjiliang.assess.engine import assess

    unit = _unit(tmp_path)
    case = next(c for c in CASES if c.name.startswith("01"))
    case.build(tmp_path / "l.xlsx")
    cs, _ = read_changes(unit, tmp_path / "l.xlsx")
    new = apply(unit, cs)
    result = assess(new, as_of=date(2025, 12, 31))
    jl3 = next(i for i in result.instruments if i.id == "JL-003")
    assert jl3.next_due == date(2025, 9, 11)
    assert jl3.calibration_status == "overdue"
