"""Reading what an order refers to: its client, device and employees (read-only lookups)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.clients.tables import Client, Device
from server.errors import InvalidInput
from server.staff.services import load_actor


async def client_brief(client_id: int) -> dict[str, Any]:
    """Name, search words and personal discount of a client, or a field error."""
    row = await (
        Client.select(
            Client.id, Client.name, Client.search_text, Client.discount_percent, Client.is_archived
        )
        .where(Client.id == client_id)
        .first()
    )
    if row is None or row["is_archived"]:
        raise InvalidInput("No client with id {id}", field="client_id", id=client_id)
    return row


def device_title(row: dict[str, Any]) -> str:
    """«Стиральная машина Bosch WLG 2416» from the joined device columns."""
    parts = [
        row.get("type_name"),
        row.get("brand_name"),
        row.get("model_dir") or row.get("model_name"),
    ]
    return " ".join(str(p) for p in parts if p) or "—"


async def device_brief(device_id: int, client_id: int) -> dict[str, Any]:
    """A device of the client with its title and serial, or a field error."""
    row = await (
        Device.select(
            Device.id,
            Device.client,
            Device.serial,
            Device.model_name,
            Device.device_type._.name.as_alias("type_name"),
            Device.brand._.name.as_alias("brand_name"),
            Device.model._.name.as_alias("model_dir"),
        )
        .where(Device.id == device_id)
        .first()
    )
    if row is None or row["client"] != client_id:
        raise InvalidInput("The device does not belong to this client", field="device_id")
    return {**row, "title": device_title(row)}


async def check_employee(employee_id: int | None, field: str) -> None:
    """An assigned manager or technician must be an active employee."""
    if employee_id is not None and await load_actor(employee_id) is None:
        raise InvalidInput("No active employee with id {id}", field=field, id=employee_id)


async def discount_for(client_id: int) -> tuple[Decimal, str]:
    """The client's discount and its reason (personal or loyalty rule), from the clients domain."""
    from server.clients.services import effective_discount

    return await effective_discount(client_id)
