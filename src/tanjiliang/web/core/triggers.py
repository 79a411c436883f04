"""Database triggers that refuse changing what must never change (issue 18 §2;
docs/security.md "Through any door").

* ``core_historyentry`` — the hash-chained history: no DELETE, no UPDATE of the hashed columns
  (``unit_id`` and ``user_id`` may become NULL when a unit or user is deleted).
* ``tjreview_reviewrecord`` — a signed review or submitted self-inspection: no DELETE, no
  UPDATE of its content, state or identity.
* ``tjreview_evidencefile`` — review evidence: no DELETE, no UPDATE of what identifies the
  stored file (its hash, name, size, path).
* ``tjreview_signingkey`` — no DELETE, no UPDATE of a key's owner, public key or certificate
  (its private part may be re-encrypted, its ``replaced`` time set).

PostgreSQL and SQLite, created by migrations (core 0003, tjreview 0002 and 0003), so raw SQL, the
admin, the ORM and a database shell are all refused; the error is an integrity error
("tanjiliang: ... append-only / signed"). Dropping a trigger needs the table owner's rights:
run the server with a role that does not own the tables to close that door too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guard:
    name: str
    table: str
    columns: tuple[str, ...]  # UPDATE OF these is refused
    when: str  # condition on OLD (SQL), "" = always
    message: str


FROZEN = "OLD.state IN ('signed', 'submitted')"

GUARDS = (
    Guard("tj_history", "core_historyentry",
          ("enterprise_id", "unit_name", "username", "at", "revision", "action", "subject", "zh",
           "en", "changes", "prev_sha256", "sha256", "id"),
          "", "tanjiliang: the history is append-only"),
    Guard("tj_review_frozen", "tjreview_reviewrecord",
          ("id", "unit_id", "kind", "year", "version", "state", "conclusion", "open_ncs",
           "sha256", "content"),
          FROZEN, "tanjiliang: a signed review record cannot be changed or deleted"),
    Guard("tj_evidence", "tjreview_evidencefile",
          ("id", "unit_id", "ident", "file", "name", "size", "sha256"),
          "", "tanjiliang: review evidence is kept as uploaded"),
    Guard("tj_signing_key", "tjreview_signingkey",
          ("id", "user_id", "purpose", "key_id", "public_key", "certificate", "created"),
          "", "tanjiliang: a signing key is kept for as long as what it signed"),
)


def _sqlite(g: Guard) -> list[str]:
    when = f" WHEN {g.when}" if g.when else ""
    cols = ", ".join(g.columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {g.name}_update BEFORE UPDATE OF {cols} ON {g.table} "
        f"FOR EACH ROW{when} BEGIN SELECT RAISE(ABORT, '{g.message}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {g.name}_delete BEFORE DELETE ON {g.table} "
        f"FOR EACH ROW{when} BEGIN SELECT RAISE(ABORT, '{g.message}'); END",
    ]


def _postgresql(g: Guard) -> list[str]:
    when = f" WHEN ({g.when})" if g.when else ""
    cols = ", ".join(g.columns)
    return [
        f"CREATE OR REPLACE FUNCTION {g.name}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{g.message} (% on %)', TG_OP, TG_TABLE_NAME "
        f"USING ERRCODE = 'integrity_constraint_violation'; END $$",
        f"DROP TRIGGER IF EXISTS {g.name}_update ON {g.table}",
        f"CREATE TRIGGER {g.name}_update BEFORE UPDATE OF {cols} ON {g.table} "
        f"FOR EACH ROW{when} EXECUTE FUNCTION {g.name}_refuse()",
        f"DROP TRIGGER IF EXISTS {g.name}_delete ON {g.table}",
        f"CREATE TRIGGER {g.name}_delete BEFORE DELETE ON {g.table} "
        f"FOR EACH ROW{when} EXECUTE FUNCTION {g.name}_refuse()",
    ]


def _drop(g: Guard, vendor: str) -> list[str]:
    on = f" ON {g.table}" if vendor == "postgresql" else ""
    return [f"DROP TRIGGER IF EXISTS {g.name}_update{on}",
            f"DROP TRIGGER IF EXISTS {g.name}_delete{on}"]


def statements(vendor: str, table: str, drop: bool = False) -> list[str]:
    out: list[str] = []
    for g in GUARDS:
        if g.table != table:
            continue
        if drop:
            out += _drop(g, vendor)
        elif vendor == "postgresql":
            out += _postgresql(g)
        elif vendor == "sqlite":
            out += _sqlite(g)
    return out


def _run(schema_editor: Any, table: str, drop: bool) -> None:
    vendor = schema_editor.connection.vendor
    for sql in statements(vendor, table, drop):
        schema_editor.execute(sql, params=None)


def installer(table: str) -> tuple[Any, Any]:
    """``RunPython`` forward and backward functions for ``table``'s guards."""

    def forward(apps: Any, schema_editor: Any) -> None:
        _run(schema_editor, table, drop=False)

    def backward(apps: Any, schema_editor: Any) -> None:
        _run(schema_editor, table, drop=True)

    return forward, backward


def bypassed(connection: Any, table: str) -> Any:
    """Context manager for the test suite's teardown only (a flush of a transactional test
    database deletes every row): drops ``table``'s guards and puts them back."""
    from contextlib import contextmanager

    @contextmanager
    def ctx() -> Any:
        with connection.cursor() as cur:
            for sql in statements(connection.vendor, table, drop=True):
                cur.execute(sql)
        try:
            yield
        finally:
            with connection.cursor() as cur:
                for sql in statements(connection.vendor, table):
                    cur.execute(sql)
    return ctx()


def missing(connection: Any) -> list[str]:
    """The guard triggers that are not in the database (dropped behind the app's back)."""
    want = {f"{g.name}_{op}" for g in GUARDS for op in ("update", "delete")}
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        elif connection.vendor == "postgresql":
            cur.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        else:
            return []
        have = {row[0] for row in cur.fetchall()}
    return sorted(want - have)
