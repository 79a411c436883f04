"""Readings checks on a generated year with planted faults whose answers the test knows
(tanjiliang.data.synth.plant_year); the same answers from CSV, Parquet, a wide layout, an
out-of-order file and the batched (spilled) path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tanjiliang.assess.engine import assess
from tanjiliang.data.activity import reconcile, stream_activity
from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import ReadingsError, scan_many
from tanjiliang.data.synth import plant_year
from tanjiliang.model.load import load_unit

FIXTURE = Path(__file__).parent / "fixtures" / "plant.yaml"


@pytest.fixture(scope="module")
def unit():
    return load_unit(FIXTURE)


@pytest.fixture(scope="module")
def year():
    return plant_year(2025)


@pytest.fixture(scope="module")
def files(tmp_path_factory, year):
    df, _ = year
    d = tmp_path_factory.mktemp("readings")
    csv, pq = d / "plant.csv", d / "plant.parquet"
    df.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).write_csv(csv)
    df.write_parquet(pq)
    return csv, pq


@pytest.fixture(scope="module")
def result(unit, files):
    return analyse(scan_many([files[0]], {i.id for i in unit.instruments}), unit)


def _flag_times(q, ident, flag):
    return q.flagged.filter((pl.col("instrument") == ident) & pl.col("flags").str.contains(flag))["time"].to_list()


def test_planted_faults_are_found_where_planted(result, year) -> None:
    _, planted = year
    q = result
    for ident, faults in planted.faults.items():
        for fault, times in faults.items():
            if fault == "reads_low_july":
                continue
            found = _flag_times(q, ident, fault)
            for t in times:
                assert t in found, (ident, fault, t)
    # stuck: the 24 identical hours, all of them
    assert len(_flag_times(q, "T-01", "stuck")) == 24
    # nothing flagged on the clean instruments
    clean = q.summary.filter(pl.col("instrument").is_in(["W-12", "E-11", "E-12", "F-01"]))
    assert clean.select(pl.sum_horizontal("duplicates", "negative", "out_of_range", "resets",
                                          "rollovers", "stuck", "spikes")).to_series().sum() == 0


def test_gap_and_coverage(result) -> None:
    w01 = result.instrument("W-01")
    # 48 hourly amounts removed from 8760: coverage (8760 - 48) / 8760
    assert w01["missing"] == 48 and w01["gaps"] == 1
    assert w01["coverage_percent"] == pytest.approx(100 * (8760 - 48) / 8760)
    gap = result.gaps.filter(pl.col("instrument") == "W-01").row(0, named=True)
    assert (gap["gap_from"], gap["gap_to"], gap["missing"]) == \
        (datetime(2025, 3, 9, 23), datetime(2025, 3, 12, 0), 48)
    assert result.instrument("E-01")["coverage_percent"] == 100.0


def test_monthly_amounts_equal_the_planted_truth(result, year) -> None:
    _, planted = year
    m = result.monthly
    for ident in ("W-01", "W-11", "W-12", "E-01", "E-11", "F-01"):
        got = {r["month"].month: r["amount"] for r in m.filter(pl.col("instrument") == ident).to_dicts()}
        # W-11: the rollover (+1 000 000 wrap) and the reset are bridged, nothing lost;
        # E-01 is in kWh and F-01 in Nm3: converted to MWh and 万Nm3
        want = planted.monthly[ident]
        assert got.keys() == want.keys(), ident
        for k in want:
            assert got[k] == pytest.approx(want[k], rel=1e-9), (ident, k)


def test_reconciliation_flags_july_power_and_the_march_coal_gap(unit, result) -> None:
    a = assess(unit, None, None)
    rec = reconcile(unit, a, result)
    bad = {(r["stream"], r["month"].month) for r in rec.filter(pl.col("status") == "unreconciled").to_dicts()}
    # July: E-13 reads 5 % low, ≈ 111 MWh against ≈ 46 MWh allowed by 0.2S + 3 × 0.5S;
    # March: the 48-hour gap of the rail scale (≈ 5 500 t) against ≈ 500 t allowed;
    # June: a spike of 20 × one hour on belt scale W-11 (≈ 1 100 t)
    assert bad == {("power", 7), ("coal", 3), ("coal", 6)}
    july = rec.filter((pl.col("stream") == "power") & (pl.col("month").dt.month() == 7)).row(0, named=True)
    assert july["main"] == "E-01" and set(july["subs"].split(",")) == {"E-11", "E-12", "E-13"}
    # allowed = Σ MPE × amount, the main meter at 0.2 %, the sub-meters at 0.5 %
    assert july["allowed"] == pytest.approx(0.002 * july["main_amount"] + 0.005 * july["sub_amount"])


def test_stream_activity_and_tonnes_at_stake(unit, result, year) -> None:
    _, planted = year
    a = assess(unit, None, None)
    monthly, summary = stream_activity(unit, a, result)
    power = summary.filter(pl.col("stream") == "power").row(0, named=True)
    assert power["instruments"] == "E-01"
    assert power["metered"] == pytest.approx(sum(planted.monthly["E-01"].values()), rel=1e-9)
    coal = summary.filter(pl.col("stream") == "coal").row(0, named=True)
    # 48 missing hours of W-01 at its mean amount per hour, times coal's tCO2e per t
    w01 = result.instrument("W-01")
    missing_t = w01["amount"] / w01["distinct"] * 48
    assert coal["missing_activity"] == pytest.approx(missing_t)
    assert coal["tco2e_at_stake"] == pytest.approx(missing_t * a.stream("coal").emissions_tco2e / 1_000_000)
    assert monthly.filter(pl.col("stream") == "coal").height == 12


def test_same_answers_from_parquet_out_of_order_and_batched(unit, files, result, tmp_path) -> None:
    ids = {i.id for i in unit.instruments}
    from_parquet = analyse(scan_many([files[1]], ids), unit)
    assert from_parquet.summary.drop("interval_s").equals(result.summary.drop("interval_s"))
    shuffled = tmp_path / "shuffled.parquet"
    pl.read_parquet(files[1]).sort("time", "instrument").write_parquet(shuffled)
    out_of_order = analyse(scan_many([shuffled], ids), unit)
    # equal up to the order of floating-point summation
    assert_frame_equal(out_of_order.summary, from_parquet.summary, check_exact=False, rel_tol=1e-12)
    batched = analyse(scan_many([files[1]], ids), unit, batch_rows=20_000)  # spilled, 4 batches
    assert_frame_equal(batched.summary, from_parquet.summary, check_exact=False, rel_tol=1e-12)
    assert_frame_equal(batched.monthly, from_parquet.monthly, check_exact=False, rel_tol=1e-12)
    assert_frame_equal(batched.flagged.drop("file"), from_parquet.flagged.drop("file"))


def test_wide_layout_and_excel(unit, year, tmp_path) -> None:
    df, planted = year
    wide = (df.filter(pl.col("instrument").is_in(["E-11", "E-12"]))
            .pivot(on="instrument", index="time", values="value")
            .rename({"E-11": "E-11 [MWh]", "E-12": "E-12（MWh）"}).sort("time"))
    path = tmp_path / "wide.csv"
    wide.with_columns(pl.col("time").dt.strftime("%Y/%m/%d %H:%M")).write_csv(path)
    r = scan_many([path], {i.id for i in unit.instruments})
    assert r.layouts[str(path)] == "wide"
    q = analyse(r, unit)
    got = {r["month"].month: r["amount"] for r in q.monthly.filter(pl.col("instrument") == "E-12").to_dicts()}
    assert got == pytest.approx(planted.monthly["E-12"], rel=1e-9)
    # a small Excel export of January in the same wide layout
    from openpyxl import Workbook

    jan = wide.filter(pl.col("time") <= datetime(2025, 2, 1))  # the register closing January
    wb = Workbook()
    ws = wb.active
    ws.append(["时间", *jan.columns[1:]])
    for row in jan.iter_rows():
        ws.append(list(row))
    xlsx = tmp_path / "jan.xlsx"
    wb.save(xlsx)
    qx = analyse(scan_many([xlsx], {i.id for i in unit.instruments}), unit)
    jan_amount = qx.monthly.filter((pl.col("instrument") == "E-12") & (pl.col("month").dt.month() == 1))["amount"][0]
    assert jan_amount == pytest.approx(planted.monthly["E-12"][1], rel=1e-9)


def test_bad_input_is_reported_never_dropped_silently(unit, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "instrument,time,value,unit\n"
        "W-01,2025-01-01 00:00:00,10,t\n"
        "W-01,2025-01-01 01:00:00,abc,t\n"      # not a number → flagged bad_value
        "W-01,2025-13-01 02:00:00,12,t\n"       # not a time → flagged bad_time
        "W-01,2025-01-01 03:00:00,13,m3\n"      # a volume for a mass meter → issue
        "W-01,2025-01-01 04:00:00,NaN,t\n"      # "not a number" is no reading → bad_value
        "X-99,2025-01-01 00:00:00,1,t\n",       # not in the ledger → issue
        encoding="utf-8")
    # in one batch, and spilled to disk in batches of two readings: the same answers
    for batch_rows in (16_000_000, 2):
        q = analyse(scan_many([path], {i.id for i in unit.instruments}), unit, batch_rows=batch_rows)
        flags = dict(zip(q.flagged["row"].to_list(), q.flagged["flags"].to_list(), strict=True))
        assert flags == {3: "bad_value", 4: "bad_time", 6: "bad_value"}
        assert q.instrument("W-01")["amount"] == 10.0  # the NaN does not poison the sum
        messages = [i.message("en") for i in q.issues]
        assert any("X-99" in m and "not an instrument of the ledger; 1 readings" in m for m in messages)
        assert any('"m3" cannot be converted' in m and "1 readings not analysed" in m for m in messages)
    with pytest.raises(ReadingsError):
        scan_many([tmp_path / "nope.csv"])


def test_excel_cells_are_read_exactly_with_their_row_numbers(unit, tmp_path) -> None:
    """calamine's display text rounds numbers; the reader must not (and must keep rows)."""
    from openpyxl import Workbook

    from tanjiliang.data.readings import read_excel_text

    wb = Workbook()
    ws = wb.active
    ws.append(["instrument", "time", "value", "unit"])
    ws.append(["W-01", datetime(2025, 1, 1, 0), 10.1234567890123, "t"])     # row 2
    ws.append(["W-01", "2025-01-01 01:00:00", "abc", "t"])                  # row 3: text cells
    ws.append([None, None, None, None])                                     # row 4: empty
    ws.append(["W-01", datetime(2025, 1, 1, 2), 12, "t"])                   # row 5: a whole number
    ws.append(["W-01", datetime(2025, 1, 1, 3), "1,234.5", "t"])            # row 6: text number
    path = tmp_path / "readings.xlsx"
    wb.save(path)
    text = read_excel_text(path)
    assert text["value"].to_list() == ["10.1234567890123", "abc", None, "12", "1,234.5"]
    assert text["time"].to_list()[:2] == ["2025-01-01 00:00:00", "2025-01-01 01:00:00"]
    q = analyse(scan_many([path], {i.id for i in unit.instruments}), unit)
    flags = dict(zip(q.flagged["row"].to_list(), q.flagged["flags"].to_list(), strict=True))
    assert flags[3] == "bad_value" and "out_of_range" in flags[6]  # numbered as in the sheet
    assert 4 not in flags  # the empty row is no reading
    assert q.instrument("W-01")["n"] == 3 and q.instrument("W-01")["bad_value"] == 1
    assert q.instrument("W-01")["amount"] == 10.1234567890123 + 12 + 1234.5


