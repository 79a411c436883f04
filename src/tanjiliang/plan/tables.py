"""The plan's data: uncertainty table, cost catalogue and carbon prices (``plan/data/*.yaml``).

Every number is a cited row (source, clause, status V/S/I; shared/domain.md). The tables are
read once and handed to the pure functions of :mod:`tanjiliang.plan.budget` and
:mod:`tanjiliang.plan.solve`; a user's own cost catalogue or price table replaces the bundled
one (``tanjiliang plan --costs FILE``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from tanjiliang.rules.schema import Citation, Cited, Source, Strict

Kind = Literal["half_width_95", "mpe", "limit", "limit_percent", "between_default_and_one"]


class Value(Citation):
    """A cited number and how it turns into a standard uncertainty (``clause_zh``: the
    clause in Chinese where ours is written in English)."""

    value: float
    kind: Kind | None = None
    unit: str | None = None
    clause_zh: str | None = None


class Flag(Citation):
    value: bool
    clause_zh: str | None = None


class DefaultRow(Value):
    materials: list[str] | None = None
    families: list[str] | None = None
    kinds: list[str] | None = None

    def matches(self, material: str | None, family: str | None, kind: str) -> bool:
        if self.materials is None and self.families is None and self.kinds is None:
            return True
        return bool((self.materials and material in self.materials)
                    or (self.families and family in self.families)
                    or (self.kinds and kind in self.kinds))


class MeasuredRow(Strict):
    families: list[str] | None = None
    repeatability: Value
    reproducibility: Value
    sampling: Value

    def matches(self, family: str | None) -> bool:
        return self.families is None or family in self.families


class Measured(Strict):
    ncv: list[MeasuredRow]
    carbon_content: list[MeasuredRow]
    samples_per_year: Cited[int]
    unaccredited_bias_factor: Value
    accredited_by_default: Flag


class ActivityDefaults(Strict):
    no_instrument: Value
    stock_take: Value
    out_of_tolerance_factor: Value


class Correlation(Citation):
    between: Literal["same_default", "same_laboratory_method", "otherwise"]
    value: float


class Cems(Strict):
    no_declared_uncertainty: Value


class UncertaintyTable(Strict):
    format: Literal["tanjiliang/plan-uncertainty@1"]
    name: str
    version: str
    sources: list[Source]
    coverage_factor: Cited[float]
    rectangular_divisor: Cited[float]
    normal_95_divisor: Cited[float]
    limit_divisor: Cited[float]
    activity: ActivityDefaults
    defaults: dict[str, list[DefaultRow]]
    measured: Measured
    cems: Cems
    correlations: list[Correlation]

    def default_row(self, parameter: str, material: str | None, family: str | None,
                    kind: str) -> DefaultRow | None:
        rows = self.defaults.get(parameter, [])
        return next((r for r in rows if r.matches(material, family, kind)), None)

    def measured_row(self, parameter: str, family: str | None) -> MeasuredRow | None:
        rows: list[MeasuredRow] = getattr(self.measured, parameter, None) or []
        return next((r for r in rows if r.matches(family)), None)

    def correlation(self, between: str) -> Correlation:
        return next(c for c in self.correlations if c.between == between)

    def source_title(self, source_id: str) -> str:
        return next((s.title for s in self.sources if s.id == source_id), source_id)


class CostRow(Citation):
    cost: float = Field(ge=0)
    lifetime_years: float = Field(default=1.0, gt=0)


class InstrumentOffer(CostRow):
    accuracy: str | None


class InstallRule(Strict):
    media: list[str] | None = None
    levels: list[int] | None = None
    quantities: list[str] | None = None
    families: list[str] | None = None
    types: list[str]

    def matches(self, medium: str, level: int | None, quantity: str, family: str | None) -> bool:
        return ((self.media is None or medium in self.media)
                and (self.levels is None or level in self.levels)
                and (self.quantities is None or quantity in self.quantities)
                and (self.families is None or family in self.families))


class AnalysisCost(Citation):
    in_house: float = Field(ge=0)
    accredited: float = Field(ge=0)


class ManagementCosts(Strict):
    procedure: CostRow
    responsible: CostRow
    retention: CostRow


class CostCatalogue(Strict):
    format: Literal["tanjiliang/plan-costs@1"]
    name: str
    version: str
    currency: Literal["CNY"]
    sources: list[Source]
    recalibrate: dict[str, CostRow]
    instruments: dict[str, list[InstrumentOffer]]
    install_types: list[InstallRule]
    shorter_intervals: Cited[list[int]]
    analyses: dict[str, AnalysisCost]
    sampling_frequencies: Cited[list[int]]
    management: ManagementCosts

    @model_validator(mode="after")
    def _sources_resolve(self) -> CostCatalogue:
        ids = {s.id for s in self.sources}
        rows: list[Citation] = [*self.recalibrate.values(), self.shorter_intervals,
                                *self.analyses.values(), self.sampling_frequencies,
                                self.management.procedure, self.management.responsible,
                                self.management.retention]
        rows.extend(o for offers in self.instruments.values() for o in offers)
        missing = sorted({r.source for r in rows if r.source not in ids})
        if missing:
            raise ValueError(f"citations name unknown sources: {', '.join(missing)}")
        if "default" not in self.recalibrate or "default" not in self.analyses:
            raise ValueError("recalibrate and analyses need a 'default' row")
        return self

    def recalibration(self, type_id: str) -> CostRow:
        return self.recalibrate.get(type_id) or self.recalibrate["default"]

    def analysis(self, parameter: str) -> AnalysisCost:
        return self.analyses.get(parameter) or self.analyses["default"]

    def install_types_for(self, medium: str, level: int | None, quantity: str,
                          family: str | None) -> list[str]:
        for rule in self.install_types:
            if rule.matches(medium, level, quantity, family):
                return rule.types
        return []


class PriceRow(Citation):
    date: date
    value: float = Field(gt=0)
    unit: str
    market: str


class PriceTable(Strict):
    format: Literal["tanjiliang/plan-prices@1"]
    name: str
    version: str
    currency: Literal["CNY"]
    sources: list[Source]
    prices: list[PriceRow] = Field(min_length=1)
    art18: Citation

    def price_on(self, as_of: date) -> PriceRow:
        """The latest price dated on or before ``as_of`` (else the earliest, said so)."""
        rows = sorted(self.prices, key=lambda r: r.date)
        before = [r for r in rows if r.date <= as_of]
        return before[-1] if before else rows[0]

    def source_title(self, source_id: str) -> str:
        return next((s.title for s in self.sources if s.id == source_id), source_id)


def _read(name: str, text: str, model: type[Strict]) -> Strict:
    from tanjiliang.model.errors import LoadError
    from tanjiliang.model.load import read_tree, validation_issues

    data, src = read_tree(Path(name), text)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LoadError(validation_issues(exc, data, src)) from None


def _bundled(file: str) -> str:
    return (resources.files("tanjiliang.plan") / "data" / file).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def uncertainty_table() -> UncertaintyTable:
    t = _read("plan/data/uncertainty.yaml", _bundled("uncertainty.yaml"), UncertaintyTable)
    assert isinstance(t, UncertaintyTable)
    return t


@lru_cache(maxsize=1)
def bundled_costs() -> CostCatalogue:
    t = _read("plan/data/costs.yaml", _bundled("costs.yaml"), CostCatalogue)
    assert isinstance(t, CostCatalogue)
    return t


@lru_cache(maxsize=1)
def bundled_prices() -> PriceTable:
    t = _read("plan/data/prices.yaml", _bundled("prices.yaml"), PriceTable)
    assert isinstance(t, PriceTable)
    return t


def read_costs(path: Path) -> CostCatalogue:
    """A user's cost catalogue; a LoadError names file, line and key on any problem."""
    t = _read(str(path), path.read_text(encoding="utf-8"), CostCatalogue)
    assert isinstance(t, CostCatalogue)
    return t
