"""Who a rule's fire reaches and what each is told: assignee, manager, a role's holders, an
employee, the client; each employee through their preferences and quiet hours, the order's
facts read as that employee may read them."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from server.clients import api as clients
from server.config import get_settings
from server.documents.center import center_row
from server.documents.data import status_url
from server.notify import compose, events, timing
from server.notify.tables import NotifyPreference, PushSubscription, QuietHours
from server.orders import api as orders
from server.staff import api as staff
from server.staff.services import load_actor

ASSIGNEE, MANAGER, CLIENT = "assignee", "manager", "client"
REQUESTER = "requester"  # who sent a request: the contact in the event's context
CLIENT_CHANNELS = ("email", "sms")
URGENT = {events.SLA_BREACH, events.SLA_ESCALATION}
MANAGER_ROLE = "manager"


async def order_types(order_ids: list[int]) -> dict[int, int]:
    people = await orders.order_people(order_ids)
    return {i: p.order_type_id for i, p in people.items()}


async def center() -> dict[str, Any]:
    row = await center_row()
    return {"name": row.get("name") or "", "phone": row.get("phone") or ""}


class Batch:
    """What a batch of fires needs, read once: orders, contacts, preferences, actors."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.people: dict[int, orders.OrderPeople] = {}
        self.contacts: dict[int, staff.EmployeeContact] = {}
        self.preferences: dict[tuple[int, str], list[str]] = {}
        self.quiet: dict[int, tuple[dt.time, dt.time]] = {}
        self.subscribed: set[int] = set()
        self.roles: dict[str, list[int]] = {}
        self.clients: dict[int, dict[str, Any]] = {}
        self.facts: dict[tuple[int | None, int], dict[str, Any] | None] = {}
        self.center: dict[str, Any] = {}

    async def load(self, runs: list[dict[str, Any]]) -> None:
        self.people = await orders.order_people([r["order"] for r in runs if r["order"]])
        self.center = await center()
        codes = {k.split(":", 1)[1] for r in runs for k in r["recipients"] if k.startswith("role:")}
        for code in codes:
            self.roles[code] = [e.id for e in await staff.holders_of_role(code)]
        if any(MANAGER in r["recipients"] for r in runs):
            self.roles.setdefault(
                MANAGER_ROLE, [e.id for e in await staff.holders_of_role(MANAGER_ROLE)]
            )
        client_ids = sorted(
            {p.client_id for p in self.people.values()}
            if any(CLIENT in r["recipients"] for r in runs)
            else set()
        )
        self.clients = await clients.contacts_of(client_ids) if client_ids else {}

    async def load_employees(self, ids: set[int]) -> None:
        self.contacts = await staff.contacts(ids)
        found = sorted(self.contacts)
        if not found:
            return
        for row in await NotifyPreference.select().where(NotifyPreference.employee.is_in(found)):
            self.preferences[(row["employee"], row["event"])] = list(row["channels"])
        for row in await QuietHours.select().where(QuietHours.employee.is_in(found)):
            self.quiet[row["employee"]] = (row["starts"], row["ends"])
        rows = await PushSubscription.select(PushSubscription.employee).where(
            PushSubscription.employee.is_in(found)
        )
        self.subscribed = {r["employee"] for r in rows}

    async def load_facts(self, wanted: set[tuple[int | None, int]]) -> None:
        """The orders' facts as each recipient may read them: a query per recipient (and one
        for the clients), however many orders."""
        by_reader: dict[int | None, list[int]] = {}
        for reader, order_id in wanted:
            by_reader.setdefault(reader, []).append(order_id)
        for reader, order_ids in by_reader.items():
            actor = None
            if reader is not None:
                actor = await load_actor(reader)
                if actor is None:
                    continue
            found = await orders.orders_facts(actor, order_ids)
            for order_id, facts in found.items():
                self.facts[(reader, order_id)] = orders.facts_context(facts)

    def facts_for(self, employee_id: int | None, order_id: int) -> dict[str, Any] | None:
        return self.facts.get((employee_id, order_id))


