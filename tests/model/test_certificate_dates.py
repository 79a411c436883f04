"""A confirmation record's certificate next-due date must come after its own date, whatever the
door (probe s10: a record valid until a date before it was accepted on the web and on the
ledger's confirmation sheet, and the report called an instrument calibrated two weeks
earlier overdue)."""

from __future__ import annotations

import pytest
from tests.unit_builders import base_unit, instrument, load, stream

from tanjiliang.model.errors import LoadError


def _unit(next_due: str) -> dict:
    rec = {"date": "2025-06-01", "kind": "calibration", "result": "pass", "next_due": next_due}
    return base_unit(source_streams=[stream("coal", 30000.0, consumers=["B1"])],
                     instruments=[instrument("W-11", "coal", "boundary", confirmations=[rec])])


@pytest.mark.parametrize("next_due", ["2025-05-01", "2025-06-01"])
def test_a_next_due_not_after_the_date_is_refused_at_its_key(next_due: str) -> None:
    with pytest.raises(LoadError) as e:
        load(_unit(next_due))
    [issue] = e.value.issues
    assert issue.path == "instruments[0].confirmations[0].next_due"
    assert issue.zh.endswith(f"证书有效期至 {next_due} 不晚于确认日期 2025-06-01，两者矛盾"), issue.zh
    assert f"next due date {next_due} is not after the confirmation date 2025-06-01" in issue.en


def test_a_next_due_after_the_date_stands() -> None:
    ins = load(_unit("2026-06-01")).instruments[0]
    assert str(ins.confirmations[0].next_due) == "2026-06-01"


def test_full_width_dates_read_as_the_ledger_reads_them() -> None:
    data = _unit("２０２６－０６－０１")
    data["instruments"][0]["confirmations"][0]["date"] = "２０２５-０６-０１"
    rec = load(data).instruments[0].confirmations[0]
    assert (str(rec.date), str(rec.next_due)) == ("2025-06-01", "2026-06-01")


def test_the_red_labels_words_say_out_of_service() -> None:
    from tanjiliang.model.names import status_word

    for word in ("停用", "禁用", "封存"):
        assert status_word(word)[:2] == ("out_of_service", None), word
