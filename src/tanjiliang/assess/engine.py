"""The whole assessment of a unit against a rule pack (shared/spec/default-pack.md).

``assess`` is a pure function of the loaded unit, the pack, the factor library and a date. It
reads like the list of steps in docs/assessment.md: one stage per section of the rules
(assess/stages.py), each taking and returning typed values. Every door obtains it through
:func:`tanjiliang.check.check` (issue 11).
"""

from __future__ import annotations

import gc
from datetime import date

from tanjiliang.assess import stages
from tanjiliang.assess.result import Assessment
from tanjiliang.assess.stages import Context, resolve_medium
from tanjiliang.assess.timeline import as_of_view
from tanjiliang.model.errors import LoadError
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules.factors import FactorLibrary, bundled_library
from tanjiliang.rules.load import LoadedPack, load_pack
from tanjiliang.rules.schema import Pack


def type_names(pack: Pack, lang: str) -> str:
    """The pack's instrument types by name, in the user's language (an error's list of choices)."""
    return ("、" if lang == "zh" else ", ").join(t.name(lang) for t in pack.instrument_types)


def check_against_pack(unit: UnitFile, pack: Pack, lib: FactorLibrary) -> None:
    """Problems that need the pack to see (unknown instrument types, unresolvable media):
    raised as a LoadError naming the place in the unit file."""
    issues = []
    types = {t.id for t in pack.instrument_types}
    for i, ins in enumerate(unit.instruments):
        if ins.type not in types:  # the types by their names (the file accepts a name for a code)
            issues.append(unit.issue(("instruments", i, "type"),
                                     f"“{ins.type}”不是规则包 {pack.name} 中的器具类型（可用：{type_names(pack, 'zh')}）",
                                     f'"{ins.type}" is not an instrument type of pack {pack.name} (known: {type_names(pack, "en")})'))
    media = {m.id for m in pack.media.rows}
    for i, s in enumerate(unit.source_streams):
        if s.medium is not None and s.medium not in media:
            issues.append(unit.issue(("source_streams", i, "medium"),
                                     f"“{s.medium}”不是规则包中的介质（{', '.join(sorted(media))}）",
                                     f'"{s.medium}" is not a medium of the pack ({", ".join(sorted(media))})'))
    if issues:
        raise LoadError(issues)


def assess(unit: UnitFile, pack: LoadedPack | None = None, as_of: date | None = None,
           library: FactorLibrary | None = None) -> Assessment:
    """Assess ``unit`` against ``pack`` (default: the file's pack, else henan-2025-draft)."""
    enabled = gc.isenabled()
    gc.disable()  # the result is a large acyclic graph: collection passes only cost time
    try:
        return _assess(unit, pack, as_of, library)
    finally:
        if enabled:
            gc.enable()


def _assess(unit: UnitFile, pack: LoadedPack | None, as_of: date | None,
            library: FactorLibrary | None) -> Assessment:
    loaded = pack or load_pack(unit.pack)
    lib = library or bundled_library()
    day = as_of or date.today()
    check_against_pack(unit, loaded.pack, lib)                    # 1. check against the pack
    unit, later = as_of_view(unit, day)                           # 2. what exists as of the date
    ctx = Context(unit, loaded, lib, day, later)
    sc = stages.scope(ctx)                                        # 3. emissions, totals, scope
    cl = stages.classes(ctx, sc)                                  # 4. stream classes
    plan = stages.places_and_points(ctx, sc, cl)                  # 5. major places, required points
    matched = stages.instruments_and_accuracy(ctx, sc, plan)      # 6. instruments and accuracy
    cov = stages.confirmation(ctx, plan, matched)                 # 7. confirmation, point status
    rate_rows = stages.rates(ctx, cov)                            # 8. equipping rates
    streams = stages.tiers(ctx, sc, cl, cov)                      # 9. tiers
    stages.management(ctx)                                        # 10. management
    return stages.conclusion(ctx, sc, cl, plan, cov, rate_rows, streams)  # 11. conclusion


__all__ = ["assess", "check_against_pack", "resolve_medium"]
