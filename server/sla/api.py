"""What other domains' pages read of the SLA clocks: an order's, a page of orders', and the
orders the last sweep found in a state."""

from __future__ import annotations

from server.actor import Actor
from server.sla import services
from server.sla.choices import STATE_COLORS, STATE_LABELS, SlaState
from server.sla.schemas import OrderSla
from server.sla.tables import SlaOrderState

orders_sla = services.orders_sla
STATES = tuple(s.value for s in SlaState)
LABELS = {s.value: label for s, label in STATE_LABELS.items()}
COLORS = {s.value: color for s, color in STATE_COLORS.items()}


async def order_sla(actor: Actor, order_id: int) -> OrderSla | None:
    """The order's clocks, or None when the actor may not read the order."""
    return (await services.orders_sla(actor, [order_id])).get(order_id)


async def order_ids_in_state(state: str) -> list[int]:
    """Orders the last sweep found in the state (scope is the caller's to apply)."""
    if state not in STATES:
        return []
    rows = await SlaOrderState.select(SlaOrderState.order).where(SlaOrderState.state == state)
    return [r["order"] for r in rows]
