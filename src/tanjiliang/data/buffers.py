"""Work arrays of the readings checks, kept for the next check in the same process (issue 16).

A check of 5 M readings fills some 300 MB of work arrays (the columns read as arrays,
instrument codes and lookup keys, the rows in instrument order, the compiled pass's work
and report rows) that no result refers to. Allocated afresh each time, every page of them is
faulted in by the system again: on this project's 2-core virtual machines that system time
was as large as the checks' own (``benchmarks/readings.py --shapes``, docs/data.md). The same
reason made the readings checks keep polars' freed pages for 10 s (tanjiliang/__init__.py).

:data:`POOL` lends arrays for the length of one check (:meth:`Pool.lease`) and keeps them
when the check is over; arrays nobody has asked for in ``keep_s`` seconds are let go, so a
process that stops checking readings gives the memory back. Only arrays that stay inside a
check are leased: anything a result table refers to is allocated as usual.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

#: seconds an unused array is kept (as polars' freed pages: tanjiliang/__init__.py)
KEEP_S = 10.0


class Lease:
    """The arrays one check has taken; returned to the pool together at its end."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self._taken: list[np.ndarray] = []

    def empty(self, n: int, dtype: type | np.dtype) -> np.ndarray:  # type: ignore[type-arg]
        """An uninitialised, writable, C-contiguous array of ``n`` values of ``dtype``."""
        raw = self._pool._take(int(n) * np.dtype(dtype).itemsize)
        self._taken.append(raw)
        return raw[:int(n) * np.dtype(dtype).itemsize].view(dtype)

    def empty2(self, rows: int, n: int, dtype: type | np.dtype) -> np.ndarray:  # type: ignore[type-arg]
        """:meth:`empty` shaped ``rows × n``."""
        return self.empty(rows * n, dtype).reshape(rows, n)


class Pool:
    """Byte buffers kept between checks, handed out smallest-fitting first (thread-safe:
    two checks at once never share one)."""

    def __init__(self, keep_s: float = KEEP_S) -> None:
        self.keep_s = keep_s
        self._free: list[tuple[float, np.ndarray]] = []  # (last returned, buffer)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    @contextmanager
    def lease(self) -> Iterator[Lease]:
        """Arrays for one check, returned when the block ends."""
        lease = Lease(self)
        try:
            yield lease
        finally:
            self._give(lease._taken)
            lease._taken = []

    @property
    def kept_bytes(self) -> int:
        with self._lock:
            return sum(b.nbytes for _, b in self._free)

    def clear(self) -> None:
        with self._lock:
            self._free = []

    def _take(self, nbytes: int) -> np.ndarray:
        with self._lock:
            best = -1
            for k, (_, buf) in enumerate(self._free):
                if buf.nbytes >= nbytes and (best < 0 or buf.nbytes < self._free[best][1].nbytes):
                    best = k
            if best >= 0:
                return self._free.pop(best)[1]
        # at least 64 bytes, so that a view of any dtype is aligned and never empty-based
        return np.empty(max(nbytes, 64), dtype=np.uint8)

    def _give(self, buffers: list[np.ndarray]) -> None:
        if not buffers:
            return
        now = time.monotonic()
        with self._lock:
            self._free = [(t, b) for t, b in self._free if now - t < self.keep_s]
            self._free.extend((now, b) for b in buffers)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.keep_s, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def _expire(self) -> None:
        now = time.monotonic()
        with self._lock:
            self._free = [(t, b) for t, b in self._free if now - t < self.keep_s]


#: the process's pool
POOL = Pool()
