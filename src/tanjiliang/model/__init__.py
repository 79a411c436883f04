"""The unit model: a key emission unit, its GHG flow (sub-units, equipment, streams, emission
points), its instrument ledger and its management records; loading and canonical writing of
the unit file (format ``tanjiliang/unit@1``, spec ``shared/spec/unit-file.md``).

The names below are imported when first used, so that ``tanjiliang.model.errors`` (what every
command needs to report a bad file) does not build the unit model, pint and its registry
(issue 16: ``tanjiliang --help`` in a fresh process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tanjiliang.model.errors import Issue, LoadError
    from tanjiliang.model.unit import (
        ConfirmationRecord,
        EmissionPoint,
        Equipment,
        Instrument,
        Management,
        SourceStream,
        SubUnit,
        UnitFile,
        UnitInfo,
    )

__all__ = [
    "ConfirmationRecord",
    "EmissionPoint",
    "Equipment",
    "Instrument",
    "Issue",
    "LoadError",
    "Management",
    "SourceStream",
    "SubUnit",
    "UnitFile",
    "UnitInfo",
]


def __getattr__(name: str) -> object:
    if name in ("Issue", "LoadError"):
        from tanjiliang.model import errors

        return getattr(errors, name)
    if name in __all__:
        from tanjiliang.model import unit

        return getattr(unit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
