"""The periodic sweep: open a request for every act a past visit still lacks, close those
answered or no longer needed (the order cancelled, the visit failed or moved on, the type no
longer asking). State is derived afresh each time, so a missed run only delays.

A request opens after the visit's day (in the center's zone) and reminds the visit's master
(or, with none, the order's technician) through the notify rule `act_missing`, which owns
the cadence ("every N days, at most M times"). Visits of the last LOOKBACK_DAYS are looked
at, and those of requests still open, so an install does not chase its whole history.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from server import clock
from server.acts import kinds
from server.acts.choices import LOCK_SPACE, ORDER_LOCKS, Closed, key_prefix, notify_key
from server.acts.needs import Need, needs
from server.acts.tables import ActRequest
from server.dispatch import api as dispatch
from server.files import api as stored_files
from server.notify import api as notify
from server.notify import events
from server.orders import api as orders

LOOKBACK_DAYS = 30
CANCELLED = "cancelled"  # the order status group


class SweepReport(msgspec.Struct):
    """What one sweep did."""

    visits: int = 0
    opened: int = 0
    reopened: int = 0
    closed: int = 0


def _event(need: Need, round_: int) -> notify.Event:
    order_id = need.visit.order_id
    return notify.Event(
        event=events.ACT_MISSING,
        key=notify_key(need.visit.id, need.kind.act_kind_id, round_),
        order_id=order_id,
        employee_id=need.visit.master_id or need.order.technician_id,
        context={
            "act": {"name": need.kind.name, "day": need.visit.day.strftime("%d.%m.%Y")},
            "link": f"/orders/{order_id}",
        },
    )


async def _still_missing(wanted: dict[tuple[int, int], Need]) -> dict[tuple[int, int], Need]:
    """The wanted acts still missing once their orders' acts locks are held: an attach that
    committed after the first read is seen now, one that comes later waits for this sweep
    and closes what it opened."""
    order_ids = sorted({n.visit.order_id for n in wanted.values()})
    if not order_ids:
        return wanted
    await ActRequest.raw(ORDER_LOCKS, LOCK_SPACE, order_ids)
    files = await stored_files.act_files(order_ids)
    answered = {(f.order_id, f.act_kind_id, f.visit_id) for f in files}
    return {
        key: n
        for key, n in wanted.items()
        if (n.visit.order_id, key[1], n.visit.id) not in answered
        and (n.visit.order_id, key[1], None) not in answered
    }


async def sweep(today: dt.date | None = None) -> SweepReport:
    """One pass over past visits and open requests (one transaction)."""
    today = today or clock.today()
    now = dt.datetime.now(dt.UTC)
    report = SweepReport()
    async with ActRequest._meta.db.transaction():
        still_open = await ActRequest.select(ActRequest.visit).where(ActRequest.closed_at.is_null())
        required = await kinds.requirements()
        if not required and not still_open:
            return report
        visits = await dispatch.act_visits(
            first_day=today - dt.timedelta(days=LOOKBACK_DAYS),
            last_day=today - dt.timedelta(days=1),
            visit_ids=[r["visit"] for r in still_open],
        )
        report.visits = len(visits)
        order_ids = sorted({v.order_id for v in visits})
        found = needs(
            visits,
            await orders.act_orders(order_ids),
            required,
            await stored_files.act_files(order_ids),
        )
        wanted = {
            (n.visit.id, n.kind.act_kind_id): n
            for n in found
            if n.file is None and n.visit.day < today and n.order.status_group != CANCELLED
        }
        answered = {(n.visit.id, n.kind.act_kind_id) for n in found if n.file is not None}
        cancelled = {n.visit.id for n in found if n.order.status_group == CANCELLED}
        existing = await ActRequest.select(
            ActRequest.id,
            ActRequest.visit,
            ActRequest.act_kind,
            ActRequest.round,
            ActRequest.closed_at,
        ).where(
            ActRequest.visit.is_in(
                sorted({v.id for v in visits} | {r["visit"] for r in still_open}) or [0]
            )
        )
        known = {(r["visit"], r["act_kind"]): r for r in existing}
        wanted = await _still_missing(wanted)
        emitted: list[notify.Event] = []
        for key, need in wanted.items():
            row = known.get(key)
            if row is None:
                await ActRequest.raw(
                    'INSERT INTO act_request (visit, act_kind, "order", employee, visit_day,'
                    " opened_at, round, closed_reason) VALUES ({}, {}, {}, {}, {}, {}, 1, '')"
                    " ON CONFLICT ON CONSTRAINT act_request_once DO NOTHING",
                    need.visit.id,
                    need.kind.act_kind_id,
                    need.visit.order_id,
                    need.visit.master_id or need.order.technician_id,
                    need.visit.day,
                    now,
                )
                emitted.append(_event(need, 1))
                report.opened += 1
            elif row["closed_at"] is not None:
                await ActRequest.update(
                    {
                        ActRequest.closed_at: None,
                        ActRequest.closed_reason: "",
                        ActRequest.round: row["round"] + 1,
                        ActRequest.opened_at: now,
                        ActRequest.employee: need.visit.master_id or need.order.technician_id,
                    }
                ).where(ActRequest.id == row["id"])
                emitted.append(_event(need, row["round"] + 1))
                report.reopened += 1
        settled: list[str] = []
        for key, row in known.items():
            if row["closed_at"] is not None or key in wanted:
                continue
            reason = Closed.NOT_REQUIRED
            if key in answered:
                reason = Closed.ATTACHED
            elif key[0] in cancelled or key[0] not in {v.id for v in visits}:
                reason = Closed.CANCELLED
            await ActRequest.update(
                {ActRequest.closed_at: now, ActRequest.closed_reason: reason.value}
            ).where(ActRequest.id == row["id"], ActRequest.closed_at.is_null())
            settled.append(key_prefix(*key))
            report.closed += 1
        await notify.emit_many(emitted)
        await notify.settle(*settled)
    return report
