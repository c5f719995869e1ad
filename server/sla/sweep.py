"""The sweep: read the open orders' clocks that may have moved, record each transition once,
keep the states.

What may have moved: an order whose history changed since the last sweep (an audit entry under
its scope above the watermark), and an order whose next instant has come (the warning, breach
or escalation due that the last reading of it found ahead). Between those instants and events
a reading cannot change, so the other orders are left alone. Every open order is read again
when the basis of the readings changed (the calendar, the policies, the statuses, the order
types: a digest of them is kept), and once a day whatever happened, for writes that leave no
audit entry. The states are thus always what a reading from the events would give now:
nothing is stored that could drift from them.

The watermark is the highest audit id read. A transaction that took a lower id but committed
after the read would hide behind it, so entries of the last minutes are read again each time.

A transition (warning, breach, escalation) is claimed by its key in `sla_mark` with
INSERT … ON CONFLICT before anything is written, in the same transaction as the order's
timeline entry and the notify event, so two workers, a retry or a restart record it once.
The key names the order, the clock, the transition and the deadline as a business-minute
target: a pause moves the wall-clock deadline but not the target, so it does not fire
again, while a changed policy (a new target) is a new deadline and does. A clock that
stops, and an order closed or cancelled, settles its events (their rules stop repeating).

Orders are read in batches, each batch in a fixed number of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server import clock as center_clock
from server.audit import api as audit_log
from server.orders import api as orders
from server.orders.api import SlaOrder
from server.sla import readings, record
from server.sla.derive import OrderReading
from server.sla.record import Wanted
from server.sla.tables import SlaMark, SlaOrderState, SlaSweep

BATCH = 2000
FULL_EVERY = dt.timedelta(days=1)
RECENT = dt.timedelta(minutes=10)  # entries read again for late commits
SCOPE = "order:"
OWN_ACTIONS = "sla_"  # the sweep's own timeline entries change no clock


@dataclass
class SweepReport:
    """What one sweep did."""

    orders: int = 0
    with_clocks: int = 0
    recorded: dict[str, int] = field(default_factory=dict)
    settled: int = 0
    full: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class Run:
    """What every batch of one sweep shares."""

    shared: readings.Basis
    now: dt.datetime  # the instant the clocks are read at
    wall: dt.datetime  # the server's clock, for the states' check times
    report: SweepReport


async def sweep(now: dt.datetime | None = None, batch: int = BATCH) -> SweepReport:
    """Read the clocks that may have moved, at `now` (the center's clock by default)."""
    started = time.perf_counter()
    shared = await readings.basis()
    run = Run(shared, now or center_clock.now(), dt.datetime.now(dt.UTC), SweepReport())
    digest = readings.digest(shared, await orders.order_types())
    place = await _place()
    scopes, high = await audit_log.scopes_changed(
        place["audit_id"], SCOPE, skip_actions=OWN_ACTIONS, recent=RECENT
    )
    full_at = place["full_at"]
    run.report.full = place["basis"] != digest or full_at is None or run.wall - full_at > FULL_EVERY
    if run.report.full:
        await _sweep_all(run, batch)
    else:
        changed = {int(s[len(SCOPE) :]) for s in scopes if s[len(SCOPE) :].isdigit()}
        due = await SlaOrderState.select(SlaOrderState.order).where(
            SlaOrderState.next_at <= run.now
        )
        await _sweep_some(sorted(changed | {r["order"] for r in due}), run, batch)
    values: dict[Any, Any] = {SlaSweep.audit_id: high, SlaSweep.basis: digest}
    if run.report.full:
        values[SlaSweep.full_at] = run.wall
    await SlaSweep.update(values).where(SlaSweep.id == 1)
    run.report.seconds = time.perf_counter() - started
    return run.report


async def _place() -> dict[str, Any]:
    """The sweep's row, made by the first sweep (with an empty basis: everything is read)."""
    await SlaSweep.raw(
        "INSERT INTO sla_sweep (id, audit_id, basis, full_at) VALUES (1, 0, '', NULL)"
        " ON CONFLICT (id) DO NOTHING"
    )
    row = await SlaSweep.select().where(SlaSweep.id == 1).first()
    assert row is not None
    return row


async def _sweep_all(run: Run, batch: int) -> None:
    """Every open order by id; then the orders whose states no batch touched (closed or
    cancelled since, or outside the product's writes) are dropped."""
    after = 0
    while True:
        rows = await orders.open_sla_orders(after, batch)
        if not rows:
            break
        after = rows[-1].id
        await _apply(rows, [r.id for r in rows], run)
    gone = await SlaOrderState.select(SlaOrderState.order).where(
        SlaOrderState.checked_at < run.wall
    )
    ids = [r["order"] for r in gone]
    for start in range(0, len(ids), batch):
        await _apply([], ids[start : start + batch], run)


async def _sweep_some(order_ids: list[int], run: Run, batch: int) -> None:
    """The orders given: those still open are read again, the others dropped."""
    for start in range(0, len(order_ids), batch):
        ids = order_ids[start : start + batch]
        await _apply(await orders.open_sla_orders_among(ids), ids, run)


async def _apply(rows: Sequence[SlaOrder], asked: list[int], run: Run) -> None:
    """Read the clocks of the open orders `rows`; record what they crossed and keep their
    states, in one transaction. Orders `asked` about with no clock running now (closed,
    cancelled, under no policy) lose their states and have their events settled."""
    found = await readings.read(rows, run.now, run.shared) if run.shared.policies else {}
    states = [(i, r) for i, r in found.items() if r.state is not None]
    without = sorted(set(asked) - {i for i, _ in states})
    marks = await SlaMark.select(
        SlaMark.key, SlaMark.order, SlaMark.clock, SlaMark.settled_at
    ).where(SlaMark.order.is_in(sorted(set(asked))))
    known = {m["key"] for m in marks}
    unsettled = {(m["order"], m["clock"]) for m in marks if m["settled_at"] is None}
    wanted, stopped = _wanted(states, known, unsettled)
    whole = sorted({o for o, _ in unsettled} & set(without))
    async with SlaMark._meta.db.transaction():
        await _keep_states(states, without, run.wall)
        claimed = await record.claim(wanted, run.now)
        chosen = [w for w in wanted if w.key in claimed]
        await record.record(chosen, {r.id: r for r in rows})
        await record.settle(stopped, whole, run.now)
    report = run.report
    report.orders += len(rows)
    report.with_clocks += len(states)
    report.settled += len(stopped) + len(whole)
    for w in chosen:
        report.recorded[w.transition.value] = report.recorded.get(w.transition.value, 0) + 1


def _wanted(
    states: list[tuple[int, OrderReading]], known: set[str], unsettled: set[tuple[int, str]]
) -> tuple[list[Wanted], list[tuple[int, str]]]:
    """The transitions crossed and not recorded yet, and the stopped clocks (order, clock)
    whose events are not settled yet."""
    wanted: list[Wanted] = []
    stopped: list[tuple[int, str]] = []
    for order_id, reading in states:
        for c in reading.clocks:
            if c.stopped_at is not None:
                if (order_id, c.clock.value) in unsettled:
                    stopped.append((order_id, c.clock.value))
                continue
            for transition in c.crossed:
                key = record.mark_key(order_id, c, transition)
                if key not in known:
                    wanted.append(Wanted(key, order_id, c, transition))
    return wanted, stopped


async def _keep_states(
    states: list[tuple[int, OrderReading]], without: list[int], wall: dt.datetime
) -> None:
    if without:
        await SlaOrderState.delete().where(SlaOrderState.order.is_in(without))
    if not states:
        return
    await SlaOrderState.raw(
        'INSERT INTO sla_order_state ("order", state, due_at, next_at, checked_at)'
        " SELECT o, s, d, n, {} FROM unnest({}::int[], {}::varchar[], {}::timestamptz[],"
        " {}::timestamptz[]) AS t(o, s, d, n)"
        ' ON CONFLICT ("order") DO UPDATE SET state = EXCLUDED.state, due_at = EXCLUDED.due_at,'
        " next_at = EXCLUDED.next_at, checked_at = EXCLUDED.checked_at",
        wall,
        [i for i, _ in states],
        [r.state.value if r.state else "" for _, r in states],
        [r.next_due for _, r in states],
        [r.next_at for _, r in states],
    )
