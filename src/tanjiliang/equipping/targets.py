"""What an instrument measures, resolved against the unit: each target of ``measures`` (one or
several: a truck scale weighing two materials, a gas chromatograph giving NCV and carbon
content) with its medium, material and the key of the metering point it can serve.

Keys (default-pack.md "Required metering points"): a stream's activity at a place
``(stream, "activity", place)``; a stream parameter in the laboratory ``(stream, parameter,
"lab")``; a stream's stock-take or anode-effect minutes at the boundary ``(stream, quantity,
"boundary")``; an emission-point quantity ``(point, quantity, point)``.
"""

from __future__ import annotations

from typing import NamedTuple

from tanjiliang.equipping.points import BOUNDARY_QUANTITIES, Point
from tanjiliang.model.unit import BOUNDARY, LAB, Instrument, SourceStream

Key = tuple[str, str, str]


class Target(NamedTuple):
    target: str  # stream or emission-point id
    quantity: str
    medium: str | None
    material: str | None
    key: Key


def instrument_targets(ins: Instrument, streams: dict[str, SourceStream],
                       media: dict[str, str | None]) -> list[Target]:
    """Every target of ``ins`` (in the order written)."""
    m = ins.measures
    if isinstance(m, str) and "." not in m:  # the common case: one stream's activity
        stream = streams.get(m)
        if stream is not None:
            return [Target(m, "activity", media[m], stream.material, (m, "activity", ins.at))]
    out = []
    for target, quantity in ins.targets():
        stream = streams.get(target)
        if stream is not None:
            material = stream.material
            if quantity == "activity":
                out.append(Target(target, quantity, media[target], material, (target, "activity", ins.at)))
            elif quantity in BOUNDARY_QUANTITIES:
                out.append(Target(target, quantity, media[target], material, (target, quantity, BOUNDARY)))
            else:
                out.append(Target(target, quantity, "laboratory", material, (target, quantity, LAB)))
        else:  # an emission-point quantity
            out.append(Target(target, quantity, "flue_gas", None, (target, quantity, target)))
    return out


def point_keys(point: Point) -> list[Key]:
    """The keys under which an instrument finds ``point`` (see the module docstring)."""
    if point.quantity == "activity":
        return [(point.stream, "activity", place) for place in point.places]
    if point.quantity in BOUNDARY_QUANTITIES:
        return [(point.stream, point.quantity, BOUNDARY)]
    if point.medium == "laboratory":
        return [(point.stream, point.quantity, LAB)]
    return [(point.place, point.quantity, point.place)]
