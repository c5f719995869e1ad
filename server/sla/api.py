"""What other domains' pages read of the SLA clocks: an order's, a page of orders', and the
orders the last sweep found in a state."""

from __future__ import annotations

import datetime as dt

from server.actor import Actor
from server.sla import services
from server.sla.calendar import load_calendar
from server.sla.choices import SEVERITY, STATE_COLORS, STATE_LABELS, SlaState
from server.sla.schemas import ClockOut, OrderSla, SlaBrief
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


def _watched(clock: ClockOut) -> tuple[int, int]:
    return SEVERITY[SlaState(clock.state)], clock.left_minutes


async def orders_brief(actor: Actor, order_ids: list[int]) -> dict[int, SlaBrief]:
    """{order id: the clock to watch} of the orders the actor may read that have a clock
    still running (or paused), in a fixed number of queries however many orders."""
    found: dict[int, SlaBrief] = {}
    for order_id, sla in (await services.orders_sla(actor, order_ids)).items():
        running = [c for c in sla.clocks if c.stopped_at is None]
        if not running:
            continue
        c = min(running, key=_watched)
        found[order_id] = SlaBrief(
            state=c.state,
            label=c.state_label,
            color=c.color,
            clock=c.clock,
            clock_label=c.label,
            left_minutes=c.left_minutes,
            due_at=c.due_at,
        )
    return found


async def center_opening(days: list[dt.date]) -> dict[dt.date, int | None]:
    """When the center's working day starts (minutes after midnight), by the working calendar;
    None on a day it does not work."""
    calendar = await load_calendar()
    return {day: (spans[0][0] if (spans := calendar.hours(day)) else None) for day in days}
