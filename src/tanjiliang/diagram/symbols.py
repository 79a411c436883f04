"""Metering-point symbols of the flow diagram: instrument-class letter plus a number, GB/T 33656
style (domain.md §9), and the colours of conforming / non-conforming / missing points.

Letters are data: an installed point takes the letter of the type of its instrument
(``InstrumentResult.letter``), a missing one the letter of the first type the pack allows for
its medium and quantity (``instrument_types[].covers``). Numbers run per letter in the order of
``Assessment.points`` (the engine's stable order), so a point keeps its label between runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from tanjiliang.assess.result import Assessment, PointResult
from tanjiliang.rules.schema import Pack

#: Fill colours by point status; chosen to stay distinct from the stream colours below.
STATUS_COLOUR = {
    "conforming": "#2e7d32",
    "nonconforming": "#ef6c00",
    "missing": "#c62828",
    "extra": "#90a4ae",
}

#: Stream colours by medium (no red, orange or green: those mean point status).
MEDIUM_COLOUR = {
    "solid_fuel": "#37474f",
    "liquid_fuel": "#795548",
    "gaseous_fuel": "#1565c0",
    "byproduct_gas": "#3949ab",
    "electricity": "#8e24aa",
    "heat": "#00838f",
    "process_material": "#5d4037",
    "flue_gas": "#546e7a",
    "laboratory": "#78909c",
}
DEFAULT_COLOUR = "#455a64"


@dataclass(frozen=True, slots=True)
class Symbol:
    point: str
    letter: str
    number: int
    status: str  # conforming | nonconforming | missing | extra

    @property
    def label(self) -> str:
        return f"{self.letter}{self.number}"

    @property
    def colour(self) -> str:
        return STATUS_COLOUR[self.status]


def point_letter(p: PointResult, a: Assessment, pack: Pack | None) -> str:
    letters = {i.id: i.letter for i in a.instruments}
    for iid in p.instruments:
        if iid in letters:
            return letters[iid]
    if pack is not None:
        for ty in pack.instrument_types:
            if ty.can_measure(p.medium, p.quantity):
                return ty.letter
    return "?"


def _bad_instruments(a: Assessment) -> set[str]:
    """Instruments that make every point they are on non-conforming: confirmation overdue or
    missing, accuracy out of tolerance, or a failed confirmation (``CAL-OOT``)."""
    bad = {i.id for i in a.instruments
           if i.calibration_status in ("overdue", "unknown") or i.accuracy_ok is False}
    return bad | {f.subject for f in a.findings if f.code == "CAL-OOT"}


def point_status(p: PointResult, bad: set[str]) -> str:
    """The colour of a point from every instrument on it (issue 11): one overdue or
    out-of-tolerance instrument makes it non-conforming, whatever the others."""
    if not p.instruments:
        return "missing"
    if any(i in bad for i in p.instruments):
        return "nonconforming"
    return p.status if p.required else "extra"


def point_symbols(a: Assessment, pack: Pack | None) -> dict[str, Symbol]:
    """A symbol for every point of the assessment, keyed by point id."""
    counters: dict[str, int] = {}
    out: dict[str, Symbol] = {}
    bad = _bad_instruments(a)
    for p in a.points:
        letter = point_letter(p, a, pack)
        counters[letter] = counters.get(letter, 0) + 1
        out[p.id] = Symbol(p.id, letter, counters[letter], point_status(p, bad))
    return out


def letter_names(pack: Pack | None, letters: set[str], lang: str) -> dict[str, str]:
    """Each letter used with the names of the pack's instrument types that carry it."""
    out: dict[str, str] = {}
    if pack is None:
        return out
    sep = "、" if lang == "zh" else ", "
    for letter in sorted(letters):
        names: list[str] = []
        for ty in pack.instrument_types:
            if ty.letter == letter:
                n = ty.name(lang)
                if n not in names:
                    names.append(n)
        if names:
            out[letter] = sep.join(names)
    return out
