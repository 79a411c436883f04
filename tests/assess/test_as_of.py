"""Time holds: records dated after the as-of date do not exist for it (default-pack.md
"Confirmation status"; design.md "Time")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tanjiliang.data.report import run as check_readings
from tanjiliang.data.synth import plant_year
from tanjiliang.model.load import load_unit
from unit_builders import base_unit, instrument, run, stream

YEAR_END = date(2025, 12, 31)
FIXTURE = Path(__file__).parent.parent / "data" / "fixtures" / "plant.yaml"


def _overdue(**extra):
    # last confirmed 2024-06-01 + 12 months = due 2025-06-01: overdue on 2025-12-31
    ins = instrument("W1", "s", "boundary", last_confirmed="2024-06-01", **extra)
    return base_unit(source_streams=[stream("s", 30000)], instruments=[ins])


def test_confirmation_after_as_of_does_not_clear_overdue():
    late = [{"date": "2026-01-15", "kind": "verification", "result": "pass"}]
    a = run(_overdue(confirmations=late), as_of=YEAR_END)
    assert a.instruments[0].calibration_status == "overdue"
    assert "CAL-OVERDUE" in [f.code for f in a.findings] and a.conclusion == "nonconforming"
    assert [(r.kind, r.subject, r.date) for r in a.after_as_of] == [("confirmation", "W1", date(2026, 1, 15))]
    assert a.to_json()["after_as_of"][0]["path"] == "instruments[0].confirmations[0]"
    # the same file assessed on a later date: the confirmation exists and clears it
    b = run(_overdue(confirmations=late), as_of=date(2026, 2, 1))
    assert b.instruments[0].calibration_status == "valid" and b.after_as_of == []


def test_last_confirmed_after_as_of_is_no_confirmation():
    a = run(_overdue() | {"instruments": [instrument("W1", "s", "boundary", last_confirmed="2026-01-10")]},
            as_of=YEAR_END)
    assert a.instruments[0].calibration_status == "unknown"
    assert "CAL-NONE" in [f.code for f in a.findings]


def test_procedure_issued_after_as_of_is_missing():
    u = base_unit(source_streams=[stream("s", 30000)])
    u["management"]["procedures"][0]["issued"] = "2026-03-01"
    a = run(u, as_of=YEAR_END)
    assert [f.subject for f in a.findings if f.code == "MGMT-PROCEDURE"] == ["metering_management"]
    assert run(u, as_of=date(2026, 3, 1)).after_as_of == []


def test_person_trained_after_as_of_does_not_count():
    u = base_unit(source_streams=[stream("s", 30000)])
    u["management"]["personnel"][0]["trained"] = "2026-01-05"
    a = run(u, as_of=YEAR_END)
    assert "MGMT-RESPONSIBLE" in [f.code for f in a.findings]
    assert [r.kind for r in a.after_as_of] == ["person"]


def _without_time(a):
    j = a.to_json()
    j.pop("after_as_of")
    return j


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=900), st.sampled_from(["pass", "fail"])),
                min_size=1, max_size=4),
       st.sampled_from(["2023-01-01", "2024-06-01", "2025-03-01", None]))
def test_records_after_as_of_never_change_that_dates_result(later, last):
    """Whatever confirmations dated after the as-of date are added, the result is the same."""
    base = _overdue()
    if last is None:
        del base["instruments"][0]["last_confirmed"]
    else:
        base["instruments"][0]["last_confirmed"] = last
    want = _without_time(run(base, as_of=YEAR_END))
    recs = [{"date": date.fromordinal(YEAR_END.toordinal() + d).isoformat(), "kind": "calibration",
             "result": r} for d, r in later]
    with_later = _overdue(confirmations=recs)
    with_later["instruments"][0]["last_confirmed"] = last
    if last is None:
        del with_later["instruments"][0]["last_confirmed"]
    assert _without_time(run(with_later, as_of=YEAR_END)) == want


def test_readings_after_as_of_are_not_read(tmp_path):
    # the planted year of tests/data, assessed on 2025-06-30: no reading after that day counts
    unit = load_unit(FIXTURE)
    df, _ = plant_year(2025)
    csv = tmp_path / "plant.csv"
    df.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).write_csv(csv)
    report = check_readings(unit, [csv], None, as_of=date(2025, 6, 30))
    assert report.quality.end.date() <= date(2025, 7, 1)
    months = report.stream_monthly["month"].to_list() if report.stream_monthly.height else []
    assert all(m <= date(2025, 6, 30) for m in months)


def test_cli_lists_records_after_the_assessment_date(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from tanjiliang.cli.app import app

    late = [{"date": "2026-01-15", "kind": "verification", "result": "pass"}]
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(_overdue(confirmations=late), allow_unicode=True))
    r = CliRunner().invoke(app, ["check", str(path), "--as-of", "2025-12-31", "--lang", "en"])
    assert r.exit_code == 1
    assert "Records after the assessment date 2025-12-31 (not counted): confirmation W1 2026-01-15" in r.output
