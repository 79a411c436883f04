"""What each instrument's readings are expected to look like, from the unit file.

For every ledger instrument: the quantity it measures (a stream's activity, a stream parameter,
or an emission-point quantity), the unit its values are analysed in, the default ``kind`` of
its readings (shared/spec/unit-file.md: "default by instrument type"), its measuring range and
its MPE. Unit conversion factors are computed once per distinct (instrument, unit) pair with
pint (:mod:`tanjiliang.units`) and joined onto the readings, so no row is converted in Python.
"""

from __future__ import annotations

import re
import traceback
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import pint
import polars as pl

from tanjiliang.model.unit import BOUNDARY, LAB, Instrument, UnitFile, mpe_percent
from tanjiliang.units import QuantityError, parse_quantity, parse_unit, ureg

#: Default kind of reading by instrument type (unit-file.md "kind ... default by instrument
#: type"): static scales report each weighing (amount), continuous meters a totaliser
#: register (total), analysers and transmitters an instantaneous value (reading).
DEFAULT_KIND: dict[str, str] = {
    "rail_scale": "amount", "truck_scale": "amount", "platform_scale": "amount",
    "belt_scale": "total", "electricity_meter": "total", "gas_flow_meter": "total",
    "oil_flow_meter": "total", "steam_flow_meter": "total", "heat_meter": "total",
}

#: Static scales: each row is a weighing (a truck, a wagon, a cylinder of LPG). When their
#: readings come as deliveries come rather than at an interval (data/rules.yaml
#: ``weighings_gap_share``), no interval is inferred from the steps between them and nothing is
#: counted missing between two weighings (:func:`tanjiliang.data.quality.weighings`).
STATIC_SCALES: frozenset[str] = frozenset({"rail_scale", "truck_scale", "platform_scale"})

#: Units that emission-point quantities are analysed in (HJ 75-2017 conventions).
CEMS_UNITS: dict[str, str] = {
    "co2": "percent", "flow": "m**3/h", "temperature": "degC", "pressure": "kPa",
    "moisture": "percent",
}


class Profile(NamedTuple):
    """What one instrument's readings should look like. A named tuple rather than a frozen
    dataclass: a check of a 20 000-meter ledger builds 20 000 of them, and the dataclass's
    ``__init__`` (an ``object.__setattr__`` per field) was half of :func:`profiles` (issue 16)."""

    instrument: str
    stream: str  # stream or emission point id
    quantity: str  # activity | ncv | ... | co2 | flow | ...
    at: str
    place_kind: str  # boundary | subunit | equipment | lab | emission_point
    kind: str
    unit: str | None  # unit values are analysed in (pint text)
    range_lo: float | None
    range_hi: float | None
    mpe_percent: float | None
    in_use: bool
    static_scale: bool = False  # type in STATIC_SCALES: its rows may be weighings as they come


def place_kind(unit: UnitFile, at: str) -> str:
    if at == BOUNDARY:
        return "boundary"
    if at == LAB:
        return "lab"
    if any(s.id == at for s in unit.subunits):
        return "subunit"
    if any(e.id == at for e in unit.equipment):
        return "equipment"
    if any(p.id == at for p in unit.emission_points):
        return "emission_point"
    return "unknown"


def _unit_of(text: str | dict[str, str] | None) -> str | None:
    return _unit_of_text(text) if isinstance(text, str) else None


@lru_cache(maxsize=4096)
def _unit_of_text(text: str) -> str | None:
    """The unit of a quantity text (``"1000000 t"`` → ``t``); instruments share few texts."""
    try:
        return f"{parse_quantity(text).units:~}"
    except QuantityError:
        return None


_RANGE = re.compile(r"^\s*(?P<lo>[+-]?\d+(?:\.\d+)?)\s*(?:-|~|～|—|to|至)\s*(?P<hi>[+-]?\d+(?:\.\d+)?)\s*(?P<unit>.*?)\s*$")


def parse_range(text: str | None, target: str | None) -> tuple[float | None, float | None]:
    """``"0-100 t"`` → (0, 100) in ``target`` units; (None, None) when not comparable."""
    if not text:
        return None, None
    m = _RANGE.match(unicodedata.normalize("NFKC", text))
    if not m:
        return None, None
    lo, hi = float(m["lo"]), float(m["hi"])
    unit = m["unit"] or target
    if unit and target:
        try:
            scale, offset = conversion(unit, target)
        except ValueError:
            return None, None
        return lo * scale + offset, hi * scale + offset
    return lo, hi


