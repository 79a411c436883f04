"""Exports of the monthly close (issue 14 §3): the filing workbook and the evidence bundle.

The workbook has one sheet of months × items. For the power sector the items follow the
national guideline's monthly data (企业温室气体排放核算与报告指南 发电设施, 2022 revision, S):
燃煤消耗量 (coal streams), 燃油/燃气消耗量, 购入电量, 低位发热量 and 元素碳含量 of the coal (from the
month's laboratory results), and the emissions; for other sectors one
column per source stream. Each filed month's latest version is a row with its version, filing
time, reason and hash; 逾期 is the month's lateness, its first version's (a correction filed after
the deadline does not make a month filed in time late: the cards and the timeliness indicator
count it so). The bundle is a zip of every record (all versions) and evidence file
with ``manifest.json`` listing each file's SHA-256 (laboratory results files and reports
are evidence files, named by kind in the manifest).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any, cast

from tanjiliang.i18n import gettext, pairs, pick
from tanjiliang.model.unit import UnitFile
from tanjiliang.model.write import atomic_path
from tanjiliang.model.xlsx import save_workbook
from tanjiliang.month.close import filed_quantity, first_versions, latest, records
from tanjiliang.rules.exact import exact, exact_sum

POWER_ITEMS = (
    # (column in Chinese — the English from the catalogue, context ``month.export:<中文>`` —,
    #  which streams: by kind and material family)
    ("燃煤消耗量", lambda s: s.kind == "combustion" and "coal" in (s.material or "")),
    ("燃油消耗量", lambda s: s.kind == "combustion" and (s.material or "") in (
        "diesel", "fuel_oil", "heavy_oil", "gasoline")),
    ("燃气消耗量", lambda s: s.kind == "combustion" and "gas" in (s.material or "")),
    ("购入电量", lambda s: s.kind == "electricity"
     and getattr(s, "direction", "in") == "in"),
    ("供电量", lambda s: s.kind == "electricity"
     and getattr(s, "direction", "in") == "out"),
    ("供热量", lambda s: s.kind == "heat" and getattr(s, "direction", "in") == "out"),
)


#: The power guideline's measured items (issue 14 §3): filled from the month's laboratory
#: results of the coal streams (activity-weighted over several coal streams); empty when the
#: month has none.
LAB_ITEMS = cast("dict[str, tuple[str, str]]", pairs("month.lab", {
    "ncv": "低位发热量 GJ/t", "car": "元素碳含量 %"}))

#: The workbook's other words (context ``month.export.word:<key>``).
WORDS = cast("dict[str, tuple[str, str]]", pairs("month.export.word", {
    "sheet": "月度存证", "month": "月份",
    "emissions": "排放量 tCO2e", "version": "版本",
    "filed_at": "提交时间", "late": "逾期", "reason": "更正原因",
    "yes": "是", "no": "否"}))


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"month.export.word:{key}")


def lab_items(data: dict[str, Any], ids: list[str]) -> dict[str, float | None]:
    """The month's 低位发热量 (GJ/t) and 元素碳含量 (% by mass, = carbon content per energy ×
    NCV where the laboratory gave tC/GJ) of the streams ``ids`` from their ``lab`` parameters,
    weighted by the month's activity."""
    from tanjiliang.units import parse_quantity

    sums: dict[str, list[float]] = {"ncv": [0.0, 0.0], "car": [0.0, 0.0]}
    for s in data.get("streams", []):
        if s["id"] not in ids:
            continue
        ps = {p["name"]: p for p in s.get("parameters") or []}
        w = _amount(s, "t") or 1.0  # coal streams in t and 万t weigh alike
        ncv_p, cc_p = ps.get("ncv"), ps.get("carbon_content")
        ncv = (float(parse_quantity(f"{ncv_p['value']} {ncv_p['unit']}").to("GJ/t").magnitude)
               if ncv_p and ncv_p["unit"] and parse_quantity(f"1 {ncv_p['unit']}").check(
                   "[energy] / [mass]") else None)
        if ncv_p and ncv_p["source"] == "lab" and ncv is not None:
            sums["ncv"][0] += w * ncv
            sums["ncv"][1] += w
        if cc_p and cc_p["source"] == "lab":
            q = parse_quantity(f"{cc_p['value']} {cc_p['unit'] or ''}".strip())
            if q.check("[mass] / [energy]"):
                car = None if ncv is None else float((q * parse_quantity(f"{ncv} GJ/t")).to("").magnitude)
            else:
                car = float(q.to("").magnitude)
            if car is not None:
                sums["car"][0] += w * car * 100.0
                sums["car"][1] += w
    return {k: (a / b if b else None) for k, (a, b) in sums.items()}


