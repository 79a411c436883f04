"""Long-layout Parquet readings read as plain arrays for the checks (issue 16, deliverable 1).

A Parquet file already holds what the checks need in the form they need it: the instrument,
unit and kind texts as dictionary pages (each distinct text once, then small integer codes),
time stamps and values as plain numbers. Read through polars, every text was first built per
row and then hashed again into codes; read by pyarrow with ``read_dictionary`` the codes come
out as they are stored, and the distinct texts are the dictionary. A small file's table is the
one decoded when the file was opened (the check that keeps a corrupt file away from polars'
decoder, :func:`tanjiliang.data.readings.read_parquet_table`), so it is decoded once.

:func:`read_file` gives one file's codes, dictionaries, time stamps (microseconds, ``NAT``
where missing) and values (NaN where missing); :mod:`tanjiliang.data.quality` turns them into
compact rows with :func:`tanjiliang.data.kernel.prepare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tanjiliang.data.buffers import Lease
from tanjiliang.data.kernel import NAT
from tanjiliang.data.readings import ParquetColumns, read_parquet_table

_NO_CODES = np.zeros(0, dtype=np.int32)


@dataclass
class FileColumns:
    """One file's readings as arrays: dictionary codes (-1: no text) and their texts."""

    ids: list[str]
    icode: np.ndarray  # int32
    units: list[str]
    ucode: np.ndarray  # int32; empty when the file has no unit column
    kinds: list[str]
    kcode: np.ndarray  # int32; empty when the file has no kind column
    time: np.ndarray  # int64 microseconds, NAT where missing
    value: np.ndarray  # float64, NaN where missing

    @property
    def rows(self) -> int:
        return len(self.time)


def rows_of(src: ParquetColumns) -> int:
    """Rows of the file (its metadata, or the table already read)."""
    if src.table is not None:
        return int(src.table.num_rows)
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(src.path).metadata.num_rows)


def _codes(col: Any, lease: Lease | None) -> tuple[list[str], np.ndarray]:
    """A text column → (distinct texts, int32 code per row, -1 where null)."""
    import pyarrow as pa

    if not pa.types.is_dictionary(col.type):
        col = col.dictionary_encode()
    if col.num_chunks == 0:
        return [], np.zeros(0, dtype=np.int32)
    col = pa.table({"c": col}).unify_dictionaries().column("c")
    texts = [str(t) for t in col.chunk(0).dictionary.to_pylist()]
    return texts, _joined([c.indices for c in col.chunks], np.int32, -1, lease)


def _joined(chunks: list[Any], dtype: type, fill: object, lease: Lease | None) -> np.ndarray:
    """Arrow chunks of numbers (:func:`numbers`) as one array of ``dtype``, ``fill`` where
    missing: the one chunk's buffer itself where it can be, else written chunk by chunk into
    an array of ``lease`` (:mod:`tanjiliang.data.buffers`; a new one without)."""
    if len(chunks) <= 1:
        values, missing = numbers(chunks[0]) if chunks else (np.zeros(0, dtype=dtype), None)
        values = values.astype(dtype, copy=False)
        return values if missing is None else np.where(missing, np.array(fill, dtype=dtype), values)
    n = sum(len(c) for c in chunks)
    out = np.empty(n, dtype=dtype) if lease is None else lease.empty(n, dtype)
    at = 0
    for chunk in chunks:
        values, missing = numbers(chunk)
        part = out[at:at + len(values)]
        part[:] = values
        if missing is not None:
            part[missing] = fill
        at += len(values)
    return out


def numbers(col: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """An Arrow array or column of fixed-width numbers or time stamps as one numpy array of its
    stored type (its buffer, not copied, when it is one chunk) and where values are missing
    (None: nowhere). What ``to_numpy()`` gives, without calling it: pyarrow's ``to_numpy``
    imports pandas, 0.16 s of a fresh ``tanjiliang data check`` (issue 16)."""
    import pyarrow as pa

    arr = col if not isinstance(col, pa.ChunkedArray) else (
        col.chunk(0) if col.num_chunks == 1 else col.combine_chunks())
    t = arr.type
    kind = "i" if (pa.types.is_signed_integer(t) or pa.types.is_timestamp(t)) else (
        "u" if pa.types.is_unsigned_integer(t) else "f" if pa.types.is_floating(t) else "")
    if not kind:
        raise TypeError(f"not a column of numbers: {t}")
    dtype = np.dtype(f"{kind}{t.bit_width // 8}")
    data = arr.buffers()[1]
    if len(arr) == 0 or data is None:
        values = np.zeros(len(arr), dtype=dtype)
    else:
        values = np.frombuffer(data, dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize)
    if arr.null_count == 0:
        return values, None
    # where the validity bitmap has a 0 (pc.is_null's answer without importing pyarrow.compute,
    # 0.04–0.06 s of a fresh process)
    valid = np.unpackbits(np.frombuffer(arr.buffers()[0], dtype=np.uint8), count=arr.offset + len(arr),
                          bitorder="little")[arr.offset:]
    return values, valid == 0


def read_file(src: ParquetColumns, lease: Lease | None = None) -> FileColumns:
    """The columns of one file (see the module's docstring); a column in several chunks is
    joined in an array of ``lease``."""
    needed = [c for c in (src.instrument, src.time, src.value, src.unit, src.kind) if c is not None]
    table = src.table if src.table is not None else read_parquet_table(Path(src.path), needed)
    ids, icode = _codes(table.column(src.instrument), lease)
    units, ucode = _codes(table.column(src.unit), lease) if src.unit is not None else ([], _NO_CODES)
    kinds, kcode = _codes(table.column(src.kind), lease) if src.kind is not None else ([], _NO_CODES)
    time = _joined(table.column(src.time).chunks, np.int64, NAT, lease)  # in the column's unit
    if src.time_scale != 1:
        time = np.where(time == NAT, NAT, time * src.time_scale)
    value = _joined(table.column(src.value).chunks, np.float64, np.nan, lease)
    return FileColumns(ids, icode, units, ucode, kinds, kcode, time, value)
