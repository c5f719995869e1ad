"""Which orders a cash desk answer may name.

Documents carry the order money was for (its id and number, as the orders domain passed them).
They are shown only to whoever may read that order, and only the orders domain knows who may:
it is asked through its read API. The orders domain imports cashdesk.api, so this module is
imported by the reading modules alone (shifts, pages), never by what cashdesk.api reaches:
import-linter refuses the cycle.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.actor import Actor
from server.orders import api as orders


async def readable(actor: Actor, order_ids: Iterable[int | None]) -> set[int]:
    """Those of the orders the actor may read (one query; none without orders:view)."""
    wanted = {i for i in order_ids if i is not None}
    if not wanted:
        return set()
    return set(await orders.orders_in_scope(actor, wanted))
