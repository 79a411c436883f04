"""Batch reassessment of every unit of a province, parallel over units (issue 6 §6).

Each worker loads a unit file, assesses it with the one engine
(:func:`tanjiliang.assess.engine.assess`) and returns the unit's summary row: the figures the
regulator's overview shows (conclusion, emissions, equipping rates, overdue instruments,
finding counts). Rows are gathered into a polars frame and written as Parquet; the web app
stores the same rows (one indexed table, so the overview is one query).
"""

from __future__ import annotations

import gzip
import multiprocessing as mp
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from tanjiliang.assess.result import Assessment
from tanjiliang.check import check
from tanjiliang.model import regions
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules import LoadedPack, load_pack

#: finding codes counted in their own column of the summary row
COUNTED = ("EQ-RATE", "ACC-MPE", "CAL-OVERDUE", "CAL-NONE", "MGMT-PROCEDURE",
           "MGMT-RESPONSIBLE", "DATA-RETENTION")

SCHEMA: dict[str, Any] = {
    "credit_code": pl.Utf8, "name": pl.Utf8, "city": pl.Utf8, "region": pl.Utf8,
    "sector": pl.Utf8, "year": pl.Int32, "as_of": pl.Date, "pack": pl.Utf8,
    "pack_version": pl.Utf8, "conclusion": pl.Utf8, "key_emission_unit": pl.Boolean,
    "total_tco2e": pl.Float64, "instruments": pl.Int32, "instruments_in_use": pl.Int32,
    "overdue_instruments": pl.Int32, "unconfirmed_instruments": pl.Int32,
    "due_soon_instruments": pl.Int32, "points_required": pl.Int32, "points_missing": pl.Int32,
    "equipping_rate": pl.Float64, "rate_level1": pl.Float64, "rate_level2": pl.Float64,
    "rate_level3": pl.Float64, "rates_not_met": pl.Int32, "nonconformities": pl.Int32,
    "observations": pl.Int32, **{f"n_{c.lower().replace('-', '_')}": pl.Int32 for c in COUNTED},
    "error": pl.Utf8,
}

_CITY = re.compile(r"^(?:.+?省|.+?自治区)?(.+?市|.+?自治州|.+?地区|.+?盟)")


def city_of(region: str | None) -> str:
    """The city a unit is grouped under: ``河南省郑州市`` → ``郑州市``, and the same for an
    English region (``Henan Province, Zhengzhou``, ``Zhengzhou, Henan``) so that one city is
    one group whichever language its units wrote (:func:`tanjiliang.model.regions.city_of`;
    its province when it names no city). A name not among the divisions: its prefecture-level
    part as written (``某某市``), else the region itself."""
    if not region:
        return "—"
    known = regions.city_of(region)
    if known:
        return known
    m = _CITY.match(region)
    return m.group(1) if m else region


def _rate(rows: list[tuple[int, int]]) -> float | None:
    req = sum(r for r, _ in rows)
    return round(100.0 * sum(e for _, e in rows) / req, 1) if req else None


def summarise(a: Assessment) -> dict[str, Any]:
    """The overview's row of one assessment (figures read from it, none re-derived)."""
    codes = Counter(f.code for f in a.findings)
    cal = Counter(i.calibration_status for i in a.instruments)
    by_level: dict[int | None, list[tuple[int, int]]] = {}
    for r in a.rates:
        by_level.setdefault(r.level, []).append((r.required, r.equipped))
    req_points = [p for p in a.points if p.required]
    row: dict[str, Any] = {
        "credit_code": a.credit_code or a.unit_name, "name": a.unit_name,
        "city": city_of(a.region), "region": a.region, "sector": a.sector,
        "year": a.unit_year, "as_of": a.as_of, "pack": a.pack_name,
        "pack_version": a.pack_version, "conclusion": a.conclusion,
        "key_emission_unit": a.key_emission_unit, "total_tco2e": round(a.total_tco2e, 3),
        "instruments": len(a.instruments),
        "instruments_in_use": sum(1 for i in a.instruments if i.status == "in_use"),
        "overdue_instruments": cal["overdue"], "unconfirmed_instruments": cal["unknown"],
        "due_soon_instruments": cal["due_soon"], "points_required": len(req_points),
        "points_missing": sum(1 for p in req_points if p.status == "missing"),
        "equipping_rate": _rate([(r.required, r.equipped) for r in a.rates]),
        "rate_level1": _rate(by_level.get(1, [])), "rate_level2": _rate(by_level.get(2, [])),
        "rate_level3": _rate(by_level.get(3, [])),
        "rates_not_met": sum(1 for r in a.rates if not r.meets),
        "nonconformities": len(a.nonconformities()), "observations": len(a.observations()),
        "error": None,
    }
    for c in COUNTED:
        row[f"n_{c.lower().replace('-', '_')}"] = codes[c]
    return row


