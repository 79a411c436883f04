"""``columns.numbers`` gives what pyarrow's ``to_numpy`` gives (which imports pandas: 0.16 s of a
fresh ``tanjiliang data check``, issue 16), for every type the checks read as arrays."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pyarrow as pa
import pytest

from tanjiliang.data.columns import numbers

CASES = [
    pa.chunked_array([[1.5, None, 3.0], [4.0]], pa.float64()),
    pa.chunked_array([[1.5, None], [2.25]], pa.float32()),
    pa.chunked_array([[1, 2, 3], [4]], pa.int64()),
    pa.chunked_array([[1, None, 3], [2**60 + 1]], pa.int64()),
    pa.chunked_array([[-1, 2]], pa.int8()),
    pa.chunked_array([[1, 200]], pa.uint8()),
    pa.chunked_array([[1, None, 3], [5]], pa.timestamp("us")),
    pa.chunked_array([[1, 2], [3]], pa.timestamp("s")),
    pa.chunked_array([[None, 2], []], pa.timestamp("ms")),
    pa.chunked_array([], pa.float64()),
    pa.chunked_array([pa.array([1.0, 2.0, None, 4.0, 5.0]).slice(1, 3)]),
    pa.chunked_array([pa.array([None, None], pa.float64())]),
    pa.array([7, None, 9], pa.int32()).slice(1),
]


def _as_to_numpy(values: np.ndarray, missing: np.ndarray | None, arrow_type: pa.DataType) -> np.ndarray:
    """What the checks make of to_numpy(): time stamps as int64 with NaT, numbers as float64
    with NaN."""
    if pa.types.is_timestamp(arrow_type):
        return values if missing is None else np.where(missing, np.iinfo(np.int64).min, values)
    out = values.astype(np.float64)
    return out if missing is None else np.where(missing, np.nan, out)


@pytest.mark.parametrize("col", CASES, ids=[f"{c.type}-{len(c)}" for c in CASES])
def test_numbers_are_what_to_numpy_gives(col: pa.ChunkedArray | pa.Array) -> None:
    values, missing = numbers(col)
    assert len(values) == len(col)
    got = _as_to_numpy(values, missing, col.type)
    if pa.types.is_timestamp(col.type):
        expected = col.to_numpy().view(np.int64)
    else:
        expected = np.asarray(col.to_numpy(zero_copy_only=False) if isinstance(col, pa.Array)
                              else col.to_numpy()).astype(np.float64)
    np.testing.assert_array_equal(got, expected)
    if not pa.types.is_floating(col.type) and not pa.types.is_timestamp(col.type) and missing is None:
        np.testing.assert_array_equal(values, col.to_numpy())  # integers as they are stored


def test_numbers_refuses_text() -> None:
    with pytest.raises(TypeError):
        numbers(pa.chunked_array([["a"]]))


def test_reading_parquet_readings_imports_no_pandas(tmp_path) -> None:
    import polars as pl

    path = tmp_path / "r.parquet"
    pl.DataFrame({"instrument": ["W-01", "E-01", None], "time": [1, None, 3], "value": [1.0, None, 2],
                  "unit": ["t", "t", "kWh"]}).with_columns(pl.col("time").cast(pl.Datetime("ms"))
                                                           ).write_parquet(path)
    probe = ("import sys; from pathlib import Path\n"
             "from tanjiliang.data.readings import ParquetColumns, read_parquet_table\n"
             "from tanjiliang.data.columns import read_file\n"
             f"t = read_parquet_table(Path({str(path)!r}))\n"
             f"f = read_file(ParquetColumns({str(path)!r}, 'instrument', 'time', 1000, 'value', 'unit', None, t))\n"
             "print(f.icode.tolist(), f.time.tolist(), f.value.tolist(), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         timeout=300).stdout.split()
    assert out[-1] == "False", out
