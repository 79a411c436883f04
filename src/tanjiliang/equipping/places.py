"""Major sub-units and equipment — default-pack.md "Major sub-units and equipment".

Emissions are attributed to consumers by their shares (a plain list splits equally); a stream
consumed by equipment is also attributed to that equipment's sub-unit; a measurement-method
stream is attributed to the equipment (and sub-unit) of its emission points, equally when there
are several. A place is major when its attributed emissions reach the pack's threshold, unless
the file says ``major: true|false``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from tanjiliang.assess.result import PlaceResult
from tanjiliang.model.unit import BOUNDARY, UnitFile
from tanjiliang.rules.exact import ZERO, exact, exact_sum, rounded
from tanjiliang.rules.schema import Pack


class Topology:
    """Where each place sits: boundary → sub-unit → equipment; emission points hang below."""

    def __init__(self, unit: UnitFile) -> None:
        self.subunits = {s.id: s for s in unit.subunits}
        self.equipment = {e.id: e for e in unit.equipment}
        self.emission_points = {p.id: p for p in unit.emission_points}

    def parent(self, place: str) -> str | None:
        if place == BOUNDARY:
            return None
        if place in self.equipment:
            return self.equipment[place].subunit or BOUNDARY
        return BOUNDARY

    def level(self, place: str, emission_point_level: int) -> int | None:
        if place == BOUNDARY:
            return 1
        if place in self.subunits:
            return 2
        if place in self.equipment:
            return 3
        if place in self.emission_points:
            return emission_point_level
        return None

    def emission_point_owner(self, point_id: str) -> str | None:
        p = self.emission_points[point_id]
        return p.equipment or p.subunit

    def shares(self, consumers: dict[str, float]) -> dict[str, float]:
        """Share of a stream flowing through each place (boundary 1 when consumed)."""
        out: dict[str, float] = defaultdict(float)
        if not consumers:
            return {}
        out[BOUNDARY] = 1.0
        for c, x in consumers.items():
            out[c] += x
            parent = self.parent(c)
            if c in self.equipment and parent not in (None, BOUNDARY):
                out[parent] += x
        return dict(out)


def attribute(unit: UnitFile, topo: Topology,
              emissions: dict[str, float] | dict[str, Decimal], signed: bool = False) -> dict[str, Decimal]:
    """Emissions attributed to each sub-unit and piece of equipment, as exact decimals
    (absolute values, or as signed when ``signed``: a deducted flow out counts negative)."""
    att: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for s in unit.source_streams:
        e = exact(emissions[s.id]) if signed else abs(exact(emissions[s.id]))
        if s.method == "measurement":
            owners = [topo.emission_point_owner(p) for p in s.emission_points or []]
            if not owners:
                continue
            part = e / len(owners)
            for o in owners:
                if o is None:
                    continue
                att[o] += part
                if o in topo.equipment and topo.equipment[o].subunit:
                    att[topo.equipment[o].subunit] += part  # type: ignore[index]
            continue
        if isinstance(s.consumers, list):  # a plain list splits equally: e/n each, exactly
            shares = {c: e / len(s.consumers) for c in s.consumers}
        else:
            shares = {c: e * exact(x) for c, x in s.consumer_shares().items()}
        for c, part in shares.items():
            att[c] += part
            parent = topo.parent(c)
            if c in topo.equipment and parent not in (None, BOUNDARY):
                att[parent] += part
    return att


def major_places(unit: UnitFile, topo: Topology, pack: Pack,
                 emissions: dict[str, float] | dict[str, Decimal]) -> list[PlaceResult]:
    """Exact (default-pack.md "Exactness"): attributed emissions rounded to the pack's
    ``rounding_decimals`` are compared with the threshold (≥ 1 000 t: major)."""
    att = attribute(unit, topo, emissions)
    decimals = pack.media.rounding_decimals.value
    out = []
    t_sub = exact(pack.major.subunit_threshold_tco2e.value)
    t_eq = exact(pack.major.equipment_threshold_tco2e.value)
    for s in unit.subunits:
        a = att.get(s.id, ZERO)
        out.append(PlaceResult(s.id, s.name, "subunit", None, float(a),
                               s.major if s.major is not None else rounded(a, decimals) >= t_sub,
                               s.major is not None))
    for e in unit.equipment:
        a = att.get(e.id, ZERO)
        out.append(PlaceResult(e.id, e.name, "equipment", e.subunit, float(a),
                               e.major if e.major is not None else rounded(a, decimals) >= t_eq,
                               e.major is not None))
    return out


def subunit_totals(unit: UnitFile, topo: Topology, counted: dict[str, float]) -> dict[str, float]:
    """Process-level (工序) totals: what each sub-unit's streams count in the unit's total
    (deducted flows out negative, streams reported apart zero), attributed by consumer shares
    as for major sub-units (default-pack.md "Major sub-units and equipment") — the steel
    guideline's 工序 totals (CETS-AG-03.01-V01-2024, I)."""
    att = attribute(unit, topo, {k: exact(v) for k, v in counted.items()}, signed=True)
    return {s.id: float(att.get(s.id, ZERO)) for s in unit.subunits}


def process_totals(unit: UnitFile, topo: Topology, counted: dict[str, float]) -> dict[str, Any]:
    """``by_subunit`` (:func:`subunit_totals`) and ``covered_tco2e``: the sum over the sub-units
    marked ``covered: true`` — the process the national market's 2024 guidelines cover (熟料生产,
    铝电解工序; the enterprise level is reported beside it); ``None`` when none is marked."""
    by = subunit_totals(unit, topo, counted)
    covered = [s.id for s in unit.subunits if s.covered]
    total = float(exact_sum(exact(by[c]) for c in covered)) if covered else None
    return {"by_subunit": by, "covered_tco2e": total}
