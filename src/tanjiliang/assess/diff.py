"""What changes for a unit between two rule packs (issue 11 §7, docs/packs.md "When the
official tables arrive"): its conclusion, total and category, stream classes, required metering
points, equipping rates and findings. Pure: two assessments of the same unit in, one
:class:`UnitDiff` out; ``tanjiliang packs diff`` (cli/packs.py) assesses each unit through the
one door with each pack and prints these as text, JSON or XLSX.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tanjiliang.assess.result import Assessment, RateRow

FORMAT = "tanjiliang/packs-diff@1"


@dataclass(slots=True)
class Change:
    kind: str  # conclusion | key_unit | category | class | point | rate | finding
    subject: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "old": self.old, "new": self.new}


@dataclass(slots=True)
class UnitDiff:
    file: str
    unit: str
    year: int | None
    old_conclusion: str | None
    new_conclusion: str | None
    changes: list[Change] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "unit": self.unit, "year": self.year,
                "conclusion": {"old": self.old_conclusion, "new": self.new_conclusion},
                "changes": [c.to_json() for c in self.changes], "error": self.error}


def _rate(r: RateRow) -> str:
    return f"{r.equipped}/{r.required} = {r.rate_percent:g} % ({r.required_percent:g} %)"


def diff_assessments(file: str, old: Assessment, new: Assessment) -> UnitDiff:
    """Every difference that matters to a reviewer between ``old`` and ``new``."""
    out = UnitDiff(file, old.unit_name, old.unit_year, old.conclusion, new.conclusion)
    ch = out.changes
    if old.conclusion != new.conclusion:
        ch.append(Change("conclusion", "unit", old.conclusion, new.conclusion))
    if old.key_emission_unit != new.key_emission_unit:
        ch.append(Change("key_unit", "unit", old.key_emission_unit, new.key_emission_unit))
    if old.installation_category != new.installation_category:
        ch.append(Change("category", "unit", old.installation_category, new.installation_category))
    new_streams = {s.id: s for s in new.streams}
    for s in old.streams:
        n = new_streams.get(s.id)
        if n is not None and n.cls != s.cls:
            ch.append(Change("class", s.id, s.cls, n.cls))
        if n is not None and (n.tier_required, n.tier_achieved) != (s.tier_required, s.tier_achieved):
            ch.append(Change("tier", s.id, [s.tier_required, s.tier_achieved], [n.tier_required, n.tier_achieved]))
    old_pts = {p.id: p for p in old.points if p.required}
    new_pts = {p.id: p for p in new.points if p.required}
    for pid in sorted(old_pts.keys() - new_pts.keys()):
        ch.append(Change("point", pid, "required", None))
    for pid in sorted(new_pts.keys() - old_pts.keys()):
        ch.append(Change("point", pid, None, "required"))
    old_rates = {(r.medium, r.level): r for r in old.rates}
    new_rates = {(r.medium, r.level): r for r in new.rates}
    for key in sorted(old_rates.keys() | new_rates.keys(), key=lambda k: (k[0], k[1] if k[1] is not None else 9)):
        ro, rn = old_rates.get(key), new_rates.get(key)
        before = _rate(ro) if ro else None
        after = _rate(rn) if rn else None
        if before != after:
            ch.append(Change("rate", f"{key[0]}/{key[1] if key[1] is not None else 'lab'}", before, after))
    old_f = Counter((f.code, f.subject, f.severity) for f in old.findings)
    new_f = Counter((f.code, f.subject, f.severity) for f in new.findings)
    gone = sorted((old_f - new_f).elements())
    came = sorted((new_f - old_f).elements())
    for code, subject, sev in gone:  # the same finding with another severity: one change
        other = next((c for c in came if c[:2] == (code, subject)), None)
        if other is not None:
            came.remove(other)
        ch.append(Change("finding", f"{code} {subject}", sev, other[2] if other else None))
    for code, subject, sev in came:
        ch.append(Change("finding", f"{code} {subject}", None, sev))
    return out


def to_json(old: Any, new: Any, units: list[UnitDiff]) -> dict[str, Any]:
    """The whole comparison (``old``/``new``: loaded packs)."""
    return {"format": FORMAT,
            "old": {"name": old.name, "version": old.version, "sha256": old.sha256},
            "new": {"name": new.name, "version": new.version, "sha256": new.sha256},
            "units": [u.to_json() for u in units],
            "changed": sum(1 for u in units if u.changes),
            "conclusion_changed": sum(1 for u in units if u.old_conclusion != u.new_conclusion)}


__all__ = ["FORMAT", "Change", "UnitDiff", "diff_assessments", "to_json"]
