"""The unit model: a key emission unit, its GHG flow (sub-units, equipment, streams, emission
points), its instrument ledger and its management records; loading and canonical writing of
the unit file (format ``tanjiliang/unit@1``, spec ``shared/spec/unit-file.md``)."""

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
