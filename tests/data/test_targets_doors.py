"""The same readings of a several-target instrument (issue 17) through every door — the long
layout's ``target`` column, the wide layout's ``ID:target`` headers, and the readings store
fed by either — give the same monthly figures per stream, hand-computed (arithmetic in the
comments). Before, a wide ``W1:coal_a`` column was "not an instrument id" (no figures at all)
and the store dropped the target (refused, or divided by the ledger's split)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.data.readings import ReadingsError, scan_readings
from tanjiliang.data.report import run
from tanjiliang.data.store import SCHEMA_VERSION, ReadingsStore
from unit_builders import base_unit, load

COAL = {"kind": "combustion", "material": "bituminous_coal"}
STREAMS = [{"id": "coal_a", "name": "甲煤", "activity": "3000 t", **COAL},
           {"id": "coal_b", "name": "乙煤", "activity": "1000 t", **COAL}]


def unit_data(**w1: Any) -> dict[str, Any]:
    scale = {"id": "W1", "name": "汽车衡", "type": "truck_scale", "measures": ["coal_a", "coal_b"],
             "at": "boundary", "accuracy": "0.1", "last_confirmed": "2025-06-01", **w1}
    return base_unit(source_streams=STREAMS, instruments=[scale])


# January: coal_a 100 + 100 + 100 = 300 t, coal_b 50 + 50 = 100 t; February: coal_a 200 t.
WEIGHINGS = [("2025-01-05 08:00:00", 100, "coal_a"), ("2025-01-06 08:00:00", 100, "coal_a"),
             ("2025-01-07 08:00:00", 100, "coal_a"), ("2025-01-08 08:00:00", 50, "coal_b"),
             ("2025-01-09 08:00:00", 50, "coal_b"), ("2025-02-03 08:00:00", 200, "coal_a")]
EXPECTED = {("coal_a", "2025-01"): 300.0, ("coal_b", "2025-01"): 100.0,
            ("coal_a", "2025-02"): 200.0, ("coal_b", "2025-02"): 0.0}


def long_csv(folder: Path) -> Path:
    path = folder / "long.csv"
    lines = ["instrument,time,value,unit,kind,target"] + [f"W1,{t},{v},t,amount,{g}" for t, v, g in WEIGHINGS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wide_csv(folder: Path, second: str = "W1：乙煤 [t]") -> Path:
    """One column per target: by stream id, and by the stream's name with a full-width colon
    and the unit in brackets (the weighing's other column is empty)."""
    path = folder / "wide.csv"
    lines = [f"时间,W1:coal_a,{second}"]
    lines += [f"{t},{v if g == 'coal_a' else ''},{v if g == 'coal_b' else ''}" for t, v, g in WEIGHINGS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def by_month(unit: Any, source: Any) -> dict[tuple[str, str], float]:
    rep = run(unit, source, start=date(2025, 1, 1), end=date(2025, 3, 1))
    got = {(r["stream"], r["month"].isoformat()[:7]): r["activity"]
           for r in rep.stream_monthly.iter_rows(named=True)}
    return {k: got.get(k, 0.0) for k in EXPECTED}


@pytest.mark.parametrize("split", [None, {"coal_a": 0.6, "coal_b": 0.4}])
def test_every_door_gives_the_same_months(tmp_path: Path, split: dict[str, float] | None) -> None:
    # with a split of 0.6 / 0.4 the rows' own targets still decide: the split is for rows
    # that name none (the old store gave January 400 × 0.6 = 240 t / 400 × 0.4 = 160 t)
    unit = load(unit_data(split=split) if split else unit_data())
    store = ReadingsStore(tmp_path / "store")
    store.import_file("long", long_csv(tmp_path))
    store.import_file("wide", wide_csv(tmp_path))
    doors = {"long": by_month(unit, [long_csv(tmp_path)]), "wide": by_month(unit, [wide_csv(tmp_path)]),
             "store of long": by_month(unit, store.source("long")),
             "store of wide": by_month(unit, store.source("wide"))}
    for door, got in doors.items():
        assert got == pytest.approx(EXPECTED), door


def test_wide_target_columns_make_one_reading_per_weighing(tmp_path: Path) -> None:
    # 6 weighings in 6 rows × 2 columns: 6 readings, none flagged for the other column's
    # empty cell; a row with both cells empty is one unreadable reading of W1
    path = wide_csv(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "2025-02-04 08:00:00,,\n", encoding="utf-8")
    r = scan_readings(path, {"W1"})
    df = r.frame.collect()
    assert df.height == 7 and df["value"].null_count() == 1 and not r.issues
    assert r.targets is not None
    assert sorted(r.targets.collect()["target"].drop_nulls().to_list()) == ["coal_a"] * 5 + ["乙煤"] * 2  # the empty row: its first column
    rep = run(load(unit_data()), [path], start=date(2025, 1, 1), end=date(2025, 3, 1))
    assert rep.quality.flagged["flags"].to_list() == ["bad_value"]


def test_unknown_target_in_a_wide_header_names_file_column_and_value(tmp_path: Path) -> None:
    path = wide_csv(tmp_path, second="W1：丙煤 [t]")
    with pytest.raises(ReadingsError) as exc:
        run(load(unit_data(split={"coal_a": 0.5, "coal_b": 0.5})), [path],
            start=date(2025, 1, 1), end=date(2025, 3, 1))
    issue = exc.value.issues[0]
    assert (issue.file, issue.row, issue.column, issue.value) == (str(path), 1, "W1：丙煤 [t]", "丙煤")
    assert exc.value.message("zh").endswith("器具 W1 不测量“丙煤”（其测量对象：coal_a, coal_b）")
    assert 'instrument W1 does not measure "丙煤"' in exc.value.message("en")


def test_unknown_target_through_the_store_names_file_and_row(tmp_path: Path) -> None:
    path = long_csv(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("50,t,amount,coal_b", "50,t,amount,coal_c", 1),
                    encoding="utf-8")  # the 4th weighing: line 5 of the file
    store = ReadingsStore(tmp_path / "store")
    store.import_file("u", path)
    with pytest.raises(ReadingsError) as exc:
        by_month(load(unit_data()), store.source("u"))
    issue = exc.value.issues[0]
    assert (issue.file, issue.row, issue.value) == (str(path), 5, "coal_c")


def test_a_single_target_instrument_with_another_target_is_refused(tmp_path: Path) -> None:
    # E1 weighs coal_a only; a row saying coal_b was ignored before (the user's word lost)
    data = unit_data()
    data["instruments"].append({"id": "E1", "name": "皮带秤", "type": "belt_scale", "measures": "coal_a",
                                "at": "boundary", "accuracy": "0.5", "last_confirmed": "2025-06-01"})
    path = tmp_path / "r.csv"
    path.write_text("instrument,time,value,unit,kind,target\n"
                    "E1,2025-01-05 08:00:00,10,t,amount,甲煤\n"
                    "E1,2025-01-06 08:00:00,10,t,amount,coal_b\n"
                    "W1,2025-01-06 08:00:00,10,t,amount,coal_b\n", encoding="utf-8")
    with pytest.raises(ReadingsError) as exc:
        run(load(data), [path], start=date(2025, 1, 1), end=date(2025, 2, 1))
    assert [(i.row, i.value) for i in exc.value.issues] == [(3, "coal_b")]


def test_store_schema_versions(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    unit = load(unit_data(split={"coal_a": 0.6, "coal_b": 0.4}))
    store = ReadingsStore(tmp_path / "store")
    first = store.import_file("u", long_csv(tmp_path))
    again = store.import_file("u", long_csv(tmp_path))  # idempotent: the same objects, same figures
    assert first.objects == again.objects and len(list((tmp_path / "store").rglob("*.parquet"))) == 2
    assert by_month(unit, store.source("u")) == pytest.approx(EXPECTED)
    meta = pq.ParquetFile(first.objects[0]).metadata.metadata
    assert meta[b"tanjiliang.store"] == str(SCHEMA_VERSION).encode() == b"2"
    # a version-1 object (written before issue 17's targets: no metadata, no target column)
    # is still read; with no targets the ledger's split applies: January 400 t → 240 / 160
    for obj in first.objects:
        pl.read_parquet(obj).drop("target").write_parquet(obj)
    old = by_month(unit, store.source("u"))
    assert old[("coal_a", "2025-01")] == pytest.approx(240.0) and old[("coal_b", "2025-01")] == pytest.approx(160.0)
    rep = run(unit, store.source("u"), start=date(2025, 1, 1), end=date(2025, 3, 1))
    said = [i.message("en") for i in rep.quality.issues if i.column == "target"]
    assert said == [f"{long_csv(tmp_path)} [target]: instrument W1: these readings were stored by an earlier "
                    "version that did not keep their targets, so the ledger's split divides them; if the file "
                    "named targets, import it again"]
    with pytest.raises(ReadingsError) as exc:  # without a split: refused, saying why and what to do
        by_month(load(unit_data()), store.source("u"))
    assert "旧版本写入读数库" in exc.value.message("zh") and "import it again" in exc.value.message("en")
    store.import_file("u", long_csv(tmp_path))  # importing the file again rewrites it as version 2
    assert by_month(unit, store.source("u")) == pytest.approx(EXPECTED)
    # an object of a newer schema is refused, naming it
    pl.read_parquet(first.objects[0]).write_parquet(first.objects[0], metadata={"tanjiliang.store": "3"})
    with pytest.raises(ReadingsError) as exc:
        by_month(unit, store.source("u"))
    assert exc.value.issues[0].file == first.objects[0] and "upgrade tanjiliang" in exc.value.message("en")


def test_command_line_wide_import_and_store_check(tmp_path: Path) -> None:
    unit_file = tmp_path / "unit.yaml"
    import yaml

    unit_file.write_text(yaml.safe_dump(unit_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    store = str(tmp_path / "store")
    r = CliRunner().invoke(app, ["data", "import", str(unit_file), str(wide_csv(tmp_path)), "--store", store])
    assert r.exit_code == 0 and "不是台账中的计量器具编号" not in r.output, r.output
    r = CliRunner().invoke(app, ["data", "check", str(unit_file), "--store", store, "--from", "2025-01-01",
                                 "--to", "2025-03-01", "--format", "json", "--lang", "en"])
    assert r.exit_code in (0, 1), r.output
    import json

    streams = {s["stream"]: s["metered"] for s in json.loads(r.output)["streams"]}
    assert streams == {"coal_a": pytest.approx(500.0), "coal_b": pytest.approx(100.0)}  # 300 + 200; 100
    bad = wide_csv(tmp_path, second="W1：丙煤 [t]")
    for lang, words in (("zh", "器具 W1 不测量“丙煤”"), ("en", 'instrument W1 does not measure "丙煤"')):
        r = CliRunner().invoke(app, ["data", "check", str(unit_file), str(bad), "--from", "2025-01-01",
                                     "--to", "2025-03-01", "--lang", lang])
        value = "“丙煤”" if lang == "zh" else '"丙煤"'  # each language's quotation marks (session 6)
        assert r.exit_code == 2 and f"wide.csv:1 [W1：丙煤 [t]] {value}" in r.output and words in r.output, r.output


def test_a_file_without_targets_beside_one_with_them(tmp_path: Path) -> None:
    # long.csv names every weighing; more.csv (no target column) adds W1 80 t on 20 January.
    # Without a split that weighing cannot be attributed: refused naming more.csv row 2 (before,
    # it silently took long.csv's January shares: 80 × 0.75 / 80 × 0.25). With the split
    # 0.6 / 0.4: January coal_a 300 + 80 × 0.6 = 348 t, coal_b 100 + 80 × 0.4 = 132 t.
    more = tmp_path / "more.csv"
    more.write_text("instrument,time,value,unit,kind\nW1,2025-01-20 08:00:00,80,t,amount\n", encoding="utf-8")
    store = ReadingsStore(tmp_path / "store")
    store.import_files("u", [long_csv(tmp_path), more])
    for source in ([long_csv(tmp_path), more], store.source("u")):
        with pytest.raises(ReadingsError) as exc:
            by_month(load(unit_data()), source)
        assert [(Path(i.file).name, i.row) for i in exc.value.issues] == [("more.csv", 2)]
        assert "1 readings name no target" in exc.value.message("en")
        got = by_month(load(unit_data(split={"coal_a": 0.6, "coal_b": 0.4})), source)
        assert got[("coal_a", "2025-01")] == pytest.approx(348.0)
        assert got[("coal_b", "2025-01")] == pytest.approx(132.0)


def test_wide_workbook_with_target_headers(tmp_path: Path) -> None:
    # the same weighings in an Excel sheet, headers 'W1：甲煤（t）' and 'W1:coal_b' (names and ids
    # mixed, the unit in full-width brackets): the same months as the long file
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["采集时间", "W1：甲煤（t）", "W1:coal_b"])
    for t, v, g in WEIGHINGS:
        ws.append([t, v if g == "coal_a" else None, v if g == "coal_b" else None])
    path = tmp_path / "地磅.xlsx"
    wb.save(path)
    assert by_month(load(unit_data()), [path]) == pytest.approx(EXPECTED)


def test_a_totaliser_register_through_every_door(tmp_path: Path) -> None:
    # a belt scale's register (kind total by type), each reading naming what passed since the
    # last: January 1300 − 1000 = 300 t coal_a, 1400 − 1300 = 100 and 1450 − 1400 = 50 t coal_b;
    # February 1650 − 1450 = 200 t coal_a
    register = [("2025-01-01 00:00:00", 1000, "coal_a"), ("2025-01-10 08:00:00", 1300, "coal_a"),
                ("2025-01-20 08:00:00", 1400, "coal_b"), ("2025-01-31 08:00:00", 1450, "coal_b"),
                ("2025-02-15 08:00:00", 1650, "coal_a")]
    long = tmp_path / "register.csv"
    long.write_text("instrument,time,value,target\n" + "".join(f"W1,{t},{v},{g}\n" for t, v, g in register),
                    encoding="utf-8")
    wide = tmp_path / "register-wide.csv"
    wide.write_text("time,W1:coal_a,W1:coal_b\n" + "".join(
        f"{t},{v if g == 'coal_a' else ''},{v if g == 'coal_b' else ''}\n" for t, v, g in register), encoding="utf-8")
    store = ReadingsStore(tmp_path / "store")
    store.import_file("long", long)
    store.import_file("wide", wide)
    unit = load(unit_data(type="belt_scale", accuracy="0.5"))
    expected = {("coal_a", "2025-01"): 300.0, ("coal_b", "2025-01"): 150.0,
                ("coal_a", "2025-02"): 200.0, ("coal_b", "2025-02"): 0.0}
    for door in ([long], [wide], store.source("long"), store.source("wide")):
        assert by_month(unit, door) == pytest.approx(expected), door


def test_a_target_written_where_the_unit_goes(tmp_path: Path) -> None:
    # 'W1（甲煤）' puts the target where the unit goes: its readings could not be converted and
    # were only counted as 'not analysed' before; now refused with the header to write
    path = wide_csv(tmp_path, second="W1（乙煤）")
    with pytest.raises(ReadingsError) as exc:
        run(load(unit_data()), [path], start=date(2025, 1, 1), end=date(2025, 3, 1))
    issue = exc.value.issues[0]
    assert (issue.row, issue.column, issue.value) == (1, "W1（乙煤）", "乙煤")
    assert "请把表头写作“W1:乙煤”" in exc.value.message("zh")
    assert 'head the column "W1:乙煤" (the unit may follow, as in "W1:乙煤 [t]")' in exc.value.message("en")


def oot_unit() -> Any:
    lime = {"kind": "process", "material": "limestone"}
    data = unit_data(confirmations=[
        {"date": "2025-01-01", "kind": "verification", "result": "pass", "as_found": "+0.01 %"},
        {"date": "2025-03-01", "kind": "verification", "result": "fail", "as_found": "-5 %"}])
    data["source_streams"] = [{"id": "coal_a", "name": "甲煤", "activity": "3000 t", **lime,
                               "parameters": {"emission_factor": "2 t/t"}},
                              {"id": "coal_b", "name": "乙煤", "activity": "1000 t", **lime,
                               "parameters": {"emission_factor": "1 t/t"}}]
    return load(data)


def test_out_of_tolerance_impact_follows_the_attribution(tmp_path: Path) -> None:
    # W1 weighs two process materials: a (2 t CO2 per t), b (1 t CO2 per t); it passed on
    # 1 January and failed on 1 March with an as-found error of −5 %. Its weighings in between:
    # a 300 + 200 = 500 t, b 100 t → carried 500 × 2 + 100 × 1 = 1 100 tCO2e, correction
    # 1 100 × 5 % = 55 tCO2e (before: all 600 t at a's 2 t/t = 1 200 and 60) — by every door
    unit = oot_unit()
    store = ReadingsStore(tmp_path / "store")
    store.import_file("wide", wide_csv(tmp_path))
    for door in ([long_csv(tmp_path)], [wide_csv(tmp_path)], store.source("wide")):
        rep = run(unit, door, start=date(2025, 1, 1), end=date(2025, 3, 1))
        [oot] = [f for f in rep.findings if f.code == "CAL-OOT"]
        assert oot.data["activity_by_stream"] == pytest.approx({"coal_a": 500.0, "coal_b": 100.0}), door
        assert oot.data["tco2e_carried"] == pytest.approx(1100.0)
        assert oot.data["tco2e_correction"] == pytest.approx(55.0)
        assert "coal_a 500.000 t + coal_b 100.000 t" in oot.message("en")


def test_out_of_tolerance_without_readings_estimates_each_target() -> None:
    # no readings: each stream's declared activity × 59/365 (1 January – 1 March):
    # a 3 000 × 59/365 = 484.932 t, b 1 000 × 59/365 = 161.644 t → carried
    # (3 000 × 2 + 1 000 × 1) × 59/365 = 1 131.507 tCO2e, correction × 5 % = 56.575
    # (before: a's 6 000 × 59/365 = 969.863 only)
    from tanjiliang.assess.engine import assess
    from tanjiliang.data.oot import oot_findings

    unit = oot_unit()
    [f] = oot_findings(unit, assess(unit), None)
    assert f.data["activity_by_stream"] == pytest.approx({"coal_a": 3000 * 59 / 365, "coal_b": 1000 * 59 / 365})
    assert f.data["tco2e_carried"] == pytest.approx(7000 * 59 / 365)
    assert f.data["tco2e_correction"] == pytest.approx(7000 * 59 / 365 * 0.05)
    assert f.data["estimated"] is True


# Hourly per-stream figures of one instrument in one row (a DCS export with a column per coal),
# the same hours in a long file's per-stream rows. W1 is a totaliser here: coal_a's register
# 10, 20 … 250 t (hours 00:00 of 1 Jan to 00:00 of 2 Jan), coal_b's 5, 10 … 125 t; January 1:
# coal_a 250 − 10 = 240 t, coal_b 125 − 5 = 120 t, the instrument 360 t. Before, the second
# column's readings were "duplicates" of the first (24 flagged) and coal_b got 0 t.
SAME_HOURS = [(f"2025-01-0{1 + (h == 24)} {h % 24:02d}:00:00", 10 * (h + 1), 5 * (h + 1)) for h in range(25)]


def _same_time_unit() -> Any:
    scale = {"id": "W1", "name": "皮带秤", "type": "belt_scale", "measures": ["coal_a", "coal_b"],
             "at": "boundary", "accuracy": "0.5", "last_confirmed": "2025-06-01"}
    return load(base_unit(source_streams=STREAMS, instruments=[scale]))


def _day(unit: Any, source: Any) -> tuple[dict[str, float], Any]:
    rep = run(unit, source, start=date(2025, 1, 1), end=date(2025, 1, 2))
    return {r["stream"]: r["activity"] for r in rep.stream_monthly.iter_rows(named=True)}, rep


@pytest.mark.parametrize("layout", ["wide", "long", "store of wide", "store of long"])
def test_several_targets_at_the_same_time_are_not_duplicates(tmp_path: Path, layout: str) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("时间,W1:coal_a,W1：乙煤 [t]\n" + "".join(f"{t},{a},{b}\n" for t, a, b in SAME_HOURS),
                    encoding="utf-8")
    long = tmp_path / "long.csv"
    long.write_text("instrument,time,value,unit,kind,target\n" + "".join(
        f"W1,{t},{a},t,total,coal_a\nW1,{t},{b},t,total,乙煤\n" for t, a, b in SAME_HOURS), encoding="utf-8")
    path = wide if "wide" in layout else long
    source: Any = [path]
    if layout.startswith("store"):
        store = ReadingsStore(tmp_path / "store")
        store.import_file("u", path)
        source = store.source("u")
    got, rep = _day(_same_time_unit(), source)
    assert got == {"coal_a": pytest.approx(240.0), "coal_b": pytest.approx(120.0)}
    assert rep.quality.flagged.height == 0
    assert rep.quality.summary["amount"].to_list() == [pytest.approx(360.0)]


def test_a_second_reading_of_the_same_target_at_a_time_is_still_a_duplicate(tmp_path: Path) -> None:
    # weighings: coal_a 100 t and coal_b 40 t at 08:00 are one weighing time of W1 (140 t);
    # coal_a again at 08:00 (a row written twice) is flagged, as before
    path = tmp_path / "r.csv"
    path.write_text("instrument,time,value,unit,kind,target\n"
                    "W1,2025-01-05 08:00:00,100,t,amount,coal_a\n"
                    "W1,2025-01-05 08:00:00,40,t,amount,coal_b\n"
                    "W1,2025-01-05 08:00:00,100,t,amount,coal_a\n"
                    "W1,2025-01-06 08:00:00,60,t,amount,coal_b\n", encoding="utf-8")
    rep = run(load(unit_data()), [path], start=date(2025, 1, 1), end=date(2025, 2, 1))
    assert rep.quality.flagged["flags"].to_list() == ["duplicate"]
    assert rep.quality.flagged["row"].to_list() == [4]
