"""Benchmark of the readings checks (issue 3, docs/data.md).

Generates long-format hourly readings for a year into a temporary directory (Parquet and
CSV), then times ``tanjiliang.data.quality.analyse`` — every quality check plus the monthly
aggregation — and the same job written the obvious way in pandas, in the same process, and a
year of minute CEMS data for 100 stacks (52.6 M rows) through ``tanjiliang.data.cems``,
and the workbook reader (calamine) against openpyxl on a year of 12 hourly meters.
Each case (polars then pandas) runs in a fresh interpreter, so that its peak resident memory
(sampled from /proc/self/status every 20 ms) is its own. Prints rows/s, peak RSS and the
pandas/polars time ratio. pandas is skipped at 100 M unless --pandas-large (it needs more
memory than a 24 GB machine has). Files are generated in instrument order (a per-meter
export); --order time writes a DCS-style time-major file that the checks must sort.

    .venv/bin/python benchmarks/readings.py            # 10 M readings + Excel + CEMS
    .venv/bin/python benchmarks/readings.py --large    # also 100 M readings (several minutes)
    .venv/bin/python benchmarks/readings.py --rows 2e6 --no-cems --no-excel   # quick
    .venv/bin/python benchmarks/readings.py --shapes --rows 5e6   # checks ÷ raw scan, six shapes (issue 16)
"""

from __future__ import annotations  # noqa: I001  (tanjiliang before polars: see below)

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import tanjiliang  # noqa: F401  (first: it configures polars' allocator before polars loads)
import numpy as np
import polars as pl

from tanjiliang.data.cems import compute, samples_from_wide
from tanjiliang.data.quality import analyse
from tanjiliang.data.readings import scan_many
from tanjiliang.data.synth import cems_minutes
from tanjiliang.model.unit import UnitFile

HOURS = 8760
YEAR = 2025


class PeakRSS:
    """Peak resident set size while the block runs (a sampling thread, 20 ms)."""

    def __enter__(self) -> PeakRSS:
        self.peak = self._rss()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(0.02)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0


def unit_for(n_instruments: int) -> UnitFile:
    kinds = kind_of(n_instruments)
    types = {"total": "belt_scale", "amount": "truck_scale", "reading": "calorimeter"}
    return UnitFile.model_validate({
        "unit": {"name": "benchmark", "year": YEAR},
        "source_streams": [{"id": "coal", "name": "coal", "kind": "combustion",
                            "material": "bituminous_coal", "activity": "1000000 t",
                            "parameters": {"ncv": "22 GJ/t"}}],
        "instruments": [{"id": f"I{k:06d}", "name": f"I{k}", "type": types[kinds[k]],
                         "measures": "coal.ncv" if kinds[k] == "reading" else "coal",
                         "at": "lab" if kinds[k] == "reading" else "boundary",
                         "range": "0-2000 t" if kinds[k] == "amount" else None,
                         "accuracy": "0.5"}
                        for k in range(n_instruments)],
    })


def kind_of(n: int) -> list[str]:
    return ["total" if k % 10 < 7 else "amount" if k % 10 < 9 else "reading" for k in range(n)]


