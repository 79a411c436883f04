"""Issue 16: the readings checks' work arrays are lent by a pool and kept for the next check
(tanjiliang.data.buffers), the compiled pass splits its instruments into runs of about equal
rows, one per thread — and none of it changes an answer: the same tables with one thread or
two, and nothing of a check left alive in reference cycles once it is over."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import numba
import numpy as np
import polars as pl
import pytest
from tests.data.test_data_columns import UNIT, readings

from tanjiliang.data import kernel
from tanjiliang.data.buffers import Pool
from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import scan_many


def test_a_lease_lends_and_the_pool_keeps() -> None:
    pool = Pool(keep_s=60)
    with pool.lease() as lease:
        a = lease.empty(1000, np.float64)
        b = lease.empty2(4, 10, np.uint8)
        assert a.shape == (1000,) and a.dtype == np.float64 and a.flags.writeable
        assert b.shape == (4, 10) and b.flags.c_contiguous
        a[:] = 1.0
        address = a.__array_interface__["data"][0]
    assert pool.kept_bytes >= 8000 + 40
    with pool.lease() as lease:  # the next check gets the same memory, not new pages
        c = lease.empty(500, np.int64)
        assert c.__array_interface__["data"][0] == address
        d = lease.empty(1000, np.float64)  # the other one is in use: a new one
        assert d.__array_interface__["data"][0] != address
    pool.clear()
    assert pool.kept_bytes == 0


def test_two_checks_at_once_never_share_an_array() -> None:
    pool = Pool(keep_s=60)
    with pool.lease() as lease:
        lease.empty(100, np.int64)
    seen: list[int] = []
    barrier = threading.Barrier(2)

    def check() -> None:
        with pool.lease() as lease:
            a = lease.empty(100, np.int64)
            seen.append(a.__array_interface__["data"][0])
            barrier.wait()

    threads = [threading.Thread(target=check) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 2


def test_unused_arrays_are_let_go() -> None:
    pool = Pool(keep_s=0.05)
    with pool.lease() as lease:
        lease.empty(10_000, np.float64)
    assert pool.kept_bytes > 0
    deadline = time.monotonic() + 5
    while pool.kept_bytes and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pool.kept_bytes == 0


def test_runs_cover_every_instrument_once() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        lengths = rng.integers(1, 200, int(rng.integers(1, 40)))
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        for runs in (1, 2, 3, 8, 100):
            bounds, w_at = kernel.work_layout(starts, runs)
            assert bounds[0] == 0 and bounds[-1] == len(lengths)
            assert (np.diff(bounds) >= 0).all() and len(bounds) - 1 <= max(1, min(runs, len(lengths)))
            for c in range(len(bounds) - 1):
                longest = lengths[bounds[c]:bounds[c + 1]].max(initial=0)
                assert w_at[c + 1] - w_at[c] == longest


@pytest.mark.parametrize("order", ["instrument", "time"])
def test_same_tables_on_one_thread_or_two(tmp_path: Path, order: str) -> None:
    df = readings(7, 4000)
    if order == "instrument":
        df = df.sort("instrument", "time", nulls_last=True)
    path = tmp_path / "r.parquet"
    df.write_parquet(path, row_group_size=900)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = analyse(scan_many([path], None), UNIT)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = analyse(scan_many([path], None), UNIT)
    finally:
        numba.set_num_threads(before)
    for name in ("summary", "monthly", "flagged", "gaps", "daily"):
        assert getattr(one, name).equals(getattr(two, name)), name


def test_a_check_leaves_nothing_in_reference_cycles(tmp_path: Path) -> None:
    """A unit that cannot be converted made pint raise inside the checks; its error held the
    call stack's frames in a cycle, and with them every array of the check until the next
    garbage collection (the next check's memory was then faulted in afresh)."""
    df = readings(8, 2000)  # units t, kg, none and "furlong" (not convertible)
    path = tmp_path / "r.parquet"
    df.write_parquet(path)
    analyse(scan_many([path], None), UNIT)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = analyse(scan_many([path], None), UNIT)
        assert result.summary.height
        del result
        gc.collect()
        kept = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not kept & {"frame", "traceback", "FileColumns", "Readings", "Lease", "ndarray"}, kept
    assert isinstance(pl.DataFrame(), pl.DataFrame)
