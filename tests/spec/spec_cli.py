"""The command line as the contract documents describe it (shared/spec/unit-file.md,
shared/spec/default-pack.md), driven like a user: a unit file written in a temporary folder,
``tanjiliang check`` run on it, its exit code, JSON and messages read back. Only keys the spec
documents are written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from tanjiliang.cli.app import app

AS_OF = "2025-12-31"


def unit(streams: list[dict[str, Any]], instruments: list[dict[str, Any]] | None = None,
         **over: Any) -> dict[str, Any]:
    """A unit file with one sub-unit U1 and one boiler B1 in it, and complete management (so
    that only the rule under test gives findings)."""
    data: dict[str, Any] = {
        "format": "tanjiliang/unit@1",
        "unit": {"name": "规范测试单位", "sector": "other", "year": 2025},
        "subunits": [{"id": "U1", "name": "1号机组"}],
        "equipment": [{"id": "B1", "name": "1号锅炉", "subunit": "U1"}],
        "source_streams": streams,
        "instruments": instruments or [],
        "management": {
            "procedures": [{"title": k, "kind": k, "issued": "2024-01-15"} for k in (
                "metering_management", "instrument_management", "data_management", "personnel_training")],
            "personnel": [{"name": "张工", "role": "碳计量负责人"}],
            "records_retention_years": 5,
        },
    }
    data.update(over)
    return data


def tonnes(sid: str, t: str, **kw: Any) -> dict[str, Any]:
    """A process stream whose emissions are exactly ``t`` tCO2e (activity t × 1 t/t)."""
    s: dict[str, Any] = {"id": sid, "name": sid, "kind": "process", "material": "limestone",
                         "activity": f"{t} t", "parameters": {"emission_factor": "1 t/t"}}
    s.update(kw)
    return s


def check(tmp_path: Path, data: dict[str, Any] | str, *args: str, name: str = "plant.yaml",
          as_of: str | None = AS_OF) -> tuple[int, dict[str, Any] | None, str]:
    """``tanjiliang check FILE --format json [--as-of] args`` → (exit code, JSON or None, output)."""
    f = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    f.write_text(text, encoding="utf-8")
    argv = ["check", str(f), *args]
    if as_of is not None:
        argv += ["--as-of", as_of]
    if "--format" not in args:
        argv += ["--format", "json"]
    r = CliRunner().invoke(app, argv)
    out = r.output
    doc = json.loads(r.stdout) if r.exit_code in (0, 1) and "json" in argv else None
    return r.exit_code, doc, out


def codes(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["code"], f["subject"]) for f in doc["findings"]]
