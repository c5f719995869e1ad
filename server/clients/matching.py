"""Finding or making the client and device of an incoming request (the requests domain's
conversion calls these; they act through the clients services, with the caller's scope).

Kept apart from `api.py`, which the orders domain reads: these call the services, which read
orders."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.clients import scope
from server.clients.devices import DeviceService
from server.clients.schemas import AddressIn, ClientCreate, DeviceCreate
from server.clients.services import ClientService


async def duplicates(actor: Actor, phone: str, email: str) -> list[dict[str, Any]]:
    """Clients in the actor's scope that already have this phone or email: [{id, name}],
    the ones having both first."""
    service = ClientService(actor)
    by_phone = await service.duplicates(phone=phone) if phone else []
    by_email = await service.duplicates(email=email) if email else []
    both = {c["id"] for c in by_phone} & {c["id"] for c in by_email}
    found = {c["id"]: c for c in [*by_phone, *by_email]}
    return sorted(found.values(), key=lambda c: (c["id"] not in both, c["id"]))


async def require_client(actor: Actor, client_id: int) -> None:
    """404 for a client the actor may not see."""
    await scope.require_in_scope(actor, client_id)


async def create_client(actor: Actor, name: str, phone: str, email: str, address: str) -> int:
    """A new person client with the request's contacts; returns its id."""
    data = ClientCreate(
        name=name,
        phones=[phone] if phone else [],
        emails=[email] if email else [],
        addresses=[AddressIn(address=address[:1000])] if address.strip() else [],
        source="Заявка",
    )
    card = await ClientService(actor).create_client(data)
    return int(card["id"])


async def match_device(actor: Actor, client_id: int, serial: str) -> int | None:
    """The client's device with this serial (any case), or None."""
    wanted = serial.strip().lower()
    if not wanted:
        return None
    for device in await DeviceService(actor).of_client(client_id):
        if str(device.get("serial") or "").strip().lower() == wanted:
            return int(device["id"])
    return None


async def create_device(
    actor: Actor, client_id: int, *, brand: str, model: str, serial: str, notes: str
) -> int:
    """A new device of the client; returns its id."""
    data = DeviceCreate(
        brand_name=brand[:100], model_name=model[:150], serial=serial[:100], notes=notes[:2000]
    )
    device = await DeviceService(actor).create_device(client_id, data)
    return int(device["id"])
