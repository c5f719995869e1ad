"""The rules behind the notify API: one's notifications, browsers subscribed to push, one's
preferences; administrators' rules and the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import Forbidden, InvalidInput, NotFound
from server.i18n import gettext
from server.notify import compose, events, push
from server.notify.recipients import ASSIGNEE, CLIENT, CLIENT_CHANNELS, MANAGER, REQUESTER
from server.notify.schemas import (
    ChannelChoice,
    LogOut,
    MessageOut,
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    RuleIn,
    RuleOut,
    SubscriptionIn,
    SubscriptionOut,
)
from server.notify.tables import (
    Message,
    MessageLog,
    NotifyPreference,
    NotifyRule,
    PushSubscription,
    QuietHours,
)
from server.orders import api as orders
from server.staff import api as staff
from server.staff.permissions import Action, Section

CHANNELS = ("inapp", "push", "email", "sms")
PAGE = 50


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _me(actor: Actor) -> int:
    if not actor.employee_id:
        raise NotFound("No notifications for this session")
    return actor.employee_id


# one's notifications


async def notifications(
    actor: Actor, *, before: int | None = None, unread_only: bool = False, limit: int = PAGE
) -> tuple[list[NotificationOut], int | None]:
    """One's in-app notifications, newest first; one about an order no longer within one's
    reach (reassigned since) is left out, as the order is."""
    me = _me(actor)
    query = (
        Message.select(
            Message.id,
            Message.created_at,
            Message.subject,
            Message.body,
            Message.link,
            Message.read_at,
            Message.notify_event._.event.as_alias("event"),
            Message.notify_event._.order.as_alias("order_id"),
        )
        .where(Message.employee == me, Message.channel == "inapp")
        .order_by(Message.id, ascending=False)
        .limit(limit + 1)
    )
    if before:
        query = query.where(Message.id < before)
    if unread_only:
        query = query.where(Message.read_at.is_null())
    rows = await query
    readable = await _readable(actor, rows[:limit])
    items = [
        NotificationOut(
            r["id"],
            r["created_at"],
            r["event"] or "",
            r["subject"],
            r["body"],
            r["link"],
            r["read_at"] is not None,
        )
        for r in readable
    ]
    return items, (rows[limit - 1]["id"] if len(rows) > limit else None)


async def _readable(actor: Actor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows whose order (if any) the actor may still read."""
    order_ids = {r["order_id"] for r in rows if r["order_id"]}
    reachable = set(await orders.orders_in_scope(actor, order_ids)) if order_ids else set()
    return [r for r in rows if not r["order_id"] or r["order_id"] in reachable]


async def unread(actor: Actor) -> int:
    """How many of one's notifications are unread (the bell's badge), of those one may see."""
    if not actor.employee_id:
        return 0
    rows = await Message.select(
        Message.id, Message.notify_event._.order.as_alias("order_id")
    ).where(
        Message.employee == actor.employee_id,
        Message.channel == "inapp",
        Message.read_at.is_null(),
    )
    return len(await _readable(actor, rows))


async def mark_read(actor: Actor, ids: list[int] | None) -> int:
    """Mark one's notifications read (all when no ids); returns how many changed."""
    me = _me(actor)
    now = _now()
    query = Message.update({Message.read_at: now}).where(
        Message.employee == me, Message.channel == "inapp", Message.read_at.is_null()
    )
    if ids is not None:
        query = query.where(Message.id.is_in(ids or [0]))
    changed = await query.returning(Message.id)
    if changed:
        await MessageLog.insert(
            *(MessageLog(message=r["id"], at=now, state="read", detail="") for r in changed)
        )
    return len(changed)


# push subscriptions


