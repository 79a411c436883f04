"""The Excel instrument ledger (台账): template, export, import, and confirmation-history
queries (docs/ledger.md)."""

from tanjiliang.ledger.changes import ChangeSet
from tanjiliang.ledger.excel import apply_ledger, derive, import_ledger, read_changes, write_ledger
from tanjiliang.ledger.reader import LedgerError, LedgerRead, Problem, read_ledger
from tanjiliang.ledger.traceability import confirmed_by, traceability_chain

__all__ = ["ChangeSet", "LedgerError", "LedgerRead", "Problem", "apply_ledger", "confirmed_by", "derive",
           "import_ledger", "read_changes", "read_ledger", "traceability_chain", "write_ledger"]
