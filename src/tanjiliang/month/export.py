"""Exports of the monthly close (issue 14 §3): the filing workbook and the evidence bundle.

The workbook has one sheet of months × items. For the power sector the items follow the
national guideline's monthly data (企业温室气体排放核算与报告指南 发电设施, 2022 revision, S):
燃煤消耗量 (coal streams), 燃油/燃气消耗量, 购入电量, and the emissions; for other sectors one
column per source stream. Each filed month's latest version is a row with its version, filing
time, lateness and hash. The bundle is a zip of every record (all versions) and evidence file
with ``manifest.json`` listing each file's SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from tanjiliang.model.unit import UnitFile
from tanjiliang.model.write import atomic_path
from tanjiliang.model.xlsx import save_workbook
from tanjiliang.month.close import latest, records

POWER_ITEMS = (
    # (column zh, column en, which streams: by kind and material family)
    ("燃煤消耗量", "coal consumed", lambda s: s.kind == "combustion" and "coal" in (s.material or "")),
    ("燃油消耗量", "oil consumed", lambda s: s.kind == "combustion" and (s.material or "") in (
        "diesel", "fuel_oil", "heavy_oil", "gasoline")),
    ("燃气消耗量", "gas consumed", lambda s: s.kind == "combustion" and "gas" in (s.material or "")),
    ("购入电量", "electricity purchased", lambda s: s.kind == "electricity"
     and getattr(s, "direction", "in") == "in"),
    ("供电量", "electricity supplied", lambda s: s.kind == "electricity"
     and getattr(s, "direction", "in") == "out"),
    ("供热量", "heat supplied", lambda s: s.kind == "heat" and getattr(s, "direction", "in") == "out"),
)


def _columns(unit: UnitFile, lang: str) -> list[tuple[str, list[str]]]:
    zh = lang == "zh"
    if unit.unit.sector == "power":
        cols = []
        for z, e, pick in POWER_ITEMS:
            ids = [s.id for s in unit.source_streams if pick(s)]
            if ids:
                cols.append((z if zh else e, ids))
        return cols
    return [(s.name, [s.id]) for s in unit.source_streams]


def write_workbook(unit: UnitFile, folder: Path, path: Path, lang: str = "zh") -> int:
    """The filing workbook of the filed months; returns the number of month rows."""
    from openpyxl import Workbook

    zh = lang == "zh"
    cols = _columns(unit, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "月度存证" if zh else "monthly filing"
    head = ["月份" if zh else "month", *[c for c, _ in cols],
            "排放量 tCO2e" if zh else "emissions tCO2e", "版本" if zh else "version",
            "提交时间" if zh else "filed at", "逾期" if zh else "late",
            "更正原因" if zh else "reason", "SHA-256"]
    ws.append(head)
    rows = 0
    for label, rec in sorted(latest(folder).items()):
        d = rec.data
        act = {s["id"]: s for s in d.get("streams", [])}
        cells: list[Any] = [label]
        for _, ids in cols:
            have = [act[i] for i in ids if i in act]
            cells.append(sum(s["activity"] for s in have) if have else None)
        cells += [d.get("emissions_tco2e"), d.get("version"), d.get("filed_at"),
                  ("是" if d.get("late") else "否") if zh else ("yes" if d.get("late") else "no"),
                  d.get("reason"), d.get("sha256")]
        ws.append(cells)
        rows += 1
    save_workbook(wb, path)  # formula-like texts (a reason a user typed) stay text
    return rows


def write_bundle(folder: Path, path: Path) -> int:
    """A zip of every record and evidence file with a manifest of SHA-256; returns the count."""
    manifest = []
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for rec in records(folder):
            data = rec.path.read_bytes()
            z.writestr(f"records/{rec.path.name}", data)
            manifest.append({"file": f"records/{rec.path.name}",
                             "sha256": hashlib.sha256(data).hexdigest()})
            for ev in rec.data.get("evidence", []):
                name = f"evidence/{ev['sha256']}-{Path(ev['file']).name}"
                if any(m["file"] == name for m in manifest):
                    continue
                src = folder / "evidence" / ev["sha256"]
                blob = src.read_bytes()
                z.writestr(name, blob)
                manifest.append({"file": name, "sha256": hashlib.sha256(blob).hexdigest()})
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return len(manifest)
