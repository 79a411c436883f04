"""The monthly close (issue 14 §1-3), hand-computed: deadlines, lateness, conservative
substitution of missing readings, corrections as versions, the hash over record and evidence,
the twelve cards, the exports."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime

import polars as pl
import pytest
from openpyxl import load_workbook

from tanjiliang.model.errors import LoadError
from tanjiliang.month.close import (
    ZONE,
    close_month,
    compute_month,
    deadline,
    month_status,
    verify_records,
    year_total,
)
from tanjiliang.month.export import write_bundle, write_workbook


def _at(d: str) -> datetime:
    y, m, dd = map(int, d.split("-"))
    return datetime(y, m, dd, 12, tzinfo=ZONE)


def test_deadline_is_40_days_after_the_month_end() -> None:
    # March: 31 March + 40 days = 10 May; February 2025: 28 Feb + 40 days = 9 April;
    # December: 31 Dec + 40 days = 9 February of the next year.
    assert deadline(2025, 3) == date(2025, 5, 10)
    assert deadline(2025, 2) == date(2025, 4, 9)
    assert deadline(2025, 12) == date(2026, 2, 9)


def test_missing_readings_are_substituted_conservatively(unit, readings, tmp_path) -> None:
    full = compute_month(unit, 2025, 3, [readings])
    # take 74 hourly readings (3 days + 2 h) of the first metered stream's meters out of March
    stream = next(s for s in full["streams"] if s["metered"] > 0)
    ids = stream["instruments"].split(",")
    df = pl.read_parquet(readings)
    cut = df.filter(~(pl.col("instrument").is_in(ids)
                      & (pl.col("time") >= datetime(2025, 3, 10))
                      & (pl.col("time") < datetime(2025, 3, 13, 2))))
    holed = tmp_path / "holed.parquet"
    cut.write_parquet(holed)
    m = compute_month(unit, 2025, 3, [holed])
    s = next(x for x in m["streams"] if x["id"] == stream["id"])
    assert s["missing"] > 0
    # activity = metered + 1.10 × missing (rules.yaml substitution_factor, status I)
    assert s["substituted"] == pytest.approx(1.10 * s["missing"])
    assert s["activity"] == pytest.approx(s["metered"] + 1.10 * s["missing"])
    assert s["substitution"]["status"] == "I"
    # emissions at the stream's annual rate: E_month = activity × E_year / activity_year
    rate = stream["emissions_tco2e"] / stream["activity"]
    assert s["emissions_tco2e"] == pytest.approx(s["activity"] * rate)
    # the substituted month is not less than the metered month (conservative)
    assert s["activity"] >= s["metered"]


def test_filing_late_correction_and_hashes(unit, readings, tmp_path) -> None:
    rec_dir = tmp_path / "rec"
    lab = tmp_path / "化验报告-2025-03.pdf"
    lab.write_bytes(b"%PDF-1.4 lab report")
    v1 = close_month(unit, 2025, 3, [readings], rec_dir, evidence=[lab], filed_at=_at("2025-05-10"))
    assert v1.version == 1 and v1.data["late"] is False  # on the deadline day: in time
    late = close_month(unit, 2025, 4, [readings], rec_dir, filed_at=_at("2025-06-10"))
    assert late.data["late"] is True  # April's deadline was 9 June
    with pytest.raises(LoadError):
        close_month(unit, 2025, 3, [readings], rec_dir)  # a correction needs a reason
    v2 = close_month(unit, 2025, 3, [readings], rec_dir, reason="化验报告更正",
                     filed_at=_at("2025-05-20"))
    assert v2.version == 2 and v2.data["previous_sha256"] == v1.data["sha256"]
    assert (rec_dir / "2025-03.v1.json").exists()  # the earlier version stays readable
    assert verify_records(rec_dir) == []
    # the year's total is the sum of the latest filed months
    assert year_total(rec_dir) == pytest.approx(v2.data["emissions_tco2e"]
                                                + late.data["emissions_tco2e"])
    # a changed evidence file is detected
    (rec_dir / "evidence" / v1.data["evidence"][0]["sha256"]).write_bytes(b"forged")
    assert any("已被修改" in z for _, z, _ in verify_records(rec_dir))


def test_a_changed_record_is_detected(unit, readings, tmp_path) -> None:
    rec = close_month(unit, 2025, 5, [readings], tmp_path, filed_at=_at("2025-06-01"))
    data = json.loads(rec.path.read_text(encoding="utf-8"))
    data["emissions_tco2e"] = data["emissions_tco2e"] / 2
    rec.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    problems = verify_records(tmp_path)
    assert problems and "哈希" in problems[0][1]


def test_twelve_cards(unit, readings, tmp_path) -> None:
    close_month(unit, 2025, 3, [readings], tmp_path, filed_at=_at("2025-04-20"))
    close_month(unit, 2025, 3, [readings], tmp_path, reason="更正", filed_at=_at("2025-04-25"))
    cards = {c["month"]: c["status"] for c in month_status(2025, tmp_path, date(2025, 7, 15))}
    # January: deadline 12 March passed, nothing filed → overdue; March corrected;
    # June ended, deadline 9 August not passed → to file; July not ended → not started
    assert cards["2025-01"] == "overdue"
    assert cards["2025-03"] == "corrected"
    assert cards["2025-06"] == "to_file"
    assert cards["2025-07"] == "not_started"


def test_exports(unit, readings, tmp_path) -> None:
    rec_dir = tmp_path / "rec"
    ev = tmp_path / "=cmd.pdf"
    ev.write_bytes(b"evidence")
    close_month(unit, 2025, 3, [readings], rec_dir, evidence=[ev], filed_at=_at("2025-04-20"))
    # March filed by its deadline (10 May) and corrected after it; April filed after its own
    # (9 June): 逾期 is each month's first version's, as on the cards (a late correction does
    # not make March late)
    close_month(unit, 2025, 3, [readings], rec_dir, reason="=HYPERLINK(\"x\")",
                filed_at=_at("2025-06-01"))
    close_month(unit, 2025, 4, [readings], rec_dir, filed_at=_at("2025-06-20"))
    assert json.loads((rec_dir / "2025-03.v2.json").read_text(encoding="utf-8"))["late"] is True
    out = tmp_path / "f.xlsx"
    assert write_workbook(unit, rec_dir, out) == 2
    ws = load_workbook(out).active
    head = [c.value for c in ws[1]]
    assert head[0] == "月份" and "燃煤消耗量 t" in head  # power sector: the guideline's items, in t
    row = [c.value for c in ws[2]]
    assert row[0] == "2025-03" and row[head.index("版本")] == 2
    assert [ws.cell(r, head.index("逾期") + 1).value for r in (2, 3)] == ["否", "是"]
    cards = {c["month"]: c["late"] for c in month_status(2025, rec_dir, date(2025, 7, 1))}
    assert (cards["2025-03"], cards["2025-04"]) == (False, True)
    en = tmp_path / "en.xlsx"
    write_workbook(unit, rec_dir, en, "en")
    ws_en = load_workbook(en).active
    head_en = [c.value for c in ws_en[1]]
    assert [ws_en.cell(r, head_en.index("late") + 1).value for r in (2, 3)] == ["no", "yes"]
    assert ws.cell(2, head.index("更正原因") + 1).data_type == "s"  # no live formula
    bundle = tmp_path / "b.zip"
    write_bundle(rec_dir, bundle)
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        import hashlib

        for entry in manifest:
            assert hashlib.sha256(z.read(entry["file"])).hexdigest() == entry["sha256"]
        assert {"records/2025-03.v1.json", "records/2025-03.v2.json"} <= {m["file"] for m in manifest}


def test_out_of_tolerance_period_crossing_a_month_boundary(unit, readings) -> None:
    """A meter passed on 10 Feb and failed on 5 April: its readings since 10 Feb are in doubt
    (JJF 1356 out-of-tolerance impact). March and April both touch that period; May does not."""
    from tanjiliang.model.unit import ConfirmationRecord

    full = compute_month(unit, 2025, 3, [readings])
    meter = next(s for s in full["streams"] if s["metered"] > 0)["instruments"].split(",")[0]
    recs = [ConfirmationRecord.model_validate(r) for r in (
        {"date": "2025-02-10", "kind": "calibration", "result": "pass"},
        {"date": "2025-04-05", "kind": "calibration", "result": "fail", "as_found": "+3 %"})]
    changed = unit.model_copy(update={"instruments": [
        i.model_copy(update={"confirmations": recs, "last_confirmed": None}) if i.id == meter else i
        for i in unit.instruments]})

    def oot(month: int) -> bool:
        m = compute_month(changed, 2025, month, [readings], as_of=date(2025, 6, 30))
        return not next(c for c in m["checks"] if c["check"] == "out_of_tolerance")["ok"]

    assert oot(3) and oot(4)
    assert not oot(5)


def test_the_monthly_rules_are_held_in_the_pack_and_a_pack_can_override_them(tmp_path) -> None:
    from tanjiliang.month.close import cited_rule, rule

    # the default pack cites them (the deadline S, the substitution factor I)
    assert cited_rule("deadline_days_after_month_end")["status"] == "S"
    assert cited_rule("substitution_factor")["status"] == "I"
    assert rule("lab_accreditations") == ["CMA", "CNAS"]
    # a pack without a monthly section uses the default pack's
    assert rule("substitution_factor", "eu-mrr-2018") == 1.10
    assert cited_rule("substitution_factor", "eu-mrr-2018")["pack"] == "henan-2025-draft"
    # a pack extending the default overrides one rule: March 31 + 30 days = 30 April
    p = tmp_path / "province.yaml"
    p.write_text(
        "format: tanjiliang/pack@1\nextends: henan-2025-draft\nname: province-month\n"
        "version: '1'\nstatus: custom\ntitle: {zh: 省级月度存证规则, en: Province monthly rules}\n"
        "monthly:\n  deadline_days_after_month_end: {value: 30, source: tanjiliang, "
        "clause: 'provincial notice', status: I}\n", encoding="utf-8")
    assert deadline(2025, 3, p) == date(2025, 4, 30)
    assert rule("substitution_factor", p) == 1.10  # the rest inherited
    assert cited_rule("deadline_days_after_month_end", p)["pack"] == "province-month"
