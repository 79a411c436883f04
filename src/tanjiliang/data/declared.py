"""What a unit file declares, for the readings modules and the checks without readings: the
places' parents, a stream's share under a place, a stream's declared annual activity. No
polars here, so that ``tanjiliang check`` of a unit with a failed confirmation (CAL-OOT,
pro rata) does not load the readings machinery (issue 16: a fresh process)."""

from __future__ import annotations

from tanjiliang.model.unit import BOUNDARY, UnitFile
from tanjiliang.units import QuantityError, parse_quantity


def _parents(unit: UnitFile) -> dict[str, str]:
    up: dict[str, str] = {s.id: BOUNDARY for s in unit.subunits}
    for e in unit.equipment:
        up[e.id] = e.subunit or BOUNDARY
    return up


def _ancestors(place: str, up: dict[str, str]) -> list[str]:
    out = []
    while place in up:
        place = up[place]
        out.append(place)
    return out


def _share_under(unit: UnitFile, stream_id: str, place: str, up: dict[str, str]) -> float:
    s = next(x for x in unit.source_streams if x.id == stream_id)
    shares = s.consumer_shares()
    if place == BOUNDARY:
        return 1.0
    return sum(v for c, v in shares.items() if c == place or place in _ancestors(c, up))


def declared_activity(unit: UnitFile, stream_id: str) -> tuple[float | None, str | None]:
    """A stream's declared annual activity as (magnitude, unit text) — its ``activity``, else
    its stock change's consumption; (None, None) when it is not stated or cannot be read."""
    s = next((x for x in unit.source_streams if x.id == stream_id), None)
    if s is None or (s.activity is None and s.stock is None):
        return None, None
    try:
        # a stream given by its stock change: consumption = receipts + opening − closing
        qv = parse_quantity(s.activity) if s.activity is not None else s.stock.consumption()
    except QuantityError:
        return None, None
    return float(qv.magnitude), f"{qv.units:~}"


__all__ = ["_ancestors", "_parents", "_share_under", "declared_activity"]