def test_a_file_with_a_header_only_is_reported_and_the_others_are_checked(unit, tmp_path) -> None:
    empty, one = tmp_path / "empty.csv", tmp_path / "one.csv"
    empty.write_text("instrument,time,value,unit\n", encoding="utf-8")
    one.write_text("instrument,time,value,unit\nW-01,2025-01-01 01:00:00,10,t\n", encoding="utf-8")
    q = analyse(scan_many([empty, one], {i.id for i in unit.instruments}), unit)
    assert q.rows == 1 and q.instrument("W-01")["amount"] == 10.0
    assert [i.message("en") for i in q.issues] == [f"{empty}: the file holds no readings (a header only)"]


def test_spikes_where_most_values_are_equal(unit, tmp_path) -> None:
    """MAD is 0 when more than half the values are equal (whole-tonne registers), or equal but
    for rounding: the plain modified z-score then flags nothing, or every other value. The
    MeanAD form (rules.yaml spike_zero_mad_factor) flags the planted spike and nothing else."""
    hours = pl.datetime_range(datetime(2025, 1, 1, 1), datetime(2025, 2, 12, 16), "1h", eager=True)
    n = len(hours)  # 1000
    k = pl.Series(range(n))
    step = (k % 10 >= 7).cast(pl.Float64)                            # 70 % of hours 100 t, 30 % 101 t
    inc = (100.0 + step).scatter(500, 400.0)                         # one increment of 400 t
    total = inc.cum_sum() + 1000.0                                   # W-12: a whole-tonne register
    amount = (50.0 + 2.0 * step + k * 1e-13).scatter(700, 150.0)     # W-01: 50/52 t, rounding noise
    frame = pl.concat([
        pl.DataFrame({"instrument": "W-12", "time": hours, "value": total}),
        pl.DataFrame({"instrument": "W-01", "time": hours, "value": amount}),
    ]).with_columns(pl.lit("t").alias("unit"))
    path = tmp_path / "discrete.parquet"
    frame.write_parquet(path)
    q = analyse(scan_many([path], {i.id for i in unit.instruments}), unit)
    assert _flag_times(q, "W-12", "spike") == [hours[500]]
    assert _flag_times(q, "W-01", "spike") == [hours[700]]


