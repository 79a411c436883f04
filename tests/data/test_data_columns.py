"""Issue 16: long-layout Parquet files are read as arrays (tanjiliang.data.columns) — the same
answers, table by table and issue by issue, as the polars path, whatever the order of the
rows, the units, kinds, unknown ids, unreadable rows, several files and a period filter."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import scan_many
from tanjiliang.model.unit import UnitFile

T0 = datetime(2025, 1, 1)
UNIT = UnitFile.model_validate({
    "unit": {"name": "columns", "year": 2025},
    "source_streams": [{"id": "coal", "name": "coal", "kind": "combustion",
                        "material": "bituminous_coal", "activity": "1000 t",
                        "parameters": {"ncv": "22 GJ/t"}}],
    "instruments": [
        {"id": f"B-{k}", "name": "belt", "type": "belt_scale", "measures": "coal", "at": "boundary",
         "accuracy": "0.5"} for k in range(3)] + [
        {"id": f"W-{k}", "name": "truck", "type": "truck_scale", "measures": "coal", "at": "boundary",
         "range": "0-40 t", "accuracy": "0.5"} for k in range(3)] + [
        {"id": "Q-1", "name": "calorimeter", "type": "calorimeter", "measures": "coal.ncv",
         "at": "lab", "accuracy": "0.5"}],
})


def readings(seed: int, n: int = 3000) -> pl.DataFrame:
    """Readings of the unit's instruments and of ids it does not have, with duplicates,
    falls, spikes, gaps, units to convert or not, and unreadable rows."""
    rng = np.random.default_rng(seed)
    ids = ["B-0", "B-1", "B-2", "W-0", "W-1", "W-2", "Q-1", "X-9", "ＷＸ"]
    inst = rng.choice(ids, n, p=[.15, .15, .1, .15, .1, .1, .15, .05, .05])
    hours = np.sort(rng.integers(-48, 24 * 400, n))
    value = np.where(np.char.startswith(inst.astype(str), "B"), np.cumsum(rng.integers(0, 5, n)) * 1.0,
                     rng.choice([0.0, 10.0, 10.0, 11.0, 12.5, 45.0, -1.0], n))
    value[rng.random(n) < 0.01] = np.nan
    value[rng.random(n) < 0.005] = np.inf
    unit = pl.Series(rng.choice(["t", "t", "kg", None, "furlong"], n, p=[.6, .1, .1, .15, .05]).tolist(),
                     dtype=pl.String)
    df = pl.DataFrame({"instrument": inst.astype(str), "time": [T0 + timedelta(hours=int(h)) for h in hours],
                       "value": value, "unit": unit})
    df = df.with_columns(pl.when(pl.col("unit") == "kg").then(pl.col("value") * 1000)
                         .otherwise(pl.col("value")).alias("value"),
                         pl.when(pl.int_range(pl.len()) % 97 == 5).then(None)
                         .otherwise(pl.col("time")).alias("time"),
                         pl.when(pl.int_range(pl.len()) % 211 == 7).then(None)
                         .otherwise(pl.col("instrument")).alias("instrument"))
    return df


def both(paths: list[Path], **kw: object) -> None:
    fast = scan_many(paths, None, *kw.pop("bounds", (None, None)))  # type: ignore[misc]
    assert fast.parquet is not None
    slow = dataclasses.replace(fast, parquet=None)
    a, b = analyse(fast, UNIT, **kw), analyse(slow, UNIT, **kw)  # type: ignore[arg-type]
    assert a.rows == b.rows
    for name in ("summary", "monthly", "flagged", "gaps", "daily"):
        x, y = getattr(a, name), getattr(b, name)
        if name == "flagged":  # ties in (instrument, time, row) come in either order
            x, y = x.sort(pl.all(), nulls_last=True), y.sort(pl.all(), nulls_last=True)
        assert x.equals(y), (name, x, y)
    assert [i.message("en") for i in a.issues] == [i.message("en") for i in b.issues]


@pytest.mark.parametrize("order", ["time", "instrument", "shuffled", "grouped"])
def test_same_answers_in_any_order(tmp_path: Path, order: str) -> None:
    df = readings(1)
    if order == "instrument":
        df = df.sort("instrument", "time", maintain_order=True, nulls_last=True)
    elif order == "shuffled":
        df = df.sample(fraction=1.0, shuffle=True, seed=3)
    elif order == "grouped":  # grouped by instrument, not in code order
        df = df.drop_nulls().sort(pl.col("instrument").str.reverse(), "time", maintain_order=True)
    path = tmp_path / "r.parquet"
    df.write_parquet(path, row_group_size=700)
    both([path])
    both([path], interval_s=1800.0)
    both([path], bounds=(datetime(2025, 2, 1), datetime(2025, 9, 1)))


def test_same_answers_with_kinds_files_and_time_units(tmp_path: Path) -> None:
    a, b = readings(2, 2000), readings(3, 1500)
    a = a.with_columns(pl.Series("kind", np.random.default_rng(4).choice(
        ["total", "amount", "reading", None, "weird"], a.height, p=[.05, .05, .05, .8, .05]).tolist(),
        dtype=pl.String))
    pa_, pb = tmp_path / "a.parquet", tmp_path / "b.parquet"
    a.write_parquet(pa_)
    b.with_columns(pl.col("time").cast(pl.Datetime("ms")),
                   pl.col("value").fill_nan(None).fill_null(0).cast(pl.Int64, strict=False)
                   ).write_parquet(pb)
    both([pa_, pb])
    both([pb, pa_], bounds=(datetime(2025, 3, 1), None))


def test_no_usable_rows(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    pl.DataFrame({"instrument": ["X-1", "B-0", "B-0"], "time": [T0, None, T0],
                  "value": [1.0, 2.0, None]}).write_parquet(path)
    both([path])


def test_warm_compiles_what_the_parquet_path_uses(tmp_path: Path) -> None:
    """The Parquet path's compiled functions keep the one signature compiled at install."""
    from tanjiliang.data import kernel
    from tanjiliang.data.warm import warm

    warm()
    df = readings(5, 500)
    path = tmp_path / "r.parquet"
    df.write_parquet(path)
    df.sort("instrument", "time", nulls_last=True).drop("unit").write_parquet(tmp_path / "s.parquet")
    analyse(scan_many([path], None), UNIT)
    analyse(scan_many([tmp_path / "s.parquet"], None), UNIT)
    for f in (kernel.prepare, kernel.arrange, kernel.check_instruments, kernel.instrument_bounds,
              kernel.month_runs, kernel.days_in_order):
        assert len(f.signatures) == 1, f


