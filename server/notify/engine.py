"""The worker's side: events through the rules into messages, and messages out.

Three steps, each a short transaction over a batch taken with FOR UPDATE SKIP LOCKED, so any
number of workers share the work and none takes a row another holds:
1. new events: every enabled rule they match gets a run (fires first after its delay);
2. due runs: a message per recipient and channel, keyed (event, rule, fire, recipient,
   channel) so a run fired twice writes nothing new; then the run waits its repeat
   interval, or ends (maximum count, or its event settled);
3. due messages: claimed (status `sending` with a lease), sent, and marked sent, retried
   with backoff, failed with the reason, or left in the outbox when the channel has no
   server. A worker that died while sending leaves a lease that runs out; the message goes
   again (mail keeps its Message-ID, push skips the browsers it already reached).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterable
from typing import Any

import anyio

from server.notify import compose, mail, push, recipients, sms
from server.notify.delivery import DeliveryError, NotConfigured
from server.notify.tables import NotifyEvent

log = logging.getLogger("servio.notify")
BATCH = 200
LEASE = dt.timedelta(minutes=5)
RETRY_MINUTES = (1, 5, 15, 60, 180, 360)  # after the last one the message fails
QUEUED, SENT, FAILED, OUTBOX = "queued", "sent", "failed", "outbox"
CHANNELS = ("inapp", "push", "email", "sms")


def _db() -> Any:
    return NotifyEvent._meta.db


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await NotifyEvent.raw(sql, *args)


# 1. events -> runs


async def process_events(now: dt.datetime | None = None) -> int:
    """Give each new event a run of every rule it matches; returns the events taken."""
    async with _db().transaction():
        taken = await _raw(
            'SELECT id, event, "order", context, created_at FROM notify_event'
            " WHERE processed_at IS NULL ORDER BY id LIMIT {} FOR UPDATE SKIP LOCKED",
            BATCH,
        )
        if not taken:
            return 0
        rules = await _raw(
            "SELECT id, event, statuses, order_types, delay_minutes FROM notify_rule"
            " WHERE enabled AND event = ANY({}::text[])",
            sorted({e["event"] for e in taken}),
        )
        types = await recipients.order_types([e["order"] for e in taken if e["order"]])
        runs: list[tuple[int, int, dt.datetime]] = []
        for event in taken:
            context = _context(event)
            for rule in rules:
                if rule["event"] != event["event"]:
                    continue
                if rule["statuses"] and context.get("status") not in rule["statuses"]:
                    continue
                if rule["order_types"] and types.get(event["order"]) not in rule["order_types"]:
                    continue
                first = event["created_at"] + dt.timedelta(minutes=rule["delay_minutes"])
                runs.append((rule["id"], event["id"], first))
        if runs:
            await _raw(
                "INSERT INTO notify_rule_run (rule, notify_event, fired, next_at)"
                " SELECT r, e, 0, n FROM unnest({}::int[], {}::int[], {}::timestamptz[])"
                " AS t(r, e, n) ON CONFLICT ON CONSTRAINT notify_rule_run_once DO NOTHING",
                [r[0] for r in runs],
                [r[1] for r in runs],
                [r[2] for r in runs],
            )
        await _raw(
            "UPDATE notify_event SET processed_at = {} WHERE id = ANY({}::int[])",
            now or dt.datetime.now(dt.UTC),
            [e["id"] for e in taken],
        )
    return len(taken)


def _context(event: dict[str, Any]) -> dict[str, Any]:
    value = event.get("context") or {}
    return json.loads(value) if isinstance(value, str) else value


# 2. runs -> messages


async def fire_due(now: dt.datetime | None = None) -> int:
    """Fire the runs that are due; returns how many fired."""
    now = now or dt.datetime.now(dt.UTC)
    async with _db().transaction():
        due = await _raw(
            "SELECT r.id, r.fired, r.rule, r.notify_event, u.repeat_minutes, u.max_count,"
            " u.recipients, u.channels, u.subject, u.body, u.enabled,"
            ' e.event, e.key, e."order", e.employee, e.context, e.settled_at'
            " FROM notify_rule_run r JOIN notify_rule u ON u.id = r.rule"
            " JOIN notify_event e ON e.id = r.notify_event"
            " WHERE r.done_at IS NULL AND r.next_at <= {}"
            " ORDER BY r.next_at LIMIT {} FOR UPDATE OF r SKIP LOCKED",
            now,
            BATCH,
        )
        if not due:
            return 0
        live = [r for r in due if r["settled_at"] is None and r["enabled"]]
        for run in live:
            run["context"] = _context(run)
        drafts = await recipients.messages_for(live, now)
        await _insert_messages(drafts, now)
        finished, again = [], []
        for run in due:
            fired = run["fired"] + (1 if run in live else 0)
            repeat = run["repeat_minutes"]
            if run not in live or not repeat or fired >= max(run["max_count"], 1):
                finished.append((run["id"], fired))
            else:
                again.append((run["id"], fired, now + dt.timedelta(minutes=repeat)))
        if finished:
            await _raw(
                "UPDATE notify_rule_run SET fired = t.f, done_at = {}"
                " FROM unnest({}::int[], {}::int[]) AS t(i, f) WHERE id = t.i",
                now,
                [f[0] for f in finished],
                [f[1] for f in finished],
            )
        if again:
            await _raw(
                "UPDATE notify_rule_run SET fired = t.f, next_at = t.n"
                " FROM unnest({}::int[], {}::int[], {}::timestamptz[]) AS t(i, f, n)"
                " WHERE id = t.i",
                [a[0] for a in again],
                [a[1] for a in again],
                [a[2] for a in again],
            )
    return len(due)


async def _insert_messages(drafts: list[dict[str, Any]], now: dt.datetime) -> None:
    if not drafts:
        return
    columns = (
        "key",
        "notify_event",
        "rule",
        "channel",
        "employee",
        "address",
        "language",
        "subject",
        "body",
        "html",
        "link",
        "urgency",
        "status",
        "next_attempt_at",
        "sent_at",
    )
    casts = (
        "text",
        "int",
        "int",
        "text",
        "int",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "timestamptz",
        "timestamptz",
    )
    arrays = [[d[c] for d in drafts] for c in columns]
    select = ", ".join(f"t.{c}" for c in columns)
    unnest = ", ".join(f"{{}}::{cast}[]" for cast in casts)
    made = await _raw(
        f"INSERT INTO notify_message ({', '.join(columns)}, created_at)"
        f" SELECT {select}, {{}} FROM unnest({unnest}) AS t({', '.join(columns)})"
        " ON CONFLICT (key) DO NOTHING RETURNING id, status",
        now,
        *arrays,
    )
    await _log([(m["id"], m["status"] if m["status"] == SENT else QUEUED, "") for m in made], now)


async def _log(entries: Iterable[tuple[int, str, str]], now: dt.datetime) -> None:
    rows = list(entries)
    if not rows:
        return
    await _raw(
        "INSERT INTO notify_message_log (message, at, state, detail)"
        " SELECT m, {}, s, d FROM unnest({}::int[], {}::text[], {}::text[]) AS t(m, s, d)",
        now,
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2][:500] for r in rows],
    )


# 3. messages -> out


async def release(now: dt.datetime | None = None) -> None:
    """Leases that ran out go back to the queue; the outbox goes once its channel is set."""
    now = now or dt.datetime.now(dt.UTC)
    await _raw(
        "UPDATE notify_message SET status = 'queued' WHERE status = 'sending'"
        " AND next_attempt_at < {}",
        now,
    )
    ready = [c for c, ok in (("email", mail.configured()), ("sms", sms.configured())) if ok]
    if ready:
        await _raw(
            "UPDATE notify_message SET status = 'queued', next_attempt_at = {}"
            " WHERE status = 'outbox' AND channel = ANY({}::text[])",
            now,
            ready,
        )


async def send_due(now: dt.datetime | None = None) -> int:
    """Claim and send the messages that are due; returns how many were claimed."""
    now = now or dt.datetime.now(dt.UTC)
    claimed = await _raw(
        "UPDATE notify_message SET status = 'sending', next_attempt_at = {},"
        " attempts = attempts + 1 WHERE id IN (SELECT id FROM notify_message"
        " WHERE status = 'queued' AND next_attempt_at <= {} ORDER BY next_attempt_at, id"
        " LIMIT {} FOR UPDATE SKIP LOCKED) RETURNING *",
        now + LEASE,
        now,
        BATCH,
    )
    if not claimed:
        return 0
    deadline = time.monotonic() + LEASE.total_seconds() * 0.8
    outcomes: list[tuple[dict[str, Any], BaseException | None]] = []
    emails = [m for m in claimed if m["channel"] == "email"]
    if emails:
        sender = (await recipients.center()).get("name", "")
        async with mail.Mailer() as mailer:
            for message in emails:
                if time.monotonic() > deadline:
                    outcomes.append((message, Postponed()))
                    continue
                outcomes.append((message, await _attempt(_send_email(mailer, message, sender))))
    pushes = [m for m in claimed if m["channel"] == "push"]
    if pushes:
        outcomes += await _send_pushes(pushes, deadline)
    for message in claimed:
        if message["channel"] == "sms":
            late = time.monotonic() > deadline
            outcomes.append((message, Postponed() if late else await _attempt(_send_sms(message))))
    await _record(outcomes, dt.datetime.now(dt.UTC))
    return len(claimed)


class Postponed(Exception):
    """Not tried: the batch ran so long that its lease would run out before this message
    went (then another worker would take it too); it goes back to the queue untouched."""


async def _attempt(sending: Any) -> BaseException | None:
    try:
        await sending
    except (DeliveryError, NotConfigured) as error:
        return error
    except Exception as error:  # a bug in a channel must not stop the others
        log.exception("sending failed")
        return DeliveryError(f"{type(error).__name__}: {error}")
    return None


async def _send_email(mailer: mail.Mailer, message: dict[str, Any], sender: str) -> None:
    await mailer.send(
        mail.compose(
            message["key"],
            message["address"],
            message["subject"],
            message["body"],
            message["html"],
            sender,
        )
    )


async def _send_sms(message: dict[str, Any]) -> None:
    await sms.provider().send(message["address"], message["body"])


PUSHES_AT_ONCE = 8


async def _send_pushes(
    messages: list[dict[str, Any]], deadline: float
) -> list[tuple[dict[str, Any], BaseException | None]]:
    """Each message to every browser of its employee that has not had it yet (a retry skips
    those), several at a time; the batch's reads and writes in a few statements."""
    ids = [m["id"] for m in messages]
    reached: set[tuple[int, str]] = {
        (r["message"], r["detail"])
        for r in await _raw(
            "SELECT message, detail FROM notify_message_log"
            " WHERE message = ANY({}::int[]) AND state = 'delivered'",
            ids,
        )
    }
    browsers: dict[int, list[dict[str, Any]]] = {}
    for row in await _raw(
        "SELECT id, employee, endpoint, p256dh, auth FROM push_subscription"
        " WHERE employee = ANY({}::int[]) ORDER BY id",
        sorted({m["employee"] for m in messages if m["employee"]}),
    ):
        browsers.setdefault(row["employee"], []).append(row)
    limit = anyio.Semaphore(PUSHES_AT_ONCE)
    delivered: list[tuple[int, str, str]] = []
    gone: dict[int, str] = {}
    failures: dict[int, list[DeliveryError]] = {}
    postponed: set[int] = set()

    async def one(message: dict[str, Any], subscription: dict[str, Any]) -> None:
        mark = f"subscription {subscription['id']}"
        async with limit:
            if time.monotonic() > deadline:
                postponed.add(message["id"])
                return
            try:
                await push.send(subscription, _payload(message), message["urgency"])
            except push.Gone as error:
                gone[subscription["id"]] = error.reason
                delivered.append((message["id"], "gone", f"{mark}: {error.reason}"))
            except DeliveryError as error:
                failures.setdefault(message["id"], []).append(error)
            else:
                delivered.append((message["id"], "delivered", mark))

    async with anyio.create_task_group() as group:
        for message in messages:
            for subscription in browsers.get(message["employee"], []):
                if (message["id"], f"subscription {subscription['id']}") not in reached:
                    group.start_soon(one, message, subscription)
    now = dt.datetime.now(dt.UTC)
    await _log(delivered, now)
    if gone:
        await _raw("DELETE FROM push_subscription WHERE id = ANY({}::int[])", sorted(gone))
    outcomes: list[tuple[dict[str, Any], BaseException | None]] = []
    done = {m for m, state, _ in delivered if state == "delivered"} | {m for m, _ in reached}
    for message in messages:
        errors = failures.get(message["id"], [])
        if message["id"] in postponed:
            outcomes.append((message, Postponed()))
        elif errors:
            reason = "; ".join(e.reason for e in errors)
            outcomes.append(
                (message, DeliveryError(reason, permanent=all(e.permanent for e in errors)))
            )
        elif message["id"] not in done:
            outcomes.append(
                (message, DeliveryError("no browser of the employee is subscribed", permanent=True))
            )
        else:
            outcomes.append((message, None))
    return outcomes


