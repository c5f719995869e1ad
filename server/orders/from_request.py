"""An order made of an accepted request: intake as usual, with the request's channel, source
partner and responsibles, and what set each responsible carried over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server.actor import Actor
from server.orders.schemas import OrderCreate
from server.orders.services import OrderService
from server.orders.tables import Order


class FromRequest(msgspec.Struct, frozen=True):
    """What a request gives its order."""

    client_id: int
    device_id: int | None
    declared_fault: str
    channel: str
    source_org_id: int | None = None
    order_type_id: int | None = None
    visit_day: dt.date | None = None
    visit_from: str | None = None
    visit_to: str | None = None
    responsibles: dict[str, int] = {}  # role -> employee id (organization id: service_center)
    assignment: dict[str, Any] = {}  # role -> what set it on the request


async def create_from_request(actor: Actor, data: FromRequest) -> tuple[int, str]:
    """Open the order in the caller's transaction; returns its id and number."""
    people = data.responsibles
    order = await OrderService(actor).create_order(
        OrderCreate(
            client_id=data.client_id,
            device_id=data.device_id,
            order_type_id=data.order_type_id,
            declared_fault=data.declared_fault[:5000],
            visit_day=data.visit_day,
            visit_from=data.visit_from,
            visit_to=data.visit_to,
            channel=data.channel,
            source_org_id=data.source_org_id,
            manager_id=people.get("manager"),
            technician_id=people.get("technician"),
            expert_id=people.get("expert"),
            service_center_id=people.get("service_center"),
        )
    )
    carried = {k: v for k, v in data.assignment.items() if k in data.responsibles}
    if carried:
        row = (
            await Order.select(Order.assignment)
            .where(Order.id == order.id)
            .output(load_json=True)
            .first()
        )
        merged = {**((row or {}).get("assignment") or {}), **carried}
        await Order.update({Order.assignment: merged}).where(Order.id == order.id)
    return int(order.id), str(order.number)
