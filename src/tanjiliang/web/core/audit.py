"""The history as a hash chain (issue 18 §2; docs/security.md "Audit chain").

Every :class:`~tanjiliang.web.core.models.HistoryEntry` stores ``prev_sha256`` (the previous
row's hash; 64 zeros for the first) and ``sha256`` = SHA-256 over the previous hash and the
row's own fields as canonical JSON. Rows are appended in id order under a lock (PostgreSQL:
a transaction-level advisory lock; SQLite: its single writer), so the chain is the id order.
Editing a row changes its hash; removing one breaks the next row's link; both are found by
:func:`verify` (``tanjiliang audit verify``, the administrator's and regulator's web check).
Removing rows at the end is found by comparing the head (count and last hash) with one
recorded earlier (``audit verify --expect``).

The database refuses UPDATE of the hashed columns and DELETE on the table (triggers, migration
0003); ``unit`` and ``user`` are not hashed because deleting a unit or a user sets them to NULL.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection

GENESIS = "0" * 64
#: The row's own fields the hash covers, in this order.
HASHED = ("enterprise_id", "unit_name", "username", "at", "revision", "action", "subject",
          "zh", "en", "changes")
_LOCK_ID = 0x746A6C61  # "tjla": the audit chain's advisory lock (PostgreSQL)


def _value(name: str, value: Any) -> Any:
    if name == "at" and isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def row_hash(prev: str, row: dict[str, Any]) -> str:
    body = json.dumps([prev, *[_value(k, row[k]) for k in HASHED]], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def lock() -> None:
    """Serialise appends until the end of the current transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def head_hash(model: Any) -> str:
    last = model.objects.order_by("-id").values_list("sha256", flat=True).first()
    return last or GENESIS


@dataclass
class Problem:
    id: int | None
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Report:
    count: int = 0
    head: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(expect: str | None = None) -> Report:
    """Walk the whole history in id order and check every link and every row's hash.

    ``expect`` is a head recorded earlier, ``<count>:<sha256>`` or just the hash: the chain
    must still contain it (rows removed from the end are found this way)."""
    from tanjiliang.web.core.models import HistoryEntry

    rep = Report()
    prev = GENESIS
    seen: dict[str, int] = {}
    fields = ("id", "prev_sha256", "sha256", *HASHED)
    for row in HistoryEntry.objects.order_by("id").values(*fields).iterator(chunk_size=2000):
        rep.count += 1
        if row["prev_sha256"] != prev:
            rep.problems.append(Problem(
                row["id"], f"第 {row['id']} 条记录的前序摘要不符：缺少或改动了之前的记录",
                f"row {row['id']}: its previous hash does not match — a row before it was "
                "removed or changed"))
        actual = row_hash(row["prev_sha256"], row)
        if actual != row["sha256"]:
            rep.problems.append(Problem(
                row["id"], f"第 {row['id']} 条记录的内容与其摘要不符：记录被改动",
                f"row {row['id']}: its content does not match its hash — the row was edited"))
        prev = row["sha256"]
        seen[prev] = rep.count
    rep.head = prev
    from tanjiliang.web.core.triggers import missing

    for name in missing(connection):
        rep.problems.append(Problem(None, f"数据库保护触发器 {name} 不存在或已停用：记录可被改动",
                                    f"the database guard trigger {name} is missing or disabled: "
                                    "rows can be changed"))
    if expect:
        count, _, want = expect.rpartition(":")
        at = int(count) if count.isdigit() else None
        if want not in seen and at is not None and at <= rep.count:
            # the chain still has that many rows, but not that head: rows were rewritten, not cut off
            rep.problems.append(Problem(None, f"链中第 {at} 条不再是先前记录的链头 {want[:16]}…：记录被改写（链被重建）",
                                        f"row {at} of the chain is no longer the recorded head {want[:16]}… — "
                                        "rows were rewritten (the chain was rebuilt)"))
        elif want not in seen:
            rep.problems.append(Problem(None, f"链中找不到先前记录的链头 {want[:16]}…：末尾的记录被删除",
                                        f"the recorded head {want[:16]}… is not in the chain — "
                                        "rows at the end were removed"))
        elif count and count.isdigit() and seen[want] != int(count):
            rep.problems.append(Problem(None, f"链头 {want[:16]}… 的位置由 {count} 变为 {seen[want]}",
                                        f"head {want[:16]}… moved from position {count} to "
                                        f"{seen[want]}"))
    return rep
