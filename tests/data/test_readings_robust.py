"""Issue 18 (bad input never crashes): everyday readings files are read or answered with exit 2
naming the file and line — never a traceback — and JSON output never holds NaN or Infinity.

Each case here crashed ``tanjiliang data check`` before (31 % of 595 probe runs)."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.data.readings import ReadingsError, scan_readings, sniff_csv

PLANT = Path(__file__).parent / "fixtures" / "plant.yaml"
ROWS = ([f"W-01,2025-01-{d:02d} 00:00:00,{100 + d}" for d in range(1, 29)]
        + [f"E-01,2025-01-{d:02d} 00:00:00,{1000 + d * 10}" for d in range(1, 29)])
BODY = "instrument,time,value\n" + "\n".join(ROWS) + "\n"
ZH_BODY = BODY.replace("instrument,time,value", "器具编号,采集时间,数值")


def _check(*args: str) -> tuple[int, str, dict | None]:
    res = CliRunner().invoke(app, ["data", "check", str(PLANT), *args, "--format", "json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    out = res.stdout
    data = None
    if res.exit_code in (0, 1):
        # strict JSON: NaN and Infinity are refused
        data = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))
    return res.exit_code, res.output, data


def _amounts(data: dict) -> dict[str, float]:
    return {r["instrument"]: r["amount"] for r in data["instruments"]}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, float]:
    f = tmp_path_factory.mktemp("ref") / "ok.csv"
    f.write_text(BODY)
    code, out, data = _check(str(f))
    assert code == 1 and data is not None, out
    return _amounts(data)


@pytest.mark.parametrize("name,content", [
    ("gbk.csv", ZH_BODY.encode("gbk")),
    ("utf16.csv", ZH_BODY.encode("utf-16")),
    ("bom.csv", codecs.BOM_UTF8 + ZH_BODY.encode()),
    ("zh.csv", ZH_BODY.encode()),
    ("tab.csv", BODY.replace(",", "\t").encode()),
])
def test_encodings_separators_and_chinese_headers_read_the_same(tmp_path, reference, name, content):
    f = tmp_path / name
    f.write_bytes(content)
    code, out, data = _check(str(f))
    assert code == 1 and data is not None, out
    assert data["rows"] == 56
    assert _amounts(data) == reference


def test_semicolons_with_decimal_commas(tmp_path, reference):
    lines = BODY.replace(",", ";").splitlines()
    text = "\n".join([lines[0]] + [re.sub(r";(\d+)$", r";\1,5", ln) for ln in lines[1:]]) + "\n"
    f = tmp_path / "semi.csv"
    f.write_text(text)
    assert sniff_csv(f).decimal_comma and sniff_csv(f).separator == ";"
    code, out, data = _check(str(f))
    assert code == 1 and data is not None, out
    # each register 0.5 higher: amounts unchanged for totalisers, +0.5 per amount row
    got = _amounts(data)
    assert got["E-01"] == reference["E-01"]
    assert got["W-01"] == pytest.approx(reference["W-01"] + 28 * 0.5)


@pytest.mark.parametrize("content,said", [
    ("", "文件为空"),
    ("instrument,time,value\n", "只有表头"),
    ("器具编号,采集时间,数值\n", "只有表头"),
])
def test_empty_and_header_only_files_are_no_data(tmp_path, content, said):
    f = tmp_path / "r.csv"
    f.write_text(content)
    code, out, data = _check(str(f))
    assert code in (0, 1) and data is not None, out
    assert data["rows"] == 0
    messages = " ".join(i["message"] for i in data["issues"])
    assert said in messages and "无数据" in messages


def test_a_period_without_readings_is_no_data(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(BODY)
    code, out, data = _check(str(f), "--from", "2026-01-01", "--to", "2026-02-01")
    assert code in (0, 1) and data is not None, out
    assert "无数据" in " ".join(i["message"] for i in data["issues"])
    assert all(r["amount"] in (0, None) for r in data["instruments"])


@pytest.mark.parametrize("period", [("2025-02-01", "2025-01-01"), ("2025-01-05", "2025-01-05")])
def test_empty_or_reversed_period_is_refused(tmp_path, period):
    # probe s9 #16: before, a "no data" result (exit 0) whose message showed a date not typed
    f = tmp_path / "r.csv"
    f.write_text(BODY)
    code, out, data = _check(str(f), "--from", period[0], "--to", period[1])
    assert code == 2 and data is None, out
    assert f"--from {period[0]} 不早于 --to {period[1]}" in out, out


def test_ragged_line_reported_by_its_number(tmp_path):
    lines = BODY.splitlines()
    lines[700 % len(lines)] += ",extra,x"
    f = tmp_path / "r.csv"
    f.write_text("\n".join(lines) + "\n")
    code, out, _ = _check(str(f))
    assert code == 2
    assert f"{f}:{700 % len(lines) + 1}" in out and "5 个字段" in out


def test_short_line_is_a_bad_row_not_a_crash(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(BODY.replace("W-01,2025-01-05 00:00:00,105", "W-01,2025-01-05 00:00:00"))
    code, out, data = _check(str(f))
    assert code == 1 and data is not None, out


def test_non_finite_values_are_bad_values_and_json_stays_valid(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("instrument,time,value\nW-01,2025-01-01,NaN\nW-01,2025-01-02,inf\n"
                 "W-01,2025-01-03,-inf\nW-01,2025-01-04,1e400\nW-01,2025-01-05,5\n")
    code, out, data = _check(str(f))
    assert code == 1 and data is not None, out
    w = next(r for r in data["instruments"] if r["instrument"] == "W-01")
    assert w["bad_value"] == 4
    assert "NaN" not in out and "Infinity" not in out


@pytest.mark.parametrize("name,content,said", [
    ("bad.parquet", b"PAR1" + b"\x00" * 100 + b"garbage", "Parquet"),
    ("bad.xlsx", b"PK\x03\x04 not really a workbook", "Excel"),
    ("bin.csv", bytes(range(256)) * 40, "CSV"),
])
def test_corrupt_files_exit_2_naming_the_file(tmp_path, name, content, said):
    f = tmp_path / name
    f.write_bytes(content)
    code, out, _ = _check(str(f))
    assert code == 2, out
    assert str(f) in out and said in out


def test_folder_instead_of_a_file(tmp_path):
    d = tmp_path / "r.csv"
    d.mkdir()
    code, out, _ = _check(str(d))
    assert code == 2 and "文件夹" in out
    with pytest.raises(ReadingsError):
        scan_readings(d)


def test_parquet_with_a_flipped_byte_never_reaches_polars_decoder(tmp_path):
    """Found by the fuzzer: byte 42 set to 0x7f made polars abort the whole process (an
    allocation of 2**61 bytes); others made it panic. A flipped byte is now either read or
    refused with the file named."""
    import io

    import polars as pl

    buf = io.BytesIO()
    pl.DataFrame({"instrument": ["W-01"] * 3, "time": ["2025-01-01"] * 3,
                  "value": [1.0, 2.0, 3.0]}).write_parquet(buf)
    good = buf.getvalue()
    f = tmp_path / "r.parquet"
    for pos in sorted({42, *range(4, len(good) - 8, 4)}):  # every 4th byte and the one found
        b = bytearray(good)
        b[pos] = 0x7F
        f.write_bytes(bytes(b))
        try:
            scan_readings(f, {"W-01"}).frame.collect()
        except ReadingsError as err:
            assert str(f) in err.issues[0].file


def test_zip_bomb_workbook_refused_before_reading(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    code, out, _ = _check(str(bomb))
    assert code == 2 and "压缩炸弹" in out
    r = CliRunner().invoke(app, ["ledger", "import", str(PLANT), str(bomb)])
    assert r.exit_code == 2 and "压缩炸弹" in r.output


def test_ragged_line_far_down_a_large_file_is_named(tmp_path):
    """Beyond the rows read when the file is opened, polars only fails during the analysis:
    the line is still named (a ragged line in a million)."""
    rows = [f"W-01,2025-01-01 00:00:00.{i:06d},{i}" for i in range(30_000)]
    rows[25_000] += ",x"
    f = tmp_path / "r.csv"
    f.write_text("instrument,time,value\n" + "\n".join(rows) + "\n")
    code, out, _ = _check(str(f))
    assert code == 2 and f"{f}:25002" in out, out


DAS = ("point,time,co2,flow,temperature,pressure,moisture\n"
       "S1,2025-01-01 00:00:00,12.5,100000,120,101.3,8\nS1,2025-01-01 01:00:00,12.4,100000,120,101.3,8\n")


# exit 1 where the export has data: the rest of the year is filled, and data cems says so
# (probe s9 #6); a header alone: no point, nothing to say
@pytest.mark.parametrize("name,content,code", [
    ("ok.csv", DAS.encode(), 1),
    ("semi.csv", DAS.replace(",", ";").replace("12.5", "12,5").replace("101.3", "101,3").encode(), 1),
    ("gbk.csv", DAS.encode("gbk"), 1),
    ("header.csv", DAS.splitlines()[0].encode() + b"\n", 0),
    ("nan.csv", DAS.replace("12.5", "NaN").replace("100000", "inf", 1).encode(), 1),
    ("empty.csv", b"", 2),
    ("ragged.csv", (DAS + "S1,2025-01-01 02:00:00,1,2,3,4,5,6\n").encode(), 2),
    ("columns.csv", BODY.encode(), 2),
    ("bad.parquet", b"PAR1garbagePAR1", 2),
])
def test_cems_exports_never_crash(tmp_path, name, content, code):
    f = tmp_path / name
    f.write_bytes(content)
    res = CliRunner().invoke(app, ["data", "cems", str(PLANT), str(f), "--format", "json"])
    assert res.exit_code == code, (res.output, res.exception)
    if code in (0, 1):
        json.loads(res.stdout, parse_constant=lambda c: pytest.fail(c))
    else:
        assert str(f) in res.output


def test_decoded_parquet_table_validated_as_in_full():
    """read_parquet_table's check (issue 16: the full validation's pass over every dictionary
    index cost 8 ms a text column) refuses what ``validate(full=True)`` refuses: a dictionary
    index outside its dictionary, text that is not UTF-8 — and passes a sound table."""
    import pyarrow as pa

    from tanjiliang.data.readings import _validate

    words = pa.array(["W-01", "E-01"])
    good = pa.table({"i": pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 1], pa.int32()), words),
                     "v": pa.array([1.0, None, 3.0, 4.0]), "n": pa.array([None] * 4, pa.int32())})
    _validate(good)
    good.validate(full=True)
    outside = pa.table({"i": pa.DictionaryArray.from_arrays(pa.array([0, 2], pa.int32()), words, safe=False)})
    bad_text = pa.Array.from_buffers(pa.string(), 1, [None, pa.py_buffer(b"\x00\x00\x00\x00\x02\x00\x00\x00"),
                                                       pa.py_buffer(b"\xff\xfe")])
    not_utf8 = pa.table({"i": pa.DictionaryArray.from_arrays(pa.array([0], pa.int32()), bad_text),
                         "s": pa.array(["x"])})
    plain_text = pa.table({"s": bad_text})
    for table in (outside, not_utf8, plain_text):
        with pytest.raises(pa.ArrowInvalid):
            table.validate(full=True)
        with pytest.raises((pa.ArrowInvalid, ValueError)):
            _validate(table)


@pytest.mark.parametrize("header", ["value", "column"])
def test_wide_column_named_like_the_unpivot_columns(tmp_path, header):
    """A wide file (or a long one whose instrument header is damaged) with a column headed
    "value" or "column" is read, not a DuplicateError from polars (found by fuzzing)."""
    f = tmp_path / "w.csv"
    f.write_text(f"time,{header},W-01\n2025-01-01 01:00,1.5,2.5\n2025-01-01 02:00,3.5,4.5\n")
    df = scan_readings(f).frame.collect().sort("instrument", "time")
    assert df["instrument"].to_list() == ["W-01", "W-01", header, header]
    assert df["value"].to_list() == [2.5, 4.5, 1.5, 3.5]
    with_ids = scan_readings(f, {"W-01"})
    assert with_ids.frame.collect()["value"].to_list() == [2.5, 4.5]
    assert any(header in i.message("en") for i in with_ids.issues)
