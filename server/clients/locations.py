"""Where clients are: the read API other domains (dispatch) use for clients' coordinates.

It is not in `server.clients.api` because it applies the clients' scope, which depends on the
orders domain (`server.clients.scope`), and the orders domain imports `api`: a cycle.
"""

from __future__ import annotations

from server.actor import Actor
from server.clients import addresses, scope
from server.clients.address_schemas import AddressPoint
from server.clients.tables import ClientAddress

__all__ = ["AddressPoint", "address_points"]


async def address_points(actor: Actor, client_ids: list[int]) -> dict[int, list[AddressPoint]]:
    """{client id: its addresses, primary first, with coordinates where known (`geo_status`
    says how they were got)}; a client out of the actor's scope has none, like a client
    without addresses. One query (two for a scoped actor)."""
    ids = sorted(set(client_ids))
    found: dict[int, list[AddressPoint]] = {i: [] for i in ids}
    if not ids:
        return found
    query = ClientAddress.select(*addresses.COLUMNS).where(ClientAddress.client.is_in(ids))
    in_scope = await scope.scope_condition_on(
        actor, ClientAddress.client, ClientAddress.client._.created_by
    )
    if in_scope is not None:
        query = query.where(in_scope)
    rows = await query.order_by(ClientAddress.is_primary, ascending=False).order_by(
        ClientAddress.id
    )
    for r in rows:
        found[r["client"]].append(
            AddressPoint(
                id=r["id"],
                client_id=r["client"],
                text=r["address"],
                lat=r["lat"],
                lon=r["lon"],
                geo_status=r["geo_status"],
                is_primary=r["is_primary"],
            )
        )
    return found
