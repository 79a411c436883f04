"""A province's month closed with one command (issue 14 §2, §6): ``tanjiliang month close
FOLDER --month YYYY-MM --store ROOT --records DIR`` closes the month of every unit file in the
folder from its readings in the store — in this process, on a local process pool, or on a Dask
cluster (``--cluster``, :mod:`tanjiliang.province.cluster`) — with the same function per unit
(:func:`close_unit`) as :func:`tanjiliang.month.close.close_month` files one month.

Each unit's records go to ``<records>/<unit key>/`` (the readings store's key: credit code, or
the name). A unit's laboratory results, when it has them, are the file beside its unit file
named ``<unit file stem>.lab.csv`` (or ``.lab.xlsx``), with the report files it names beside it.
Re-running is idempotent: a month already filed is left as it is (``already_filed``; a
correction is a single unit's ``month close UNIT --reason``); a unit without readings in the
month is not filed (``no_readings``); a unit of another reporting year is left out
(``other_year``); a unit whose file, readings or results cannot be read keeps its row with the
error in both languages, and the others are filed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import polars as pl

from tanjiliang.i18n import pairs

SCHEMA: dict[str, Any] = {
    "unit_file": pl.Utf8, "name": pl.Utf8, "key": pl.Utf8, "status": pl.Utf8,
    "version": pl.Int32, "late": pl.Boolean, "emissions_tco2e": pl.Float64,
    "checks_failed": pl.Utf8, "lab_results": pl.Int32, "sha256": pl.Utf8,
    "error_zh": pl.Utf8, "error_en": pl.Utf8,
}
STATUS_WORDS = cast("dict[str, tuple[str, str]]", pairs("month.batch.status", {
    "filed": "已提交", "already_filed": "此前已提交",
    "no_readings": "本月无读数，未提交",
    "other_year": "非本报告年度",
    "error": "无法提交"}))


@dataclass(frozen=True)
class CloseJob:
    path: str
    store: str
    records: str
    year: int
    month: int
    filed_at: str | None  # ISO date-time in Asia/Shanghai; None: now


def lab_file(unit_path: Path) -> Path | None:
    """``<stem>.lab.csv`` or ``<stem>.lab.xlsx`` beside the unit file, if there is one."""
    stem = unit_path.name.split(".")[0]
    for suffix in (".lab.csv", ".lab.xlsx"):
        p = unit_path.with_name(stem + suffix)
        if p.is_file():
            return p
    return None


def close_unit(job: CloseJob) -> dict[str, Any]:
    """Close one unit's month (a pure function of its files, the store and the records)."""
    from tanjiliang.data.readings import ReadingsError
    from tanjiliang.data.store import ReadingsStore, unit_key
    from tanjiliang.model.errors import LoadError
    from tanjiliang.month.close import ZONE, close_month, latest
    from tanjiliang.province.batch import read_unit

    path = Path(job.path)
    row: dict[str, Any] = {"unit_file": path.name}
    label = f"{job.year:04d}-{job.month:02d}"
    try:
        unit = read_unit(path)
        key = unit_key(unit)
        row.update(name=unit.unit.name, key=key)
        if unit.unit.year != job.year:
            return row | {"status": "other_year"}
        folder = Path(job.records) / key
        filed = latest(folder).get(label)
        if filed is not None:
            return row | _summary(filed.data, "already_filed")
        store = ReadingsStore(job.store)
        if (job.year, job.month) not in store.months(key):
            return row | {"status": "no_readings"}
        when = datetime.fromisoformat(job.filed_at) if job.filed_at else datetime.now(ZONE)
        rec = close_month(unit, job.year, job.month, store.source(key), folder,
                          lab=lab_file(path), filed_at=when)
        return row | _summary(rec.data, "filed")
    except LoadError as exc:
        return row | {"status": "error", "error_zh": exc.message("zh"), "error_en": exc.message("en")}
    except ReadingsError as exc:
        return row | {"status": "error", "error_zh": exc.message("zh"), "error_en": exc.message("en")}


def _summary(data: dict[str, Any], status: str) -> dict[str, Any]:
    return {"status": status, "version": data.get("version"), "late": data.get("late"),
            "emissions_tco2e": data.get("emissions_tco2e"),
            "checks_failed": ",".join(c["check"] for c in data.get("checks", []) if c["ok"] is False),
            "lab_results": len((data.get("lab") or {}).get("results") or []),
            "sha256": data.get("sha256")}


def close_units(paths: list[Path], store: str, records: Path, year: int, month: int, *,
                workers: int | None = None, cluster: str | None = None,
                filed_at: datetime | None = None) -> pl.DataFrame:
    """:func:`close_unit` for every unit file: in this process (``workers=1``), on a local
    process pool, or on the Dask cluster at ``cluster``; a row per unit, by file name."""
    when = filed_at.isoformat() if filed_at else None
    jobs = [CloseJob(str(p), store, str(records), year, month, when) for p in paths]
    if cluster:
        from tanjiliang.province.cluster import map_on_cluster

        rows = map_on_cluster(close_unit, jobs, cluster, chunksize=1)
    elif (workers or os.cpu_count() or 1) == 1 or len(jobs) < 2:
        rows = [close_unit(j) for j in jobs]
    else:
        import multiprocessing as mp

        # spawn: the compiled readings pass uses OpenMP threads (province/readings.py)
        with mp.get_context("spawn").Pool(workers or os.cpu_count()) as pool:
            rows = pool.map(close_unit, jobs, chunksize=1)
    full = [{k: r.get(k) for k in SCHEMA} for r in rows]
    df = pl.DataFrame(full, schema=SCHEMA, orient="row") if full else pl.DataFrame(schema=SCHEMA)
    return df.sort("unit_file")
