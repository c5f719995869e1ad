"""What notifications say about orders: who is concerned (for the rules, no actor: the rules
engine is the system) and the facts a message may name, as its recipient may read them."""

from __future__ import annotations

from typing import Any

import msgspec

from server.actor import Actor
from server.clients import api as clients
from server.fieldaccess import hidden_fields
from server.i18n import gettext
from server.orders import access
from server.orders.tables import Order, OrderType


class OrderPeople(msgspec.Struct, frozen=True):
    """The people and kind of an order the rules pick recipients by."""

    id: int
    number: str
    order_type_id: int
    status_code: str
    client_id: int
    technician_id: int | None
    manager_id: int | None


class OrderFacts(msgspec.Struct, frozen=True):
    """What a message may say; empty where the recipient may not see the field."""

    id: int
    number: str
    status: str
    order_type: str
    client_name: str
    device: str
    declared_fault: str
    public_code: str


async def order_people(order_ids: list[int]) -> dict[int, OrderPeople]:
    """{id: people} of the orders (one query)."""
    if not order_ids:
        return {}
    rows = await Order.select(
        Order.id,
        Order.number,
        Order.order_type,
        Order.status._.code.as_alias("status_code"),
        Order.client,
        Order.technician,
        Order.manager,
    ).where(Order.id.is_in(sorted(set(order_ids))))
    return {
        r["id"]: OrderPeople(
            r["id"],
            r["number"],
            r["order_type"],
            r["status_code"],
            r["client"],
            r["technician"],
            r["manager"],
        )
        for r in rows
    }


async def orders_facts(actor: Actor | None, order_ids: list[int]) -> dict[int, OrderFacts]:
    """The orders as the recipient may read them, in one query: an employee within their
    scope and field access (orders out of scope are left out); the client (no actor): their
    own order."""
    if not order_ids:
        return {}
    rows = await Order.select(
        Order.id,
        Order.number,
        Order.public_code,
        Order.technician,
        Order.created_by,
        Order.expert,
        Order.source_org,
        Order.service_center,
        Order.declared_fault,
        Order.status._.name.as_alias("status_name"),
        Order.order_type._.name.as_alias("type_name"),
        Order.client._.name.as_alias("client_name"),
        Order.device._.device_type._.name.as_alias("type_name_of_device"),
        Order.device._.brand._.name.as_alias("brand_name"),
        Order.device._.model._.name.as_alias("model_dir"),
        Order.device._.model_name.as_alias("model_name"),
    ).where(Order.id.is_in(sorted(set(order_ids))))
    hidden: set[str] = set(hidden_fields(actor, "order")) if actor is not None else set()
    found = {}
    for row in rows:
        if actor is not None and not access.in_scope(actor, row):
            continue
        device = clients.device_title({**row, "type_name": row["type_name_of_device"]})
        found[row["id"]] = OrderFacts(
            id=row["id"],
            number=row["number"],
            status=gettext(row["status_name"]),
            order_type=gettext(row["type_name"]),
            client_name="" if "client" in hidden else row["client_name"] or "",
            device="" if "device" in hidden or device == "—" else device,
            declared_fault="" if "declared_fault" in hidden else row["declared_fault"] or "",
            public_code="" if actor is not None else row["public_code"] or "",
        )
    return found


def as_context(facts: OrderFacts) -> dict[str, Any]:
    return msgspec.structs.asdict(facts)


async def order_type_names() -> dict[int, str]:
    """{id: translated name} of every order type (for choosing what a rule applies to)."""
    rows = await OrderType.select(OrderType.id, OrderType.name).order_by(OrderType.id)
    return {r["id"]: gettext(r["name"]) for r in rows}
