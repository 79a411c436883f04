"""Required metering points — default-pack.md "Required metering points".

Activity-data points by stream class (major → levels 1, 2, 3; minor → 1, 2; de-minimis →
none): level 1 one point per stream at the boundary; level 2 one per (stream, major sub-unit
consuming it directly or through its equipment); level 3 one per (stream, major equipment
consuming it). Places that measure the same quantity — a child taking the whole of what its
parent receives — form one point at the highest of their levels, and an instrument at any of
them covers it. Measurement-method streams: five flue-gas points at each emission point.
Parameter points (laboratory): one per (stream, parameter) measured, plus the pack's forced
parameters (power-sector major coal: ncv and carbon content).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tanjiliang.equipping.places import Topology
from tanjiliang.model.unit import (
    BOUNDARY,
    CLINKER_LAB,
    CLINKER_WEIGHED,
    LAB,
    STREAM_PARAMETERS,
    SourceStream,
    UnitFile,
)
from tanjiliang.rules.factors import FactorLibrary
from tanjiliang.rules.schema import Pack

_EPS = 1e-9


@dataclass(slots=True)
class Point:
    id: str
    stream: str
    quantity: str
    medium: str
    level: int | None
    place: str
    places: tuple[str, ...]
    required: bool
    instruments: list[str] = field(default_factory=list)


def fold_roots(topo: Topology, shares: dict[str, float], fold: bool) -> dict[str, str]:
    """Each consuming place → the highest place measuring the same quantity."""
    roots: dict[str, str] = {}

    def root(p: str) -> str:
        if p in roots:
            return roots[p]
        parent = topo.parent(p)
        r = p
        if fold and parent is not None and parent in shares and abs(shares[p] - shares[parent]) < _EPS:
            r = root(parent)
        roots[p] = r
        return r

    for p in shares:
        root(p)
    return roots


def activity_points(stream: SourceStream, levels: list[int], medium: str, topo: Topology,
                    major: dict[str, bool], fold: bool) -> tuple[list[Point], dict[str, str]]:
    """Required activity points of a calculation stream, and the fold roots of its places.
    A flow out (``direction: out``) always has its level-1 point at the boundary, whatever its
    class: what leaves the unit is metered where it leaves (the guidelines' 供电量、供热量 and
    product output, cn-power-2022 §5, I)."""
    if stream.direction == "out" and 1 not in levels:
        levels = [1, *levels]
    shares = topo.shares(stream.consumer_shares()) or {BOUNDARY: 1.0}
    roots = fold_roots(topo, shares, fold)
    required: dict[str, list[tuple[int, str]]] = {}
    for place, x in shares.items():
        if x <= _EPS:
            continue
        lvl = topo.level(place, 1)
        if place == BOUNDARY:
            want = 1 in levels
        elif place in topo.subunits:
            want = 2 in levels and major.get(place, False)
        else:
            want = 3 in levels and major.get(place, False)
        if want and lvl is not None:
            required.setdefault(roots[place], []).append((lvl, place))
    points = []
    for r, places in required.items():
        level, place = min(places)  # the highest of the required places' levels names the point
        group = tuple(sorted((p for p in roots if roots[p] == r), key=lambda p: (topo.level(p, 1) or 9, p)))
        points.append(Point(f"{stream.id}@{place}", stream.id, "activity", medium, level, place,
                            group, True))
    points.sort(key=lambda p: (p.level or 9, p.place))
    return points, roots


def forced_parameters(stream: SourceStream, cls: str, sector: str, pack: Pack,
                      lib: FactorLibrary) -> set[str]:
    out: set[str] = set()
    material = lib.material(stream.material) if stream.material else None
    family = material.family if material else None
    for rule in pack.points.forced_parameters:
        if sector not in rule.sectors or cls not in rule.classes:
            continue
        if (rule.families or rule.materials) and (
                family not in rule.families and stream.material not in rule.materials):
            continue
        out.update(rule.parameters)
    return out


def parameter_points(stream: SourceStream, forced: set[str]) -> list[Point]:
    """Laboratory points (level null): each stream parameter whose source is ``measured`` or
    that the pack forces, and each analysis of a clinker stream stated as measured (the
    clinker's CaO and MgO, their non-carbonate parts, the raw meal's organic carbon; issue 17)."""
    names = [n for n in STREAM_PARAMETERS if stream.source_of(n) == "measured" or n in forced]
    if stream.clinker is not None:
        names += [n for n in CLINKER_LAB if stream.clinker.source_of(n) == "measured"]
    return [Point(f"{stream.id}.{n}", stream.id, n, "laboratory", None, LAB, (LAB,), True)
            for n in names]


def emission_point_points(unit: UnitFile, pack: Pack) -> list[Point]:
    seen: dict[str, Point] = {}
    level = pack.points.emission_point_level.value
    for s in unit.source_streams:
        if s.method != "measurement":
            continue
        for ep in s.emission_points or []:
            for q in pack.points.emission_point_quantities.value:
                pid = f"{ep}.{q}"
                if pid not in seen:
                    seen[pid] = Point(pid, s.id, q, "flue_gas", level, ep, (ep,), True)
    return list(seen.values())


#: Stream quantities metered once for the whole unit besides the activity (an instrument
#: serves them wherever it stands): the stock-take (盘库) of a stream with a ``stock``, the
#: anode-effect minutes of a PFC stream, and a clinker stream's weighed raw meal and dust.
BOUNDARY_QUANTITIES = ("stock", "anode_effects", *CLINKER_WEIGHED)


def boundary_points(stream: SourceStream, medium: str, stock_level: int | None = None) -> list[Point]:
    """A stock-take point for a stream with ``stock`` (its opening and closing stock are
    metered by a stock-take: CETS-AG guidelines' 库存 by 盘库) and an anode-effect point for a
    PFC stream metered by its anode effects (CETS-AG-04.01-V01-2024; IPCC 2006 Vol. 3 §4.4.2.4).

    The stock-take is a metering point with its own method and uncertainty (issue 17): where
    the pack says at which level it counts (``points.stock_take_level``), it is a required
    point of the stream's medium at that level and counts in that row's equipping rate;
    without that rule it is shown with its status but not counted. The anode-effect minutes
    come from the pot-line control system and are never counted in the rates (the pack's rates
    are per activity medium and level).

    A clinker stream's raw meal, kiln dust and bypass dust, where the file states them (weighed:
    the 2013 cement guideline's 生料量, 窑头粉尘, 旁路放风粉尘), are activity data of the stream: each
    is a required point of the stream's medium at level 1 (I), served by a weighing instrument
    that ``measures`` ``<stream>.raw_meal`` (…) wherever it stands."""
    out = []
    if stream.stock is not None:
        level = stock_level if stock_level is not None else 1
        out.append(Point(f"{stream.id}.stock", stream.id, "stock", medium, level, BOUNDARY, (BOUNDARY,),
                         stock_level is not None))
    if stream.anode_effects is not None:
        out.append(Point(f"{stream.id}.anode_effects", stream.id, "anode_effects", medium, 1, BOUNDARY,
                         (BOUNDARY,), False))
    if stream.clinker is not None:  # the raw meal and dust the file states as weighed (issue 17)
        for q in CLINKER_WEIGHED:
            if getattr(stream.clinker, q) is not None:
                out.append(Point(f"{stream.id}.{q}", stream.id, q, medium, 1, BOUNDARY, (BOUNDARY,), True))
    return out
