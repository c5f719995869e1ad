"""Builders of clients, devices and orders for order tests (rows written directly, then HTTP)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx

from server.clients.tables import Brand, Client, Device, DeviceType
from server.orders.tables import PriceItem
from server.search import search_text


async def make_client(name: str = "Иван Иванов", phone: str = "+79161234567", **fields: Any) -> int:
    """A client row with its search words."""
    now = dt.datetime.now(dt.UTC)
    client = Client(
        name=name,
        search_text=search_text(name, phones=[phone]),
        created_at=now,
        updated_at=now,
        discount_percent=Decimal(fields.pop("discount_percent", "0")),
        **fields,
    )
    await client.save()
    return int(client.id)


async def make_device(client_id: int, serial: str = "SN123456", brand: str = "Bosch") -> int:
    """A washing machine of the client."""
    now = dt.datetime.now(dt.UTC)
    kind = await DeviceType.objects().get_or_create(DeviceType.name == "Стиральная машина")
    make = await Brand.objects().get_or_create(Brand.name == brand)
    device = Device(
        client=client_id,
        device_type=kind.id,
        brand=make.id,
        model_name="WLG 2416",
        serial=serial,
        created_at=now,
        updated_at=now,
    )
    await device.save()
    return int(device.id)


async def price_item(code: str) -> dict[str, Any]:
    """A default price list item by code."""
    row = await PriceItem.select().where(PriceItem.code == code).first()
    assert row is not None
    return row


async def intake(client: httpx.AsyncClient, client_id: int, **fields: Any) -> dict[str, Any]:
    """Create an order through the API and return it."""
    response = await client.post("/api/v1/orders", json={"client_id": client_id, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