async def subscribe(actor: Actor, data: SubscriptionIn, user_agent: str) -> SubscriptionOut:
    """Keep a browser's push subscription for the employee (again: it moves to them)."""
    me = _me(actor)
    if not push.endpoint_allowed(data.endpoint):
        raise InvalidInput(
            "This push service is not allowed here (SERVIO_PUSH_SERVICES)", field="endpoint"
        )
    rows = await PushSubscription.raw(
        "INSERT INTO push_subscription (employee, endpoint, p256dh, auth, user_agent, created_at)"
        " VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (endpoint) DO UPDATE SET"
        " employee = EXCLUDED.employee, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,"
        " user_agent = EXCLUDED.user_agent RETURNING id, endpoint, user_agent, created_at",
        me,
        data.endpoint,
        data.keys.p256dh,
        data.keys.auth,
        user_agent[:300],
        _now(),
    )
    row = rows[0]
    return SubscriptionOut(row["id"], row["endpoint"], row["user_agent"], row["created_at"])


async def unsubscribe(actor: Actor, endpoint: str) -> None:
    me = _me(actor)
    gone = (
        await PushSubscription.delete()
        .where(PushSubscription.employee == me, PushSubscription.endpoint == endpoint)
        .returning(PushSubscription.id)
    )
    if not gone:
        raise NotFound("This browser is not subscribed")


async def subscriptions(actor: Actor) -> list[SubscriptionOut]:
    me = _me(actor)
    rows = (
        await PushSubscription.select()
        .where(PushSubscription.employee == me)
        .order_by(PushSubscription.id)
    )
    return [SubscriptionOut(r["id"], r["endpoint"], r["user_agent"], r["created_at"]) for r in rows]


# preferences


def _time(value: str | None, field: str) -> dt.time | None:
    if value in (None, ""):
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise InvalidInput("Give the time as HH:MM, e.g. 22:00", field=field) from None


async def preferences(actor: Actor) -> PreferencesOut:
    me = _me(actor)
    rows = await NotifyPreference.select().where(NotifyPreference.employee == me)
    quiet = await QuietHours.select().where(QuietHours.employee == me).first()
    return PreferencesOut(
        [
            ChannelChoice(r["event"], list(r["channels"]))
            for r in sorted(rows, key=lambda r: r["event"])
        ],
        quiet["starts"].strftime("%H:%M") if quiet else None,
        quiet["ends"].strftime("%H:%M") if quiet else None,
    )


async def set_preferences(actor: Actor, data: PreferencesIn) -> PreferencesOut:
    """Replace one's preferences."""
    me = _me(actor)
    starts, ends = _time(data.quiet_start, "quiet_start"), _time(data.quiet_end, "quiet_end")
    if (starts is None) != (ends is None):
        raise InvalidInput("Give both ends of the quiet hours, or neither", field="quiet_end")
    if starts is not None and starts == ends:
        raise InvalidInput("Quiet hours must not start and end at the same time", field="quiet_end")
    seen: set[str] = set()
    for choice in data.events:
        if choice.event not in events.EVENT_NAMES:
            raise InvalidInput("Unknown event «{event}»", field="events", event=choice.event)
        if choice.event in seen:
            raise InvalidInput("«{event}» is given twice", field="events", event=choice.event)
        seen.add(choice.event)
        unknown = [c for c in choice.channels if c not in CHANNELS]
        if unknown:
            raise InvalidInput("Unknown channel «{channel}»", field="events", channel=unknown[0])
    async with NotifyPreference._meta.db.transaction():
        await NotifyPreference.delete().where(NotifyPreference.employee == me)
        if data.events:
            await NotifyPreference.insert(
                *(
                    NotifyPreference(employee=me, event=c.event, channels=sorted(set(c.channels)))
                    for c in data.events
                )
            )
        await QuietHours.delete().where(QuietHours.employee == me)
        if starts is not None and ends is not None:
            await QuietHours(employee=me, starts=starts, ends=ends).save()
    return await preferences(actor)


# rules (administrators)


def _rule_out(row: dict[str, Any]) -> RuleOut:
    return RuleOut(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        event=row["event"],
        event_name=gettext(events.EVENT_NAMES.get(row["event"], row["event"])),
        recipients=list(row["recipients"]),
        channels=list(row["channels"]),
        statuses=list(row["statuses"]),
        order_type_ids=list(row["order_types"]),
        delay_minutes=row["delay_minutes"],
        repeat_minutes=row["repeat_minutes"],
        max_count=row["max_count"],
        subject=row["subject"],
        body=row["body"],
        enabled=row["enabled"],
        updated_at=row["updated_at"],
    )


