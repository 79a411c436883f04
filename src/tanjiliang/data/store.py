"""The readings store (issue 16 §2): imported readings written once as a partitioned Parquet
dataset, on local disk or S3-compatible object storage.

Layout: ``ROOT/unit=<key>/year=<YYYY>/month=<MM>/<digest>.parquet``, one file per imported
source file and month, sorted by (instrument, time). ``<digest>`` is the SHA-256 of the
source file's bytes, so importing the same file again writes the same objects again
(idempotent); a different file with some of the same readings adds its own object and the
checks report the duplicates. ``ROOT`` is a folder or an fsspec URL (``s3://bucket/prefix``
with ``storage_options`` such as ``endpoint_url``), read and written through fsspec and
pyarrow, so the checks (:func:`tanjiliang.data.quality.analyse`), the monthly figures and the
out-of-tolerance impact read a period straight from it: only the months asked for are read.

Rows keep where they came from (``source``, the file as it was named at import, and ``row``), so a flagged reading still
names its file and row.

Schema versions (:data:`SCHEMA_VERSION`, in each object's Parquet metadata under
``tanjiliang.store``): 1 (no metadata) — the columns of :data:`STORED` without ``target``;
2 — an object imported from a file that named targets (a long file's ``target`` column, a
wide file's ``ID:target`` headers; issue 17) also holds ``target``, so that a several-target
instrument's readings are attributed from the store as from the file. Version-1 objects are
read as before (no targets); importing their file again rewrites them as version 2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from tanjiliang.data.readings import (
    SCHEMA,
    TARGET_SCHEMA,
    Readings,
    ReadingsError,
    ReadingsIssue,
    scan_readings,
)

#: Columns of a stored object (``fid`` becomes the source file's name); ``target`` only in
#: objects of files that named targets (schema version 2).
STORED = {"source": pl.String(), "row": pl.Int64(), "instrument": pl.String(),
          "time": pl.Datetime("us"), "value": pl.Float64(), "unit": pl.String(),
          "kind": pl.String(), "target": pl.String()}
#: The store's object schema version written now (module docstring); objects without the
#: metadata key are version 1.
SCHEMA_VERSION = 2
_VERSION_KEY = "tanjiliang.store"


@dataclass
class ImportResult:
    """What one import wrote: objects per (year, month), readings, and the reader's issues."""

    objects: list[str] = field(default_factory=list)
    readings: int = 0
    months: list[tuple[int, int]] = field(default_factory=list)
    issues: list[ReadingsIssue] = field(default_factory=list)


def unit_key(unit: Any) -> str:
    """A unit's partition in the store: its credit code, else its name (every door that
    imports or reads readings uses this one rule)."""
    return str(unit.unit.credit_code or unit.unit.name)


def _fs(root: str, storage_options: dict[str, Any] | None) -> tuple[Any, str]:
    import fsspec

    fs, path = fsspec.core.url_to_fs(root, **(storage_options or {}))
    return fs, path.rstrip("/")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:32]


def _safe_key(unit_key: str) -> str:
    """A unit key usable as one path segment (credit codes and ids are; anything else is
    refused rather than changed)."""
    if not unit_key or any(c in unit_key for c in "/\\=") or unit_key in (".", ".."):
        raise ValueError(f"unit key {unit_key!r} cannot name a partition")
    return unit_key


