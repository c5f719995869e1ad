"""What other domains call: emit an event, settle it. Both write in the caller's transaction
when there is one, so an event exists exactly when the change that caused it committed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec

from server.jobs.queue import defer_in_transaction
from server.notify.tables import Message, MessageLog, NotifyEvent, NotifyRule


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
    if rows:
        await defer_in_transaction("notify_pending", queue="notify")
    return bool(rows)


class Event(msgspec.Struct, frozen=True):
    """One event of `emit_many`."""

    event: str
    key: str
    order_id: int | None = None
    employee_id: int | None = None
    context: dict[str, Any] = msgspec.field(default_factory=dict)


async def emit_many(found: list[Event]) -> int:
    """`emit` for many events in two statements; returns how many were new."""
    if not found:
        return 0
    rows = await NotifyEvent.raw(
        'INSERT INTO notify_event (event, key, "order", employee, context, created_at)'
        " SELECT e, k, o, p, c::jsonb, now()"
        " FROM unnest({}::text[], {}::text[], {}::int[], {}::int[], {}::text[]) AS t(e, k, o, p, c)"
        " ON CONFLICT (key) DO NOTHING RETURNING id",
        [e.event for e in found],
        [e.key[:200] for e in found],
        [e.order_id for e in found],
        [e.employee_id for e in found],
        [json.dumps(e.context, default=str, ensure_ascii=False) for e in found],
    )
    if rows:
        await defer_in_transaction("notify_pending", queue="notify")
    return len(rows)


async def settle(*key_prefixes: str) -> int:
    """The condition behind the events whose key starts with one of the prefixes ended: their
    rules stop repeating. Returns how many events were settled. A prefix is a range of keys
    in byte order, read from an index of the unsettled ones (one statement for any number)."""
    prefixes = sorted({p for p in key_prefixes if p})
    if not prefixes:
        return 0
    rows = await NotifyEvent.raw(
        "UPDATE notify_event e SET settled_at = {}"
        " FROM unnest({}::text[], {}::text[]) AS r(lo, hi)"
        ' WHERE e.settled_at IS NULL AND e.key COLLATE "C" >= r.lo COLLATE "C"'
        ' AND e.key COLLATE "C" < r.hi COLLATE "C" RETURNING e.id',
        dt.datetime.now(dt.UTC),
        prefixes,
        [_after(p) for p in prefixes],
    )
    return len({r["id"] for r in rows})


def _after(prefix: str) -> str:
    """The first key in byte order after every key starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


async def send_direct(
    *, key: str, channel: str, address: str, subject: str, body: str, html: str = ""
) -> bool:
    """Queue one email or SMS to an address no rule names (a customer's sign-in link): it
    goes through the same queue, delivery log, outbox and retries as the rules' messages;
    `key` makes it idempotent. Returns whether it was new."""
    if channel not in ("email", "sms"):
        raise ValueError(f"no direct channel {channel!r}")
    now = dt.datetime.now(dt.UTC)
    rows = await Message.raw(
        "INSERT INTO notify_message (key, channel, address, language, subject, body, html,"
        " link, urgency, status, next_attempt_at, created_at)"
        " VALUES ({}, {}, {}, 'ru', {}, {}, {}, '', 'normal', 'queued', {}, {})"
        " ON CONFLICT (key) DO NOTHING RETURNING id",
        key[:300],
        channel,
        address[:320],
        subject[:300],
        body,
        html,
        now,
        now,
    )
    if not rows:
        return False
    await MessageLog.raw(
        "INSERT INTO notify_message_log (message, at, state, detail) VALUES ({}, {}, 'queued', '')",
        rows[0]["id"],
        now,
    )
    await defer_in_transaction("notify_pending", queue="notify")
    return True


async def rule_channels(code: str) -> list[str] | None:
    """The channels of the shipped rule with this code (None when there is none)."""
    row = await NotifyRule.select(NotifyRule.channels).where(NotifyRule.code == code).first()
    return None if row is None else list(row["channels"])


async def set_rule_channels(code: str, channels: list[str]) -> None:
    """Set the channels of the shipped rule with this code (a domain's own settings page)."""
    await NotifyRule.update(
        {NotifyRule.channels: channels, NotifyRule.updated_at: dt.datetime.now(dt.UTC)}
    ).where(NotifyRule.code == code)
