"""Writing and reading the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.utils.encoding import dump_json

from server.actor import Actor
from server.audit.filters import AuditFilters
from server.audit.tables import AuditEntry
from server.i18n import N_
from server.staff.permissions import Action, Section

SECRET_MARK = "•••"
# Actions whose entry is only the list of changed fields: with none changed there is nothing to
# record (older ones written empty are left out of the log).
CHANGES_ONLY = ("update", "visit_update")

# Names of audit actions as shown in the log (the codes are stored).
ACTION_NAMES = (
    N_("create"),
    N_("update"),
    N_("delete"),
    N_("deactivate"),
    N_("activate"),
    N_("login"),
    N_("password_change"),
    N_("session_end"),
    N_("logout_everywhere"),
)


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return value


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], secret: frozenset[str] = frozenset()
) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed; secrets masked."""
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            changes[key] = [SECRET_MARK, SECRET_MARK] if key in secret else [old, new]
    return changes


async def record(
    actor: Actor | None,
    entity: str,
    entity_id: int | str,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    ip: str = "",
    scope: str = "",
) -> None:
    """Append one entry; call inside the transaction that made the change.

    `scope` names the record the change belongs to (e.g. "order:12" for a line of order 12),
    so that a record's history gathers the changes of its parts. An update that changed nothing
    is not written.
    """
    if action in CHANGES_ONLY and not changes:
        return
    await AuditEntry.insert(
        AuditEntry(
            at=dt.datetime.now(dt.UTC),
            actor=actor.employee_id if actor and actor.employee_id else None,
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            changes=dict(changes or {}),
            ip=ip or (actor.ip if actor else ""),
            scope=scope,
        )
    )


async def list_entries(
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int | None]:
    """Newest entries first, keyset-paginated by id; only for holders of audit:view. Entries
    locked from one of the actor's roles and updates that changed nothing are left out;
    `since` and `until` bound the moment (until exclusive)."""
    actor.require(Section.AUDIT, Action.VIEW)
    query = (
        AuditEntry.select(
            *AuditEntry.all_columns(),
            AuditEntry.actor._.full_name.as_alias("actor_name"),
        )
        .where(
            WhereRaw(
                "NOT (audit_log.action = ANY({}) AND audit_log.changes = jsonb_build_object())",
                list(CHANGES_ONLY),
            )
        )
        .order_by(AuditEntry.id, ascending=False)
        .output(load_json=True)
    )
    if not actor.is_admin:
        roles = sorted(actor.role_codes)
        query = query.where(WhereRaw("NOT audit_log.hidden_from_roles && {}::varchar[]", roles))
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    if actor_id:
        query = query.where(AuditEntry.actor == actor_id)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    rows = await query.limit(limit + 1)
    next_cursor = rows[limit - 1]["id"] if len(rows) > limit else None
    return rows[:limit], next_cursor


async def matching(
    actor: Actor, filters: AuditFilters, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """The entries the filters of the page or the API ask for (see list_entries)."""
    since, until = filters.moments()
    return await list_entries(
        actor,
        entity=filters.entity,
        entity_id=filters.entity_id,
        actor_id=filters.employee_id,
        since=since,
        until=until,
        before_id=before_id,
        limit=limit,
    )


async def record_many(
    actor: Actor | None, entries: Sequence[tuple[str, int | str, str, Mapping[str, list[Any]], str]]
) -> None:
    """Append many entries at once: (entity, entity id, action, changes, scope) each, in one
    statement however many (their fields travel as arrays)."""
    if not entries:
        return
    await AuditEntry.raw(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, changes, ip, scope,"
        " hidden_from_roles) SELECT {}::timestamptz, {}::int, e, i, a, c::jsonb, {}::varchar, s,"
        " ARRAY[]::varchar[]"
        " FROM unnest({}::varchar[], {}::varchar[], {}::varchar[], {}::text[], {}::varchar[])"
        " AS t(e, i, a, c, s)",
        dt.datetime.now(dt.UTC),
        actor.employee_id if actor and actor.employee_id else None,
        actor.ip if actor else "",
        [entity for entity, _, _, _, _ in entries],
        [str(entity_id) for _, entity_id, _, _, _ in entries],
        [action for _, _, action, _, _ in entries],
        [dump_json(dict(changes)) for _, _, _, changes, _ in entries],
        [scope for _, _, _, _, scope in entries],
    )
