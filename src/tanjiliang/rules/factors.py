"""The factor library: default parameters of materials and GWP sets, as cited data.

Bundled libraries live in ``factors/*.yaml`` (format ``tanjiliang/factors@1``) and are merged
into one :class:`FactorLibrary`; a material defined twice is an error. Every value carries its
source, clause/table, edition and status (V/S/I, shared/domain.md).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from tanjiliang.rules.schema import Cited, Source, Text2
from tanjiliang.rules.schema import Strict as _Strict

Gas = Literal["CO2", "CH4", "N2O", "CF4", "C2F6"]


class Material(_Strict):
    name: Text2
    family: str | None = None
    biogenic: bool = False
    ncv: Cited[str] | None = None
    carbon_content: Cited[str] | None = None
    oxidation_rate: Cited[float] | None = None
    emission_factor: Cited[str] | Cited[dict[Gas, str]] | None = None
    emission_factor_by_year: dict[int, Cited[str]] | None = None

    def emission_factor_for(self, year: int) -> tuple[int, Cited[str]] | None:
        """The factor of ``year``, else of the latest earlier year (stated in the result)."""
        if not self.emission_factor_by_year:
            return None
        years = [y for y in self.emission_factor_by_year if y <= year]
        if not years:
            return None
        y = max(years)
        return y, self.emission_factor_by_year[y]


class GwpSet(Cited[dict[Gas, float]]):
    #: further gases with their own citation and status (PFCs read in other copies than the
    #: set's CO2/CH4/N2O)
    gases: dict[Gas, Cited[float]] = Field(default_factory=dict)


class PfcSlope(_Strict):
    """Slope-method coefficients of one cell technology (IPCC 2006 Vol. 3 Table 4.16)."""

    name: Text2
    slope_cf4: Cited[float]  # (kg CF4 / t Al) / (AE-minutes / cell-day)
    c2f6_to_cf4: Cited[float]  # weight fraction C2F6/CF4


class LibrarySource(Source):
    """A source of the library. A secondary copy (a calculator or code reproducing a table)
    names the primary document it reproduces, so that a value read only in the copy is cited
    as the primary's table "转引自" the copy (issue 13: citations an auditor accepts)."""

    reproduces: str | None = None


class LibraryFile(_Strict):
    format: Literal["tanjiliang/factors@1"]
    name: str
    version: str
    sources: list[LibrarySource]
    gwp_sets: dict[str, GwpSet] = Field(default_factory=dict)
    materials: dict[str, Material] = Field(default_factory=dict)
    pfc_slopes: dict[str, PfcSlope] = Field(default_factory=dict)
    #: cement: defaults of a clinker stream's items (raw-meal-to-clinker ratio, organic carbon
    #: of the raw meal, non-carbonate CaO and MgO), each cited
    clinker_defaults: dict[Literal["raw_meal_ratio", "organic_carbon", "cao_non_carbonate", "mgo_non_carbonate"],
                           Cited[float]] = Field(default_factory=dict)


class FactorLibrary:
    """Merged view over one or more library files."""

    def __init__(self, files: list[LibraryFile]) -> None:
        self.files = files
        self.materials: dict[str, Material] = {}
        self.gwp_sets: dict[str, GwpSet] = {}
        self.sources: dict[str, LibrarySource] = {}
        self.pfc_slopes: dict[str, PfcSlope] = {}
        self.clinker_defaults: dict[str, Cited[float]] = {}
        for f in files:
            for s in f.sources:
                self.sources.setdefault(s.id, s)
            for key, m in f.materials.items():
                if key in self.materials:
                    raise ValueError(f"material {key!r} defined twice (in {f.name})")
                self.materials[key] = m
            for key, sl in f.pfc_slopes.items():
                if key in self.pfc_slopes:
                    raise ValueError(f"PFC slope {key!r} defined twice (in {f.name})")
                self.pfc_slopes[key] = sl
            for key, c in f.clinker_defaults.items():
                if key in self.clinker_defaults:
                    raise ValueError(f"clinker default {key!r} defined twice (in {f.name})")
                self.clinker_defaults[key] = c
            for key, g in f.gwp_sets.items():
                if key in self.gwp_sets:
                    raise ValueError(f"GWP set {key!r} defined twice (in {f.name})")
                self.gwp_sets[key] = g
        unknown = sorted({c.source for c in self._citations() if c.source not in self.sources})
        if unknown:
            raise ValueError(f"factor citations name unknown sources: {', '.join(unknown)}")

    def _citations(self) -> list[Cited[object]]:
        out: list[Cited[object]] = list(self.gwp_sets.values())  # type: ignore[arg-type]
        for g in self.gwp_sets.values():
            out.extend(g.gases.values())  # type: ignore[arg-type]
        for m in self.materials.values():
            for c in (m.ncv, m.carbon_content, m.oxidation_rate, m.emission_factor):
                if c is not None:
                    out.append(c)  # type: ignore[arg-type]
            out.extend((m.emission_factor_by_year or {}).values())  # type: ignore[arg-type]
        for sl in self.pfc_slopes.values():
            out.extend((sl.slope_cf4, sl.c2f6_to_cf4))  # type: ignore[arg-type]
        out.extend(self.clinker_defaults.values())  # type: ignore[arg-type]
        return out

    def clinker_default(self, name: str) -> Cited[float] | None:
        return self.clinker_defaults.get(name)

    def pfc_slope(self, technology: str) -> PfcSlope | None:
        return self.pfc_slopes.get(technology)

    def material(self, key: str) -> Material | None:
        return self.materials.get(key)

    def gwp(self, name: str) -> dict[str, float]:
        g = self.gwp_sets[name]
        return {**{str(k): v for k, v in g.value.items()}, **{str(k): c.value for k, c in g.gases.items()}}

    @property
    def version(self) -> str:
        return "+".join(f"{f.name}@{f.version}" for f in self.files)


def read_library_file(name: str, text: str) -> LibraryFile:
    """Parse one library file; a LoadError names file, line and key on any problem."""
    from tanjiliang.model.errors import LoadError
    from tanjiliang.model.load import read_tree, validation_issues

    data, src = read_tree(Path(name), text)
    try:
        return LibraryFile.model_validate(data)
    except ValidationError as exc:
        raise LoadError(validation_issues(exc, data, src)) from None


@lru_cache(maxsize=1)
def bundled_library() -> FactorLibrary:
    folder = resources.files("tanjiliang.rules") / "factors"
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    return FactorLibrary([read_library_file(f"factors/{p.name}", p.read_text(encoding="utf-8"))
                          for p in files])