def test_month_start_and_median_as_numpy() -> None:
    """The compiled month start against the calendar, and the compiled median against
    np.median (the middle ranks found from a sample's bracket, or by selection)."""
    from datetime import date

    from tanjiliang.data import kernel

    for d in range(-800, 40_000, 7):
        day = date(1970, 1, 1) + timedelta(days=d)
        assert kernel._month_start(d) == (day.replace(day=1) - date(1970, 1, 1)).days
    rng = np.random.default_rng(0)
    for trial in range(600):
        n = int(rng.choice([1, 2, 3, 64, 250, 511, 512, 513, 600, 1001, 5000]))
        a = [rng.normal(size=n), rng.choice([0.0, 1.0, 2.0], size=n, p=[.6, .2, .2]),
             np.sort(rng.exponential(size=n)), np.where(rng.random(n) < .05, 1e9, rng.random(n)),
             np.cumsum(rng.integers(0, 3, n)).astype(float)][trial % 5]
        before = a.copy()
        assert kernel._median(a) == np.median(before)
        assert np.array_equal(a, before)
        assert kernel._median_in_place(before.copy()) == np.median(before)


def test_kth_as_a_sort() -> None:
    """The small arrays' selection (kernel._kth: quickselect with a partition that does not
    branch, ties set apart) against a sort: the k-th value, and the array split around it."""
    from tanjiliang.data import kernel

    rng = np.random.default_rng(1)
    for trial in range(3000):
        n = int(rng.integers(1, 520))
        a = [rng.normal(size=n), rng.choice([0.0, 1.0, 2.0], size=n), np.full(n, 7.0),
             np.sort(rng.random(n)), -np.sort(rng.random(n)),
             np.cumsum(rng.integers(0, 3, n)).astype(float)][trial % 6]
        k = int(rng.integers(0, n))
        work = a.copy()
        value = kernel._kth(work, k)
        assert value == np.sort(a)[k]
        assert not (work[:k] > value).any() and not (work[k + 1:] < value).any()
        assert np.array_equal(np.sort(work), np.sort(a))