def generate(rows: int, folder: Path, order: str = "instrument") -> tuple[Path, Path, int]:
    """Hourly readings of ceil(rows / 8760) instruments, ordered by instrument then time (a
    per-meter export) or by time then instrument (a DCS snapshot export, needs sorting)."""
    n = -(-rows // HOURS)
    inst = pl.LazyFrame({"instrument": [f"I{k:06d}" for k in range(n)],
                         "k": np.arange(n, dtype=np.int64),
                         "kind": kind_of(n)})
    hrs = pl.LazyFrame({"i": np.arange(HOURS, dtype=np.int64)})
    u = ((pl.col("i") * 2654435761 + pl.col("k") * 40503) % 1000) / 1000.0
    rate = 10.0 + (pl.col("k") % 50)
    value = (pl.when(pl.col("kind") == "total").then(1000.0 + pl.col("i") * rate + 0.5 * rate * u)
             .when(pl.col("kind") == "amount").then(rate * (1 + 0.1 * u))
             .otherwise(20.0 + u))
    # a fault now and then: a negative amount, a reset, an out-of-range value
    value = (pl.when((pl.col("kind") == "amount") & (pl.col("i") == 5000) & (pl.col("k") % 7 == 0))
             .then(-1.0).otherwise(value))
    grid = inst.join(hrs, how="cross")
    grid = grid.sort("k", "i") if order == "instrument" else grid.sort("i", "k")
    lf = (grid
          .select("instrument",
                  (pl.lit(datetime(YEAR, 1, 1, 1)) + pl.duration(hours=pl.col("i"))).alias("time"),
                  value.alias("value"),
                  pl.when(pl.col("kind") == "reading").then(pl.lit("GJ/t"))
                  .when(pl.col("k") % 5 == 0).then(pl.lit("kg")).otherwise(pl.lit("t")).alias("unit"),
                  pl.col("kind"))
          .with_columns(pl.when(pl.col("unit") == "kg").then(pl.col("value") * 1000)
                        .otherwise(pl.col("value")).alias("value")))
    pq, csv = folder / "readings.parquet", folder / "readings.csv"
    lf.sink_parquet(pq, row_group_size=1_000_000)
    lf.with_columns(pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S")).sink_csv(csv)
    return pq, csv, n * HOURS


def pandas_job(path: Path, unit: UnitFile) -> tuple[int, int]:
    """The same checks and monthly aggregation, the obvious way in pandas."""
    import pandas as pd

    from tanjiliang.data.profile import conversion, profiles

    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    df["time"] = pd.to_datetime(df["time"])
    profs = profiles(unit)
    pairs = df[["instrument", "unit"]].drop_duplicates()
    pairs["scale"] = [conversion(u, profs[i].unit)[0] for i, u in zip(pairs["instrument"], pairs["unit"], strict=True)]
    df = df.merge(pairs, on=["instrument", "unit"])
    df["v"] = df["value"] * df["scale"]
    df["lo"] = df["instrument"].map({k: p.range_lo for k, p in profs.items()})
    df["hi"] = df["instrument"].map({k: p.range_hi for k, p in profs.items()})
    df = df.sort_values(["instrument", "time"])
    g = df.groupby("instrument")
    df["dt"] = g["time"].diff().dt.total_seconds()
    df["prev"] = g["v"].shift()
    df["interval"] = df.groupby("instrument")["dt"].transform("median")
    df["dup"] = df["dt"] == 0
    total = df["kind"] == "total"
    df["drop"] = total & (df["v"] < df["prev"])
    df["inc"] = np.where(total, df["v"] - df["prev"], np.where(df["kind"] == "amount", df["v"], np.nan))
    df["x"] = np.where(total, df["inc"], df["v"])
    df["med"] = df.groupby("instrument")["x"].transform("median")
    df["absdev"] = (df["x"] - df["med"]).abs()
    df["mad"] = df.groupby("instrument")["absdev"].transform("median")
    df["spike"] = (0.6745 * (df["x"] - df["med"]) / df["mad"]).abs() > 3.5
    df["run"] = ((df["v"] != df["prev"]) | (df["instrument"] != df["instrument"].shift())).cumsum()
    df["stuck"] = (df.groupby("run")["v"].transform("size") >= 12) & (df["kind"] == "reading")
    df["neg"] = df["v"] < 0
    df["oor"] = (df["kind"] != "total") & ((df["v"] < df["lo"]) | (df["v"] > df["hi"]))
    df["gap"] = df["dt"] > 1.5 * df["interval"]
    summary = df.groupby("instrument").agg(
        n=("v", "size"), first=("time", "min"), last=("time", "max"), dups=("dup", "sum"),
        neg=("neg", "sum"), oor=("oor", "sum"), resets=("drop", "sum"), stuck=("stuck", "sum"),
        spikes=("spike", "sum"), gaps=("gap", "sum"), amount=("inc", "sum"))
    df["month"] = (df["time"] - pd.Timedelta(microseconds=1)).dt.to_period("M")
    monthly = df.groupby(["instrument", "month"])["inc"].sum()
    return len(summary), len(monthly)


def run_case(label: str, path: Path, unit: UnitFile, rows: int, with_pandas: bool) -> None:
    """Polars, then pandas, in this (fresh) process; peak RSS counted from its baseline."""
    repeat = int(os.environ.get("TJL_BENCH_REPEAT", "1"))  # best of N (a shared machine is noisy)
    gc.collect()
    base = PeakRSS._rss()
    dt = float("inf")
    with PeakRSS() as mem:
        for _ in range(repeat):
            t0 = time.perf_counter()
            q = analyse(scan_many([path], None), unit)
            dt = min(dt, time.perf_counter() - t0)
            assert q.rows == rows, (q.rows, rows)
    line = (f"{label:<26} {rows / 1e6:7.1f} M rows  polars {dt:7.2f} s  {rows / dt / 1e6:6.1f} M rows/s  "
            f"peak RSS {mem.peak / 2**30:5.2f} GiB (process baseline {base / 2**30:4.2f})")
    if with_pandas:
        gc.collect()
        pdt = float("inf")
        with PeakRSS() as pmem:
            for _ in range(repeat):
                t0 = time.perf_counter()
                pandas_job(path, unit)
                pdt = min(pdt, time.perf_counter() - t0)
        line += (f"  | pandas {pdt:7.2f} s  {rows / pdt / 1e6:5.2f} M rows/s  peak RSS "
                 f"{pmem.peak / 2**30:5.2f} GiB  ratio {pdt / dt:5.1f}x")
    print(line, flush=True)


def cems_case(path: Path, stacks: int) -> None:
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    gc.collect()
    repeat = int(os.environ.get("TJL_BENCH_REPEAT", "1"))
    dt = float("inf")
    with PeakRSS() as mem:
        for _ in range(repeat):
            t0 = time.perf_counter()
            res = compute(samples_from_wide(pl.scan_parquet(path)), datetime(YEAR, 1, 1),
                          datetime(YEAR + 1, 1, 1))
            dt = min(dt, time.perf_counter() - t0)
    total = res.points["total_t"].sum()
    print(f"{'CEMS minute, ' + str(stacks) + ' stacks':<26} {rows / 1e6:7.1f} M rows  polars {dt:7.2f} s  "
          f"{rows / dt / 1e6:6.1f} M rows/s  peak RSS {mem.peak / 2**30:5.2f} GiB  "
          f"({res.hourly.height:,} stack-hours, {total / 1e6:,.2f} Mt CO2)", flush=True)


def excel_case(folder: Path, meters: int = 12) -> None:
    """A year of hourly readings of ``meters`` meters in one workbook sheet (long layout):
    the reader used (calamine, exact cells) against openpyxl reading every cell as text."""
    from openpyxl import Workbook

    from tanjiliang.data.readings import read_excel_text

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("读数")
    ws.append(["instrument", "time", "value", "unit"])
    rng = np.random.default_rng(1)
    start = datetime(YEAR, 1, 1, 1)
    for k in range(meters):
        for h, v in enumerate(rng.random(HOURS) * 100):
            ws.append([f"E-{k:02d}", start + timedelta(hours=h), float(v), "kWh"])
    path = folder / "readings.xlsx"
    wb.save(path)
    t0 = time.perf_counter()
    fast = read_excel_text(path)
    t1 = time.perf_counter()
    slow = pl.read_excel(path, engine="openpyxl", infer_schema_length=0)
    t2 = time.perf_counter()
    as_numbers = [pl.col("value").cast(pl.Float64)]  # 7.7e-05 and 0.000077 are one number
    assert fast.with_columns(as_numbers).equals(slow.with_columns(as_numbers)), "the readers disagree"
    print(f"{'Excel sheet, ' + str(meters) + ' meters':<26} {fast.height / 1e6:7.2f} M rows  calamine "
          f"{t1 - t0:5.2f} s  openpyxl {t2 - t1:5.2f} s  ratio {(t2 - t1) / (t1 - t0):4.1f}x "
          f"(same cells)", flush=True)


# Shapes of readings files a plant or a platform exports (issue 16): meters × interval ×
# order × fault density × id format × unit column present or not.
SHAPES: list[dict[str, object]] = [
    {"name": "15-min, 289 meters, per-meter", "meters": 289, "interval": 900, "order": "instrument",
     "faults": 0.001, "ids": "plain", "unit": True},
    {"name": "15-min, 289 meters, time-major", "meters": 289, "interval": 900, "order": "time",
     "faults": 0.001, "ids": "plain", "unit": True},
    {"name": "hourly, 1000 meters, no unit col", "meters": 1000, "interval": 3600,
     "order": "instrument", "faults": 0.001, "ids": "plain", "unit": False},
    {"name": "hourly, 1000 meters, long ids", "meters": 1000, "interval": 3600, "order": "time",
     "faults": 0.01, "ids": "long", "unit": True},
    {"name": "minute, 20 meters (long series)", "meters": 20, "interval": 60,
     "order": "instrument", "faults": 0.001, "ids": "plain", "unit": True},
    {"name": "daily, 20000 meters (short)", "meters": 20000, "interval": 86400,
     "order": "instrument", "faults": 0.01, "ids": "plain", "unit": True},
]


def shape_ids(n: int, style: str) -> list[str]:
    if style == "long":  # DCS tag paths
        return [f"豫能热电/1号机组/计量/FT-{k:05d}.PV" for k in range(n)]
    return [f"I{k:06d}" for k in range(n)]


def generate_shape(shape: dict[str, object], folder: Path, rows: int) -> tuple[Path, UnitFile, int]:
    """One shape of readings as Parquet, ~``rows`` readings, with its unit."""
    meters, interval = int(shape["meters"]), int(shape["interval"])  # type: ignore[call-overload]
    per = max(2, rows // meters)
    ids = shape_ids(meters, str(shape["ids"]))
    kinds = kind_of(meters)
    inst = pl.LazyFrame({"instrument": ids, "k": np.arange(meters, dtype=np.int64), "kind": kinds})
    steps = pl.LazyFrame({"i": np.arange(per, dtype=np.int64)})
    u = ((pl.col("i") * 2654435761 + pl.col("k") * 40503) % 1000) / 1000.0
    rate = 10.0 + (pl.col("k") % 50)
    value = (pl.when(pl.col("kind") == "total").then(1000.0 + pl.col("i") * rate + 0.5 * rate * u)
             .when(pl.col("kind") == "amount").then(rate * (1 + 0.1 * u)).otherwise(20.0 + u))
    fault = ((pl.col("i") * 7919 + pl.col("k") * 104729) % 100_000) < float(shape["faults"]) * 100_000  # type: ignore[arg-type]
    value = pl.when(fault & (pl.col("kind") != "total")).then(value * 40).otherwise(value)
    grid = inst.join(steps, how="cross")
    grid = grid.sort("k", "i") if shape["order"] == "instrument" else grid.sort("i", "k")
    cols = [pl.col("instrument"),
            (pl.lit(datetime(YEAR, 1, 1)) + pl.duration(seconds=pl.col("i") * interval)).alias("time"),
            value.alias("value")]
    if shape["unit"]:
        cols.append(pl.when(pl.col("kind") == "reading").then(pl.lit("GJ/t")).otherwise(pl.lit("t"))
                    .alias("unit"))
    path = folder / "shape.parquet"
    grid.select(cols).sink_parquet(path, row_group_size=1_000_000)
    unit = unit_for(meters)
    unit = unit.model_copy(update={"instruments": [
        i.model_copy(update={"id": ids[k]}) for k, i in enumerate(unit.instruments)]})
    return path, unit, per * meters


def shape_case(shape: dict[str, object], rows: int, folder: Path, repeat: int = 5) -> None:
    """Warm, in this process: the raw scan — ``pl.scan_parquet(path).collect()``, every column
    of the file read into memory by polars (its own threads) — against the whole checks, from
    opening the file to the result tables (``analyse(scan_many([path]), unit)``), alternately,
    ``repeat`` times each. The ratio is scan time ÷ checks time of the same round; the median
    round and the best are printed (on a shared machine both slow down together, so the ratio
    is steadier than the rates), and the same ratio of process CPU seconds (user + system, all
    threads), which the other jobs on a loaded machine disturb least."""
    import statistics

    path, unit, n = generate_shape(shape, folder, rows)
    scans, checks, ratios, cpu_ratios, scan_cpus, check_cpus = [], [], [], [], [], []
    analyse(scan_many([path], None), unit)  # warm: kernel loaded, pages touched
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        pl.scan_parquet(path).collect()
        scans.append(time.perf_counter() - t0)
        scan_cpus.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        q = analyse(scan_many([path], None), unit)
        checks.append(time.perf_counter() - t0)
        check_cpus.append(time.process_time() - c0)
        cpu_ratios.append(scan_cpus[-1] / check_cpus[-1])
        ratios.append(scans[-1] / checks[-1])
    assert q.rows == n, (q.rows, n)
    med = statistics.median
    print(f"{shape['name']!s:<34} {n / 1e6:4.1f} M  scan {med(scans) * 1e3:5.0f} ms "
          f"(CPU {med(scan_cpus) * 1e3:4.0f})  checks {med(checks) * 1e3:5.0f} ms (CPU "
          f"{med(check_cpus) * 1e3:4.0f})  ratio median {med(ratios):4.2f} (best {max(ratios):4.2f}; "
          f"CPU {med(cpu_ratios):4.2f}; target 0.50)  load {os.getloadavg()[0]:.1f}", flush=True)


def child(args: list[str]) -> None:
    """Run one measured case in a fresh interpreter (clean peak-memory figures)."""
    subprocess.run([sys.executable, __file__, *args], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=float, default=10e6, help="readings in the standard case (10e6)")
    ap.add_argument("--large", action="store_true", help="also run 100 M readings")
    ap.add_argument("--no-cems", action="store_true")
    ap.add_argument("--no-excel", action="store_true", help="skip the workbook reader case")
    ap.add_argument("--pandas-large", action="store_true",
                    help="also run pandas at 100 M (needs more memory than a 24 GB machine has)")
    ap.add_argument("--stacks", type=int, default=100)
    ap.add_argument("--order", choices=["instrument", "time"], default="instrument",
                    help="row order of the generated files (time: the checks must sort)")
    ap.add_argument("--dir", default=None, help="where to write the temporary files")
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs per case")
    ap.add_argument("--shapes", action="store_true",
                    help="checks vs a raw Parquet scan on several shapes of data (issue 16)")
    ap.add_argument("--case", nargs=4, metavar=("LABEL", "PATH", "ROWS", "PANDAS"), help=argparse.SUPPRESS)
    ap.add_argument("--cems-case", nargs=2, metavar=("PATH", "STACKS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        label, path, rows, pandas = args.case
        run_case(label, Path(path), unit_for(-(-int(rows) // HOURS)), int(rows), pandas == "1")
        return
    if args.cems_case:
        cems_case(Path(args.cems_case[0]), int(args.cems_case[1]))
        return
    if args.shapes:
        print(f"shapes: checks against a raw scan of the same Parquet file (pl.scan_parquet(path)"
              f".collect(): every column), warm, same process, median of {max(args.repeat, 5)} "
              f"alternating rounds; load average {os.getloadavg()[0]:.1f}", flush=True)
        for shape in SHAPES:
            folder = Path(tempfile.mkdtemp(prefix="tjl-bench-", dir=args.dir))
            try:
                shape_case(shape, int(args.rows), folder, max(args.repeat, 5))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        return
    os.environ["TJL_BENCH_REPEAT"] = str(args.repeat)
    print(f"polars {pl.__version__}, {os.cpu_count()} CPUs, POLARS_MAX_THREADS={pl.thread_pool_size()}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    cases = [int(args.rows)] + ([100_000_000] if args.large else [])
    for rows in cases:
        folder = Path(tempfile.mkdtemp(prefix="tjl-bench-", dir=args.dir))
        try:
            t0 = time.perf_counter()
            pq, csv, n = generate(rows, folder, args.order)
            print(f"generated {n:,} readings ({args.order} order) in {time.perf_counter() - t0:.1f} s: parquet "
                  f"{pq.stat().st_size / 2**20:,.0f} MiB, csv {csv.stat().st_size / 2**20:,.0f} MiB", flush=True)
            pandas = "1" if rows <= 20_000_000 or args.pandas_large else "0"
            child(["--case", "Parquet", str(pq), str(n), pandas])
            child(["--case", "CSV", str(csv), str(n), pandas])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.no_excel:
        folder = Path(tempfile.mkdtemp(prefix="tjl-bench-", dir=args.dir))
        try:
            excel_case(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.no_cems:
        folder = Path(tempfile.mkdtemp(prefix="tjl-bench-", dir=args.dir))
        try:
            path = folder / "cems.parquet"
            cems_minutes(args.stacks, YEAR, lazy=True).sink_parquet(path, row_group_size=1_000_000)  # type: ignore[union-attr]
            child(["--cems-case", str(path), str(args.stacks)])
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