def _written_unit(s: Any) -> str | None:
    """The unit a stream's activity is written in ("1830000 t" → "t"; a stock's receipts)."""
    text = s.activity or (s.stock.receipts if getattr(s, "stock", None) else None)
    if not text:
        return None
    unit = re.sub(r"^\s*[-+]?[0-9][0-9.,_]*(?:[eE][-+]?[0-9]+)?\s*", "", str(text)).strip()
    return unit or None


def _columns(unit: UnitFile, lang: str) -> list[tuple[str, list[str], str | None]]:
    """(header, stream ids, unit) per activity column. A column's streams are added up in
    its unit — the first stream's as written — so that coal written in t and in 万t sum as
    tonnes; the header names the unit."""
    def col(name: str, streams: list[Any]) -> tuple[str, list[str], str | None]:
        u = next((w for w in map(_written_unit, streams) if w), None)
        return (f"{name} {u}" if u else name, [s.id for s in streams], u)

    if unit.unit.sector == "power":
        cols = []
        for z, which in POWER_ITEMS:
            streams = [s for s in unit.source_streams if which(s)]
            if streams:
                cols.append(col(gettext(z, lang, f"month.export:{z}"), streams))
        return cols
    return [col(s.name, [s]) for s in unit.source_streams]


def _amount(s: dict[str, Any], unit: str | None) -> float:
    """A record stream's month activity in ``unit`` (its own when None or not convertible)."""
    value = float(s.get("activity") or 0.0)
    if not unit or not s.get("unit") or s["unit"] == unit:
        return value
    from pint import DimensionalityError

    from tanjiliang.units import parse_quantity

    q = parse_quantity(f"{value!r} {s['unit']}")
    try:
        return float(q.to(parse_quantity(f"1 {unit}").units).magnitude)
    except DimensionalityError:  # another dimension (not a column of one kind): as recorded
        return value


def write_workbook(unit: UnitFile, folder: Path, path: Path, lang: str = "zh") -> int:
    """The filing workbook of the filed months; returns the number of month rows."""
    from openpyxl import Workbook

    cols = _columns(unit, lang)
    coal = ([s.id for s in unit.source_streams if POWER_ITEMS[0][1](s)]
            if unit.unit.sector == "power" else [])
    wb = Workbook()
    ws = wb.active
    ws.title = _w("sheet", lang)
    head = [_w("month", lang), *[c for c, _, _ in cols],
            *[pick(p, lang, f"month.lab:{k}") for k, p in (LAB_ITEMS.items() if coal else ())],
            *[_w(k, lang) for k in ("emissions", "version", "filed_at", "late", "reason")],
            "SHA-256"]
    ws.append(head)
    rows = 0
    first = first_versions(folder)
    for label, rec in sorted(latest(folder).items()):
        d = rec.data
        act = {s["id"]: s for s in d.get("streams", [])}
        cells: list[Any] = [label]
        for _, ids, unit_text in cols:
            have = [act[i] for i in ids if i in act]
            # the column's streams summed as decimals, the filed precision (close.filed_quantity)
            cells.append(filed_quantity(float(exact_sum(exact(filed_quantity(_amount(s, unit_text))) for s in have)))
                         if have else None)
        if coal:
            measured = lab_items(d, coal)
            cells += [measured[k] for k in LAB_ITEMS]
        cells += [d.get("emissions_tco2e"), d.get("version"), d.get("filed_at"),
                  _w("yes" if first[label].data.get("late") else "no", lang),
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
                manifest.append({"file": name, "sha256": hashlib.sha256(blob).hexdigest()}
                                | ({"kind": ev["kind"]} if ev.get("kind") else {}))
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return len(manifest)
