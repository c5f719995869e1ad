"""A field order with a client address, ready for visits."""

from __future__ import annotations

from typing import Any

import httpx

from server.clients.tables import ClientAddress
from server.orders.tables import OrderType
from tests.server.orders.builders import intake, make_client


async def field_order(client: httpx.AsyncClient, name: str = "Пётр Петров") -> dict[str, Any]:
    """A field-visit order (through the API) of a client living at a known address."""
    client_id = await make_client(name)
    await ClientAddress(
        client=client_id, address="Москва, ул. Ленина, 1, кв. 5", lat=55.75, lon=37.61
    ).save()
    kind = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert kind is not None
    return await intake(client, client_id, order_type_id=kind["id"], declared_fault="Не сливает")
