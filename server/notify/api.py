"""What other domains call: emit an event, settle it. Both write in the caller's transaction
when there is one, so an event exists exactly when the change that caused it committed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from server.notify.tables import NotifyEvent


async def emit(
    event: str,
    *,
    key: str,
    order_id: int | None = None,
    employee_id: int | None = None,
    context: dict[str, Any] | None = None,
) -> bool:
    """Record an event for the rules (the worker turns it into messages); `key` names this
    occurrence, so emitting it again is a no-op. Returns whether it was new."""
    rows = await NotifyEvent.raw(
        'INSERT INTO notify_event (event, key, "order", employee, context, created_at)'
        " VALUES ({}, {}, {}, {}, {}::jsonb, now()) ON CONFLICT (key) DO NOTHING RETURNING id",
        event,
        key[:200],
        order_id,
        employee_id,
        json.dumps(context or {}, default=str, ensure_ascii=False),
    )
    return bool(rows)


async def settle(key_prefix: str) -> int:
    """The condition behind the events whose key starts with `key_prefix` ended: their rules
    stop repeating. Returns how many events were settled."""
    pattern = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = await NotifyEvent.raw(
        "UPDATE notify_event SET settled_at = {} WHERE key LIKE {} AND settled_at IS NULL"
        " RETURNING id",
        dt.datetime.now(dt.UTC),
        pattern,
    )
    return len(rows)