def test_readings_less_than_a_second_apart_are_put_in_order(unit, tmp_path) -> None:
    path = tmp_path / "subsecond.csv"
    path.write_text(
        "instrument,time,value,unit\n"
        "W-12,2025-01-01 00:00:00.000,100,t\n"
        "W-12,2025-01-01 00:00:01.500,102,t\n"
        "W-12,2025-01-01 00:00:01.200,101,t\n"   # out of order within one second
        "W-12,2025-01-01 00:00:02.000,103,t\n",
        encoding="utf-8")
    q = analyse(scan_many([path], {i.id for i in unit.instruments}), unit)
    assert q.instrument("W-12")["resets"] == 0 and q.instrument("W-12")["amount"] == 3.0



def test_batch_size_follows_available_memory() -> None:
    """Issue 16: batches are sized by memory, not a fixed 16 M rows. With 10 GiB available,
    half of it at BYTES_PER_ROW (200 B) holds 10·2³⁰ / 2 / 200 = 26 843 545 readings; a
    small machine still gets the floor of 2 M."""
    from tanjiliang.data.quality import MIN_BATCH_ROWS, default_batch_rows

    assert default_batch_rows(10 << 30) == 26_843_545
    assert default_batch_rows(100 << 20) == MIN_BATCH_ROWS
    assert default_batch_rows() >= MIN_BATCH_ROWS


