"""What other domains read of the audit log: the changes gathered under their records' scopes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec

from server.audit.tables import AuditEntry


class ScopedChange(msgspec.Struct, frozen=True):
    """One audit entry under a scope such as "order:12"."""

    id: int
    scope: str
    at: dt.datetime
    action: str
    author: str | None
    changes: dict[str, Any]
    hidden_from_roles: list[str]


# The newest entries of each scope after an id, leaving out those hidden from the caller's
# roles ($2 NULL for those who see everything); LIMIT NULL means all of them.
SCOPED_SQL = """
SELECT a.id, s.scope, a.at, a.action, a.changes, a.hidden_from_roles, e.full_name AS author
FROM unnest({}::varchar[]) AS s(scope)
CROSS JOIN LATERAL (
    SELECT * FROM audit_log
    WHERE audit_log.scope = s.scope AND audit_log.id > {}
      AND ({}::varchar[] IS NULL OR NOT audit_log.hidden_from_roles && {}::varchar[])
    ORDER BY audit_log.at DESC, audit_log.id DESC LIMIT {}
) a
LEFT JOIN employee e ON e.id = a.actor
"""


async def scoped_changes(
    scopes: list[str], *, after: int = 0, newest: int | None = None, hidden_for: list[str] | None
) -> list[ScopedChange]:
    """Entries of the scopes with an id above `after` (at most `newest` per scope), in one
    query; entries hidden from any of the `hidden_for` roles are left out (None: keep all)."""
    if not scopes:
        return []
    rows = await AuditEntry.raw(SCOPED_SQL, scopes, after, hidden_for, hidden_for, newest)
    return [
        ScopedChange(
            id=row["id"],
            scope=row["scope"],
            at=row["at"],
            action=row["action"],
            author=row["author"],
            changes=_json(row["changes"]),
            hidden_from_roles=list(row["hidden_from_roles"] or []),
        )
        for row in rows
    ]


def _json(value: Any) -> dict[str, Any]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


async def change_exists(scope: str, entry_id: int) -> bool:
    """True when the entry belongs to the scope."""
    found = await AuditEntry.exists().where(AuditEntry.id == entry_id, AuditEntry.scope == scope)
    return bool(found)


async def hide_change(entry_id: int, roles: list[str]) -> None:
    """Set the roles an entry is hidden from."""
    await AuditEntry.update({AuditEntry.hidden_from_roles: roles}).where(AuditEntry.id == entry_id)


async def actions_of(scopes: list[str], actions: list[str]) -> list[ScopedChange]:
    """Entries of the given actions under the scopes, oldest first, in one query (for the
    readers that derive a record's story from them, such as the SLA clocks)."""
    if not scopes or not actions:
        return []
    rows = await AuditEntry.raw(
        "SELECT id, scope, at, action, changes, hidden_from_roles FROM audit_log"
        " WHERE scope = ANY({}::varchar[]) AND action = ANY({}::varchar[]) ORDER BY at, id",
        scopes,
        actions,
    )
    return [
        ScopedChange(
            id=row["id"],
            scope=row["scope"],
            at=row["at"],
            action=row["action"],
            author=None,
            changes=_json(row["changes"]),
            hidden_from_roles=list(row["hidden_from_roles"] or []),
        )
        for row in rows
    ]