def employees_of(run: dict[str, Any], batch: Batch) -> list[int]:
    """The employees a run names, in order, once each."""
    people = batch.people.get(run["order"]) if run["order"] else None
    found: list[int | None] = []
    for kind in run["recipients"]:
        if kind == ASSIGNEE:
            found.append(run["employee"] or (people.technician_id if people else None))
        elif kind == MANAGER:
            manager = people.manager_id if people else None
            found += [manager] if manager else batch.roles.get(MANAGER_ROLE, [])
        elif kind.startswith("role:"):
            found += batch.roles.get(kind.split(":", 1)[1], [])
        elif kind.startswith("employee:") and kind.split(":", 1)[1].isdigit():
            found.append(int(kind.split(":", 1)[1]))
    return [i for i in dict.fromkeys(found) if i]


async def messages_for(runs: list[dict[str, Any]], now: dt.datetime) -> list[dict[str, Any]]:
    """Message drafts (rows of notify_message) of a batch of due fires."""
    if not runs:
        return []
    batch = Batch(now)
    await batch.load(runs)
    await batch.load_employees({e for r in runs for e in employees_of(r, batch)})
    wanted: set[tuple[int | None, int]] = set()
    for run in runs:
        if run["order"]:
            wanted |= {(e, run["order"]) for e in employees_of(run, batch) if e in batch.contacts}
            if CLIENT in run["recipients"]:
                wanted.add((None, run["order"]))
    await batch.load_facts(wanted)
    drafts: list[dict[str, Any]] = []
    for run in runs:
        fire = run["fired"] + 1
        for employee_id in employees_of(run, batch):
            drafts += await _employee_drafts(run, fire, employee_id, batch)
        if CLIENT in run["recipients"]:
            drafts += await _client_drafts(run, fire, batch)
        if REQUESTER in run["recipients"]:
            drafts += _requester_drafts(run, fire, batch)
    return drafts


def message_key(*parts: Any) -> str:
    """The message's idempotency key (hashed past the column's 300 characters)."""
    key = "|".join(str(p) for p in parts)
    return key if len(key) <= 300 else key[:236] + "#" + hashlib.sha256(key.encode()).hexdigest()


def _draft(run: dict[str, Any], fire: int, who: str, channel: str, **values: Any) -> dict[str, Any]:
    base = {
        "key": message_key(run["key"], run["rule"], fire, who, channel),
        "notify_event": run["notify_event"],
        "rule": run["rule"],
        "channel": channel,
        "employee": None,
        "address": "",
        "language": "ru",
        "subject": "",
        "body": "",
        "html": "",
        "link": "",
        "urgency": "high" if run["event"] in URGENT else "normal",
        "status": "queued",
        "next_attempt_at": None,
        "sent_at": None,
    }
    return base | values


async def _employee_drafts(
    run: dict[str, Any], fire: int, employee_id: int, batch: Batch
) -> list[dict[str, Any]]:
    contact = batch.contacts.get(employee_id)
    if contact is None:
        return []
    chosen = batch.preferences.get((employee_id, run["event"]))
    channels = run["channels"] if chosen is None else chosen  # the employee's say, but SMS
    channels = [c for c in channels if c != "sms" or "sms" in run["channels"]]  # costs money
    facts: dict[str, Any] = {}
    if run["order"]:
        found = batch.facts_for(employee_id, run["order"])
        if found is None:  # out of this employee's reach: told nothing of it
            return []
        facts = found
    path = run["context"].get("link") or (
        f"/orders/{run['order']}" if run["order"] else "/notifications"
    )
    public = get_settings().public_url
    subject, body = _texts(
        run, facts, contact.language, contact.full_name, f"{public}{path}", "", batch
    )
    quiet = batch.quiet.get(employee_id)
    later = timing.not_before(batch.now, quiet)
    html = compose.as_html(subject, body, batch.center["name"])
    reachable: dict[str, dict[str, Any] | None] = {
        "inapp": {"status": "sent", "sent_at": batch.now, "next_attempt_at": None},
        "push": {} if employee_id in batch.subscribed else None,
        "email": {"address": contact.email, "html": html} if contact.email else None,
        "sms": {"address": contact.phone, "body": compose.shorten(body, compose.SMS_LENGTH)}
        if contact.phone
        else None,
    }
    common = {
        "employee": employee_id,
        "language": contact.language,
        "subject": subject,
        "link": path,
        "body": body,
        "next_attempt_at": later,
    }
    drafts = []
    for channel in dict.fromkeys(channels):
        extra = reachable.get(channel)
        if extra is not None:  # a channel the employee cannot be reached on is skipped
            drafts.append(_draft(run, fire, f"e{employee_id}", channel, **(common | extra)))
    return drafts


