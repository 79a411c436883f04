"""The Excel ledger door (tanjiliang.ledger, issue 3): export the ledger of a stored unit,
and import a workbook into it: a preview of the change set first, then a merge that removes
only the instruments the user ticked, recorded in the history, and undone in one click
(issue 12; all-or-nothing; ``LedgerError`` names sheet, row, column, value and reason for
every problem)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from tanjiliang.ledger import derive, write_ledger
from tanjiliang.ledger.changes import ChangeSet, apply
from tanjiliang.ledger.excel import read_changes
from tanjiliang.ledger.reader import LedgerRead
from tanjiliang.model.errors import LoadError
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import pack_for, today
from tanjiliang.web.core.changes import apply_change, replace_unit
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


def preview_workbook(unit: m.Unit, name: str, content: bytes, strict: bool = False
                     ) -> tuple[ChangeSet, LedgerRead]:
    """What importing the workbook would change (nothing is stored); ``LedgerError`` names
    sheet, row, column, value and reason of every problem (the file by its name only)."""
    from functools import partial

    from tanjiliang.web.core import bounded

    with tempfile.TemporaryDirectory(prefix="tanjiliang-ledger-") as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(content)
        # read in a child process under the import limits (time, memory, crashes; bounded.py)
        return bounded.run(partial(read_changes, unit_file(unit), path, _pack(unit),
                                   strict=strict, display_name=Path(name).name),
                           name=Path(name).name)


def import_workbook(unit: m.Unit, name: str, content: bytes, user: Any, lang: str = "zh",
                    remove: list[str] | None = None, strict: bool = False
                    ) -> tuple[m.Unit, ChangeSet, list[str]]:
    """Merge the workbook into the unit (issue 12: instruments absent from it are removed only
    when named in ``remove`` — the user's ticks); returns the unit, the change set and the
    report of what was read how. The history entry states the change set; a workbook that
    changes nothing stores nothing (the unit is returned as it was)."""
    cs, read = preview_workbook(unit, name, content, strict)
    gone = sorted(set(remove or []) & set(cs.absent))
    if cs.empty and not gone:  # nothing to change: no new revision, no history entry
        return unit, cs, read.report(lang)
    uf = apply(unit_file(unit), cs, gone)
    kept = len(cs.absent) - len(gone)
    base = Path(name).name
    zh = (f"导入 Excel 台账 {base}：新增 {len(cs.added)} 台，修改 {len(cs.changed)} 台，未变 {len(cs.unchanged)} 台；"
          f"文件中没有的 {len(cs.absent)} 台中删除 {len(gone)} 台（经确认）、保留 {kept} 台")
    en = (f"Excel ledger {base} imported: {len(cs.added)} added, {len(cs.changed)} changed, "
          f"{len(cs.unchanged)} unchanged; of {len(cs.absent)} absent from the file {len(gone)} removed "
          f"(as chosen), {kept} kept")
    unit = replace_unit(unit, uf, user, action="ledger_import", zh=zh, en=en)
    return unit, cs, read.report(lang)


def last_import(unit: m.Unit) -> m.HistoryEntry | None:
    """The unit's latest history entry when it is a ledger import nothing has changed since
    (so that it can be undone in one click)."""
    entry = m.HistoryEntry.objects.filter(unit=unit).order_by("-at", "-id").first()
    if entry is None or entry.action != "ledger_import" or entry.revision != unit.revision:
        return None
    changes = json.loads(entry.changes or "[]")
    if any(c.get("path") == "…" for c in changes):  # a history entry cut short cannot be undone
        return None
    return entry


_ITEM = re.compile(r"^(\w+)\[(.+?)\](?:\.(\w+))?$")


def restore_previous(unit: m.Unit, user: Any) -> m.Unit:
    """Undo the last ledger import: its history entry's changes applied backwards (validated
    like a unit file and recorded in the history). ``LookupError`` when there is none."""
    entry = last_import(unit)
    if entry is None:
        raise LookupError("no ledger import to undo")
    changes = json.loads(entry.changes or "[]")

    def mutate(d: dict[str, Any]) -> None:
        for c in reversed(changes):
            mt = _ITEM.match(str(c.get("path", "")))
            if mt is None:
                key, _, sub = str(c["path"]).partition(".")
                if sub and isinstance(d.get(key), dict):
                    _set(d[key], sub, c.get("old"))
                elif not sub:
                    _set(d, key, c.get("old"))
                continue
            section, ident, fld = mt.group(1), mt.group(2), mt.group(3)
            items = d.setdefault(section, [])
            k = next((n for n, x in enumerate(items) if str(x.get("id")) == ident), None)
            if fld is None:
                if c.get("old") is None and k is not None:  # added by the import
                    items.pop(k)
                elif c.get("old") is not None and k is None:  # removed by the import
                    items.append(c["old"])
            elif k is not None:
                _set(items[k], fld, c.get("old"))

    return apply_change(unit, user, mutate, action="ledger_restore",
                        zh=f"撤销台账导入，恢复到第 {entry.revision - 1} 版",
                        en=f"ledger import undone: back to revision {entry.revision - 1}")


def _set(d: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        d.pop(key, None)
    else:
        d[key] = value
