"""Benchmark: the flow diagram and the full PDF report, for the examples and the generated
300-point plant (issue 4: targets diagram < 2 s, PDF < 5 s).

Prints, per unit, the best of ``--repeat`` runs in wall-clock seconds and in CPU seconds
(this process plus the Graphviz child process), so that a busy machine can be told from a
slow program. Also HTML and XLSX for reference. Run: ``.venv/bin/python benchmarks/diagram_report.py``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tanjiliang.assess.engine import assess
from tanjiliang.diagram import render
from tanjiliang.diagram.synthetic import synthetic_plant
from tanjiliang.model.load import load_unit
from tanjiliang.reports import write_report
from tanjiliang.rules.load import load_pack

ROOT = Path(__file__).parents[1]
AS_OF = date(2025, 12, 31)
TARGETS = {"diagram_svg": 2.0, "pdf": 5.0}


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        c0, w0 = _cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(_cpu() - c0)
    return min(walls), min(cpus)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def units() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [(p.parent.name, load_unit(p))
                                     for p in sorted((ROOT / "examples").glob("*/unit.yaml"))]
    out.append(("plant-300", synthetic_plant()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    header = (f"{'unit':<12}{'points':>7}{'instr':>6}  {'diagram svg':>16}{'diagram png':>16}"
              f"{'PDF report':>16}{'pages':>6}{'HTML':>8}{'XLSX':>8}")
    print(header)
    print(" " * 31 + "wall s / CPU s".rjust(16) * 3)
    worst = {"diagram_svg": 0.0, "pdf": 0.0}
    worst_cpu = {"diagram_svg": 0.0, "pdf": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for name, unit in units():
            loaded = load_pack(unit.pack)  # type: ignore[attr-defined]
            a = assess(unit, loaded, AS_OF)  # type: ignore[arg-type]
            svg = best(lambda: render(a, unit, loaded.pack, args.lang, "svg"), args.repeat)  # type: ignore[arg-type]  # noqa: B023
            png = best(lambda: render(a, unit, loaded.pack, args.lang, "png"), args.repeat)  # type: ignore[arg-type]  # noqa: B023
            pdf_path = Path(tmp) / f"{name}.pdf"
            pdf = best(lambda: write_report(a, unit, pdf_path, args.lang, loaded.pack), args.repeat)  # type: ignore[arg-type]  # noqa: B023
            html = best(lambda: write_report(a, unit, Path(tmp) / f"{name}.html", args.lang, loaded.pack), 1)  # type: ignore[arg-type]  # noqa: B023
            xlsx = best(lambda: write_report(a, unit, Path(tmp) / f"{name}.xlsx", args.lang, loaded.pack), 1)  # type: ignore[arg-type]  # noqa: B023
            pages = pdf_pages(pdf_path)
            worst["diagram_svg"] = max(worst["diagram_svg"], svg[0])
            worst["pdf"] = max(worst["pdf"], pdf[0])
            worst_cpu["diagram_svg"] = max(worst_cpu["diagram_svg"], svg[1])
            worst_cpu["pdf"] = max(worst_cpu["pdf"], pdf[1])
            print(f"{name:<12}{len(a.points):>7}{len(a.instruments):>6}  "
                  f"{svg[0]:>7.2f} / {svg[1]:<6.2f}{png[0]:>7.2f} / {png[1]:<6.2f}"
                  f"{pdf[0]:>7.2f} / {pdf[1]:<6.2f}{pages:>6}{html[0]:>8.2f}{xlsx[0]:>8.2f}")
    for key, target in TARGETS.items():
        wall = "meets" if worst[key] < target else "MISSES"
        cpu = "meets" if worst_cpu[key] < target else "MISSES"
        print(f"worst {key}: {worst[key]:.2f} s wall ({wall} < {target:g} s), "
              f"{worst_cpu[key]:.2f} s CPU ({cpu}); wall exceeds CPU when the machine is busy")


if __name__ == "__main__":
    main()