async def rules(actor: Actor) -> list[RuleOut]:
    actor.require(Section.SETTINGS, Action.VIEW)
    rows = await NotifyRule.select().order_by(NotifyRule.id)
    return [_rule_out(r) for r in rows]


async def rule(actor: Actor, rule_id: int) -> RuleOut:
    actor.require(Section.SETTINGS, Action.VIEW)
    row = await NotifyRule.select().where(NotifyRule.id == rule_id).first()
    if row is None:
        raise NotFound("No rule with id {id}", id=rule_id)
    return _rule_out(row)


async def check_rule(data: RuleIn) -> None:
    """Refuse a rule that cannot work, saying why, next to the field."""
    if not data.name.strip():
        raise InvalidInput("Name the rule", field="name")
    if data.event not in events.EVENT_NAMES:
        raise InvalidInput("Unknown event «{event}»", field="event", event=data.event)
    if not data.recipients:
        raise InvalidInput("Choose whom to tell", field="recipients")
    if not data.channels:
        raise InvalidInput("Choose at least one channel", field="channels")
    unknown = [c for c in data.channels if c not in CHANNELS]
    if unknown:
        raise InvalidInput("Unknown channel «{channel}»", field="channels", channel=unknown[0])
    roles = set(await staff.known_role_codes())
    for who in data.recipients:
        kind, _, value = who.partition(":")
        if who in (ASSIGNEE, MANAGER, CLIENT, REQUESTER):
            continue
        if kind == "role" and value in roles:
            continue
        if kind == "employee" and value.isdigit() and await staff.contacts([int(value)]):
            continue
        raise InvalidInput("Unknown recipient «{who}»", field="recipients", who=who)
    if set(data.recipients) <= {CLIENT, REQUESTER} and not set(data.channels) & set(
        CLIENT_CHANNELS
    ):
        raise InvalidInput(
            "The client is told only by email or SMS: choose one of them", field="channels"
        )
    if data.statuses and data.event != events.ORDER_STATUS:
        raise InvalidInput(
            "Statuses apply only to the event «Order entered a status»", field="statuses"
        )
    if data.statuses:
        known = {s["code"] for s in await orders.statuses()}
        missing = [s for s in data.statuses if s not in known]
        if missing:
            raise InvalidInput("Unknown status «{code}»", field="statuses", code=missing[0])
    if data.order_type_ids:
        known_types = set(await orders.order_type_names())
        missing_types = [t for t in data.order_type_ids if t not in known_types]
        if missing_types:
            raise InvalidInput(
                "Unknown order type {id}", field="order_type_ids", id=missing_types[0]
            )
    if data.repeat_minutes and data.max_count < 2:
        raise InvalidInput(
            "A rule that repeats needs a maximum count of 2 or more", field="max_count"
        )
    if data.max_count > 1 and not data.repeat_minutes:
        raise InvalidInput("Say how often to repeat, or set the count to 1", field="repeat_minutes")
    for field in ("subject", "body"):
        found = compose.problems(getattr(data, field))
        if found:
            raise InvalidInput(
                "The template cannot be used: {problems}", field=field, problems="; ".join(found)
            )


def _values(data: RuleIn) -> dict[Any, Any]:
    return {
        NotifyRule.name: data.name.strip(),
        NotifyRule.event: data.event,
        NotifyRule.recipients: list(dict.fromkeys(data.recipients)),
        NotifyRule.channels: list(dict.fromkeys(data.channels)),
        NotifyRule.statuses: list(dict.fromkeys(data.statuses)),
        NotifyRule.order_types: list(dict.fromkeys(data.order_type_ids)),
        NotifyRule.delay_minutes: data.delay_minutes,
        NotifyRule.repeat_minutes: data.repeat_minutes,
        NotifyRule.max_count: data.max_count,
        NotifyRule.subject: data.subject,
        NotifyRule.body: data.body,
        NotifyRule.enabled: data.enabled,
        NotifyRule.updated_at: _now(),
    }