class ReadingsStore:
    """A partitioned Parquet dataset of readings at ``root`` (a folder or an fsspec URL)."""

    def __init__(self, root: str | Path, storage_options: dict[str, Any] | None = None) -> None:
        self.root = str(root)
        self.storage_options = storage_options
        self.fs, self.base = _fs(self.root, storage_options)

    def _unit_dir(self, unit_key: str) -> str:
        return f"{self.base}/unit={_safe_key(unit_key)}"

    def import_file(self, unit_key: str, path: str | Path,
                    instrument_ids: set[str] | None = None) -> ImportResult:
        """Read ``path`` (CSV, Excel, Parquet; long or wide) and write it, month by month,
        sorted by (instrument, time). Rows without a readable time are not stored (the
        checks of the source file report them); everything else is kept as read."""
        p = Path(path)
        readings = scan_readings(p, instrument_ids)
        # a file that names targets keeps them (its ``targets`` holds the same rows, with target)
        columns = [c for c in STORED if c != "source" and (c != "target" or readings.targets is not None)]
        read = ((readings.targets if readings.targets is not None else readings.frame)
                .select(pl.lit(str(p)).alias("source"), *columns)
                .sort("instrument", "time", "row", nulls_last=True).collect())
        df = read.filter(pl.col("time").is_not_null())
        out = ImportResult(issues=list(readings.issues))
        if df.height < read.height:  # said, never dropped in silence (the file's check flags them)
            rows = sorted(read.filter(pl.col("time").is_null())["row"].to_list())
            shown = "、".join(str(r) for r in rows[:10]) + ("…" if len(rows) > 10 else "")
            shown_en = ", ".join(str(r) for r in rows[:10]) + ("…" if len(rows) > 10 else "")
            out.issues.append(ReadingsIssue(
                str(p), None, None, None,
                f"{len(rows)} 行的时间无法识别，未写入读数库（第 {shown} 行）",
                f"{len(rows)} rows have a time that cannot be read and were not stored (rows {shown_en})"))
        if df.height == 0:
            return out
        digest = _digest(p)
        unit_dir = self._unit_dir(unit_key)
        keyed = df.with_columns(pl.col("time").dt.year().alias("y"),
                                pl.col("time").dt.month().alias("m"))
        for (y, m), part in keyed.partition_by("y", "m", as_dict=True,
                                               maintain_order=True).items():
            folder = f"{unit_dir}/year={int(y):04d}/month={int(m):02d}"
            target = f"{folder}/{digest}.parquet"
            self.fs.makedirs(folder, exist_ok=True)
            tmp = f"{folder}/.{digest}.parquet.tmp"
            with self.fs.open(tmp, "wb") as f:
                part.drop("y", "m").write_parquet(f, metadata={_VERSION_KEY: str(SCHEMA_VERSION)})
            self.fs.mv(tmp, target)  # a reader never sees half an object
            out.objects.append(target)
            out.months.append((int(y), int(m)))
            out.readings += part.height
        return out

    def import_files(self, unit_key: str, paths: Iterable[str | Path],
                     instrument_ids: set[str] | None = None) -> ImportResult:
        total = ImportResult()
        for p in paths:
            r = self.import_file(unit_key, p, instrument_ids)
            total.objects += r.objects
            total.readings += r.readings
            total.months += r.months
            total.issues += r.issues
        total.months = sorted(set(total.months))
        return total

    def months(self, unit_key: str) -> list[tuple[int, int]]:
        """The (year, month) partitions held for a unit."""
        out: set[tuple[int, int]] = set()
        unit_dir = self._unit_dir(unit_key)
        if not self.fs.exists(unit_dir):
            return []
        for obj in self.fs.glob(f"{unit_dir}/year=*/month=*/*.parquet"):
            parts = obj.split("/")
            out.add((int(parts[-3].split("=")[1]), int(parts[-2].split("=")[1])))
        return sorted(out)

    def readings(self, unit_key: str, start: date | datetime | None = None,
                 end: date | datetime | None = None) -> Readings:
        """The unit's stored readings with ``start <= time < end`` as :class:`Readings`
        (only the months that overlap the period are read)."""
        unit_dir = self._unit_dir(unit_key)
        objects = sorted(self.fs.glob(f"{unit_dir}/year=*/month=*/*.parquet")) \
            if self.fs.exists(unit_dir) else []
        s = _month_index(start) if start is not None else None
        e = _month_index(end, end=True) if end is not None else None
        chosen = []
        for obj in objects:
            parts = obj.split("/")
            k = int(parts[-3].split("=")[1]) * 12 + int(parts[-2].split("=")[1]) - 1
            if (s is None or k >= s) and (e is None or k <= e):
                chosen.append(obj)
        if not chosen:
            return Readings(pl.LazyFrame(schema=SCHEMA), [], {}, [])
        read = [self._read_object(obj) for obj in chosen]
        df = pl.concat([f for f, _ in read], how="diagonal_relaxed")
        untargeted = sorted({s for f, v in read if v == 1 for s in f["source"].unique().to_list()})
        sources = sorted(set(df["source"].to_list()))
        fid = {name: k for k, name in enumerate(sources)}
        frame = df.lazy().with_columns(pl.col("source").replace_strict(fid, return_dtype=pl.UInt16).alias("fid"))
        if start is not None:
            frame = frame.filter(pl.col("time") >= _as_datetime(start))
        if end is not None:
            frame = frame.filter(pl.col("time") < _as_datetime(end))
        targets = None
        if "target" in df.columns:  # as files checked together: rows of the others name none
            targets = frame.select([pl.col(k).cast(v) for k, v in TARGET_SCHEMA.items()])
        return Readings(frame.select([pl.col(k).cast(v) for k, v in SCHEMA.items()]), sources,
                        dict.fromkeys(sources, "long"), [], targets=targets, untargeted=untargeted)

    def _read_object(self, obj: str) -> tuple[pl.DataFrame, int]:
        """One stored object as a frame, and its schema version; an object of a newer schema
        than this program knows is refused, naming it."""
        import pyarrow.parquet as pq

        with self.fs.open(obj, "rb") as f:
            meta = pq.read_metadata(f).metadata or {}  # the footer's key-value metadata
            f.seek(0)
            df = pl.read_parquet(f)
        raw = meta.get(_VERSION_KEY.encode(), b"1").decode(errors="replace")
        version = int(raw) if raw.isdigit() else SCHEMA_VERSION + 1  # unknown: not this program's
        if version > SCHEMA_VERSION:
            raise ReadingsError([ReadingsIssue(
                obj, None, None, raw,
                f"读数库对象的格式版本为 {version}，本程序只能读到版本 {SCHEMA_VERSION}：请升级 tanjiliang",
                f"the stored object has schema version {version}; this program reads up to "
                f"{SCHEMA_VERSION}: upgrade tanjiliang")])
        return df, version

    def source(self, unit_key: str) -> UnitReadings:
        """The store as the readings of one unit (what :func:`tanjiliang.data.report.run`
        reads instead of files)."""
        return UnitReadings(self, unit_key)


@dataclass(frozen=True)
class UnitReadings:
    """One unit's readings in a store, read by period."""

    store: ReadingsStore
    unit_key: str

    def readings(self, instrument_ids: set[str], start: datetime, end: datetime) -> Readings:
        """Readings with ``start <= time < end``; ids not in ``instrument_ids`` are kept, as
        they are from a file, so that the checks report them."""
        return self.store.readings(self.unit_key, start, end)


def _as_datetime(d: date | datetime) -> datetime:
    return d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)


def _month_index(d: date | datetime, end: bool = False) -> int:
    """Months since year 0; for an exclusive ``end`` at midnight on the 1st, the month before."""
    k = d.year * 12 + d.month - 1
    if end and d.day == 1 and (not isinstance(d, datetime) or d.time() == datetime.min.time()):
        k -= 1
    return k
