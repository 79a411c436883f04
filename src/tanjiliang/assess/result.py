"""The result of an assessment and its JSON form (``tanjiliang/assessment@1``,
shared/spec/unit-file.md "Command line contract").

Plain dataclasses: cheap to build for 100 000 instruments, and the one thing every door
(CLI, reports, diagram, web, review) displays. Nothing downstream re-derives a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from tanjiliang.assess.timeline import LaterRecord
from tanjiliang.emissions.calc import Parameter

Severity = Literal["nonconformity", "observation"]
CalibrationStatus = Literal["valid", "due_soon", "overdue", "out_of_service", "unknown"]
PointStatus = Literal["conforming", "nonconforming", "missing"]

FORMAT = "tanjiliang/assessment@1"


@dataclass(slots=True)
class Finding:
    code: str
    severity: Severity
    clause: str
    subject: str
    zh: str
    en: str
    data: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(slots=True)
class StreamResult:
    id: str
    name: str
    kind: str
    method: str
    material: str | None
    medium: str | None
    emissions_tco2e: float  # what the stream counts in the total (biogenic: 0)
    by_gas_t: dict[str, float]  # mass of each gas (t), before GWP
    biogenic_co2_t: float
    share: float
    cls: str
    computed_class: str
    declared_class: str | None
    tier_required: int | None
    tier_achieved: int | None
    uncertainty_percent: float | None
    formula: str  # which form of the calculation (unit-file.md) or "measurement"
    parameters: list[Parameter]
    activity: str | None  # as entered
    consumers: dict[str, float]
    direction: str = "in"  # out: a flow out of the boundary (exported electricity, heat, products)
    role: str = "direct"  # direct | indirect | export (emissions/totals.py)
    reported_apart: bool = False  # not in the total (the pack's scope.exports / scope.indirect)
    stock: dict[str, Any] | None = None  # opening, closing, receipts, consumption, method, …
    lower_tier: dict[str, Any] | None = None  # tier, reason, date, approved_by


@dataclass(slots=True)
class PlaceResult:
    """A sub-unit or piece of equipment with its attributed emissions."""

    id: str
    name: str
    kind: Literal["subunit", "equipment"]
    parent: str | None
    attributed_tco2e: float
    major: bool
    declared: bool  # major/minor set by the file


@dataclass(slots=True)
class PointResult:
    id: str
    stream: str  # stream id (emission-point quantities: the measurement stream)
    quantity: str  # activity | ncv | carbon_content | co2 | flow | ...
    medium: str
    level: int | None
    place: str  # the highest place (boundary, sub-unit, equipment, emission point, lab)
    places: tuple[str, ...]  # every place whose instrument covers this point (folding)
    required: bool
    instruments: list[str]
    status: PointStatus


@dataclass(slots=True)
class RateRow:
    medium: str
    level: int | None
    required: int
    equipped: int
    rate_percent: float
    required_percent: float
    meets: bool


@dataclass(slots=True)
class InstrumentResult:
    id: str
    name: str
    type: str
    letter: str
    measures: str
    at: str
    status: str  # in_use | standby | out_of_service
    level: int | None
    points: list[str]
    mpe_percent: float | None
    required_mpe_percent: float | None
    accuracy_ok: bool | None
    calibration_status: CalibrationStatus
    last_confirmed: date | None
    interval_months: int
    next_due: date | None


@dataclass(slots=True)
class Assessment:
    pack_name: str
    pack_version: str
    pack_sha256: str
    factors_version: str
    unit_name: str
    unit_year: int
    sector: str
    region: str | None
    credit_code: str | None
    as_of: date
    gwp_set: str
    total_tco2e: float
    biogenic_tco2: float
    key_emission_unit: bool
    installation_category: str
    threshold_de_minimis: float
    threshold_minor: float
    streams: list[StreamResult]
    places: list[PlaceResult]
    points: list[PointResult]
    rates: list[RateRow]
    instruments: list[InstrumentResult]
    findings: list[Finding]
    conclusion: Literal["conforming", "nonconforming"]
    after_as_of: list[LaterRecord] = field(default_factory=list)  # records not counted (timeline.py)
    totals: dict[str, Any] = field(default_factory=dict)  # direct, indirect, flows out (emissions/totals.py)

    def stream(self, stream_id: str) -> StreamResult:
        for s in self.streams:
            if s.id == stream_id:
                return s
        raise KeyError(stream_id)

    def nonconformities(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "nonconformity"]

    def observations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "observation"]

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON contract (unit-file.md), plus the data behind every number."""
        return {
            "format": FORMAT,
            "pack": {"name": self.pack_name, "version": self.pack_version,
                     "sha256": self.pack_sha256},
            "factors": {"version": self.factors_version, "gwp": self.gwp_set},
            "unit": {"name": self.unit_name, "year": self.unit_year, "sector": self.sector,
                     "region": self.region, "credit_code": self.credit_code},
            "as_of": self.as_of.isoformat(),
            "emissions": {
                "total_tco2e": self.total_tco2e,
                "biogenic_tco2": self.biogenic_tco2,
                "by_stream": {s.id: s.emissions_tco2e for s in self.streams},
                **self.totals,
            },
            "key_emission_unit": self.key_emission_unit,
            "installation_category": self.installation_category,
            "thresholds": {"de_minimis_tco2e": self.threshold_de_minimis,
                           "minor_tco2e": self.threshold_minor},
            "source_streams": [
                {"id": s.id, "name": s.name, "kind": s.kind, "method": s.method,
                 "material": s.material, "medium": s.medium,
                 "emissions_tco2e": s.emissions_tco2e, "share": s.share, "class": s.cls,
                 "computed_class": s.computed_class, "declared_class": s.declared_class,
                 "tier_required": s.tier_required, "tier_achieved": s.tier_achieved,
                 "uncertainty_percent": s.uncertainty_percent,
                 "biogenic_co2_t": s.biogenic_co2_t, "by_gas_t": s.by_gas_t,
                 "formula": s.formula, "activity": s.activity, "consumers": s.consumers,
                 "direction": s.direction, "role": s.role, "reported_apart": s.reported_apart,
                 "stock": s.stock, "lower_tier": s.lower_tier,
                 "parameters": [{"name": p.name, "value": p.value, "unit": p.unit,
                                 "source": p.source, "citation": p.citation}
                                for p in s.parameters]}
                for s in self.streams
            ],
            "subunits": [{"id": p.id, "name": p.name, "attributed_tco2e": p.attributed_tco2e,
                          "major": p.major, "declared": p.declared}
                         for p in self.places if p.kind == "subunit"],
            "equipment": [{"id": p.id, "name": p.name, "subunit": p.parent,
                           "attributed_tco2e": p.attributed_tco2e, "major": p.major,
                           "declared": p.declared}
                          for p in self.places if p.kind == "equipment"],
            "metering_points": [
                {"id": p.id, "stream": p.stream, "quantity": p.quantity, "medium": p.medium,
                 "level": p.level, "place": p.place, "places": list(p.places),
                 "required": p.required, "instruments": p.instruments, "status": p.status}
                for p in self.points
            ],
            "equipping_rates": [
                {"medium": r.medium, "level": r.level, "required": r.required,
                 "equipped": r.equipped, "rate_percent": r.rate_percent,
                 "required_percent": r.required_percent, "meets": r.meets}
                for r in self.rates
            ],
            "instruments": [
                {"id": i.id, "type": i.type, "measures": i.measures, "targets": i.measures.split(", "), "at": i.at,
                 "status": i.status, "level": i.level, "points": i.points,
                 "calibration_status": i.calibration_status,
                 "last_confirmed": i.last_confirmed.isoformat() if i.last_confirmed else None,
                 "interval_months": i.interval_months,
                 "next_due": i.next_due.isoformat() if i.next_due else None,
                 "mpe_percent": i.mpe_percent, "required_mpe_percent": i.required_mpe_percent,
                 "accuracy_ok": i.accuracy_ok}
                for i in self.instruments
            ],
            "findings": [
                {"code": f.code, "severity": f.severity, "clause": f.clause,
                 "subject": f.subject, "message": f.message(lang), "message_zh": f.zh,
                 "message_en": f.en, "data": f.data}
                for f in self.findings
            ],
            "conclusion": self.conclusion,
            "after_as_of": [r.to_json() for r in self.after_as_of],
        }