def _payload(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": message["subject"],
        "body": compose.shorten(message["body"], compose.PUSH_BODY),
        "url": message["link"] or "/notifications",
        "tag": f"servio-{message['id']}",
        "id": message["id"],
    }


async def _record(
    outcomes: list[tuple[dict[str, Any], BaseException | None]], now: dt.datetime
) -> None:
    """Each message's new state and its log line, in two statements for the batch."""
    rows: list[tuple[int, str, dt.datetime | None, str, str]] = []
    again = [m["id"] for m, error in outcomes if isinstance(error, Postponed)]
    if again:
        await _raw(
            "UPDATE notify_message SET status = 'queued', next_attempt_at = {},"
            " attempts = attempts - 1 WHERE id = ANY({}::int[])",
            now,
            again,
        )
    for message, error in outcomes:
        status, when, reason, state = SENT, None, "", SENT
        if isinstance(error, Postponed):
            continue
        if isinstance(error, NotConfigured):
            status, reason, state = OUTBOX, str(error), OUTBOX
        elif isinstance(error, DeliveryError):
            attempts = message["attempts"]
            if error.permanent or attempts > len(RETRY_MINUTES):
                status, reason, state = FAILED, error.reason, FAILED
            else:
                status, reason, state = QUEUED, error.reason, "retry"
                when = now + dt.timedelta(minutes=RETRY_MINUTES[attempts - 1])
        rows.append((message["id"], status, when, reason, state))
    if not rows:
        return
    await _raw(
        "UPDATE notify_message SET status = t.s, next_attempt_at = t.w, last_error = t.r,"
        " sent_at = CASE WHEN t.s = 'sent' THEN {}::timestamptz ELSE sent_at END"
        " FROM unnest({}::int[], {}::text[], {}::timestamptz[], {}::text[]) AS t(i, s, w, r)"
        " WHERE id = t.i",
        now,
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
    )
    await _log([(r[0], r[4], r[3]) for r in rows], now)


async def run_all(now: dt.datetime | None = None, rounds: int = 50) -> None:
    """Everything that is due, until nothing is (or `rounds` batches of each step)."""
    for _ in range(rounds):
        worked = await process_events(now)
        worked += await fire_due(now)
        worked += await send_due(now)
        if not worked:
            return
