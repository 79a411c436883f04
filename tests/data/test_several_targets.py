"""Readings of an instrument that measures several streams (issue 17): attributed by the
readings' ``target`` column, else the ledger's ``split``, else refused — hand-computed
(arithmetic in the comments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tanjiliang.data.readings import ReadingsError
from tanjiliang.data.report import run
from tanjiliang.model.errors import LoadError
from unit_builders import base_unit, load


def _unit(**scale: object) -> object:
    coal = {"kind": "combustion", "material": "bituminous_coal"}
    streams = [{"id": "coal_a", "name": "甲煤", "activity": "3000 t", **coal},
               {"id": "coal_b", "name": "乙煤", "activity": "1000 t", **coal}]
    w1 = {"id": "W1", "name": "汽车衡", "type": "truck_scale", "measures": ["coal_a", "coal_b"], "at": "boundary",
          "accuracy": "0.1", "last_confirmed": "2025-06-01", **scale}
    return load(base_unit(source_streams=streams, instruments=[w1]))


def _csv(tmp_path: Path, rows: list[tuple[str, float, str | None]], target: bool = True) -> str:
    head = "instrument,time,value,unit,kind" + (",target" if target else "")
    lines = [head] + [f"W1,{t},{v},t,amount" + (f",{g or ''}" if target else "") for t, v, g in rows]
    path = tmp_path / "w1.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _by_month(report: object) -> dict[tuple[str, str], float]:
    m = report.stream_monthly  # type: ignore[attr-defined]
    return {(r["stream"], r["month"].isoformat()[:7]): r["activity"] for r in m.iter_rows(named=True)}


JAN_FEB = [("2025-01-05 08:00:00", 100, "coal_a"), ("2025-01-06 08:00:00", 100, "coal_a"),
           ("2025-01-07 08:00:00", 100, "coal_a"), ("2025-01-08 08:00:00", 50, "coal_b"),
           ("2025-01-09 08:00:00", 50, "coal_b"), ("2025-02-03 08:00:00", 200, "coal_a")]


def test_target_column_attributes_each_weighing(tmp_path: Path) -> None:
    # January: coal_a 3 × 100 = 300 t, coal_b 2 × 50 = 100 t (shares 0.75 / 0.25 of 400 t);
    # February: coal_a 200 t, coal_b 0 — never the scale's whole 400 t to each stream
    rep = run(_unit(), [_csv(tmp_path, JAN_FEB)], start=date(2025, 1, 1), end=date(2025, 3, 1))
    got = _by_month(rep)
    assert got[("coal_a", "2025-01")] == pytest.approx(300.0)
    assert got[("coal_b", "2025-01")] == pytest.approx(100.0)
    assert got[("coal_a", "2025-02")] == pytest.approx(200.0)
    assert got.get(("coal_b", "2025-02"), 0.0) == pytest.approx(0.0)
    metered = {r["stream"]: r["metered"] for r in rep.streams.iter_rows(named=True)}
    assert metered == {"coal_a": pytest.approx(500.0), "coal_b": pytest.approx(100.0)}


def test_target_by_stream_name(tmp_path: Path) -> None:
    # the target cell may hold the stream's name (甲煤/乙煤, compared after NFKC and trimming)
    rows = [(t, v, {"coal_a": " 甲煤", "coal_b": "乙煤"}[g]) for t, v, g in JAN_FEB]  # type: ignore[index]
    rep = run(_unit(), [_csv(tmp_path, rows)], start=date(2025, 1, 1), end=date(2025, 3, 1))
    assert _by_month(rep)[("coal_b", "2025-01")] == pytest.approx(100.0)


def test_split_declared_on_the_instrument(tmp_path: Path) -> None:
    # no target column; split 0.6 / 0.4: January 400 t → coal_a 240, coal_b 160; February 200 → 120 / 80
    rows = [(t, v, None) for t, v, _ in JAN_FEB]
    rep = run(_unit(split={"coal_a": 0.6, "coal_b": 0.4}), [_csv(tmp_path, rows, target=False)],
              start=date(2025, 1, 1), end=date(2025, 3, 1))
    got = _by_month(rep)
    assert got[("coal_a", "2025-01")] == pytest.approx(240.0)
    assert got[("coal_b", "2025-01")] == pytest.approx(160.0)
    assert got[("coal_b", "2025-02")] == pytest.approx(80.0)


def test_unnamed_rows_follow_the_split(tmp_path: Path) -> None:
    # January: named coal_a 300, coal_b 100, plus one unnamed 100 t split 0.6 / 0.4 →
    # coal_a 300 + 60 = 360, coal_b 100 + 40 = 140 (of 500)
    rows = [*JAN_FEB[:5], ("2025-01-20 08:00:00", 100, None)]
    rep = run(_unit(split={"coal_a": 0.6, "coal_b": 0.4}), [_csv(tmp_path, rows)],
              start=date(2025, 1, 1), end=date(2025, 2, 1))
    got = _by_month(rep)
    assert got[("coal_a", "2025-01")] == pytest.approx(360.0)
    assert got[("coal_b", "2025-01")] == pytest.approx(140.0)


def test_ambiguous_readings_are_refused(tmp_path: Path) -> None:
    rows = [(t, v, None) for t, v, _ in JAN_FEB]
    with pytest.raises(ReadingsError) as exc:
        run(_unit(), [_csv(tmp_path, rows, target=False)], start=date(2025, 1, 1), end=date(2025, 3, 1))
    en = exc.value.message("en")
    assert "W1" in en and "coal_a, coal_b" in en and "target column" in en and "split" in en
    assert "target" in exc.value.message("zh") and "split" in exc.value.message("zh")


def test_unnamed_rows_without_split_are_refused(tmp_path: Path) -> None:
    rows = [*JAN_FEB, ("2025-02-10 08:00:00", 80, None)]  # the 7th data row: line 8 of the file
    with pytest.raises(ReadingsError) as exc:
        run(_unit(), [_csv(tmp_path, rows)], start=date(2025, 1, 1), end=date(2025, 3, 1))
    assert exc.value.issues[0].row == 8 and "1 readings name no target" in exc.value.message("en")


def test_a_target_the_instrument_does_not_measure(tmp_path: Path) -> None:
    rows = [*JAN_FEB[:2], ("2025-01-08 08:00:00", 50, "coal_c")]  # line 4
    with pytest.raises(ReadingsError) as exc:
        run(_unit(), [_csv(tmp_path, rows)], start=date(2025, 1, 1), end=date(2025, 2, 1))
    issue = exc.value.issues[0]
    assert issue.row == 4 and issue.value == "coal_c" and "does not measure" in exc.value.message("en")


@pytest.mark.parametrize(("split", "word"), [({"coal_a": 0.6, "coal_c": 0.4}, "not in measures"),
                                             ({"coal_a": 0.6, "coal_b": 0.5}, "sum to 1"),
                                             ({"coal_a": 1.0}, "at least two")])
def test_bad_split_is_refused(split: dict[str, float], word: str) -> None:
    with pytest.raises(LoadError) as exc:
        _unit(split=split)
    assert word in exc.value.message("en")
