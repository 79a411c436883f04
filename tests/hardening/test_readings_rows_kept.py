"""Readings rows whose time cannot be read (2026-02-30, a day-first date) are never lost in
silence: a check flags them bad_time whatever the period, an import into the store says which
rows it did not store (session 6; before, both dropped them unsaid). A stray ``Z`` time among
local times is a time with an offset (unit-file.md "Readings": local time unless an offset is
given): since the tenth session each value is read in the format it is written in."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]

ROWS = ("instrument,time,value,unit\nW-01,2025-01-01 00:00,100,t\nW-01,2025-01-01 01:00,110,t\n"
        "W-01,2025-01-01 02:00,120,t\nW-01,2025-01-01T03:00:00Z,130,t\nW-01,2026-02-30 04:00,140,t\n"
        "W-01,2025-01-01 05:00,150,t\n" "W-01,01/01/2025 06:00,160,t\n")


def test_a_check_with_a_period_flags_unreadable_times(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.csv"
    f.write_text(ROWS, encoding="utf-8")
    flagged = tmp_path / "flagged.csv"
    _, out = cli("data", "check", SPEC, f, "--from", "2024-12-31", "--to", "2025-02-01", "--format", "json",
                    "--flagged", flagged)
    d = json.loads(out[out.index("{"):])
    assert d["rows"] == 7 and d["instruments"][0]["bad_time"] == 2, out
    assert d["instruments"][0]["last"] == "2025-01-01T11:00:00", out  # 03:00 UTC is 11:00 here
    text = flagged.read_text(encoding="utf-8")
    # the flags in the command's language (probe s9 #14), the time as the file wrote it last
    assert ",6,W-01,,140.0,t,时间无法识别,2026-02-30 04:00" in text, text
    assert ",8,W-01,,160.0,t,时间无法识别,01/01/2025 06:00" in text, text


def test_an_import_names_the_rows_it_did_not_store(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.csv"
    f.write_text(ROWS, encoding="utf-8")
    code, out = cli("data", "import", SPEC, f, "--store", tmp_path / "store")
    assert code == 0 and "2 行的时间无法识别，未写入读数库（第 6、8 行）" in out and "已写入 5 条读数" in out, out
    code, out = cli("data", "import", SPEC, f, "--store", tmp_path / "store", "--lang", "en")
    assert "2 rows have a time that cannot be read and were not stored (rows 6, 8)" in out, out


def test_a_month_folder_given_as_readings_says_how_to_list_it(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "2025-03"
    folder.mkdir()
    (folder / "a.csv").write_text("instrument,time,value\nW-01,2025-03-01 00:00,1\n", encoding="utf-8")
    code, out = cli("data", "check", SPEC, folder)
    assert code == 2 and f"{folder}: 这是文件夹：请列出其中的读数文件，如 {folder}/*.csv" in out, out
    code, out = cli("data", "import", SPEC, folder, "--store", tmp_path / "store", "--lang", "en")
    assert code == 2 and "this is a folder: list its readings files" in out, out
