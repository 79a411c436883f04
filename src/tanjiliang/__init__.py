"""tanjiliang (碳计量): carbon metering instruments of key emission units.

The public API is small; the depth is in the packages:

>>> import tanjiliang
>>> result = tanjiliang.check("examples/power/unit.yaml")   # doctest: +SKIP

``tanjiliang.check(unit, pack=None, as_of=None, ledger=None, readings=None)`` is the one door to
an assessment (tanjiliang/check.py); every door of the application goes through it.
"""

from __future__ import annotations

import os

from tanjiliang import _imports

# polars' allocator (jemalloc, configured by _RJEM_MALLOC_CONF when polars loads) hands freed
# memory back to the system within a second by default, so the large columns of the next
# step are page-faulted in afresh, 4 KiB at a time: a third of the readings checks' time on
# this project's virtual machines (README, "Choices changed for a measured reason"). Keeping
# freed pages for 10 s and asking for transparent huge pages removes most of that; memory
# still goes back when a job is over. Takes effect only when tanjiliang is imported before
# polars; never overrides a setting of the user's.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:10000,muzzy_decay_ms:10000,thp:always,metadata_thp:always")
# The same for pyarrow's allocator (mimalloc), which reads long-layout Parquet readings for the
# checks (issue 16, tanjiliang.data.columns): freed pages kept 10 s instead of 10 ms.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "10000")
# Import hooks for a cheap fresh process (issue 16; tanjiliang/_imports.py): pint is imported
# without numpy and dask, which it would load for array quantities this project never makes.
_imports.install()

__version__ = "0.1.0"

__all__ = ["__version__", "assess", "check", "load_pack", "load_unit"]


def __getattr__(name: str) -> object:  # lazy: keep `import tanjiliang` cheap
    if name == "load_unit":
        from tanjiliang.model.load import load_unit

        return load_unit
    if name == "load_pack":
        from tanjiliang.rules.load import load_pack

        return load_pack
    if name == "check":
        from tanjiliang.check import check

        return check
    if name == "assess":
        from tanjiliang.assess.engine import assess

        return assess
    raise AttributeError(name)
