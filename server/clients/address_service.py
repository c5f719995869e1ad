"""Addresses without coordinates on behalf of one actor: the list, and fixing one of them."""

from __future__ import annotations

from server import geo
from server.actor import Actor
from server.clients import geocoding, jobs
from server.clients.address_schemas import AddressOut, AddressPatch, UnlocatedPage


class AddressService:
    """Client addresses on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def unlocated(self, cursor: str | None = None, limit: int = 50) -> UnlocatedPage:
        """Addresses in the actor's scope that have no coordinates (not found, failed, waiting)."""
        items, next_cursor = await geocoding.unlocated(self.actor, cursor, limit)
        return UnlocatedPage(items=items, next=next_cursor, geocoder=geo.configured())

    async def fix(self, client_id: int, address_id: int, patch: AddressPatch) -> AddressOut:
        """Change an address's text, coordinates or comment, or ask the geocoder again (a
        geocoding run is queued when the address waits for it)."""
        address, waiting = await geocoding.fix_address(self.actor, client_id, address_id, patch)
        if waiting:
            await jobs.request_geocoding()
        return address
