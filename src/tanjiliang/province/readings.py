"""Readings checks over many units (issue 16 §3): every unit's readings in a readings store
checked for a period, in this process, on a local pool or on a Dask cluster — the same function
per unit (:func:`check_unit`), so a laptop and a cluster give the same rows.

A row per unit: readings and instruments with readings, mean and lowest coverage, flagged
readings, gaps, and the data findings (out of tolerance, reconciliation, missing data, quality)
with the tonnes they put at stake. A unit that cannot be read keeps its row with ``error``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from tanjiliang.data.store import unit_key

SCHEMA: dict[str, Any] = {
    "unit_file": pl.Utf8, "credit_code": pl.Utf8, "name": pl.Utf8, "readings": pl.Int64,
    "instruments": pl.Int32, "coverage_mean": pl.Float64, "coverage_min": pl.Float64,
    "flagged": pl.Int64, "gaps": pl.Int64, "findings": pl.Int32, "codes": pl.Utf8,
    "error": pl.Utf8,
}
__all__ = ["SCHEMA", "ReadingsJob", "check_unit", "check_units", "unit_key"]


@dataclass(frozen=True)
class ReadingsJob:
    path: str
    store: str
    start: date | None
    end: date | None


def check_unit(job: ReadingsJob) -> dict[str, Any]:
    """The readings check of one unit from the store (a pure function of its inputs)."""
    from tanjiliang.data.readings import ReadingsError
    from tanjiliang.data.report import run
    from tanjiliang.data.store import ReadingsStore
    from tanjiliang.model.errors import LoadError
    from tanjiliang.province.batch import read_unit

    path = Path(job.path)
    try:
        unit = read_unit(path)
        rep = run(unit, ReadingsStore(job.store).source(unit_key(unit)), None, job.start,
                  job.end)
    except LoadError as exc:
        return {"unit_file": path.name, "error": exc.message("zh")}
    except ReadingsError as exc:
        return {"unit_file": path.name, "error": "; ".join(i.message("zh") for i in exc.issues)}
    q = rep.quality
    cov = q.summary["coverage_percent"] if q.summary.height else pl.Series([], dtype=pl.Float64)
    codes = sorted({f.code for f in rep.findings})
    return {"unit_file": path.name, "credit_code": unit.unit.credit_code, "name": unit.unit.name,
            "readings": q.rows, "instruments": q.summary.height,
            "coverage_mean": float(cov.mean()) if cov.len() else None,  # type: ignore[arg-type]
            "coverage_min": float(cov.min()) if cov.len() else None,  # type: ignore[arg-type]
            "flagged": q.flagged.height, "gaps": q.gaps.height, "findings": len(rep.findings),
            "codes": ",".join(codes), "error": None}


def check_units(paths: list[Path], store: str, *, start: date | None = None,
                end: date | None = None, workers: int | None = None,
                cluster: str | None = None) -> pl.DataFrame:
    """:func:`check_unit` for every unit file: in this process (``workers=1``), on a local
    process pool, or on the Dask cluster at ``cluster``; rows sorted by file name."""
    jobs = [ReadingsJob(str(p), store, start, end) for p in paths]
    if cluster:
        from tanjiliang.province.cluster import map_on_cluster

        rows = map_on_cluster(check_unit, jobs, cluster, chunksize=1)
    elif (workers or os.cpu_count() or 1) == 1 or len(jobs) < 2:
        rows = [check_unit(j) for j in jobs]
    else:
        import multiprocessing as mp

        # spawn: the compiled readings pass uses OpenMP threads, which fork would copy
        # half-started (README, issue 3 note)
        with mp.get_context("spawn").Pool(workers or os.cpu_count()) as pool:
            rows = pool.map(check_unit, jobs, chunksize=1)
    df = pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)
    return df.sort("unit_file")
