"""Readings of orders' clocks from their events, for any number of orders in a fixed number
of queries: the orders, their status and visit changes from the audit log, the status names,
the policies and the calendar (the last three read once per call)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from server import clock as center_clock
from server import refcache
from server.audit import api as audit_log
from server.dispatch.choices import STATUS_LABELS as VISIT_LABELS
from server.dispatch.choices import VisitStatus
from server.orders import api as orders
from server.orders.api import SlaOrder
from server.sla import calendar as calendars
from server.sla import derive, policies
from server.sla.clock import Calendar

STATUS_ACTION = "status"  # the orders domain's status change: {"status": [old name, new name]}
VISIT_ACTION = "visit_status"  # dispatch's: {"visit_status": [old label, new label]}
ARRIVED = frozenset({VISIT_LABELS[VisitStatus.ON_SITE], VISIT_LABELS[VisitStatus.DONE]})


@dataclass(frozen=True)
class Basis:
    """What every reading of one call shares."""

    calendar: Calendar
    policies: list[derive.Policy]
    statuses: dict[str, tuple[str, str]]


async def basis() -> Basis:
    """The calendar, the policies and the status names, as they are now (shared: read-only)."""
    return await _basis(center_clock.zone().key)


@refcache.reads("sla_work_week", "sla_calendar_day", "sla_policy", "order_status")
async def _basis(zone: str) -> Basis:
    return Basis(
        await calendars.load_calendar(),
        await policies.active_policies(),
        await orders.status_codes_by_name(),
    )


def digest(shared: Basis, order_types: Sequence[dict[str, Any]]) -> str:
    """A digest of everything a reading depends on but the order's own events: the calendar,
    the policies, the statuses and the order types (which of them get visits)."""
    calendar = shared.calendar
    content = {
        "zone": calendar.zone.key,
        "week": calendar.weekly,
        "days": sorted((d.isoformat(), h) for d, h in calendar.days.items()),
        "policies": [
            (
                p.id,
                p.order_type_id,
                p.priority,
                sorted((k.value, v) for k, v in p.targets.items()),
                p.warn_percent,
                p.escalate_percent,
                sorted(p.pause_statuses),
            )
            for p in shared.policies
        ],
        "statuses": sorted(shared.statuses.items()),
        "types": sorted((t["id"], bool(t["is_field"])) for t in order_types),
    }
    text = json.dumps(content, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def facts(
    rows: Sequence[SlaOrder], statuses: dict[str, tuple[str, str]]
) -> list[derive.Facts]:
    """The orders' events as the clocks read them (one query for all)."""
    scopes = {f"order:{o.id}": o.id for o in rows}
    changes: dict[int, list[tuple[dt.datetime, str, str, str, str]]] = {o.id: [] for o in rows}
    arrivals: dict[int, list[dt.datetime]] = {o.id: [] for o in rows}
    entries = await audit_log.actions_of(list(scopes), [STATUS_ACTION, VISIT_ACTION])
    for entry in entries:
        order_id = scopes[entry.scope]
        if entry.action == VISIT_ACTION:
            change = entry.changes.get("visit_status")
            if isinstance(change, list) and len(change) == 2 and change[1] in ARRIVED:
                arrivals[order_id].append(entry.at)
            continue
        change = entry.changes.get("status")
        if not isinstance(change, list) or len(change) != 2:
            continue
        old = statuses.get(str(change[0]), ("", ""))
        new = statuses.get(str(change[1]), ("", ""))
        changes[order_id].append((entry.at, *old, *new))
    found = []
    for order in rows:
        current = (order.status_code, order.status_group)
        found.append(
            derive.Facts(
                order_id=order.id,
                order_type_id=order.order_type_id,
                priority=order.priority,
                is_field=order.is_field,
                created_at=order.created_at,
                segments=derive.segments(order.created_at, changes[order.id], current),
                arrivals=tuple(arrivals[order.id]),
            )
        )
    return found


async def read(
    rows: Sequence[SlaOrder], now: dt.datetime, shared: Basis | None = None
) -> dict[int, derive.OrderReading]:
    """{order id: its clocks at `now`} of the orders given (already scoped by the caller)."""
    if not rows:
        return {}
    shared = shared or await basis()
    if not shared.policies:
        return {o.id: derive.OrderReading(o.id, None) for o in rows}
    return {
        f.order_id: derive.read_order(f, shared.policies, shared.calendar, now)
        for f in await facts(rows, shared.statuses)
    }
