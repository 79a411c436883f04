"""The MPE of a weighing instrument at its usual load, as a percentage of that load.

A truck or static rail scale is certified by an OIML / JJG accuracy class (``III``, ``IIII``)
with a verification interval ``e`` and a maximum capacity ``Max``; its MPE is a band of ``e``
that depends on the load (OIML R76-1:2006 3.5.1 Table 6; JJG 539-2016; JJG 555-1996). At the
usual load ``m`` the MPE in % of reading is ``mpe_e(m/e) × e / m × 100`` on verification, and
twice that in service (R76-1 3.5.2). Rail-weighbridges in motion and belt weighers carry
numeric classes (OIML R106, R50; JJG 234, JJG 195) whose number is the in-service MPE in %;
on initial verification half of it. The bands, with their citations and status, are data:
``weighing.yaml`` next to this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field

from tanjiliang.model.unit import Instrument, accuracy_canonical, mpe_percent, quantity
from tanjiliang.rules.schema import Citation, Cited, Source, Strict

Basis = Literal["verification", "in_service"]
OIML_CLASSES = ("I", "II", "III", "IIII")


class Band(Strict):
    up_to_e: int | None  # None: no upper limit
    mpe_e: Decimal


class WeighingClass(Citation):
    bands: list[Band]


class NumericClasses(Citation):
    types: list[str]
    classes: list[str]
    initial_factor: Decimal


class WeighingFile(Strict):
    format: Literal["tanjiliang/weighing@1"]
    sources: list[Source]
    classes: dict[str, WeighingClass]
    in_service_factor: Cited[int]
    numeric_classes: list[NumericClasses] = Field(default_factory=list)


@lru_cache(maxsize=1)
def weighing_table() -> WeighingFile:
    """The bundled MPE bands (``weighing.yaml``), checked on load."""
    from tanjiliang.model.load import read_tree

    res = resources.files("tanjiliang.metrology") / "weighing.yaml"
    data, _ = read_tree(Path("weighing.yaml"), res.read_text(encoding="utf-8"))
    table = WeighingFile.model_validate(data)
    ids = {s.id for s in table.sources}
    cited = [*table.classes.values(), table.in_service_factor, *table.numeric_classes]
    unknown = sorted({c.source for c in cited if c.source not in ids})
    if unknown:
        raise ValueError(f"weighing.yaml cites unknown sources: {', '.join(unknown)}")
    return table


@dataclass(frozen=True, slots=True)
class WeighingMpe:
    """The MPE of a weighing instrument at its usual load, with how it was found."""

    percent: float | None
    zh: str  # how it was found, or why it could not be
    en: str
    citation: str | None = None


def _cite(c: Citation, table: WeighingFile) -> str:
    title = next((s.title for s in table.sources if s.id == c.source), c.source)
    return f"{title}, {c.clause or ''} [{c.status}]"


@lru_cache(maxsize=4096)
def class_mpe(cls: str, e: Decimal, load: Decimal, basis: Basis = "in_service") -> WeighingMpe:
    """MPE in % of ``load`` for OIML class ``cls`` with verification interval ``e`` (same unit
    as ``load``). Exact decimal arithmetic; the result rounded to 6 significant places."""
    table = weighing_table()
    wc = table.classes[cls]
    n = load / e  # the load in verification intervals
    band = next((b for b in wc.bands if b.up_to_e is None or n <= b.up_to_e), None)
    if band is None:
        top = wc.bands[-1].up_to_e
        return WeighingMpe(None, f"常用称量为 {n.normalize():f}e，超出 {cls} 级的称量范围（≤{top}e）",
                           f"the usual load is {n.normalize():f}e, beyond class {cls}'s range (≤ {top}e)",
                           _cite(wc, table))
    factor = Decimal(table.in_service_factor.value) if basis == "in_service" else Decimal(1)
    mpe_e = band.mpe_e * factor
    pct = mpe_e * e / load * 100
    word_zh = "使用中" if basis == "in_service" else "检定"
    word_en = "in service" if basis == "in_service" else "on verification"
    return WeighingMpe(
        float(round(pct, 6)),
        f"{cls} 级，{n.normalize():f}e 处{word_zh}最大允许误差 ±{mpe_e.normalize():f}e = ±{float(pct):.4g} %",
        f"class {cls} at {n.normalize():f}e: MPE {word_en} ±{mpe_e.normalize():f}e = ±{float(pct):.4g} %",
        _cite(wc, table) + ("" if basis != "in_service" else "; " + _cite(table.in_service_factor, table)))


@lru_cache(maxsize=4096)
def _kg(text: str) -> Decimal:
    """A mass as written, in kg (cached: pint's unit conversion is ~1 ms, and a ledger repeats
    the same few ``e`` and loads, issue 16)."""
    return Decimal(str(quantity(text).to("kg").magnitude))


def weighing_mpe(ins: Instrument, basis: Basis = "in_service") -> WeighingMpe | None:
    """The MPE of ``ins`` in % at its usual load when its accuracy is a weighing class
    (``III``…), or a numeric class of a dynamic weighing type under a verification basis;
    ``None`` when the ordinary class mapping applies (±class %)."""
    acc = accuracy_canonical(ins.accuracy) or ""  # "Ⅲ" and "III" alike, "1.0" as "1"
    if acc in OIML_CLASSES:
        if ins.verification_interval is None or ins.usual_load is None:
            return WeighingMpe(None, f"{acc} 级衡器须给出检定分度值 e 和常用称量，才能换算为最大允许误差百分数",
                               f"a class {acc} scale needs its verification interval e and usual load to give an MPE in %")
        return class_mpe(acc, _kg(ins.verification_interval), _kg(ins.usual_load), basis)
    if basis == "verification":
        table = weighing_table()
        for row in table.numeric_classes:
            if ins.type in row.types and acc in row.classes:
                pct = Decimal(acc) * row.initial_factor
                return WeighingMpe(float(pct), f"{acc} 级检定最大允许误差 ±{pct.normalize():f} %",
                                   f"class {acc}: MPE on verification ±{pct.normalize():f} %",
                                   _cite(row, table))
    return None


def instrument_mpe_percent(ins: Instrument, basis: Basis = "in_service") -> float | None:
    """MPE in % of reading of any instrument: a weighing class at its usual load, else the
    class or MPE as stated (``mpe_percent``)."""
    acc = ins.accuracy
    if acc is None:
        return None
    if basis == "in_service" and accuracy_canonical(acc) not in OIML_CLASSES:  # the common case, no lookup
        return _mpe_percent(acc)
    w = weighing_mpe(ins, basis)
    if w is not None:
        return w.percent
    return _mpe_percent(acc)


#: ``mpe_percent`` of a class as written, cached (a ledger repeats a few classes, issue 16).
_mpe_percent = lru_cache(maxsize=4096)(mpe_percent)
