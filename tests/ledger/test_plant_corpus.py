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
        assert f"待补充 {p}: 测量对象" in report  # the field by its column name (issue 13)
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


def test_strict_refuses_every_inference(tmp_path: Path) -> None:
    unit = _unit(tmp_path)
    case = next(c for c in CASES if c.name.startswith("01"))
    case.build(tmp_path / "l.xlsx")
    with pytest.raises(LedgerError) as exc:
        read_changes(unit, tmp_path / "l.xlsx", strict=True)
    text = exc.value.message("zh")
    assert "--strict 不推断" in text
    assert "气体流量计" in text  # the type it would have inferred from 2号炉天然气流量计, by its name
    # the same file imports without --strict, listing each inference
    _, read = read_changes(unit, tmp_path / "l.xlsx")
    report = "\n".join(read.report("zh"))
    assert "推断 器具类型: “2号炉天然气流量计” → 气体流量计" in report
    assert "推断 测量对象: “关口电能表” → power" in report


def test_malformed_values_are_all_reported_with_sheet_row_column_in_the_users_language(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from tests.ledger.plant_corpus import STD_HEADERS

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    ws.append(["计量器具台账"])
    ws.append(STD_HEADERS)
    ws.append([1, "入厂煤汽车衡", "", "1.7级", "", "A1", "JL-1", "厂界", "入炉烟煤", "1年", "2025.13.02", None, "", "合格"])
    ws.append([2, "皮带秤", "", "0.5级", "", "A2", "JL-2", "锅炉", "入炉烟煤", "每年", "2025/3/2", "2024/3/1", "", "坏了"])
    ws.append([3, "电能表", "", "1级", "", "A3", "JL-3", "火星", "外购电力", "1年", "2025/3/2", None, "", "合格"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(LedgerError) as exc:
        read_changes(_unit(tmp_path), tmp_path / "bad.xlsx")
    got = {(p.sheet, p.row, p.column) for p in exc.value.problems}
    assert {("台账", 3, "D"), ("台账", 3, "K"), ("台账", 4, "H"), ("台账", 4, "J"), ("台账", 4, "L"),
            ("台账", 4, "N"), ("台账", 5, "H")} <= got, got
    zh, en = exc.value.message("zh"), exc.value.message("en")
    assert "可指多个安装地点" in zh and "1号锅炉（B1）" in zh and "2号燃气锅炉（B2）" in zh  # ambiguous: candidates
    assert "有效期至早于检定/校准日期" in zh and "contradictory" in en
    assert "不是已知的安装地点" not in en and "not a known place" in en  # one language per message
    assert str(tmp_path) not in zh and str(tmp_path) not in en  # the file by its name, no server path
    assert zh.startswith("bad.xlsx")


def test_the_assessment_names_instruments_left_to_complete(tmp_path: Path) -> None:
    """What the ledger does not say (which stream 1号炉燃油流量计 measures) is imported as
    incomplete and named in an observation of the assessment."""
    from datetime import date

    from tanjiliang import check

    unit = _unit(tmp_path)
    case = next(c for c in CASES if c.name.startswith("01"))
    case.build(tmp_path / "l.xlsx")
    a = check(unit, as_of=date(2025, 12, 31), ledger=tmp_path / "l.xlsx")
    incomplete = [f for f in a.findings if f.code == "INS-INCOMPLETE"]
    assert [f.subject for f in incomplete] == ["JL-006"]
    assert incomplete[0].severity == "observation"
