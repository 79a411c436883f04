"""Issue 16: a fresh ``tanjiliang check`` imports what checking a unit needs, nothing more —
command modules load when their command runs (``cli/lazy.py``); heavy libraries of other
commands (Excel, readings, reports, web, optimiser) stay out of the process, and so do the
array libraries pint would load for itself (``tanjiliang/_imports.py``). ``tanjiliang --help``
lists the commands from the help table beside the lazy one, importing none of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import typer
from typer.testing import CliRunner

from tanjiliang.cli import lazy
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
    "dask",           # pint's array support would import it; so would province runs
    "distributed",    # dask's cluster, for province runs
    "numpy",          # pint's array support; the readings checks
    "pandas",
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
import typer
from typer.testing import CliRunner
from tanjiliang.cli.app import app
r = CliRunner().invoke(app, sys.argv[1:])
print(json.dumps({"exit": r.exit_code, "output": r.output, "modules": sorted(sys.modules)}))
"""


#: What a help page of the root needs: none of the commands, the unit model, pint or pydantic.
NOT_FOR_HELP = (*HEAVY, "tanjiliang.model.unit", "tanjiliang.units", "tanjiliang.rules",
                "tanjiliang.assess", "pint", "pydantic", "yaml")


def _fresh(*args: str, lang: str = "zh", probe: str = _PROBE) -> dict:
    env = {**os.environ, "TANJILIANG_LANG": lang, "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True, env=env)
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


def test_help_imports_no_command() -> None:
    """``tanjiliang --help`` (and ``tanjiliang`` alone) list the commands from
    ``RootGroup.helps``: a fresh help page took 1 s importing every command module."""
    for args in (["--help"], []):
        got = _fresh(*args)
        assert "check" in got["output"] and "audit" in got["output"], got["output"]
        heavy = [name for name in NOT_FOR_HELP if _imported(got["modules"], name)]
        assert not heavy, f"tanjiliang {' '.join(args)} imported {heavy}"
        assert not [m for m, _ in RootGroup.lazy.values() if m in got["modules"]]


def test_check_help_builds_no_model() -> None:
    got = _fresh("check", "--help")
    assert got["exit"] == 0 and "--as-of" in got["output"], got["output"]
    # Typer itself imports pydantic (typer._adapters) to build a command's parameters
    heavy = [name for name in NOT_FOR_HELP if name != "pydantic" and _imported(got["modules"], name)]
    assert not heavy, f"tanjiliang check --help imported {heavy}"


def test_help_table_is_each_commands_own_help() -> None:
    """The help table beside the lazy one cannot drift from the commands: each entry is the
    help text its module writes (both languages in one string)."""
    from typer.main import get_group

    from tanjiliang.cli.lazy import load

    assert list(RootGroup.helps) == list(RootGroup.lazy)
    for name, (module, how) in RootGroup.lazy.items():
        cmd = load(name, module, how)[name]
        own = getattr(cmd, "_tj_help", cmd.help)  # as written, if a run localised it already
        assert RootGroup.helps[name] == own, name
    assert isinstance(get_group(app), RootGroup)


_LOADED = _PROBE.replace("from tanjiliang.cli.app import app",
                         "from tanjiliang.cli.app import RootGroup, app\nRootGroup.helps = {}")


def test_help_page_is_the_same_as_with_every_command_imported() -> None:
    """In both languages the help page listed from the table is, character for character, the
    one listed from the commands themselves (the table emptied: every command imported)."""
    for lang in ("zh", "en"):
        table = _fresh("--help", lang=lang)
        loaded = _fresh("--help", lang=lang, probe=_LOADED)
        assert "tanjiliang.cli.audit" in loaded["modules"]  # the comparison is with the real ones
        assert table["output"] == loaded["output"], lang



def test_collector_paused_only_while_the_command_is_imported() -> None:
    """``tanjiliang`` (cli.app.main) pauses the cyclic collector while a command's module is
    imported and resumes it, with what the imports made frozen, before the command runs."""
    import gc

    from tanjiliang.cli.lazy import LazyGroup, pause_collector

    class Group(LazyGroup):  # the root's resolve_command, no lazy commands
        lazy: ClassVar[dict[str, tuple[str, str]]] = {}

    seen: list[bool] = []
    probe = typer.Typer(cls=Group)

    @probe.callback()
    def root() -> None:
        pass

    @probe.command()
    def during() -> None:
        seen.append(gc.isenabled())

    assert gc.isenabled()
    pause_collector()
    try:
        assert not gc.isenabled()
        r = CliRunner().invoke(probe, ["during"])
        assert r.exit_code == 0, r.output
        assert seen == [True] and gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
        lazy._PAUSED["command"] = False


def test_a_commands_own_imports_run_with_the_collector_paused_in_the_command_only() -> None:
    """``command_imports()`` (``data check``'s numba and readings checks, ``ledger export``'s
    openpyxl): in the ``tanjiliang`` command the collector is paused inside it and resumed,
    with what it made frozen, after it; anywhere else (a test's runner, a warm process) the
    collector is left as it is."""
    import gc

    from tanjiliang.cli.lazy import command_imports

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with command_imports():
        assert gc.isenabled()  # not in the command: unchanged
    assert gc.get_freeze_count() == frozen
    lazy._PAUSED["command"] = True
    try:
        with command_imports():
            assert not gc.isenabled()
            made = [object()]
        assert gc.isenabled() and gc.get_freeze_count() > frozen and made
    finally:
        gc.unfreeze()
        gc.enable()
        lazy._PAUSED["command"] = False


def test_check_with_a_failed_confirmation_estimates_without_the_readings_machinery(tmp_path: Path) -> None:
    """A unit whose belt scale failed its confirmation is non-conforming without readings
    (CAL-OOT, its period's emissions pro rata), and ``check`` still loads no array library:
    the out-of-tolerance module reads the declared activity without polars (the realistic
    10 000-instrument ledger has a few failed records; importing the readings checks cost it
    ~1.3 s of CPU)."""
    text = (ROOT / "examples" / "power" / "unit.yaml").read_text(encoding="utf-8")
    old = "last_confirmed: 2025-06-10, certificate: 焦计检字2025-0612"
    assert old in text
    text = text.replace(old, "confirmations: [{date: 2025-01-10, kind: verification, result: pass}, "
                             "{date: 2025-06-10, kind: verification, result: fail, as_found: \"+1.2 %\"}], "
                             "certificate: 焦计检字2025-0612")
    unit = tmp_path / "unit.yaml"
    unit.write_text(text, encoding="utf-8")
    got = _fresh("check", str(unit), "--as-of", "2025-12-31", "--format", "json")
    assert got["exit"] == 1, got["output"]
    assert any(f["code"] == "CAL-OOT" and f["subject"] == "W-11" for f in json.loads(got["output"])["findings"])
    light = ("tanjiliang.data.oot", "tanjiliang.data.declared")
    heavy = [m for m in got["modules"] if any(_imported([m], h) for h in HEAVY)
             and not any(_imported([m], x) for x in light) and m != "tanjiliang.data"]
    assert not heavy, f"tanjiliang check imported {heavy}"
