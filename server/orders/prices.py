"""The price list as the order card offers it: what is used for the order's kind of device first.

Price items carry no device kind; the orders do. Items put on earlier orders of the same kind
of device (washing machines, smartphones) come first, the most used at the top; the rest follow
by kind and name. Two queries, the price list itself from the reference cache.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from server import refcache
from server.orders.tables import Order, OrderLine, PriceItem


class PriceChoice(msgspec.Struct, frozen=True):
    """An active price list item as a line can be made from it."""

    id: int
    kind: str
    name: str
    price: Decimal
    suggested: bool  # used before on orders of this kind of device


class PriceChoices(msgspec.Struct, frozen=True):
    """The price list for one order: the device kind's items first, then the others."""

    device_kind: str  # the order's device type name ("" without one)
    suggested: list[PriceChoice]
    others: list[PriceChoice]


async def _device_type(order_id: int) -> tuple[int | None, str]:
    row = await (
        Order.select(
            Order.device._.device_type.as_alias("type_id"),
            Order.device._.device_type._.name.as_alias("type_name"),
        )
        .where(Order.id == order_id)
        .first()
    )
    if row is None or row["type_id"] is None:
        return None, ""
    return int(row["type_id"]), str(row["type_name"] or "")


async def _uses(type_id: int) -> dict[int, int]:
    """{price item id: lines made from it on orders of this device type}."""
    rows = await (
        OrderLine.select(OrderLine.price_item, Count(OrderLine.id, alias="uses"))
        .where(
            OrderLine.order._.device._.device_type == type_id,
            OrderLine.price_item.is_not_null(),
        )
        .group_by(OrderLine.price_item)
    )
    return {r["price_item"]: r["uses"] for r in rows}


async def price_choices(order_id: int) -> PriceChoices:
    """Active price items for a line of the order, the ones of its kind of device first."""
    type_id, type_name = await _device_type(order_id)
    uses = await _uses(type_id) if type_id is not None else {}
    items = [PriceChoice(**r, suggested=r["id"] in uses) for r in await _active_items()]
    suggested = sorted((i for i in items if i.suggested), key=lambda i: (-uses[i.id], i.name))
    return PriceChoices(type_name, suggested, [i for i in items if not i.suggested])


@refcache.reads("price_item")
async def _active_items() -> tuple[dict[str, Any], ...]:
    return tuple(
        await PriceItem.select(PriceItem.id, PriceItem.kind, PriceItem.name, PriceItem.price)
        .where(PriceItem.is_active.eq(True))
        .order_by(PriceItem.kind)
        .order_by(PriceItem.name)
    )
