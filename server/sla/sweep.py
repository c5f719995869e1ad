"""The sweep: read every open order's clocks, record each transition once, keep the states.

A transition (warning, breach, escalation) is claimed by its key in `sla_mark` with
INSERT … ON CONFLICT before anything is written, in the same transaction as the order's
timeline entry and the notify event, so two workers, a retry or a restart record it once.
The key names the order, the clock, the transition and the deadline as a business-minute
target: a pause moves the wall-clock deadline but not the target, so it does not fire
again, while a changed policy (a new target) is a new deadline and does. A clock that
stops settles its events (their rules stop repeating).

Orders are read in batches by id, each batch in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server import clock as center_clock
from server.audit import services as audit
from server.notify import api as notify
from server.notify import events
from server.orders import api as orders
from server.orders.api import SlaOrder
from server.sla import readings
from server.sla.choices import CLOCK_LABELS, Transition
from server.sla.clock import minutes
from server.sla.derive import OrderReading, Reading
from server.sla.tables import SlaMark, SlaOrderState

BATCH = 2000
AUDIT_CHUNK = 1000
EVENT_OF = {
    Transition.WARNING: events.SLA_WARNING,
    Transition.BREACH: events.SLA_BREACH,
    Transition.ESCALATION: events.SLA_BREACH,
}


@dataclass
class SweepReport:
    """What one sweep did."""

    orders: int = 0
    with_clocks: int = 0
    recorded: dict[str, int] = field(default_factory=dict)
    settled: int = 0
    seconds: float = 0.0


def mark_key(order_id: int, reading: Reading, transition: Transition) -> str:
    """The idempotency key of a transition of a clock's deadline."""
    return f"{clock_prefix(order_id, reading)}{transition.value}:{minutes(reading.target)}"


def clock_prefix(order_id: int, reading: Reading) -> str:
    """What every key of a clock of an order starts with."""
    return f"sla:{order_id}:{reading.clock.value}:"


async def sweep(now: dt.datetime | None = None, batch: int = BATCH) -> SweepReport:
    """Read every open order's clocks at `now` (the center's clock by default)."""
    started = time.perf_counter()
    now = now or center_clock.now()
    report = SweepReport()
    shared = await readings.basis()
    after = 0
    while shared.policies:
        rows = await orders.open_sla_orders(after, batch)
        if not rows:
            break
        after = rows[-1].id
        report.orders += len(rows)
        found = await readings.read(rows, now, shared)
        await _apply(rows, found, now, report)
    await SlaOrderState.delete().where(SlaOrderState.checked_at < now)  # closed since
    report.seconds = time.perf_counter() - started
    return report


async def _apply(
    rows: Sequence[SlaOrder], found: dict[int, OrderReading], now: dt.datetime, report: SweepReport
) -> None:
    by_id = {r.id: r for r in rows}
    states = [(i, r) for i, r in found.items() if r.state is not None]
    report.with_clocks += len(states)
    marks = await SlaMark.select(SlaMark.key, SlaMark.settled_at).where(
        SlaMark.order.is_in(sorted(by_id))
    )
    known = {m["key"]: m["settled_at"] for m in marks}
    wanted: list[tuple[str, int, Reading, Transition]] = []
    settle: list[tuple[int, str, str]] = []  # order, clock, key prefix
    for order_id, reading in states:
        for c in reading.clocks:
            prefix = clock_prefix(order_id, c)
            if c.stopped_at is not None:
                if any(k.startswith(prefix) and s is None for k, s in known.items()):
                    settle.append((order_id, c.clock.value, prefix))
                continue
            for transition in c.crossed:
                key = mark_key(order_id, c, transition)
                if key not in known:
                    wanted.append((key, order_id, c, transition))
    async with SlaMark._meta.db.transaction():
        await _keep_states(states, now)
        claimed = await _claim(wanted, now)
        chosen = [w for w in wanted if w[0] in claimed]
        await _record(chosen, by_id)
        for _, _, prefix in settle:
            await notify.settle(prefix)
        if settle:
            await SlaMark.raw(
                "UPDATE sla_mark SET settled_at = {} FROM unnest({}::int[], {}::varchar[]) AS"
                ' s(o, c) WHERE settled_at IS NULL AND sla_mark."order" = s.o AND clock = s.c',
                now,
                [o for o, _, _ in settle],
                [c for _, c, _ in settle],
            )
    report.settled += len(settle)
    for _, _, _, transition in chosen:
        report.recorded[transition.value] = report.recorded.get(transition.value, 0) + 1


async def _keep_states(states: list[tuple[int, OrderReading]], now: dt.datetime) -> None:
    if not states:
        return
    await SlaOrderState.raw(
        'INSERT INTO sla_order_state ("order", state, due_at, checked_at)'
        " SELECT o, s, d, {} FROM unnest({}::int[], {}::varchar[], {}::timestamptz[]) AS t(o, s, d)"
        ' ON CONFLICT ("order") DO UPDATE SET state = EXCLUDED.state,'
        " due_at = EXCLUDED.due_at, checked_at = EXCLUDED.checked_at",
        now,
        [i for i, _ in states],
        [r.state.value if r.state else "" for _, r in states],
        [r.next_due for _, r in states],
    )


async def _claim(wanted: list[tuple[str, int, Reading, Transition]], now: dt.datetime) -> set[str]:
    if not wanted:
        return set()
    rows = await SlaMark.raw(
        'INSERT INTO sla_mark (key, "order", clock, transition, at)'
        " SELECT k, o, c, t, {} FROM unnest({}::varchar[], {}::int[], {}::varchar[],"
        " {}::varchar[]) AS x(k, o, c, t) ON CONFLICT (key) DO NOTHING RETURNING key",
        now,
        [w[0] for w in wanted],
        [w[1] for w in wanted],
        [w[2].clock.value for w in wanted],
        [w[3].value for w in wanted],
    )
    return {r["key"] for r in rows}


async def _record(
    chosen: list[tuple[str, int, Reading, Transition]], by_id: dict[int, SlaOrder]
) -> None:
    """The timeline entries (one statement) and the notify events of newly claimed marks."""
    entries: list[tuple[str, int | str, str, dict[str, list[Any]], str]] = []
    for _key, order_id, c, transition in chosen:
        due = center_clock.local(c.due_at)
        entries.append(
            (
                "order",
                order_id,
                f"sla_{transition.value}",
                {
                    "sla_clock": [None, CLOCK_LABELS[c.clock]],
                    "sla_due": [None, due.strftime("%d.%m.%Y %H:%M") if due else None],
                },
                f"order:{order_id}",
            )
        )
    for start in range(0, len(entries), AUDIT_CHUNK):  # a statement takes 32767 arguments
        await audit.record_many(None, entries[start : start + AUDIT_CHUNK])
    for key, order_id, c, transition in chosen:
        order = by_id[order_id]
        await notify.emit(
            EVENT_OF[transition],
            key=key,
            order_id=order_id,
            employee_id=order.manager_id
            if transition is Transition.ESCALATION
            else order.technician_id,
            context={
                "clock": c.clock.value,
                "transition": transition.value,
                "number": order.number,
                "due_at": c.due_at.isoformat() if c.due_at else None,
                "target_minutes": minutes(c.target),
                "late_minutes": max(0, -minutes(c.left)),
                "escalation": transition is Transition.ESCALATION,
            },
        )
