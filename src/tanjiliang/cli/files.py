"""The unit files a command is given: each file named, and the unit files under each folder."""

from __future__ import annotations

from pathlib import Path

#: How a unit file's name ends (YAML or JSON, gzipped or not, as ``province generate`` writes).
ENDINGS = (".yaml", ".yml", ".json", ".yaml.gz", ".yml.gz", ".json.gz")
#: Files under a province folder that are not unit files.
NOT_UNITS = ("province.json",)


def unit_files(paths: list[Path]) -> list[Path]:
    """Each file given, and the unit files under each folder (sorted; hidden files and a
    province's manifest left out)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.name.endswith(ENDINGS)
                              and not q.name.startswith(".") and q.name not in NOT_UNITS))
        else:
            out.append(p)
    return out
