"""The records the phone keeps (PROTOCOL.md: FieldOrder, FieldClient), read in batches.

Each function costs a fixed number of queries however many records it reads, so a pull costs
the same for a master with two visits or twenty. Everything is read through the owning
domain's read API with the actor: the same scope, field access and timeline as online.
"""

from __future__ import annotations

from typing import Any

import msgspec

from server.actor import Actor
from server.dispatch import api as dispatch
from server.i18n import gettext
from server.orders import api as orders
from server.orders.labels import label
from server.orders.schemas import EventOut
from server.staff.permissions import Action, Section

TIMELINE_EVENTS = 50
HISTORY_ORDERS = 10
CLIENT_FIELDS = ("id", "kind", "name", "phones", "emails", "addresses", "comment", "devices")

orders_in_scope = orders.orders_in_scope
visits_by_id = dispatch.visits_by_id


async def field_orders(actor: Actor, order_ids: set[int]) -> list[dict[str, Any]]:
    """The orders as the phone keeps them, by id; orders out of the actor's scope are left out.

    Five queries: orders, lines, allowed moves, and the two halves of the timeline.
    """
    found = await orders.orders_with_lines(actor, sorted(order_ids))
    events = await orders.timelines(actor, [o.id for o in found], TIMELINE_EVENTS)
    result = []
    for out in found:
        order: dict[str, Any] = msgspec.to_builtins(out)
        order["timeline"] = [timeline_item(e) for e in reversed(events.get(out.id, []))]
        result.append(order)
    return result


def timeline_item(event: EventOut) -> dict[str, Any]:
    """One timeline event as the phone shows it (translated, with a one-line summary)."""
    changes = event.changes
    attachment = event.kind == "attachment" and "file_id" in changes  # the note, not its audit
    return {
        "id": event.id,
        "kind": event.kind,
        "title": label(event.kind, "event"),
        "at": event.at.isoformat(),
        "author": event.author,
        "text": event.text,
        "summary": "" if attachment else event_summary(changes),
        "file_id": changes.get("file_id") if attachment else None,
    }


def event_summary(changes: dict[str, Any]) -> str:
    """«Field: old → new; …» of an event's changes."""
    parts = []
    for name, change in changes.items():
        if not isinstance(change, list) or len(change) != 2:
            continue
        old, new = (gettext(v) if isinstance(v, str) else ("—" if v is None else v) for v in change)
        parts.append(f"{label(name, 'field')}: {old} → {new}")
    return "; ".join(parts)


async def field_clients(actor: Actor, client_ids: set[int]) -> list[dict[str, Any]]:
    """The clients as the phone keeps them: contacts, devices, their last orders with visits.

    A fixed number of queries whatever the number of clients.
    """
    from server.clients.services import ClientService

    if not client_ids or not actor.can(Section.CLIENTS, Action.VIEW):
        return []
    cards = await ClientService(actor).field_cards(sorted(client_ids))
    history = await _history(actor, [c["id"] for c in cards])
    found = []
    for card in cards:
        client = {k: card[k] for k in CLIENT_FIELDS if k in card}
        client["history"] = history.get(card["id"], [])
        found.append(client)
    return found


async def _history(actor: Actor, client_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{client id: their last orders the actor may read, newest first, each with its visits}."""
    briefs = await orders.client_histories(actor, client_ids, HISTORY_ORDERS)
    visits: dict[int, list[dict[str, Any]]] = {}
    order_ids = [b.id for found in briefs.values() for b in found]
    for visit in await dispatch.visits_of_orders(order_ids):
        visits.setdefault(visit["order"], []).append(
            {"day": visit["day"].isoformat(), "status": visit["status"],
             "master": visit["master_name"], "fail_reason": visit["fail_reason"]}
        )  # fmt: skip
    result: dict[int, list[dict[str, Any]]] = {}
    for client_id, found in briefs.items():
        result[client_id] = []
        for brief in found:
            order = msgspec.to_builtins(brief)
            order.pop("client_id", None)
            if "device_id" in order:
                order["device"] = order.pop("device_id")
            order["visits"] = visits.get(brief.id, [])
            result[client_id].append(order)
    return result
