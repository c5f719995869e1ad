"""What people see of the clocks: an order's, a page of orders', and the late-orders list."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import anyio
import msgspec

import printforms
from server import clock as center_clock
from server.actor import Actor
from server.errors import InvalidInput, NotFound
from server.i18n import N_, gettext
from server.orders import api as orders
from server.sla import readings
from server.sla.choices import (
    CLOCK_LABELS,
    SEVERITY,
    STATE_COLORS,
    STATE_LABELS,
    ClockKind,
    SlaState,
)
from server.sla.clock import minutes
from server.sla.derive import OrderReading, Reading
from server.sla.schemas import ClockOut, LateList, LateRow, OrderSla
from server.sla.tables import SlaOrderState
from server.staff import api as staff
from server.staff.permissions import Action, Section

LATE_STATES = (SlaState.BREACHED, SlaState.AT_RISK)
LATE_LIMIT = 5000


def clock_out(reading: Reading) -> ClockOut:
    """A clock as the API and pages show it."""
    return ClockOut(
        clock=reading.clock.value,
        label=gettext(CLOCK_LABELS[reading.clock]),
        state=reading.state.value,
        state_label=gettext(STATE_LABELS[reading.state]),
        color=STATE_COLORS[reading.state],
        target_minutes=minutes(reading.target),
        used_minutes=minutes(reading.used),
        left_minutes=minutes(reading.left),
        due_at=reading.due_at,
        stopped_at=reading.stopped_at,
    )


def order_out(order_id: int, reading: OrderReading | None) -> OrderSla:
    """An order's clocks as the API and pages show them."""
    state = reading.state if reading else None
    return OrderSla(
        order_id=order_id,
        state=state.value if state else None,
        state_label=gettext(STATE_LABELS[state]) if state else None,
        color=STATE_COLORS[state] if state else None,
        policy=reading.policy.name if reading and reading.policy and state else None,
        clocks=[clock_out(c) for c in reading.clocks] if reading else [],
        due_at=reading.next_due if reading else None,
    )


async def orders_sla(
    actor: Actor, order_ids: list[int], now: dt.datetime | None = None
) -> dict[int, OrderSla]:
    """{order id: its clocks} of those of the orders the actor may read, in a fixed number of
    queries however many orders."""
    rows = await orders.sla_orders(actor, order_ids)
    found = await readings.read(rows, now or center_clock.now())
    return {o.id: order_out(o.id, found.get(o.id)) for o in rows}


async def order_sla(actor: Actor, order_id: int) -> OrderSla:
    """One order's clocks, or 404 when the actor may not read the order."""
    found = await orders_sla(actor, [order_id])
    if order_id not in found:
        raise NotFound("No order with id {id}", id=order_id)
    return found[order_id]


@dataclass(frozen=True)
class LateFilters:
    """What the late-orders list is narrowed to."""

    employee_id: int | None = None
    role: str = ""
    order_type_id: int | None = None
    state: str = ""
    clock: str = ""


async def _check(filters: LateFilters) -> None:
    if filters.state and filters.state not in {s.value for s in LATE_STATES}:
        raise InvalidInput("Choose «at risk» or «breached»", field="state")
    if filters.clock and filters.clock not in {c.value for c in ClockKind}:
        raise InvalidInput("No such clock", field="clock")
    if filters.role and filters.role not in await staff.known_role_codes():
        raise InvalidInput("No such role", field="role")


async def late(actor: Actor, filters: LateFilters, now: dt.datetime | None = None) -> LateList:
    """Every clock late or at risk of the orders the actor may read, the latest first.

    Candidates are the orders the last sweep found late or at risk; what is shown is read
    afresh, so an order back on track since drops out."""
    actor.require(Section.ORDERS, Action.VIEW)
    await _check(filters)
    candidates = await SlaOrderState.select(SlaOrderState.order).where(
        SlaOrderState.state.is_in([s.value for s in LATE_STATES])
    )
    rows = await orders.sla_orders(actor, [c["order"] for c in candidates])
    if filters.order_type_id:
        rows = [r for r in rows if r.order_type_id == filters.order_type_id]
    if filters.employee_id:
        rows = [r for r in rows if filters.employee_id in (r.technician_id, r.manager_id)]
    if filters.role:
        holders = {e.id for e in await staff.holders_of_role(filters.role)}
        rows = [r for r in rows if {r.technician_id, r.manager_id} & holders]
    found = await readings.read(rows, now or center_clock.now())
    names = await staff.names({i for r in rows for i in (r.technician_id, r.manager_id) if i})
    items: list[LateRow] = []
    for order in rows:
        reading = found.get(order.id)
        for c in reading.clocks if reading else ():
            if c.state not in LATE_STATES or c.stopped_at is not None:
                continue
            if (filters.state and c.state != filters.state) or (
                filters.clock and c.clock != filters.clock
            ):
                continue
            row = LateRow(
                order_id=order.id,
                number=order.number,
                type_name=order.type_name,
                status_name=order.status_name,
                clock=c.clock.value,
                clock_label=gettext(CLOCK_LABELS[c.clock]),
                state=c.state.value,
                state_label=gettext(STATE_LABELS[c.state]),
                color=STATE_COLORS[c.state],
                late_minutes=max(0, -minutes(c.left)),
                left_minutes=minutes(c.left),
                due_at=c.due_at,
            )
            if order.technician_id is not None:
                row.technician_id = order.technician_id
                row.technician = names.get(order.technician_id)
            if order.manager_id is not None:
                row.manager_id = order.manager_id
                row.manager = names.get(order.manager_id)
            items.append(row)
    items.sort(key=lambda r: (SEVERITY[SlaState(r.state)], r.left_minutes, r.order_id))
    return LateList(items=items[:LATE_LIMIT], total=len(items))


# key, title, kind, width
COLUMNS = (
    ("number", N_("Order"), "text", None),
    ("type_name", N_("Type"), "text", None),
    ("status_name", N_("Status"), "text", None),
    ("clock_label", N_("Clock"), "text", 22.0),
    ("state_label", N_("State"), "text", None),
    ("late_minutes", N_("Late, min"), "int", None),
    ("left_minutes", N_("Left, min"), "int", None),
    ("due_at", N_("Time runs out"), "datetime", None),
    ("technician", N_("Technician"), "text", 24.0),
    ("manager", N_("Manager"), "text", 24.0),
)


async def late_xlsx(actor: Actor, filters: LateFilters) -> bytes:
    """The late-orders list as an XLSX workbook (due times on the center's clock)."""
    actor.require(Section.ORDERS, Action.EXPORT)
    found = await late(actor, filters)
    rows = []
    for item in found.items:
        values = {f: getattr(item, f) for f in item.__struct_fields__}
        values["due_at"] = center_clock.local(item.due_at)
        rows.append({k: None if v is msgspec.UNSET else v for k, v in values.items()})
    columns = [printforms.Column(k, gettext(t), kind, w) for k, t, kind, w in COLUMNS]  # type: ignore[arg-type]
    target = io.BytesIO()
    title = gettext("Late orders")
    await anyio.to_thread.run_sync(printforms.export_rows, columns, rows, target, title)
    return target.getvalue()