async def create_rule(actor: Actor, data: RuleIn) -> RuleOut:
    actor.require(Section.SETTINGS, Action.EDIT)
    await check_rule(data)
    values = {column._meta.name: value for column, value in _values(data).items()}
    made = await NotifyRule.insert(NotifyRule(**values)).returning(NotifyRule.id)
    await audit.record(actor, "notify_rule", made[0]["id"], "create", {"name": [None, data.name]})
    return await rule(actor, made[0]["id"])


async def update_rule(actor: Actor, rule_id: int, data: RuleIn) -> RuleOut:
    actor.require(Section.SETTINGS, Action.EDIT)
    before = await rule(actor, rule_id)
    await check_rule(data)
    await NotifyRule.update(_values(data)).where(NotifyRule.id == rule_id)
    after = await rule(actor, rule_id)
    shown = (
        "name",
        "event",
        "recipients",
        "channels",
        "statuses",
        "delay_minutes",
        "repeat_minutes",
        "max_count",
        "subject",
        "body",
        "enabled",
    )
    changes = audit.diff(
        {k: getattr(before, k) for k in shown}, {k: getattr(after, k) for k in shown}
    )
    await audit.record(actor, "notify_rule", rule_id, "update", changes)
    return after


async def delete_rule(actor: Actor, rule_id: int) -> None:
    actor.require(Section.SETTINGS, Action.DELETE)
    before = await rule(actor, rule_id)
    if before.code:
        raise Forbidden("A rule the product ships with is switched off, not deleted")
    async with NotifyRule._meta.db.transaction():
        await NotifyRule.raw("DELETE FROM notify_rule_run WHERE rule = {}", rule_id)
        await NotifyRule.raw("UPDATE notify_message SET rule = NULL WHERE rule = {}", rule_id)
        await NotifyRule.delete().where(NotifyRule.id == rule_id)
    await audit.record(actor, "notify_rule", rule_id, "delete", {"name": [before.name, None]})


# the outbox and the delivery log (administrators)


async def messages(
    actor: Actor, *, status: str | None = None, before: int | None = None, limit: int = PAGE
) -> tuple[list[MessageOut], int | None]:
    """Messages to people outside the app (mail, push, SMS), newest first, with their log."""
    actor.require(Section.SETTINGS, Action.VIEW)
    query = (
        Message.select()
        .where(Message.channel != "inapp")
        .order_by(Message.id, ascending=False)
        .limit(limit + 1)
    )
    if status:
        query = query.where(Message.status == status)
    if before:
        query = query.where(Message.id < before)
    rows = await query
    shown = rows[:limit]
    logs: dict[int, list[LogOut]] = {}
    if shown:
        for entry in (
            await MessageLog.select()
            .where(MessageLog.message.is_in([r["id"] for r in shown]))
            .order_by(MessageLog.id)
        ):
            logs.setdefault(entry["message"], []).append(
                LogOut(entry["at"], entry["state"], entry["detail"])
            )
    names = await staff.names({r["employee"] for r in shown if r["employee"]})
    items = [
        MessageOut(
            r["id"],
            r["created_at"],
            r["channel"],
            names.get(r["employee"], "") if r["employee"] else r["address"],
            r["subject"],
            r["status"],
            r["attempts"],
            r["last_error"],
            r["sent_at"],
            r["next_attempt_at"],
            logs.get(r["id"], []),
        )
        for r in shown
    ]
    return items, (shown[-1]["id"] if len(rows) > limit else None)


async def retry(actor: Actor, message_id: int) -> None:
    """Send a failed message again now."""
    actor.require(Section.SETTINGS, Action.EDIT)
    changed = (
        await Message.update(
            {Message.status: "queued", Message.next_attempt_at: _now(), Message.attempts: 0}
        )
        .where(Message.id == message_id, Message.status.is_in(["failed", "outbox"]))
        .returning(Message.id)
    )
    if not changed:
        raise NotFound("No failed message with id {id}", id=message_id)
    await MessageLog(message=message_id, at=_now(), state="retry", detail="by hand").save()
