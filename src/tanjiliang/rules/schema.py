"""Schema of a rule pack (``tanjiliang/pack@1``); documented in docs/packs.md.

A pack is data: every number sits in a :class:`Cited` value or in a table row that carries
``source`` (an id in the pack's ``sources``), ``clause`` and ``status`` (V verified, S
secondary, I inferred; shared/domain.md). The engine reads the named rules below, never a
pack's name.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")
Status = Literal["V", "S", "I"]
Severity = Literal["nonconformity", "observation"]
StreamClass = Literal["major", "minor", "de_minimis"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    source: str
    clause: str | None = None
    status: Status
    note: str | None = None


class Cited(Citation, Generic[T]):
    """A value with where it comes from."""

    value: T


class Text2(Strict):
    """A text in Chinese and English."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Source(Strict):
    id: str
    title: str
    edition: str | None = None
    note: str | None = None


class Category(Citation):
    name: str
    max_tco2e: float | None  # None: no upper bound


class Scope(Strict):
    clause: str
    key_emission_threshold_tco2e: Cited[float]
    categories: list[Category]
    totals: Cited[Literal["absolute", "signed"]]
    #: What the key-unit test counts: direct emissions only (the national market's guidelines)
    #: or the total including indirect electricity and heat. Absent: ``total``.
    key_unit_basis: Cited[Literal["direct", "total"]] | None = None
    #: Flows out (``direction: out``): all deducted from the total (``deduct``), only products
    #: carrying carbon out deducted and exported electricity and heat reported apart
    #: (``deduct_products``), or all reported apart. Absent: ``report_apart``.
    exports: Cited[Literal["deduct", "deduct_products", "report_apart"]] | None = None
    #: Indirect emissions (purchased electricity and heat): in the total, or reported apart.
    #: Absent: ``include``.
    indirect: Cited[Literal["include", "exclude"]] | None = None

    def key_basis(self) -> str:
        return self.key_unit_basis.value if self.key_unit_basis else "total"

    def exports_rule(self) -> str:
        return self.exports.value if self.exports else "report_apart"

    def indirect_rule(self) -> str:
        return self.indirect.value if self.indirect else "include"


class Threshold(Strict):
    """``max(floor, min(fraction × T, cap))`` in tCO2e (EU MRR 2018/2066 Art. 19)."""

    floor_tco2e: Cited[float]
    fraction: Cited[float]
    cap_tco2e: Cited[float]

    def of(self, total: float) -> float:
        return max(self.floor_tco2e.value, min(self.fraction.value * total, self.cap_tco2e.value))


class Classification(Strict):
    clause: str
    mode: Cited[Literal["joint", "per_stream"]]
    de_minimis: Threshold
    minor: Threshold


class Major(Strict):
    clause: str
    subunit_threshold_tco2e: Cited[float]
    equipment_threshold_tco2e: Cited[float]


class ForcedParameters(Citation):
    """Parameters that must be measured whatever the file says (e.g. power-sector coal)."""

    sectors: list[str]
    classes: list[StreamClass]
    families: list[str] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list)
    parameters: list[Literal["ncv", "carbon_content", "oxidation_rate", "emission_factor"]]


class Points(Strict):
    clause: str
    levels_by_class: dict[StreamClass, Cited[list[int]]]
    emission_point_quantities: Cited[list[str]]
    emission_point_level: Cited[int]
    forced_parameters: list[ForcedParameters] = Field(default_factory=list)
    fold_equivalent_places: Cited[bool]
    #: The level at which a stream's stock-take (盘库) point is counted in the equipping rates
    #: (in the stream's medium); absent or null: the point is shown but not counted (issue 17).
    stock_take_level: Cited[int | None] | None = None

    def stock_level(self) -> int | None:
        return self.stock_take_level.value if self.stock_take_level is not None else None


class Medium(Citation):
    id: str
    name: Text2
    materials: list[str] = Field(default_factory=list)
    families: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    rates: dict[str, float]  # level ("1", "2", "3", or "null" for parameter points) → %


class Media(Strict):
    clause: str
    rows: list[Medium]
    rounding_decimals: Cited[int]


class Coverage(Strict):
    media: list[str]
    quantities: list[str]
    #: For a laboratory point: the media of the streams whose parameters this type analyses
    #: (default-pack.md: ``gas_chromatograph`` gives *gas* NCV and carbon content); None: any.
    stream_media: list[str] | None = None


class IntervalRow(Strict):
    accuracy: list[str] | None = None  # applies to these accuracy classes; None: any
    months: int


