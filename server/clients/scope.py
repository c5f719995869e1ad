"""Which clients an employee may see: all of them with the all-orders capability; otherwise
the clients of the orders in their scope and the clients they created."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Or

from server.actor import Actor
from server.clients.tables import Client
from server.errors import NotFound
from server.orders import api as orders


async def scope_condition(actor: Actor) -> Any | None:
    """A WHERE condition limiting clients to the actor's, or None for all clients."""
    return await scope_condition_on(actor, Client.id, Client.created_by)


async def scope_condition_on(actor: Actor, client_id: Any, created_by: Any) -> Any | None:
    """The same condition on other columns: a client's id and creator as another query reaches
    them (e.g. `ClientAddress.client`, `ClientAddress.client._.created_by`)."""
    ids = await orders.client_ids_in_scope(actor)
    if ids is None:
        return None
    own = created_by == actor.employee_id
    return Or(client_id.is_in(sorted(ids)), own) if ids else own


async def require_in_scope(actor: Actor, client_id: int) -> None:
    """404 for a client out of the actor's scope (do not reveal it exists)."""
    condition = await scope_condition(actor)
    if condition is None:
        return
    if not await Client.exists().where(Client.id == client_id, condition):
        raise NotFound("No client with id {id}", id=client_id)


async def client_row(actor: Actor, client_id: int) -> dict[str, Any]:
    """The row of a client in the actor's scope, or 404."""
    from server.clients.records import client_row as any_client_row

    await require_in_scope(actor, client_id)
    return await any_client_row(client_id)


async def visible_ids(actor: Actor, client_ids: set[int]) -> set[int]:
    """Those of the clients the actor may see (another domain showing a client's name)."""
    wanted = sorted(client_ids)
    if not wanted:
        return set()
    condition = await scope_condition(actor)
    query = Client.select(Client.id).where(Client.id.is_in(wanted))
    if condition is not None:
        query = query.where(condition)
    return {r["id"] for r in await query}
