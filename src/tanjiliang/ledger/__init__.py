"""The Excel instrument ledger (台账): template, export, import, and confirmation-history
queries (docs/ledger.md).

The names below are imported when first used, so that a module needing only the ledger's
vocabulary (``tanjiliang.ledger.catalogue``, read by the readings checks) does not import
openpyxl (issue 16: a fresh ``tanjiliang data check``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tanjiliang.ledger.changes import ChangeSet
    from tanjiliang.ledger.excel import (
        apply_ledger,
        derive,
        import_ledger,
        read_changes,
        write_ledger,
    )
    from tanjiliang.ledger.reader import LedgerError, LedgerRead, Problem, read_ledger
    from tanjiliang.ledger.traceability import confirmed_by, traceability_chain

__all__ = ["ChangeSet", "LedgerError", "LedgerRead", "Problem", "apply_ledger", "confirmed_by", "derive",
           "import_ledger", "read_changes", "read_ledger", "traceability_chain", "write_ledger"]

#: name → the module of this package that defines it
_HOME = {"ChangeSet": "changes", "LedgerError": "reader", "LedgerRead": "reader", "Problem": "reader",
         "read_ledger": "reader", "confirmed_by": "traceability", "traceability_chain": "traceability",
         "apply_ledger": "excel", "derive": "excel", "import_ledger": "excel", "read_changes": "excel",
         "write_ledger": "excel"}


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