class InstrumentType(Citation):
    id: str
    name: Text2
    letter: str  # GB/T 33656-style class letter used on the flow diagram
    covers: list[Coverage]
    accuracy_group: str
    intervals: list[IntervalRow]

    def default_interval(self, accuracy: str | None) -> int:
        for row in self.intervals:
            if row.accuracy is None or (accuracy is not None and accuracy in row.accuracy):
                return row.months
        return self.intervals[-1].months

    def can_measure(self, medium: str, quantity: str, stream_medium: str | None = None) -> bool:
        """Whether this type can serve a point of ``medium`` and ``quantity``; with
        ``stream_medium`` (the medium of the point's stream), also whether it can analyse that
        stream's material (a coverage row's ``stream_media``)."""
        if (medium, quantity) not in self._coverage:
            return False
        if stream_medium is None:
            return True
        allowed = self._stream_media.get((medium, quantity))
        return allowed is None or stream_medium in allowed

    @property
    def _coverage(self) -> frozenset[tuple[str, str]]:
        cached: frozenset[tuple[str, str]] | None = self.__dict__.get("_coverage_cache")
        if cached is None:
            cached = frozenset((m, q) for c in self.covers for m in c.media for q in c.quantities)
            self.__dict__["_coverage_cache"] = cached
        return cached

    @property
    def _stream_media(self) -> dict[tuple[str, str], frozenset[str] | None]:
        """(medium, quantity) → the stream media a row allows, None where a row allows any."""
        cached: dict[tuple[str, str], frozenset[str] | None] | None = self.__dict__.get("_stream_media_cache")
        if cached is None:
            cached = {}
            for c in self.covers:
                for key in ((m, q) for m in c.media for q in c.quantities):
                    if c.stream_media is None or cached.get(key, frozenset()) is None:
                        cached[key] = None
                    else:
                        cached[key] = (cached.get(key) or frozenset()) | frozenset(c.stream_media)
            self.__dict__["_stream_media_cache"] = cached
        return cached


class AccuracyRow(Citation):
    """First matching row wins; a condition left out matches anything."""

    groups: list[str]
    media: list[str] | None = None
    materials: list[str] | None = None
    levels: list[int] | None = None
    quantities: list[str] | None = None
    max_mpe_percent: float | None  # None: no class requirement


class Accuracy(Strict):
    clause: str
    rows: list[AccuracyRow]
    #: Which MPE of a weighing class is compared (metrology/weighing.py): on verification, or
    #: in service (twice the verification MPE, OIML R76-1 3.5.2). Absent: ``in_service``.
    weighing_basis: Cited[Literal["verification", "in_service"]] | None = None

    def weighing(self) -> Literal["verification", "in_service"]:
        return self.weighing_basis.value if self.weighing_basis else "in_service"


class TierRow(Citation):
    classes: list[StreamClass]
    categories: list[str] | None = None
    media: list[str] | None = None
    tier: int | None


class Tiers(Strict):
    clause: str
    activity_thresholds_percent: Cited[list[float]]
    cems_thresholds_percent: Cited[list[float]]
    required: list[TierRow]


class Confirmation(Strict):
    clause: str
    due_soon_days: Cited[int]


class ProcedureKind(Strict):
    id: str
    name: Text2


class ManagementRules(Strict):
    clause: str
    required_procedures: Cited[list[ProcedureKind]]
    responsible_role_keywords: Cited[list[str]]
    min_retention_years: Cited[float]


class MonthlyRules(Strict):
    """The monthly close (月度存证, issue 14; docs/month.md): the filing deadline, the
    conservative substitution of missing readings, the completeness check and the
    accreditations a laboratory's results need."""

    clause: str
    deadline_days_after_month_end: Cited[int]
    substitution_factor: Cited[float]
    completeness_min_percent: Cited[float]
    lab_accreditations: Cited[list[str]]
    #: a month's activity entered by hand may differ from the sum of its days' readings by at
    #: most this much (a pack without it uses the default pack's)
    daily_monthly_max_deviation_percent: Cited[float] | None = None


class FindingRule(Strict):
    severity: Severity
    clause: str
    title: Text2


class Pack(Strict):
    format: Literal["tanjiliang/pack@1"]
    name: str
    version: str
    status: Literal["draft", "official", "reference", "custom"]
    title: Text2
    description: Text2 | None = None
    sources: list[Source]
    gwp: Cited[Literal["SAR", "AR4", "AR5", "AR6"]]
    scope: Scope
    classification: Classification
    major: Major
    points: Points
    media: Media
    instrument_types: list[InstrumentType]
    accuracy: Accuracy
    tiers: Tiers
    confirmation: Confirmation
    management: ManagementRules
    findings: dict[str, FindingRule]
    #: The monthly close's rules; a pack without them uses the default pack's (docs/month.md).
    monthly: MonthlyRules | None = None
    checklist: list[dict[str, object]] | None = None  # the review checklist (docs/review.md)

    @model_validator(mode="after")
    def _sources_resolve(self) -> Pack:
        ids = {s.id for s in self.sources}
        missing = sorted({c.source for c in _citations(self) if c.source not in ids})
        if missing:
            raise ValueError(f"citations name unknown sources: {', '.join(missing)}")
        return self

    def medium(self, medium_id: str) -> Medium:
        for m in self.media.rows:
            if m.id == medium_id:
                return m
        raise KeyError(medium_id)

    def instrument_type(self, type_id: str) -> InstrumentType | None:
        for t in self.instrument_types:
            if t.id == type_id:
                return t
        return None


def _citations(obj: object) -> list[Citation]:
    out: list[Citation] = []
    if isinstance(obj, Citation):
        out.append(obj)
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            out.extend(_citations(getattr(obj, name)))
    elif isinstance(obj, list | tuple):
        for x in obj:
            out.extend(_citations(x))
    elif isinstance(obj, dict):
        for x in obj.values():
            out.extend(_citations(x))
    return out


def citations(pack: Pack) -> list[Citation]:
    """Every cited value and row of a pack."""
    return _citations(pack)
