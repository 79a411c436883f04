"""What a fresh ``tanjiliang`` process costs over a warm one (issue 16: "a fresh process — the
CLI, a new web worker — costs at most about a second more than a warm one").

For each command line: the median CPU (the child's user + system) and wall seconds of a new
``tanjiliang`` process, and the median CPU seconds of the same command run again inside a
process that has already run it once (warm: imports done, unit registry built, pack and factor
library read). fresh − warm is what starting a process costs.

``--src OTHER/src`` compares the source tree of another checkout (e.g. ``git archive`` of an
earlier commit) with this one (or with ``--new NEW/src``): the two are run alternately, command
by command, so that both see the same load on a shared machine. Each tree needs its readings
kernel compiled once (``PYTHONPATH=TREE/src python -m tanjiliang.data.warm``).

A new web worker is measured too: a process importing the WSGI application (as a gunicorn worker
does) and answering one assessment API request on a SQLite database holding a unit of 5 000
instruments (benchmarks/web.py's), against the same request answered again in that process.

Run: .venv/bin/python benchmarks/fresh.py [--runs 5] [--unit-file BIG.json] [--src OLD/src] [--new NEW/src]
     [--web N | --web 0]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "power" / "unit.yaml")
PLANT = str(ROOT / "tests" / "data" / "fixtures" / "plant.yaml")
AS_OF = "2025-12-31"

_WARM = """
import json, sys, time
from typer.testing import CliRunner
from tanjiliang.cli.app import app
args, runs = json.loads(sys.argv[1]), int(sys.argv[2])
runner = CliRunner()
first = runner.invoke(app, args)
cpus = []
for _ in range(runs):
    c = time.process_time()
    r = runner.invoke(app, args)
    cpus.append(time.process_time() - c)
    assert r.exit_code == first.exit_code, r.output