def _prepare_in_parts(files: list[tuple[np.ndarray, ...]], parts: int, n_iid: int,
                      kind_of_key: np.ndarray) -> tuple[np.ndarray, ...]:
    """kernel.prepare over ``files`` (codes, time, value) with state carried, in ``parts``."""
    from tanjiliang.data import kernel

    n = sum(len(f[1]) for f in files)
    iid, key = np.zeros(n, dtype=np.uint32), np.zeros(n, dtype=np.uint32)
    status = np.full(n, 255, dtype=np.uint8)
    unknown, unusable = np.zeros(n_iid + 3, dtype=np.int64), np.zeros(len(kind_of_key), dtype=np.int64)
    state = np.zeros(6 + n_iid, dtype=np.int64)
    state[0], state[2], state[3] = -1, 1, 1
    imap = np.array([*range(n_iid), -1, -1, -1], dtype=np.int64)  # two unknown codes, then none
    at = 0

    def ro(a: np.ndarray) -> np.ndarray:  # as the checks pass them (one compiled signature)
        a = a.view()
        a.flags.writeable = False
        return a

    for icode, time, value in files:
        kernel.prepare(*(ro(a) for a in (icode, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32),
                                          time, value, imap, np.zeros(1, dtype=np.int64),
                                          np.zeros(1, dtype=np.int64))), 1, 1,
                       ro(kind_of_key), True, 0, 10**12, at, parts, iid, key, status, unknown, unusable,
                       state)
        at += len(time)
    good = status == kernel.GOOD
    return state, status, np.where(good, iid, 0), unknown, unusable


def test_prepare_in_parallel_parts_as_in_one_pass() -> None:
    """kernel.prepare judges a file's rows in parts on several threads and joins them: the
    statuses, codes, counts and the order found (grouped by instrument, time sorted) are those
    of one pass over every row, for rows grouped or not, sorted or not, cut anywhere, across
    files (state carried), with unknown ids, unusable keys, rows outside the period and
    unreadable rows."""
    rng = np.random.default_rng(16)
    n_iid = 5
    kind_of_key = np.array([0, 1, 2, -1, 0], dtype=np.int8)  # instrument 3: unusable
    for trial in range(400):
        files = []
        for _ in range(int(rng.integers(1, 4))):
            n = int(rng.integers(0, 60))
            shape = trial % 4
            icode = (np.sort(rng.integers(0, n_iid, n)) if shape < 2 else rng.integers(-1, n_iid + 2, n)).astype(np.int32)
            if shape == 1 and n > 3:  # grouped, one instrument coming back
                icode[-1] = icode[0]
            time = np.arange(n, dtype=np.int64) * 900_000_000 + 10**9
            if shape == 2:
                time = rng.permutation(time)
            if shape == 3:
                time[rng.random(n) < .05] = kernel_nat()
                time[rng.random(n) < .05] = 2 * 10**12  # outside the period
            value = rng.normal(size=n)
            value[rng.random(n) < .05] = np.nan
            files.append((icode, time, value))
        one = _prepare_in_parts(files, 1, n_iid, kind_of_key)
        for parts in (2, 3, 7):
            many = _prepare_in_parts(files, parts, n_iid, kind_of_key)
            for a, b in zip(one, many, strict=True):
                assert np.array_equal(a, b), (trial, parts)


def kernel_nat() -> int:
    from tanjiliang.data import kernel

    return int(kernel.NAT)
