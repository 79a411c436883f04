"""docs/packs.md "Dropping in the official values": its recipes work as written (issue 11 §7).

Every ``sh`` block of that section is run line by line in a scratch folder that sees the
repository's ``src``, ``examples`` and ``.venv`` (so nothing in the repository is touched)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    doc = (ROOT / "docs" / "packs.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Dropping in the official values"):]
    section = section[:section.index("\n## ", 5)]
    out = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        out += [line for line in block.splitlines() if line.strip()]
    return out


def test_walkthrough_recipes_run_as_written(tmp_path):
    for name in ("src", "examples", ".venv"):
        (tmp_path / name).symlink_to(ROOT / name)
    commands = _commands()
    assert len(commands) >= 10
    for cmd in commands:
        r = subprocess.run(["bash", "-c", cmd], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        ok = (0, 1) if " check " in cmd else (0,)  # check: 1 means non-conforming
        assert r.returncode in ok, f"{cmd}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
        if "packs show" in cmd:
            assert "henan-2026 2026.03 (official)" in r.stdout and "20000" in r.stdout
        if "packs diff" in cmd and "--format json" not in cmd:
            assert "henan-2025-draft 2025.12-r1 → henan-2026 2026.03" in r.stdout
    assert (tmp_path / "pack-diff.xlsx").exists()
