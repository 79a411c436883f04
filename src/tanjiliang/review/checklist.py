"""The review checklist as data (``tanjiliang/checklist@1``, docs/review.md).

Structured like JJF(皖)218-2025 (shared/domain.md §8): 4 management (general, organisation,
procedures) · 5 personnel · 6 instruments (equipping, management, use) · 7 data (acquisition,
processing, management, use) · 8 verification report. A checklist belongs to a pack by name:
the bundled file ``tanjiliang/rules/checklists/<pack>.yaml`` (the pack schema's own loose
``checklist`` field is left alone; one file per pack keeps the pack's hash stable when the
checklist is revised).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.load import read_tree, validation_issues
from tanjiliang.rules.load import LoadedPack
from tanjiliang.rules.schema import Cited, Pack, Source, Status, Text2

FORMAT = "tanjiliang/checklist@1"

#: Conditions an item's ``applies`` may name; each is computed from the assessment
#: (review/auto.py). ``sector:<id>`` is accepted too.
CONDITIONS = ("measurement_method", "measured_parameters", "key_emission_unit",
              "has_subunits", "has_management")
#: Named sets of assessment figures an item may link to (review/auto.py ``figures``).
FIGURES = ("emissions", "equipping_rates", "accuracy", "tiers", "calibration", "instruments",
           "points")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AutoRule(_Strict):
    """How an ``auto`` item is judged from the assessment.

    ``findings``: a non-conformity with one of these codes makes the item 不符合; an
    observation with one of them leaves it 符合 with a remark. ``undetermined``: if one of these
    findings is present the data cannot decide and the item must be attested.
    """

    findings: list[str]
    undetermined: list[str] = Field(default_factory=list)
    figures: list[str] = Field(default_factory=list)


class Item(_Strict):
    id: str
    text: Text2
    basis: str  # the pack clause the item checks (HN x.y)
    judged: Literal["auto", "attested"]
    auto: AutoRule | None = None
    applies: list[str] = Field(default_factory=list)  # all must hold; empty: always
    evidence: Text2 | None = None  # what evidence to ask for
    figures: list[str] = Field(default_factory=list)  # figures shown next to an attested item
    source: str
    status: Status
    clause: str = ""  # filled from the id (the review specification's numbering)

    @model_validator(mode="after")
    def _check(self) -> Item:
        if self.judged == "auto" and self.auto is None:
            raise ValueError(f"item {self.id}: judged: auto needs an auto rule")
        if self.judged == "attested" and self.auto is not None:
            raise ValueError(f"item {self.id}: an attested item has no auto rule")
        for c in self.applies:
            if c not in CONDITIONS and not c.startswith("sector:"):
                raise ValueError(f"item {self.id}: unknown condition {c!r} "
                                 f"(known: {', '.join(CONDITIONS)}, sector:<id>)")
        for f in [*self.figures, *(self.auto.figures if self.auto else [])]:
            if f not in FIGURES:
                raise ValueError(f"item {self.id}: unknown figures {f!r} "
                                 f"(known: {', '.join(FIGURES)})")
        if not self.clause:
            object.__setattr__(self, "clause", self.id)
        return self

    def all_figures(self) -> list[str]:
        return [*(self.auto.figures if self.auto else []), *self.figures]


class Subsection(_Strict):
    id: str
    title: Text2
    items: list[Item]


class Section(_Strict):
    id: str
    title: Text2
    subsections: list[Subsection]


class Conclusion(_Strict):
    rule: Cited[Literal["any_nonconforming", "any_open_nonconformity"]]


class Procedure(_Strict):
    self_inspection_required: Cited[bool]
    corrective_action_days: Cited[int]


class Checklist(_Strict):
    format: Literal["tanjiliang/checklist@1"]
    pack: str
    version: str
    title: Text2
    sources: list[Source]
    conclusion: Conclusion
    procedure: Procedure
    sections: list[Section]

    @model_validator(mode="after")
    def _check(self) -> Checklist:
        ids = [i.id for i in self.items()]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate item ids: {', '.join(dup)}")
        known = {s.id for s in self.sources}
        cited = [i.source for i in self.items()] + [self.conclusion.rule.source,
                 self.procedure.self_inspection_required.source,
                 self.procedure.corrective_action_days.source]
        missing = sorted({c for c in cited if c not in known})
        if missing:
            raise ValueError(f"citations name unknown sources: {', '.join(missing)}")
        return self

    def items(self) -> list[Item]:
        return [i for s in self.sections for sub in s.subsections for i in sub.items]

    def item(self, item_id: str) -> Item:
        for i in self.items():
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    def placement(self, item_id: str) -> tuple[Section, Subsection]:
        for s in self.sections:
            for sub in s.subsections:
                if any(i.id == item_id for i in sub.items):
                    return s, sub
        raise KeyError(item_id)

    def finding_codes(self) -> set[str]:
        return {c for i in self.items() if i.auto
                for c in (*i.auto.findings, *i.auto.undetermined)}


@dataclass(frozen=True)
class LoadedChecklist:
    """A checklist with its content hash (recorded in every review)."""

    checklist: Checklist
    sha256: str
    origin: str

    @property
    def name(self) -> str:
        return self.checklist.pack

    @property
    def version(self) -> str:
        return self.checklist.version


def bundled_checklist_names() -> list[str]:
    folder = resources.files("tanjiliang.rules") / "checklists"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _parse(name: str, text: str, known_codes: set[str] | None) -> LoadedChecklist:
    data, src = read_tree(Path(name), text)
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        raise LoadError(validation_issues(exc, data, src)) from None
    if known_codes is not None:
        unknown = sorted(checklist.finding_codes() - known_codes)
        if unknown:
            codes = ", ".join(unknown)
            raise LoadError([Issue(name, None, "sections",
                                   f"检查项引用了规则包中不存在的发现代码：{codes}",
                                   f"items name finding codes the pack does not define: {codes}")])
    return LoadedChecklist(checklist, hashlib.sha256(text.encode()).hexdigest(), name)


@lru_cache(maxsize=8)
def _bundled(name: str) -> LoadedChecklist:
    from tanjiliang.rules import load_pack

    res = resources.files("tanjiliang.rules") / "checklists" / f"{name}.yaml"
    codes = set(load_pack(name).pack.findings) if name in _bundled_packs() else None
    return _parse(f"{name}.yaml", res.read_text(encoding="utf-8"), codes)


def _bundled_packs() -> list[str]:
    from tanjiliang.rules import bundled_pack_names

    return bundled_pack_names()


_SECTIONS = {  # registry stage → (section id, zh, en) of a derived checklist
    "scope": ("1", "范围与源流分类", "Scope and stream classes"),
    "classes": ("1", "范围与源流分类", "Scope and stream classes"),
    "instruments": ("2", "计量器具配备与准确度", "Instruments: equipping and accuracy"),
    "rates": ("2", "计量器具配备与准确度", "Instruments: equipping and accuracy"),
    "tiers": ("2", "计量器具配备与准确度", "Instruments: equipping and accuracy"),
    "confirmation": ("3", "检定/校准", "Confirmation"),
    "management": ("4", "碳计量管理", "Carbon metering management"),
}


def derived_checklist(pack: Pack, ref: str) -> LoadedChecklist:
    """A review checklist derived from the finding registry for a pack that has none of its
    own (issue 11): one automatic item per finding code the assessment raises (the readings
    findings need readings, so they have no item), grouped by stage, each citing the clause
    the pack gives the code. ``ref`` is what names the pack again later (its name if bundled,
    else its path), stored in the review as ``checklist_pack``."""
    from tanjiliang.assess.findings import REGISTRY

    sections: dict[str, dict[str, object]] = {}
    for code in REGISTRY.values():
        if code.stage not in _SECTIONS:
            continue
        sid, zh, en = _SECTIONS[code.stage]
        sec = sections.setdefault(sid, {"id": sid, "title": {"zh": zh, "en": en},
                                        "subsections": [{"id": f"{sid}.1", "title": {"zh": zh, "en": en},
                                                         "items": []}]})
        items: list[dict[str, object]] = sec["subsections"][0]["items"]  # type: ignore[index]
        rule = pack.findings[code.code]
        undetermined = ["MGMT-NOT-ASSESSED"] if code.stage == "management" and code.code != "MGMT-NOT-ASSESSED" else []
        items.append({"id": f"{sid}.1.{len(items) + 1}",
                      "text": {"zh": f"无“{rule.title.zh}”（{code.code}）", "en": f"No “{rule.title.en}” ({code.code})"},
                      "basis": rule.clause, "judged": "auto",
                      "auto": {"findings": [code.code], "undetermined": undetermined},
                      "source": "tanjiliang", "status": "I"})
    cite = {"source": "tanjiliang", "clause": "derived from the finding registry", "status": "I"}
    data = {"format": FORMAT, "pack": ref, "version": f"derived-{pack.version}",
            "title": {"zh": f"{pack.title.zh}：由发现代码派生的审查检查表",
                      "en": f"{pack.title.en}: review checklist derived from the finding codes"},
            "sources": [{"id": "tanjiliang", "title": "tanjiliang finding registry (assess/findings.py)"}],
            "conclusion": {"rule": {"value": "any_nonconforming", **cite}},
            "procedure": {"self_inspection_required": {"value": False, **cite},
                          "corrective_action_days": {"value": 30, **cite}},
            "sections": [sections[k] for k in sorted(sections)]}
    checklist = Checklist.model_validate(data)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return LoadedChecklist(checklist, hashlib.sha256(text.encode()).hexdigest(), f"derived:{ref}")


def checklist_for_pack(loaded: LoadedPack) -> LoadedChecklist:
    """The review checklist of a loaded pack: the bundled checklist of a bundled pack; for a
    pack file, ``<pack>.checklist.yaml`` beside it if there is one; else one derived from the
    finding registry (:func:`derived_checklist`)."""
    codes = set(loaded.pack.findings)
    if loaded.origin == f"{loaded.name}.yaml" and loaded.name in bundled_checklist_names():
        return _bundled(loaded.name)
    origin = Path(loaded.origin)
    beside = origin.with_name(origin.name.removesuffix(origin.suffix) + ".checklist.yaml")
    if origin.exists() and beside.exists():
        return _parse(str(beside), beside.read_text(encoding="utf-8"), codes)
    ref = loaded.name if loaded.origin == f"{loaded.name}.yaml" else str(origin.resolve())
    return derived_checklist(loaded.pack, ref)


def load_checklist(ref: str | Path | None = None, *,
                   known_codes: set[str] | None = None) -> LoadedChecklist:
    """The checklist of a pack by the pack's name (bundled), or a checklist file by path.

    ``known_codes``: the finding codes of the pack the checklist is used with; an auto item
    naming any other code is an error (bundled checklists are checked against their pack).
    """
    from tanjiliang.rules import DEFAULT_PACK

    ref = ref or DEFAULT_PACK
    if isinstance(ref, str) and ref in bundled_checklist_names():
        return _bundled(ref)
    if isinstance(ref, str) and ref in _bundled_packs():  # a bundled pack without its own file
        from tanjiliang.rules import load_pack

        return checklist_for_pack(load_pack(ref))
    path = Path(ref)
    if not path.exists():
        names = ", ".join(bundled_checklist_names())
        raise LoadError([Issue(str(ref), None, "",
                               f"没有规则包“{ref}”的审查检查表，也没有此文件（内置：{names}）",
                               f'no review checklist for pack "{ref}" and no such file '
                               f"(bundled: {names})")])
    text = path.read_text(encoding="utf-8")
    if _is_pack(text):  # a pack file, not a checklist: the checklist of that pack
        from tanjiliang.rules import load_pack

        return checklist_for_pack(load_pack(path))
    return _parse(str(path), text, known_codes)


def _is_pack(text: str) -> bool:
    return any(line.strip().startswith("format:") and "tanjiliang/pack@1" in line
               for line in text.splitlines()[:60])


__all__ = ["CONDITIONS", "FIGURES", "FORMAT", "AutoRule", "Checklist", "Item",
           "LoadedChecklist", "Section", "Subsection", "bundled_checklist_names",
           "checklist_for_pack", "derived_checklist", "load_checklist"]
