"""Sizing figures for docs/scale.md (issue 16 §5): 1 against 2 workers on this machine.

Generates a province of units (tanjiliang.province.generate) and reassesses it with the local
process pool and on a local Dask cluster, each with 1 and 2 workers; then checks a year of
hourly readings in one process (the per-worker rate of the readings checks). Prints units/s,
readings/s, and the 2-worker/1-worker ratio. Figures only, no assertions.

    .venv/bin/python benchmarks/cluster.py [--units 400] [--instruments 200] [--rows 5e6]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import tanjiliang  # noqa: F401  (before polars: allocator settings)

sys.path.insert(0, str(Path(__file__).parent))


def province_rates(units: int, instruments: int) -> None:
    from tanjiliang.province.batch import reassess
    from tanjiliang.province.generate import iter_unit_files, write_province

    root = Path(tempfile.mkdtemp(prefix="tjl-cluster-"))
    try:
        write_province(root, seed=16, units=units, instruments=instruments, years=(2025,))
        paths = [p for _, p in iter_unit_files(root, None)]
        rates: dict[tuple[str, int], float] = {}
        for engine in ("pool", "dask"):
            for workers in (1, 2):
                t0 = time.perf_counter()
                if engine == "pool":
                    df = reassess(paths, workers=workers)
                else:
                    df = reassess(paths, cluster=f"local:{workers}")
                dt = time.perf_counter() - t0
                rates[engine, workers] = len(paths) / dt
                print(f"province {engine:<4} {workers} worker(s): {df.height} units × {instruments} "
                      f"instruments in {dt:6.1f} s = {len(paths) / dt:6.1f} units/s", flush=True)
            print(f"  {engine}: 2 workers / 1 worker = {rates[engine, 2] / rates[engine, 1]:.2f}",
                  flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def readings_rate(rows: int) -> None:
    import readings as bench

    from tanjiliang.data.quality import analyse
    from tanjiliang.data.readings import scan_many

    folder = Path(tempfile.mkdtemp(prefix="tjl-cluster-"))
    try:
        pq, _, n = bench.generate(rows, folder)
        unit = bench.unit_for(-(-n // bench.HOURS))
        analyse(scan_many([pq], None), unit)
        t0 = time.perf_counter()
        analyse(scan_many([pq], None), unit)
        dt = time.perf_counter() - t0
        print(f"readings checks, one process (2 threads): {n / 1e6:.1f} M hourly readings in "
              f"{dt:.2f} s = {n / dt / 1e6:.1f} M readings/s", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=400)
    ap.add_argument("--instruments", type=int, default=200)
    ap.add_argument("--rows", type=float, default=5e6)
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    province_rates(args.units, args.instruments)
    readings_rate(int(args.rows))


if __name__ == "__main__":
    main()