def instrument_unit(unit: UnitFile, ins: Instrument) -> str | None:
    stream_id, qty = ins.measured_stream(), ins.measured_quantity()
    if qty in CEMS_UNITS and any(p.id == stream_id for p in unit.emission_points):
        return CEMS_UNITS[qty]
    for s in unit.source_streams:
        if s.id == stream_id:
            stock = s.stock.receipts if s.stock is not None else None
            if qty == "activity":  # a stream given by its stock change has no activity text
                return _unit_of(s.activity or stock)
            if qty == "stock":  # the stock-take: in the stock's unit (docs/unit-file.md)
                return _unit_of(stock or s.activity)
            if s.parameters is not None and qty in type(s.parameters).model_fields:
                return _unit_of(s.parameters.value_of(qty))
            return None  # anode effects, clinker analyses …: no unit to convert to
    return None


_tuple_new = tuple.__new__


def profiles(unit: UnitFile) -> dict[str, Profile]:
    """The profile of every instrument. Worked out once per distinct (measures, place, type,
    range, accuracy, status): a ledger of thousands of instruments repeats a few of them, and
    the readings checks pay this on every run (issue 16: 20 000 meters)."""
    out: dict[str, Profile] = {}
    seen: dict[tuple[object, ...], Profile] = {}
    for ins in unit.instruments:
        m = ins.measures
        key = (tuple(m) if isinstance(m, list) else m, ins.at, ins.type, ins.range, ins.accuracy,
               ins.status)
        try:
            p = seen.get(key)
        except TypeError:  # an unhashable field: worked out on its own
            key, p = (), None
        if p is None:
            target = instrument_unit(unit, ins)
            lo, hi = parse_range(ins.range, target)
            p = Profile(
                instrument=ins.id, stream=ins.measured_stream(), quantity=ins.measured_quantity(),
                at=ins.at, place_kind=place_kind(unit, ins.at),
                kind=DEFAULT_KIND.get(ins.type, "reading"), unit=target, range_lo=lo, range_hi=hi,
                mpe_percent=mpe_percent(ins.accuracy), in_use=ins.status == "in_use",
                static_scale=ins.type in STATIC_SCALES)
            if key:
                seen[key] = p
        else:
            p = _tuple_new(Profile, (ins.id, *p[1:]))  # the same profile, this instrument's id
        out[ins.id] = p
    return out


def profile_frame(profs: dict[str, Profile]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"instrument": p.instrument, "default_kind": p.kind, "target_unit": p.unit,
          "range_lo": p.range_lo, "range_hi": p.range_hi} for p in profs.values()],
        schema={"instrument": pl.String, "default_kind": pl.String, "target_unit": pl.String,
                "range_lo": pl.Float64, "range_hi": pl.Float64})


def _parse_unit(text: str) -> pint.Unit:
    """A readings unit: the unit-file parser after NFKC (全角 → 半角), the unit words a unit file
    may hold (model/names.yaml ``units``: 兆瓦时 → MWh, 千瓦时 → kWh, 吨 → t …) and ℃ / °C → degC."""
    from tanjiliang.model.names import unit_code

    return parse_unit(unit_code(text).replace("°C", "degC"))


@lru_cache(maxsize=4096)
def conversion(src: str, target: str) -> tuple[float, float]:
    """(scale, offset) with ``target = src × scale + offset`` (offset only for temperatures)."""
    try:
        a, b = _parse_unit(src), _parse_unit(target)
        zero = ureg.Quantity(0.0, a).to(b).magnitude
        one = ureg.Quantity(1.0, a).to(b).magnitude
    except Exception as exc:  # pint raises several error types for unknown or mismatched units
        problem = f"{src} → {target}: {exc}"
        _forget(exc)
    else:
        return float(one - zero), float(zero)
    raise ValueError(problem)


def _forget(exc: BaseException) -> None:
    """Drop what a caught pint error holds: its traceback's frames reach, through their
    callers, the whole call stack, and pint's error sits in a reference cycle with them — the
    readings checks' arrays (hundreds of MB) then stayed alive until the next garbage
    collection, and the next check's memory was faulted in afresh (issue 16)."""
    traceback.clear_frames(exc.__traceback__)
    exc.__traceback__ = exc.__context__ = exc.__cause__ = None


@lru_cache(maxsize=4096)
def rate_conversion(src: str, target: str) -> float | None:
    """Factor from a rate unit (``t/h``) to ``target`` per hour, or None if ``src`` is no rate."""
    try:
        q = ureg.Quantity(1.0, _parse_unit(src)) * ureg.hour
        return float(q.to(_parse_unit(target)).magnitude)
    except Exception as exc:
        _forget(exc)
        return None