def read_unit(path: Path) -> UnitFile:
    """Load a (possibly gzipped) unit file with :func:`load_unit` (its fast path parses JSON
    with the standard library; line numbers are only worked out for a file with a problem)."""
    from tanjiliang.model.limits import decode_user_bytes

    raw = path.read_bytes()
    name = str(path)[:-3] if path.suffix == ".gz" else str(path)
    try:
        raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
    except (OSError, EOFError):  # gzip.BadGzipFile is an OSError
        raise LoadError([Issue(str(path), None, "", "不是有效的 gzip 压缩文件", "not a valid gzip file")]) from None
    return load_unit(name, decode_user_bytes(name, raw))  # not UTF-8: LoadError naming the file


@dataclass(frozen=True)
class Job:
    path: str
    as_of: date | None


_pack: LoadedPack | None = None
_pack_ref: str | None = None


def _init(pack_ref: str | None) -> None:
    global _pack, _pack_ref
    _pack = load_pack(pack_ref)
    _pack_ref = pack_ref


def _work(job: Job) -> dict[str, Any]:
    path = Path(job.path)
    try:
        unit = read_unit(path)
        a = check(unit, _pack, job.as_of or date(unit.unit.year, 12, 31))  # the one door
        return summarise(a)
    except LoadError as exc:
        return {"credit_code": path.name.split(".")[0], "error": exc.message("zh")}


@dataclass(frozen=True)
class PackedJob:
    """A job that carries its pack reference (for workers of a cluster, which start empty)."""

    path: str
    as_of: date | None
    pack: str | None


def _work_packed(job: PackedJob) -> dict[str, Any]:
    if _pack is None or _pack_ref != job.pack:
        _init(job.pack)
    return _work(Job(job.path, job.as_of))


def reassess(paths: list[Path], *, workers: int | None = None, pack: str | None = None,
             as_of: date | None = None, chunksize: int = 8,
             cluster: str | None = None) -> pl.DataFrame:
    """Assess every unit file, ``workers`` processes in parallel (default: all cores), or on
    the Dask cluster at ``cluster`` (:mod:`tanjiliang.province.cluster`).

    ``as_of`` defaults to the end of each unit's reporting year. Units that cannot be loaded
    are kept as rows with ``error`` set (nothing is dropped silently).
    """
    jobs = [Job(str(p), as_of) for p in paths]
    workers = workers or os.cpu_count() or 1
    if cluster:
        from tanjiliang.province.cluster import map_on_cluster

        rows = map_on_cluster(_work_packed, [PackedJob(j.path, j.as_of, pack) for j in jobs],
                              cluster, chunksize=chunksize)
    elif workers == 1:
        _init(pack)
        rows = [_work(j) for j in jobs]
    else:
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        with ctx.Pool(workers, initializer=_init, initargs=(pack,)) as pool:
            rows = list(pool.imap_unordered(_work, jobs, chunksize=chunksize))
    df = pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(
        schema=SCHEMA)
    return df.sort(["year", "credit_code"])


def reassess_province(root: Path, *, years: list[int] | None = None,
                      workers: int | None = None, out: Path | None = None,
                      cluster: str | None = None,
                      pack: str | None = None) -> tuple[pl.DataFrame, float]:
    """Reassess a generated province (province/generate.py); write ``summary.parquet``.
    ``pack``: a bundled pack's name or a pack file for every unit (default: each file's own,
    else the default pack) — e.g. the official tables when they arrive (docs/packs.md)."""
    from tanjiliang.province.generate import iter_unit_files

    paths = [p for _, p in iter_unit_files(root, years)]
    t0 = time.perf_counter()
    if pack is not None:
        load_pack(pack)  # a broken pack is refused once, before any work (LoadError)
    df = reassess(paths, workers=workers, cluster=cluster, pack=pack)
    seconds = time.perf_counter() - t0
    from tanjiliang.model.write import atomic_path

    with atomic_path(out or root / "summary.parquet") as tmp:
        df.write_parquet(tmp)
    return df, seconds
