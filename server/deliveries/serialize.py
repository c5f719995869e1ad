"""Shipment rows as the caller may see them. The order link shows only for an order in the
caller's scope, a client counterparty only for a client in it; the rest of a shipment is the
deliveries section's own. Names are read for a whole page at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.actor import Actor
from server.clients import api as clients
from server.clients import scope as client_scope
from server.deliveries.carriers import integration_on
from server.deliveries.choices import (
    CARRIER_LABELS,
    MOVES,
    SOURCE_LABELS,
    STATUS_STYLE,
    Direction,
    ShipmentStatus,
)
from server.deliveries.schemas import HistoryOut, ShipmentOut
from server.i18n import gettext
from server.orders import api as orders
from server.partners import api as partners
from server.staff import api as staff
from server.staff.permissions import Action, Section


@dataclass(frozen=True)
class Names:
    """What a page of shipments shows of other domains, as the caller may see it."""

    clients: dict[int, str]  # only clients in scope
    partners: dict[int, str]
    orders: dict[int, str]  # id -> number, only orders in scope
    people: dict[int, str]


async def names_for(actor: Actor, rows: list[dict[str, Any]], authors: set[int]) -> Names:
    """The names a page of shipment rows shows (a few queries however many rows)."""
    client_ids = {r["client_id"] for r in rows if r["client_id"] is not None}
    shown: set[int] = set()
    if client_ids and actor.can(Section.CLIENTS, Action.VIEW):
        shown = await client_scope.visible_ids(actor, client_ids)
    found = await clients.client_names(sorted(shown))
    order_ids = [r["order_id"] for r in rows if r["order_id"] is not None]
    refs = await orders.order_refs(actor, order_ids) if order_ids else {}
    people = authors | {r["created_by"] for r in rows if r["created_by"] is not None}
    return Names(
        clients={i: found[i]["name"] for i in shown if i in found},
        partners=await partners.names(r["partner_id"] for r in rows),
        orders={i: ref.number for i, ref in refs.items()},
        people=await staff.names(people) if people else {},
    )


def _label(labels: dict[Any, str], value: str) -> str:
    return gettext(labels[value]) if value in labels else value


def shipment_out(
    actor: Actor, row: dict[str, Any], names: Names, history: list[HistoryOut] | None = None
) -> ShipmentOut:
    """A shipment row as the caller may see it."""
    direction = Direction(row["direction"])
    status = ShipmentStatus(row["status"])
    counterparty = direction.counterparty
    extra: dict[str, Any] = {}
    name = ""
    if counterparty == "client" and row["client_id"] is not None:
        if row["client_id"] in names.clients:
            extra["client_id"] = row["client_id"]
            name = names.clients[row["client_id"]]
        else:
            extra["client_hidden"] = True
    elif counterparty == "partner":
        extra["partner_id"] = row["partner_id"]
        name = names.partners.get(row["partner_id"] or 0, "")
    else:
        name = row["supplier_name"]
    if row["order_id"] is not None:
        if row["order_id"] in names.orders:
            extra["order_id"] = row["order_id"]
            extra["order_number"] = names.orders[row["order_id"]]
        else:
            extra["order_hidden"] = True
    may_move = actor.can(Section.DELIVERIES, Action.EDIT)
    return ShipmentOut(
        id=row["id"],
        number=row["number"],
        direction=direction.value,
        direction_label=gettext(direction.label),
        counterparty=counterparty,
        counterparty_name=name,
        supplier_name=row["supplier_name"],
        carrier=row["carrier"],
        carrier_label=_label(CARRIER_LABELS, row["carrier"]),
        carrier_name=row["carrier_name"],
        tracking_number=row["tracking_number"],
        status=status.value,
        status_label=gettext(status.label),
        status_color=status.color,
        next_statuses=[s.value for s in MOVES[status]] if may_move else [],
        from_address=row["from_address"],
        to_address=row["to_address"],
        contact=row["contact"],
        places=row["places"],
        note=row["note"],
        weight_kg=row["weight_kg"],
        cost=row["cost"],
        sent_on=row["sent_on"],
        expected_on=row["expected_on"],
        delivered_at=row["delivered_at"],
        carrier_status=row["carrier_status"],
        carrier_status_at=row["carrier_status_at"],
        carrier_checked_at=row["carrier_checked_at"],
        carrier_error=row["carrier_error"],
        tracked=bool(row["tracking_number"]) and integration_on(row["carrier"]),
        created_by_name=names.people.get(row["created_by"] or 0, ""),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        history=history or [],
        **extra,
    )


def history_out(row: dict[str, Any], names: Names) -> HistoryOut:
    """One entry of a shipment's history."""
    source = row["source"]
    to = row["status_to"]
    return HistoryOut(
        at=row["at"],
        source=source,
        source_label=_label(SOURCE_LABELS, source),
        author_name=names.people.get(row["author"] or 0, ""),
        status_from=row["status_from"],
        status_to=to,
        status_label=gettext(STATUS_STYLE[ShipmentStatus(to)][0]) if to else "",
        carrier_status=row["carrier_status"],
        carrier_at=row["carrier_at"],
        city=row["city"],
        note=row["note"],
    )
