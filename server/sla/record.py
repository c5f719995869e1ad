"""Recording the transitions a sweep found: claimed once by key, put on the orders' timelines
and handed to notify, many in a few statements; and settling the events of stopped clocks.

Each step is one statement per call however many transitions; the caller holds the
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server import clock as center_clock
from server.audit import services as audit
from server.notify import api as notify
from server.notify import events
from server.orders.api import SlaOrder
from server.sla.choices import CLOCK_LABELS, Transition
from server.sla.clock import minutes
from server.sla.derive import Reading
from server.sla.tables import SlaMark

EVENT_OF = {
    Transition.WARNING: events.SLA_WARNING,
    Transition.BREACH: events.SLA_BREACH,
    Transition.ESCALATION: events.SLA_ESCALATION,
}


@dataclass(frozen=True)
class Wanted:
    """A transition a reading crossed, to be recorded unless it already is."""

    key: str
    order_id: int
    reading: Reading
    transition: Transition


def clock_prefix(order_id: int, reading: Reading) -> str:
    """What every key of a clock of an order starts with."""
    return f"{order_prefix(order_id)}{reading.clock.value}:"


def order_prefix(order_id: int) -> str:
    """What every key of an order's clocks starts with."""
    return f"sla:{order_id}:"


def mark_key(order_id: int, reading: Reading, transition: Transition) -> str:
    """The idempotency key of a transition of a clock's deadline."""
    return f"{clock_prefix(order_id, reading)}{transition.value}:{minutes(reading.target)}"


async def claim(wanted: list[Wanted], now: dt.datetime) -> set[str]:
    """Claim the keys (one statement); returns those this call claimed first."""
    if not wanted:
        return set()
    rows = await SlaMark.raw(
        'INSERT INTO sla_mark (key, "order", clock, transition, at)'
        " SELECT k, o, c, t, {} FROM unnest({}::varchar[], {}::int[], {}::varchar[],"
        " {}::varchar[]) AS x(k, o, c, t) ON CONFLICT (key) DO NOTHING RETURNING key",
        now,
        [w.key for w in wanted],
        [w.order_id for w in wanted],
        [w.reading.clock.value for w in wanted],
        [w.transition.value for w in wanted],
    )
    return {r["key"] for r in rows}


def _entry(w: Wanted) -> tuple[str, int | str, str, dict[str, list[Any]], str]:
    due = center_clock.local(w.reading.due_at)
    return (
        "order",
        w.order_id,
        f"sla_{w.transition.value}",
        {
            "sla_clock": [None, CLOCK_LABELS[w.reading.clock]],
            "sla_due": [None, due.strftime("%d.%m.%Y %H:%M") if due else None],
        },
        f"order:{w.order_id}",
    )


def _event(w: Wanted, order: SlaOrder) -> notify.Event:
    c, escalation = w.reading, w.transition is Transition.ESCALATION
    return notify.Event(
        event=EVENT_OF[w.transition],
        key=w.key,
        order_id=w.order_id,
        employee_id=order.manager_id if escalation else order.technician_id,
        context={
            "clock": c.clock.value,
            "transition": w.transition.value,
            "number": order.number,
            "due_at": c.due_at.isoformat() if c.due_at else None,
            "target_minutes": minutes(c.target),
            "late_minutes": max(0, -minutes(c.left)),
            "escalation": escalation,
        },
    )


async def record(chosen: list[Wanted], orders: Mapping[int, SlaOrder]) -> None:
    """The timeline entries and the notify events of newly claimed transitions."""
    await audit.record_many(None, [_entry(w) for w in chosen])
    await notify.emit_many([_event(w, orders[w.order_id]) for w in chosen])


async def settle(clocks: list[tuple[int, str]], whole: list[int], now: dt.datetime) -> None:
    """Settle the events and marks of stopped clocks (order, clock) and of every clock of the
    `whole` orders (closed, cancelled, or under no policy now): two statements."""
    if not clocks and not whole:
        return
    await notify.settle(
        *(f"{order_prefix(o)}{c}:" for o, c in clocks), *(order_prefix(o) for o in whole)
    )
    await SlaMark.raw(
        "UPDATE sla_mark SET settled_at = {} WHERE settled_at IS NULL AND ("
        ' ("order", clock) IN (SELECT * FROM unnest({}::int[], {}::varchar[]))'
        ' OR "order" = ANY({}::int[]))',
        now,
        [o for o, _ in clocks],
        [c for _, c in clocks],
        whole,
    )
