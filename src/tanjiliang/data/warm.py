"""Compile the readings checks' kernel once, at install time (issue 16).

numba caches the compiled pass on disk next to :mod:`tanjiliang.data.kernel` (or in its user
cache directory when that is not writable). Compiling takes 8–45 s of CPU; loading the cached
code takes a fraction of a second. ``make install`` runs ``python -m tanjiliang.data.warm`` so
that a user's first ``tanjiliang data check`` or a new web worker never pays the compilation.
The arrays have the types and the read-only flag that :func:`tanjiliang.data.quality.
_kernel_tables` passes (tests/data/test_data_quality.py checks that the two agree).
"""

from __future__ import annotations

import numpy as np

from tanjiliang.data import kernel


def _ro(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def warm() -> None:
    """Run every compiled function once on two readings of one instrument (the Parquet
    path's :func:`~tanjiliang.data.kernel.prepare` and :func:`~tanjiliang.data.kernel.arrange`
    too, on rows out of order)."""
    iid = _ro(np.zeros(2, dtype=np.uint32))
    starts = _ro(kernel.instrument_bounds(iid))
    slot_iid = _ro(iid[starts[:-1]])
    bounds, w_at = kernel.work_layout(starts, 2)
    reports = [np.empty(2, dtype=t) for t in (np.int64, np.uint8, np.float64, np.int64, np.int64,
                                              np.int32, np.float64, np.uint32)]
    out = kernel.check_instruments(
        starts, slot_iid, _ro(np.zeros(2, dtype=np.uint32)),
        _ro(np.array([0, 3_600_000_000], dtype=np.int64)), _ro(np.array([1.0, 2.0])),
        _ro(np.ones(1)), _ro(np.zeros(1)), _ro(np.zeros(1, dtype=np.int8)),
        _ro(np.zeros(1, dtype=np.bool_)), _ro(np.full(1, np.nan)), _ro(np.full(1, np.nan)),
        _ro(np.ones(1, dtype=np.bool_)), np.nan, 0, 7_200_000_000, 3.5, 1.253314, 1e-9, 3.0,
        24, 0.9, 0.0, 0.02, _ro(bounds), _ro(w_at), np.empty((5, 2)), np.empty((4, 2), dtype=np.uint8),
        *reports)
    kernel.compact_reports(slot_iid, *(_ro(out[k]) for k in (17, 12, 18, 13, 19, 14)), True,
                           *(_ro(a) for a in reports),
                           *(np.empty(int(c.sum()), dtype=t) for c, t in zip(
                               (out[12],) * 3 + (out[13],) * 4 + (out[14],) * 4,
                               (np.uint32, np.int64, np.uint8, np.uint32, np.int64, np.int64,
                                np.int64, np.uint32, np.int32, np.float64, np.uint32), strict=True)))
    n = 2
    # Parquet read as arrays (tanjiliang.data.columns): codes → compact rows, and their order
    iid_out, key_out = np.zeros(n, dtype=np.uint32), np.zeros(n, dtype=np.uint32)
    status = np.empty(n, dtype=np.uint8)
    state = np.zeros(7, dtype=np.int64)
    codes = _ro(np.array([0, 1], dtype=np.int32))
    kernel.prepare(codes, _ro(np.zeros(0, dtype=np.int32)), _ro(np.zeros(0, dtype=np.int32)),
                   _ro(np.array([3_600_000_000, 0], dtype=np.int64)), _ro(np.array([1.0, 2.0])),
                   _ro(np.array([0, 0, -1], dtype=np.int64)), _ro(np.zeros(1, dtype=np.int64)),
                   _ro(np.zeros(1, dtype=np.int64)), 1, 1, _ro(np.zeros(1, dtype=np.int8)), False,
                   0, 7_200_000_000, 0, 2, iid_out, key_out, status, np.zeros(3, dtype=np.int64),
                   np.zeros(1, dtype=np.int64), state)
    kernel.arrange(_ro(status), _ro(iid_out), _ro(key_out), _ro(np.array([3_600_000_000, 0], dtype=np.int64)),
                   _ro(np.array([1.0, 2.0])), _ro(state[6:7]), False, False, 2,
                   np.empty(2, dtype=np.int64), np.empty(2, dtype=np.uint32), np.empty(2, dtype=np.int64),
                   np.empty(2))
    for by_code in (False, True):
        kernel.days_in_order(_ro(np.zeros(2, dtype=np.uint32)), _ro(np.array([0, 40], dtype=np.int32)), by_code)
    kernel.month_runs(_ro(np.zeros(2, dtype=np.uint32)), _ro(np.array([0, 40], dtype=np.int32)),
                      _ro(np.ones(2)), _ro(np.ones(2, dtype=np.uint32)), 0, 365)


if __name__ == "__main__":
    warm()
