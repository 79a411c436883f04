"""Issue 16: a fresh ``tanjiliang check`` imports what checking a unit needs, nothing more —
command modules load when their command runs (``cli/lazy.py``); heavy libraries of other
commands (Excel, readings, reports, web, optimiser) stay out of the process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tanjiliang.cli.app import RootGroup, app

ROOT = Path(__file__).resolve().parents[2]

#: Modules ``tanjiliang check`` on a unit without readings must not import.
HEAVY = (
    "openpyxl",       # ledger / Excel export
    "polars",         # readings checks
    "pyarrow",        # readings store
    "numba",          # readings kernel
    "weasyprint",     # PDF reports
    "django",         # web
    "highspy",        # plan optimiser
    "PIL",            # images (reports, diagrams)
    "lxml",
    "ray",
    "distributed",    # dask's cluster, for province runs
    "tanjiliang.data",
    "tanjiliang.ledger",
    "tanjiliang.reports.html",
    "tanjiliang.plan",
    "tanjiliang.web",
    "tanjiliang.province",
    "tanjiliang.month",
    "tanjiliang.diagram",
    "tanjiliang.review",
)

_PROBE = """
import json, sys
from typer.testing import CliRunner
from tanjiliang.cli.app import app
r = CliRunner().invoke(app, sys.argv[1:])
print(json.dumps({"exit": r.exit_code, "output": r.output, "modules": sorted(sys.modules)}))
"""


def _fresh(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def _imported(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_check_without_readings_imports_nothing_heavy() -> None:
    got = _fresh("check", "examples/power/unit.yaml", "--as-of", "2025-12-31", "--format", "json")
    assert got["exit"] in (0, 1), got["output"]
    assert json.loads(got["output"])["unit"]
    heavy = [name for name in HEAVY if _imported(got["modules"], name)]
    assert not heavy, f"tanjiliang check imported {heavy}"
    others = {mod for mod, _ in RootGroup.lazy.values()} - {"tanjiliang.cli.check"}
    assert not [m for m in others if m in got["modules"]]


def test_help_lists_every_command() -> None:
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0, r.output
    listed = [line.split()[1] for line in r.output.splitlines()
              if line.startswith("│ ") and len(line.split()) > 2]
    assert [n for n in RootGroup.lazy if n not in listed] == []