def test_kernel_keeps_one_signature_whatever_the_arrays(unit, files) -> None:
    """Issue 16: numba compiled the pass again when an input happened to be read-only (a
    first run of 37 s instead of 9 s). Every input reaches the kernel read-only, so files
    whose columns come out of polars as copies or as views, and lookups with one or several
    units, all use the one compiled signature."""
    from tanjiliang.data import kernel
    from tanjiliang.data.warm import warm

    warm()  # what `make install` compiles must be what the checks use
    ids = {i.id for i in unit.instruments}
    year = pl.read_parquet(files[1])
    one = year.filter(pl.col("instrument") == sorted(ids)[0])
    # Without unit and kind columns the lookup has one unit and one kind: its broadcast
    # tables are read-only views. With a kind column they are fresh (writable) copies.
    plain, kinds = files[1].parent / "plain.parquet", files[1].parent / "kinds.parquet"
    one.drop("unit", "kind").write_parquet(plain)
    one.with_columns(pl.lit("reading").alias("kind")).write_parquet(kinds)
    analyse(scan_many([plain], ids), unit)
    analyse(scan_many([kinds], ids), unit)
    analyse(scan_many([files[0]], ids), unit)  # CSV: columns built by the reader
    assert len(kernel.check_instruments.signatures) == 1