print(json.dumps(sorted(cpus)[len(cpus) // 2]))
"""


_WEB = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings")
from tanjiliang.web.wsgi import application  # what a gunicorn worker imports
from django.test import Client
path, token, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer " + token)
def get():
    r = client.get(path)
    assert r.status_code == 200, (r.status_code, r.content[:300])
get()
first = time.process_time()  # the process's CPU from its start to its first answer
cpus = []
for _ in range(runs):
    c = time.process_time()
    get()
    cpus.append(time.process_time() - c)
print(json.dumps([first, sorted(cpus)[len(cpus) // 2]]))
"""


def web_setup(tmp: Path, instruments: int) -> tuple[dict[str, str], list[str]]:
    """A SQLite database holding a unit of ``instruments`` (benchmarks/web.py's), its assessment
    computed once (as a running server would have), and the request a new worker answers."""
    web = _sibling("web")
    unit_json = tmp / "unit.json"
    unit_json.write_text(json.dumps(web.synthetic_unit(instruments)), encoding="utf-8")
    env = {"TANJILIANG_SECRET_KEY": "benchmark-only", "TANJILIANG_DATA_DIR": str(tmp),
           "TANJILIANG_AS_OF": AS_OF, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
    info = web.setup_database({**os.environ, **env}, unit_json)
    argv = [f"/api/units/{info['unit']}/assessment", info["token"]]
    subprocess.run([sys.executable, "-c", _WEB, *argv, "1"], env={**os.environ, **env}, cwd=ROOT,
                   check=True, capture_output=True)
    return env, argv


def web_worker(env: dict[str, str], argv: list[str], src: Path | None, runs: int) -> tuple[float, float, float]:
    """(CPU to the first answer, wall of the process, CPU of a warm request) of a new worker."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _WEB, *argv, str(runs)], env={**_env(src), **env},
                          cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    first, warm_cpu = json.loads(done.stdout.splitlines()[-1])
    return first, wall, warm_cpu


def cases(unit_file: Path | None, readings: Path | None, tmp: Path) -> list[tuple[str, list[str]]]:
    out = [
        ("--help", ["--help"]),
        ("check --help", ["check", "--help"]),
        ("check example", ["check", EXAMPLE, "--as-of", AS_OF, "--format", "json"]),
    ]
    if unit_file is not None:
        out.append((f"check {unit_file.name}", ["check", str(unit_file), "--as-of", AS_OF, "--format", "json"]))
    out.append(("ledger export", ["ledger", "export", PLANT, "-o", str(tmp / "ledger.xlsx")]))
    if readings is not None:
        out.append(("data check", ["data", "check", PLANT, str(readings), "--as-of", AS_OF, "--format", "json"]))
    return out


def _env(src: Path | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the untimed first run writes each tree's byte code
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def fresh(args: list[str], src: Path | None) -> tuple[float, float]:
    """(CPU, wall) seconds of one new ``tanjiliang`` process."""
    exe = Path(sys.executable).with_name("tanjiliang")
    before, t = os.times(), time.perf_counter()
    done = subprocess.run([str(exe), *args], capture_output=True, env=_env(src), cwd=ROOT)
    wall, after = time.perf_counter() - t, os.times()
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}")
    return (after.children_user - before.children_user + after.children_system - before.children_system,
            wall)


def warm(args: list[str], src: Path | None, runs: int) -> float:
    """Median CPU seconds of the command run again in a process that has run it once."""
    done = subprocess.run([sys.executable, "-c", _WARM, json.dumps(args), str(runs)], capture_output=True,
                          text=True, env=_env(src), cwd=ROOT, check=True)
    return float(done.stdout.splitlines()[-1])


def floor(runs: int) -> float:
    """Median CPU seconds of ``python -c pass`` (the interpreter alone)."""
    cpus = []
    for _ in range(runs):
        before = os.times()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        after = os.times()
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
    return statistics.median(cpus)


def reference_loop() -> float:
    """CPU seconds of a 10⁷-step Python loop (benchmarks/unitfile.py's): the machine's speed."""
    return float(_sibling("unitfile").reference_loop())


def _sibling(name: str) -> Any:
    """Another benchmark of this folder, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--unit-file", type=Path, help="a large unit file (benchmarks/unitfile.py --keep DIR writes one)")
    ap.add_argument("--readings", type=Path, help="readings for tests/data/fixtures/plant.yaml "
                                                  "(default: a year of them from tanjiliang.data.synth)")
    ap.add_argument("--src", type=Path, help="another checkout's src folder, run alternately with this one")
    ap.add_argument("--new", type=Path, help="the src folder compared with --src (default: this checkout's; "
                                             "e.g. an earlier commit with only some changes applied)")
    ap.add_argument("--only", help="run only the cases whose name contains this text")
    ap.add_argument("--web", type=int, default=5000, metavar="N",
                    help="a new web worker's first API answer on a unit of N instruments (0: skip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        readings = args.readings
        if readings is None:
            from tanjiliang.data.synth import plant_year

            readings = Path(tmp) / "plant.parquet"
            plant_year()[0].write_parquet(readings)
        variants: list[tuple[str, Path | None]] = [("new", (args.new or ROOT / "src").resolve())]
        if args.src is not None:
            variants.insert(0, ("old", args.src.resolve()))
        load = os.getloadavg()
        print(f"median of {args.runs}; seconds; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"on {os.cpu_count()} cores; python -c pass: {floor(args.runs):.3f} s CPU; "
              f"a 10⁷-step Python loop: {reference_loop():.2f} s CPU")
        print(f"{'command':<22} {'tree':<4} {'fresh CPU':>9} {'fresh wall':>10} {'warm CPU':>8} {'fresh−warm CPU':>14}")
        for name, argv in cases(args.unit_file, readings, Path(tmp)):
            if args.only and args.only not in name:
                continue
            got: dict[str, list[tuple[float, float]]] = {v: [] for v, _ in variants}
            for _, src in variants:  # once untimed: byte code and disk caches written
                fresh(argv, src)
            for _ in range(args.runs):
                for v, src in variants:  # alternately, so that both see the same load
                    got[v].append(fresh(argv, src))
            for v, src in variants:
                cpu = statistics.median(c for c, _ in got[v])
                wall = statistics.median(w for _, w in got[v])
                w = warm(argv, src, args.runs)
                print(f"{name:<22} {v:<4} {cpu:>9.2f} {wall:>10.2f} {w:>8.3f} {cpu - w:>14.2f}")
        if args.web and (not args.only or args.only in "web worker"):
            env, argv = web_setup(Path(tmp), args.web)
            got_web: dict[str, list[tuple[float, float, float]]] = {v: [] for v, _ in variants}
            for _, src in variants:
                web_worker(env, argv, src, 1)
            for _ in range(args.runs):
                for v, src in variants:
                    got_web[v].append(web_worker(env, argv, src, args.runs))
            for v, _ in variants:
                cpu = statistics.median(c for c, _, _ in got_web[v])
                wall = statistics.median(w for _, w, _ in got_web[v])
                w = statistics.median(x for _, _, x in got_web[v])
                print(f"{'web worker, 1st API':<22} {v:<4} {cpu:>9.2f} {wall:>10.2f} {w:>8.3f} {cpu - w:>14.2f}")
        load = os.getloadavg()
        print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
              f"a 10⁷-step Python loop: {reference_loop():.2f} s CPU")


if __name__ == "__main__":
    main()
