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


# What changed after an id (and, for transactions that took an id earlier but committed
# after the last read, in the recent past), with the highest id read in the same snapshot.
CHANGED_SQL = """
SELECT (SELECT max(id) FROM audit_log) AS high, ARRAY(
    SELECT DISTINCT scope FROM audit_log
    WHERE (id > {} OR at > now() - {}::interval)
      AND scope LIKE {} AND action NOT LIKE {}
) AS scopes
"""


def _starting(prefix: str) -> str:
    """A LIKE pattern of what starts with `prefix`."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def scopes_changed(
    after: int, prefix: str, *, skip_actions: str, recent: dt.timedelta
) -> tuple[list[str], int]:
    """(scopes starting with `prefix` with entries above id `after` or newer than `recent`,
    leaving out actions starting with `skip_actions`; the highest id of the log), one query."""
    rows = await AuditEntry.raw(
        CHANGED_SQL, after, recent, _starting(prefix), _starting(skip_actions)
    )
    return list(rows[0]["scopes"] or []), int(rows[0]["high"] or 0)


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
