"""The Excel ledger door (tanjiliang.ledger, issue 3): export the ledger of a stored unit,
and import a workbook as the unit's new instruments (all-or-nothing, every problem with
sheet, row, column, value and reason)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import replace_unit
from tanjiliang.web.core.mapping import unit_file


def _ledger() -> Any:
    try:
        import tanjiliang.ledger as ledger
    except ImportError:
        ledger = None
    if ledger is None or not hasattr(ledger, "apply_ledger"):
        raise LoadError([Issue("ledger", None, "", "此安装没有 Excel 台账模块（tanjiliang.ledger）",
                               "this installation has no Excel ledger module (tanjiliang.ledger)")])
    return ledger


def export_workbook(unit: m.Unit, lang: str) -> bytes:
    ledger = _ledger()
    with tempfile.TemporaryDirectory(prefix="tanjiliang-ledger-") as tmp:
        path = Path(tmp) / "ledger.xlsx"
        ledger.export_ledger(unit_file(unit), path, lang=lang)
        return path.read_bytes()


def import_workbook(unit: m.Unit, name: str, content: bytes, user: Any) -> tuple[m.Unit, int]:
    """Replace the unit's instruments by the workbook's (validated like a unit file)."""
    ledger = _ledger()
    with tempfile.TemporaryDirectory(prefix="tanjiliang-ledger-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(content)
        uf = ledger.apply_ledger(unit_file(unit), path)
    unit = replace_unit(unit, uf, user, action="ledger_import", zh=f"导入 Excel 台账 {name}",
                        en=f"Excel ledger {name} imported")
    return unit, len(uf.instruments)