async def _client_drafts(run: dict[str, Any], fire: int, batch: Batch) -> list[dict[str, Any]]:
    people = batch.people.get(run["order"]) if run["order"] else None
    if people is None:
        return []
    facts = batch.facts_for(None, people.id)
    if facts is None:
        return []
    contacts = batch.clients.get(people.client_id) or {}
    language = get_settings().default_language
    url = status_url(get_settings().public_url, people.number, facts.get("public_code", ""))
    subject, body = _texts(run, facts, language, facts.get("client_name", ""), "", url, batch)
    drafts = []
    for channel in run["channels"]:
        if channel not in CLIENT_CHANNELS:
            continue
        address = _primary(
            contacts.get("emails" if channel == "email" else "phones", []),
            "email" if channel == "email" else "number",
        )
        if not address:
            continue
        values = _outside_message(channel, address, language, subject, body, url, batch)
        drafts.append(_draft(run, fire, f"c{people.client_id}:{address}", channel, **values))
    return drafts


def _outside_message(
    channel: str, address: str, language: str, subject: str, body: str, url: str, batch: Batch
) -> dict[str, Any]:
    """A message to someone outside the center (a client, a requester): a mail with its HTML
    form, or a text cut to one SMS."""
    values: dict[str, Any] = {
        "address": address,
        "language": language,
        "subject": subject,
        "link": url,
        "next_attempt_at": batch.now,
    }
    if channel == "email":
        return values | {"body": body, "html": compose.as_html(subject, body, batch.center["name"])}
    return values | {"body": compose.shorten(body, compose.SMS_LENGTH)}


def _requester_drafts(run: dict[str, Any], fire: int, batch: Batch) -> list[dict[str, Any]]:
    """A request's sender, by the email and phone the event carries (no client exists yet)."""
    who = run["context"].get("requester") or {}
    url = str((run["context"].get("request") or {}).get("url", ""))
    language = get_settings().default_language
    subject, body = _texts(run, {}, language, str(who.get("name", "")), "", url, batch)
    drafts = []
    for channel in run["channels"]:
        address = str(who.get("email" if channel == "email" else "phone", "") or "")
        if channel not in CLIENT_CHANNELS or not address:
            continue
        values = _outside_message(channel, address, language, subject, body, url, batch)
        drafts.append(_draft(run, fire, f"r:{address}", channel, **values))
    return drafts


def _primary(rows: list[dict[str, Any]], field: str) -> str:
    chosen = sorted(rows, key=lambda r: not r.get("is_primary"))
    return str(chosen[0][field]) if chosen else ""


def _texts(
    run: dict[str, Any],
    facts: dict[str, Any],
    language: str,
    name: str,
    link: str,
    url: str,
    batch: Batch,
) -> tuple[str, str]:
    subject_source, body_source = compose.wording(
        run["event"], run["subject"], run["body"], language
    )
    context = compose.context_of(facts, run["context"], batch.center, name, link, url)
    return (
        compose.shorten(compose.fill(subject_source, context).replace("\n", " "), 300),
        compose.fill(body_source, context),
    )
