"""unit-file.md, readings: ``time`` is an "ISO timestamp (local time unless an offset is given)".
Before, ``2025-01-01T08:00:00Z`` (UTC, the ISO 8601 "Z") and ``2025-01-01T08:00+08:00`` (an
offset after minutes) were refused as "cannot read the time format" — the whole file, exit 2.
Local time is China Standard Time (UTC+8): 08:00Z is 16:00 local."""

from __future__ import annotations

from datetime import datetime

import pytest

from tanjiliang.data.readings import scan_readings


@pytest.mark.parametrize(("text", "local"), [
    ("2025-01-01T08:00:00Z", datetime(2025, 1, 1, 16, 0)),
    ("2025-01-01T08:00Z", datetime(2025, 1, 1, 16, 0)),
    ("2025-01-01T08:00+08:00", datetime(2025, 1, 1, 8, 0)),
    ("2025-01-01T08:00:00+08:00", datetime(2025, 1, 1, 8, 0)),
    ("2025-01-01T00:00:00.5+00:00", datetime(2025, 1, 1, 8, 0, 0, 500000)),
    ("2025-01-01T08:00:00", datetime(2025, 1, 1, 8, 0)),          # no offset: local time as written
])
def test_iso_timestamps(tmp_path, text, local):
    f = tmp_path / "readings.csv"
    f.write_text(f"instrument,time,value\nW-01,{text},1\nW-01,{text},2\n", encoding="utf-8")
    times = scan_readings(f).frame.collect()["time"].to_list()
    assert times == [local, local]
