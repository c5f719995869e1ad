"""Offline edits of an order's fields: merged field by field, conflicts kept, never dropped.

The phone sends the values it changed (`change`) and the values it saw before (`base`). A
field whose server value is still `base` (nobody else changed it) or already equals the
master's value is merged; a field changed on the server meanwhile is a conflict: the server's
value stays, and the master's value is recorded in `sync_conflict` and on the order's timeline
(kind "sync_conflict") where the dispatcher sees it. A later edit of the same fields by the
same master (a new mutation insisting on the value, or taking the server's) settles it
(`resolved_at`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from server.actor import Actor
from server.errors import InvalidInput
from server.fieldaccess import check_writable
from server.i18n import gettext
from server.orders import access
from server.orders import api as orders
from server.orders.labels import label
from server.orders.schemas import OrderPatch
from server.orders.services import OrderService
from server.sync.schemas import OrderFieldsChange
from server.sync.tables import SyncConflict

CONFLICT_EVENT = "sync_conflict"


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def split(
    server: dict[str, Any], base: dict[str, Any], mine: dict[str, str]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """(fields to write, conflicts {field: {base, mine, server}}) of an edit."""
    merged: dict[str, str] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    for name, value in mine.items():
        if name not in base:
            raise InvalidInput("The value the change was based on is missing", field=name)
        seen, now = _clean(base[name]), server[name]
        if now == value:
            continue
        if now == seen:
            merged[name] = value
        else:
            conflicts[name] = {"base": base[name], "mine": value, "server": now}
    return merged, conflicts


async def merge_order_fields(
    actor: Actor,
    mutation_id: uuid.UUID,
    order_id: int,
    change: OrderFieldsChange,
    base: dict[str, Any],
) -> dict[str, Any]:
    """Apply an `order.fields` mutation; its answer (applied or conflict with the values)."""
    mine = {k: v.strip() for k, v in msgspec.structs.asdict(change).items() if v is not None}
    if not mine:
        raise InvalidInput("The change is empty", field="change")
    access.require_edit(actor)
    check_writable(actor, "order", mine)
    service = OrderService(actor)
    row = await service.row(order_id, for_update=True)
    merged, conflicts = split(row, base, mine)
    if merged:
        await service.update_order(order_id, msgspec.convert(merged, OrderPatch))
    settled = [name for name in mine if name not in conflicts]
    if settled:
        await _resolve(actor, order_id, settled)
    if not conflicts:
        return {"result": "applied"}
    await record_conflict(actor, mutation_id, order_id, conflicts)
    return {
        "result": "conflict",
        "reason": gettext(
            "Changed on the server while you were offline: {fields}", fields=_names(conflicts)
        ),
        "conflicts": conflicts,
    }


async def _resolve(actor: Actor, order_id: int, fields: list[str]) -> None:
    """The master's earlier conflicts on this order about these fields only are settled now
    (the master insisted with a new mutation, or took the server's value)."""
    await SyncConflict.raw(
        'UPDATE sync_conflict SET resolved_at = {} WHERE "order" = {} AND employee = {}'
        " AND resolved_at IS NULL AND NOT EXISTS ("
        " SELECT 1 FROM jsonb_object_keys(fields) AS k WHERE k <> ALL({}::text[]))",
        dt.datetime.now(dt.UTC),
        order_id,
        actor.employee_id,
        fields,
    )


def _names(conflicts: dict[str, Any]) -> str:
    return ", ".join(label(name, "field") for name in conflicts)


async def record_conflict(
    actor: Actor, mutation_id: uuid.UUID, order_id: int, conflicts: dict[str, dict[str, Any]]
) -> None:
    """Keep the master's values: a `sync_conflict` row and an event on the order's timeline."""
    now = dt.datetime.now(dt.UTC)
    await SyncConflict(
        mutation=mutation_id,
        order=order_id,
        employee=actor.employee_id,
        fields=conflicts,
        created_at=now,
    ).save()
    await orders.write_note(
        actor,
        order_id,
        CONFLICT_EVENT,
        gettext(
            "Not saved from the field app, changed on the server meanwhile: {fields}",
            fields=_names(conflicts),
        ),
        {name: [c["mine"], c["server"]] for name, c in conflicts.items()},
    )
