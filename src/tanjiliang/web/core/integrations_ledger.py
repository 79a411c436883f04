"""The Excel ledger door (tanjiliang.ledger, issue 3): export the ledger of a stored unit,
and import a workbook as the unit's new instruments (all-or-nothing; ``LedgerError`` names
sheet, row, column, value and reason for every problem)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tanjiliang.ledger import derive, write_ledger
from tanjiliang.ledger.excel import import_ledger
from tanjiliang.model.errors import LoadError
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import pack_for, today
from tanjiliang.web.core.changes import replace_unit
from tanjiliang.web.core.mapping import unit_file


def _loaded(unit: m.Unit) -> Any:
    try:
        return pack_for(unit)
    except LoadError:
        return None


def _pack(unit: m.Unit) -> Any:
    loaded = _loaded(unit)
    return loaded.pack if loaded is not None else None


def export_workbook(unit: m.Unit, lang: str) -> bytes:
    """The unit's ledger as the Excel workbook of ``tanjiliang ledger export``."""
    uf = unit_file(unit)
    loaded = _loaded(unit)
    with tempfile.TemporaryDirectory(prefix="tanjiliang-ledger-") as tmp:
        path = Path(tmp) / "ledger.xlsx"
        write_ledger(path, uf, loaded.pack if loaded else None, lang,
                     derive(uf, loaded, today(), lang))
        return path.read_bytes()


def import_workbook(unit: m.Unit, name: str, content: bytes, user: Any,
                    lang: str = "zh") -> tuple[m.Unit, int, list[str]]:
    """Replace the unit's instruments by the workbook's; returns the unit, the number of
    instruments and the header mapping report (what each column was read as)."""
    with tempfile.TemporaryDirectory(prefix="tanjiliang-ledger-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(content)
        uf, read = import_ledger(unit_file(unit), path, _pack(unit))
    unit = replace_unit(unit, uf, user, action="ledger_import", zh=f"导入 Excel 台账 {name}",
                        en=f"Excel ledger {name} imported")
    return unit, len(uf.instruments), read.report(lang)
