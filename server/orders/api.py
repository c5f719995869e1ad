"""The orders domain's read API: how other domains, pages, exports, print forms and sync read
orders. Every function takes the actor; row scope and field access are applied here, once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

from server.actor import Actor
from server.errors import NotFound
from server.fieldaccess import hidden_fields, visible
from server.i18n import gettext
from server.orders import (
    access,
    bulk,
    customers,
    customfields,
    fieldwork,
    from_request,
    notices,
    numbering,
    parts,
    related,
    responsibles,
    search_text,
    timeline,
    workflow,
)
from server.orders import status_lookup as status_lookups
from server.orders.choices import StatusGroup
from server.orders.schemas import ClientOrderStats, EventOut, OrderBrief, OrderOut, OrderPatch
from server.orders.serialize import lines_by_order, order_columns, order_out
from server.orders.services import OrderService
from server.orders.tables import Order, OrderStatus, OrderType, PriceItem
from server.staff.permissions import Action, Capability, Section

# Reads and writes other domains ask of orders, defined where the orders domain needs them too.
order_row = access.order_row
require_visible = access.require_visible
completed_stats = related.completed_stats
refresh_for_client = search_text.refresh_for_client
check_employee = related.check_employee
status_lookup = status_lookups.lookup
status_lookup_order = status_lookups.lookup_order
FromRequest = from_request.FromRequest
create_from_request = from_request.create_from_request
clean_custom_values = customfields.clean_values
custom_field_definitions = customfields.definitions
write_note = timeline.write_note
readable_changes = timeline.readable_changes
number_format = numbering.number_format
FieldWork = fieldwork.FieldWork
assign_technicians = bulk.assign_technicians
move_new_orders_to = bulk.move_new_orders_to
open_field_orders = fieldwork.open_field_orders
order_people = notices.order_people
orders_facts = notices.orders_facts
OrderFacts = notices.OrderFacts
OrderPeople = notices.OrderPeople
facts_context = notices.as_context
order_type_names = notices.order_type_names
RatedOrder = customers.RatedOrder
rated_orders = customers.rated_orders
write_system_note = customers.write_system_note
CustomerOrder = customers.CustomerOrder
customer_orders = customers.customer_orders
address_key = status_lookups.address_key
open_work = responsibles.open_work
open_at_service_centers = responsibles.open_at_service_centers
PartLine = parts.PartLine
StatusMove = parts.StatusMove
part_line = parts.part_line
move_to_waiting_parts = parts.move_to_waiting_parts
resume_when_parts_arrived = parts.resume_when_parts_arrived
HISTORY_LIMIT = 500


async def orders_with_lines(actor: Actor, order_ids: list[int]) -> list[OrderOut]:
    """The orders of the list that are in the actor's scope, by id, each with its lines and the
    statuses the actor may move it to (three queries however many)."""
    if not order_ids or not actor.can(Section.ORDERS, Action.VIEW):
        return []
    query = Order.select(*order_columns()).where(Order.id.is_in(sorted(set(order_ids))))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    rows = await query.order_by(Order.id).output(load_json=True)
    if not rows:
        return []
    lines = await lines_by_order([r["id"] for r in rows])
    moves = await workflow.next_statuses_by_state(
        actor, {(r["order_type"], r["status"]) for r in rows}
    )
    now = dt.datetime.now(dt.UTC)
    return [
        order_out(
            actor,
            row,
            lines=lines.get(row["id"], []),
            next_statuses=moves.get((row["order_type"], row["status"]), []),
            now=now,
        )
        for row in rows
    ]


async def timelines(actor: Actor, order_ids: list[int], newest: int) -> dict[int, list[EventOut]]:
    """{order id: its newest events the actor may see, oldest first} of orders in scope."""
    in_scope = await orders_in_scope(actor, set(order_ids))
    return await timeline.timelines(actor, sorted(in_scope), newest=newest)


async def orders_in_scope(actor: Actor, order_ids: set[int]) -> dict[int, int]:
    """{order id: client id} of those of the orders the actor may read (one query)."""
    if not order_ids or not actor.can(Section.ORDERS, Action.VIEW):
        return {}
    query = Order.select(Order.id, Order.client).where(Order.id.is_in(sorted(order_ids)))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    return {r["id"]: r["client"] for r in await query}


async def client_ids_in_scope(actor: Actor) -> set[int] | None:
    """Clients of the orders the actor may read, or None when the actor sees all clients."""
    if actor.has(Capability.ALL_ORDERS):
        return None
    if not actor.can(Section.ORDERS, Action.VIEW):
        return set()
    scope = access.scope_condition(actor)
    assert scope is not None
    rows = await Order.select(Order.client).where(scope).distinct()
    return {r["client"] for r in rows}


HISTORY_SQL = """
SELECT h.* FROM unnest({}::int[]) AS c(id)
CROSS JOIN LATERAL (
    SELECT o.id, o.client, o.number, s.name AS status_name, s.color AS status_color,
           s.group AS status_group, t.name AS type_name, o.device, o.declared_fault,
           o.created_at, o.closed_at, o.total, o.amount_due
    FROM service_order o
    JOIN order_status s ON s.id = o.status
    JOIN order_type t ON t.id = o.order_type
    WHERE o.{} = c.id AND {}
    ORDER BY o.created_at DESC, o.id DESC LIMIT {}
) h
"""


async def _history(
    actor: Actor, key: str, ids: list[int], limit: int
) -> dict[int, list[OrderBrief]]:
    if not ids or not actor.can(Section.ORDERS, Action.VIEW):
        return {i: [] for i in ids}
    condition, args = access.scope_sql(actor)
    sql = HISTORY_SQL.replace("o.{} =", f"o.{key} =").replace("AND {}", f"AND {condition}", 1)
    rows = await Order.raw(sql, ids, *args, limit)
    found: dict[int, list[OrderBrief]] = {i: [] for i in ids}
    for row in rows:
        found[row[key]].append(brief(actor, row))
    return found


def brief(actor: Actor, row: dict[str, Any]) -> OrderBrief:
    """A history row as the actor may see it."""
    data = {
        "declared_fault": row["declared_fault"],
        "total": row["total"],
        "amount_due": row["amount_due"],
        "device": row["device"],
    }
    shown = visible(actor, "order", data)
    if "device" in shown:
        shown["device_id"] = shown.pop("device")
    return OrderBrief(
        id=row["id"],
        number=row["number"],
        client_id=row["client"],
        status_name=gettext(row["status_name"]),
        status_color=row["status_color"],
        status_group=row["status_group"],
        type_name=gettext(row["type_name"]),
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        **shown,
    )


async def client_histories(
    actor: Actor, client_ids: list[int], limit: int = HISTORY_LIMIT
) -> dict[int, list[OrderBrief]]:
    """{client id: the client's orders the actor may read, newest first} in one query."""
    return await _history(actor, "client", sorted(set(client_ids)), limit)


async def client_history(
    actor: Actor, client_id: int, limit: int = HISTORY_LIMIT
) -> list[OrderBrief]:
    """The client's orders the actor may read, newest first."""
    return (await client_histories(actor, [client_id], limit))[client_id]


async def device_history(
    actor: Actor, device_id: int, limit: int = HISTORY_LIMIT
) -> list[OrderBrief]:
    """The device's orders the actor may read, newest first."""
    return (await _history(actor, "device", [device_id], limit))[device_id]


async def client_stats(actor: Actor, client_id: int) -> ClientOrderStats:
    """Completed orders of the client the actor may read, and their total unless hidden."""
    if not actor.can(Section.ORDERS, Action.VIEW):
        return ClientOrderStats(completed_orders=0)
    query = Order.select(Order.total).where(
        Order.client == client_id, Order.status._.group == StatusGroup.CLOSED.value
    )
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    rows = await query
    stats = ClientOrderStats(completed_orders=len(rows))
    if "total" not in hidden_fields(actor, "order"):
        stats.total_spend = sum((r["total"] for r in rows), Decimal("0"))
    return stats


class OrderRef(msgspec.Struct, omit_defaults=True):
    """An order as a visit or a list of another domain shows it."""

    id: int
    number: str
    status_name: str
    client_name: str | msgspec.UnsetType = msgspec.UNSET
    declared_fault: str | msgspec.UnsetType = msgspec.UNSET


async def order_refs(actor: Actor, order_ids: list[int]) -> dict[int, OrderRef]:
    """{id: number, status, client name and fault as the actor may see them} of orders in scope."""
    if not order_ids:
        return {}
    query = Order.select(
        Order.id,
        Order.number,
        Order.client._.name.as_alias("client_name"),
        Order.status._.name.as_alias("status_name"),
        Order.declared_fault,
    ).where(Order.id.is_in(sorted(set(order_ids))))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    hidden = hidden_fields(actor, "order")
    refs = {}
    for r in await query:
        ref = OrderRef(id=r["id"], number=r["number"], status_name=gettext(r["status_name"]))
        if "client" not in hidden:
            ref.client_name = r["client_name"]
        if "declared_fault" not in hidden:
            ref.declared_fault = r["declared_fault"]
        refs[r["id"]] = ref
    return refs


class FieldOrderBrief(msgspec.Struct, frozen=True):
    """What dispatch needs of an order it plans a visit for."""

    id: int
    number: str
    client_id: int
    technician_id: int | None
    is_field: bool


async def field_order_brief(actor: Actor, order_id: int) -> FieldOrderBrief:
    """Number, client and whether the order's type is served at the client's, or 404."""
    actor.require(Section.ORDERS, Action.VIEW)
    row = await (
        Order.select(
            Order.id,
            Order.number,
            Order.client,
            Order.technician,
            Order.created_by,
            Order.expert,
            Order.source_org,
            Order.service_center,
            Order.order_type._.is_field.as_alias("is_field"),
        )
        .where(Order.id == order_id)
        .first()
    )
    row = access.require_in_scope(actor, row, order_id)
    return FieldOrderBrief(
        row["id"], row["number"], row["client"], row["technician"], bool(row["is_field"])
    )


async def order_id_by_number(actor: Actor, number: str) -> int:
    """The id of the order with this number (within the actor's scope)."""
    row = (
        await Order.select(
            Order.id,
            Order.technician,
            Order.expert,
            Order.created_by,
            Order.source_org,
            Order.service_center,
        )
        .where(Order.number == number.strip())
        .first()
    )
    if row is None or not access.in_scope(actor, row):
        raise NotFound("No order with number {number}", number=number.strip()[:30])
    return int(row["id"])


async def may_read(actor: Actor, order_id: int) -> bool:
    """True when the order exists and is in the actor's scope."""
    return bool(await orders_in_scope(actor, {order_id}))


async def assign_technician(actor: Actor, order_id: int, technician_id: int) -> None:
    """Make the employee the order's technician (as an edit of the order by the actor)."""
    service = OrderService(actor)
    row = await order_row(actor, order_id)
    if row["technician"] != technician_id:
        await service.update_order(order_id, OrderPatch(technician_id=technician_id))


async def move_new_order_to(actor: Actor, order_id: int, status_code: str) -> None:
    """Move a new order on to the status where its workflow allows that from "new"."""
    row = await order_row(actor, order_id)
    if row["status_code"] != "new":
        return
    if any(s["code"] == status_code for s in await workflow.next_statuses(actor, row)):
        await workflow.change_status(actor, order_id, status_code)


async def price_items(only: set[int] | None = None) -> tuple[list[dict[str, Any]], list[int]]:
    """(active items, ids of the given ones that are gone or inactive); all when `only` is None."""
    query = PriceItem.select(
        PriceItem.id,
        PriceItem.kind,
        PriceItem.code,
        PriceItem.name,
        PriceItem.price,
        PriceItem.unit,
    ).where(PriceItem.is_active.eq(True))
    if only is not None:
        if not only:
            return [], []
        query = query.where(PriceItem.id.is_in(sorted(only)))
    rows = await query.order_by(PriceItem.kind, PriceItem.name, PriceItem.id)
    active = [{**r, "price": f"{r['price']:.2f}"} for r in rows]
    gone = sorted((only or set()) - {r["id"] for r in rows})
    return active, gone


async def statuses() -> list[dict[str, Any]]:
    """Every order status, translated, in workflow order."""
    rows: list[dict[str, Any]] = await OrderStatus.select(
        OrderStatus.code, OrderStatus.name, OrderStatus.color, OrderStatus.group
    ).order_by(OrderStatus.sort)
    return [{**r, "name": gettext(r["name"])} for r in rows]


class SlaOrder(msgspec.Struct, frozen=True):
    """What the SLA clocks read of an order."""

    id: int
    number: str
    order_type_id: int
    type_name: str
    is_field: bool
    priority: str
    status_code: str
    status_name: str
    status_group: str
    created_at: dt.datetime
    technician_id: int | None
    manager_id: int | None


def _sla_query() -> Any:
    return Order.select(
        Order.id,
        Order.number,
        Order.order_type,
        Order.order_type._.name.as_alias("type_name"),
        Order.order_type._.is_field.as_alias("is_field"),
        Order.priority,
        Order.status._.code.as_alias("status_code"),
        Order.status._.name.as_alias("status_name"),
        Order.status._.group.as_alias("status_group"),
        Order.created_at,
        Order.technician,
        Order.manager,
    )


def _sla_order(row: dict[str, Any], hidden: frozenset[str] | set[str]) -> SlaOrder:
    return SlaOrder(
        id=row["id"],
        number=row["number"],
        order_type_id=row["order_type"],
        type_name=gettext(row["type_name"]),
        is_field=bool(row["is_field"]),
        priority=row["priority"],
        status_code=row["status_code"],
        status_name=gettext(row["status_name"]),
        status_group=row["status_group"],
        created_at=row["created_at"],
        technician_id=None if "technician_id" in hidden else row["technician"],
        manager_id=None if "manager_id" in hidden else row["manager"],
    )


async def sla_orders(actor: Actor, order_ids: list[int]) -> list[SlaOrder]:
    """The orders of the list in the actor's scope, as the SLA clocks read them (one query)."""
    if not order_ids or not actor.can(Section.ORDERS, Action.VIEW):
        return []
    query = _sla_query().where(Order.id.is_in(sorted(set(order_ids))))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    hidden = hidden_fields(actor, "order")
    return [_sla_order(r, hidden) for r in await query.order_by(Order.id)]


async def open_sla_orders(after_id: int, limit: int) -> list[SlaOrder]:
    """Orders not closed nor cancelled with an id above `after_id`, by id: for the SLA sweep,
    a job with no person behind it (nothing it reads leaves the server but through scoped
    reads)."""
    closed = [StatusGroup.CLOSED.value, StatusGroup.CANCELLED.value]
    rows = await (
        _sla_query()
        .where(Order.id > after_id, Order.status._.group.not_in(closed))
        .order_by(Order.id)
        .limit(limit)
    )
    return [_sla_order(r, set()) for r in rows]


async def open_sla_orders_among(order_ids: list[int]) -> list[SlaOrder]:
    """Those of the orders that are neither closed nor cancelled, by id: for the SLA sweep's
    reading of the orders that changed (a job with no person behind it, as above)."""
    if not order_ids:
        return []
    closed = [StatusGroup.CLOSED.value, StatusGroup.CANCELLED.value]
    rows = await (
        _sla_query()
        .where(Order.id.is_in(sorted(set(order_ids))), Order.status._.group.not_in(closed))
        .order_by(Order.id)
    )
    return [_sla_order(r, set()) for r in rows]


async def status_codes_by_name() -> dict[str, tuple[str, str]]:
    """{stored status name: (code, group)}: the status changes on the audit log name them."""
    rows = await OrderStatus.select(OrderStatus.code, OrderStatus.name, OrderStatus.group).order_by(
        OrderStatus.sort, OrderStatus.id
    )
    found: dict[str, tuple[str, str]] = {}
    for r in rows:
        found.setdefault(r["name"], (r["code"], r["group"]))
    return found


async def order_types() -> list[dict[str, Any]]:
    """Active order types (id, code, translated name, is_field), in their order."""
    rows = (
        await OrderType.select(OrderType.id, OrderType.code, OrderType.name, OrderType.is_field)
        .where(OrderType.is_active.eq(True))
        .order_by(OrderType.sort, OrderType.id)
    )
    return [{**r, "name": gettext(r["name"])} for r in rows]


class ActOrder(msgspec.Struct, frozen=True):
    """What the acts domain reads of an order: its type, status group and technician."""

    id: int
    order_type_id: int
    status_group: str
    technician_id: int | None


async def act_orders(order_ids: list[int]) -> dict[int, ActOrder]:
    """{id: type, status group, technician} of the orders; for the acts sweep (no person
    behind it: nothing it reads leaves the server but through scoped reads)."""
    if not order_ids:
        return {}
    rows = await Order.select(
        Order.id, Order.order_type, Order.status._.group.as_alias("group"), Order.technician
    ).where(Order.id.is_in(sorted(set(order_ids))))
    return {r["id"]: ActOrder(r["id"], r["order_type"], r["group"], r["technician"]) for r in rows}


class UnpaidOrder(msgspec.Struct, frozen=True):
    """An order handed over (closed) with an amount still due."""

    id: int
    number: str
    client_id: int
    client_name: str
    closed_at: dt.datetime
    amount_due: Decimal


UNPAID_LIMIT = 5000  # the oldest debts first: a center with more has a bigger problem


async def unpaid_closed(actor: Actor) -> list[UnpaidOrder]:
    """Orders in the actor's scope closed with an amount due, oldest first; none for one who
    may not read the amount due or the client."""
    actor.require(Section.ORDERS, Action.VIEW)
    if {"amount_due", "client"} & hidden_fields(actor, "order"):
        return []
    query = Order.select(
        Order.id,
        Order.number,
        Order.client,
        Order.client._.name.as_alias("client_name"),
        Order.closed_at,
        Order.amount_due,
    ).where(
        Order.amount_due > 0,
        Order.closed_at.is_not_null(),
        Order.status._.group == StatusGroup.CLOSED.value,
    )
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    rows = await query.order_by(Order.closed_at).limit(UNPAID_LIMIT)
    return [
        UnpaidOrder(r["id"], r["number"], r["client"], r["client_name"], r["closed_at"],
                    r["amount_due"])
        for r in rows
    ]  # fmt: skip


class OrderWork(msgspec.Struct, frozen=True):
    """What a closed order earned, as payroll reads it: its people, brand and lines by kind
    (totals after the order's discount, the parts' purchase cost)."""

    id: int
    number: str
    closed_at: dt.datetime
    technician_id: int | None
    service_center_id: int | None
    source_org_id: int | None
    brand: str
    totals: dict[str, Decimal]  # kind -> what its lines charged
    counts: dict[str, int]  # kind -> lines
    parts_cost: Decimal


WORK_LINES_SQL = """
SELECT "order" AS order_id, kind, sum(total) AS total, count(*) AS lines,
       sum(purchase_price * quantity) FILTER (WHERE kind <> 'service') AS cost
FROM order_line WHERE "order" = ANY({}::int[]) GROUP BY 1, 2
"""


async def closed_work(first: dt.datetime, last: dt.datetime) -> list[OrderWork]:
    """Orders closed in [first, last) with their work by line kind (for payroll: no actor, the
    payroll domain answers for who sees its figures)."""
    rows = await Order.select(
        Order.id,
        Order.number,
        Order.closed_at,
        Order.technician,
        Order.service_center,
        Order.source_org,
        Order.discount_percent,
        Order.device._.brand._.name.as_alias("brand"),
    ).where(
        Order.closed_at >= first,
        Order.closed_at < last,
        Order.status._.group == StatusGroup.CLOSED.value,
    )
    by_order: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for line in await Order.raw(WORK_LINES_SQL, [r["id"] for r in rows]):
            by_order.setdefault(line["order_id"], []).append(line)
    found = []
    for r in rows:
        keep = 1 - Decimal(r["discount_percent"]) / 100
        lines = by_order.get(r["id"], [])
        found.append(
            OrderWork(
                id=r["id"],
                number=r["number"],
                closed_at=r["closed_at"],
                technician_id=r["technician"],
                service_center_id=r["service_center"],
                source_org_id=r["source_org"],
                brand=r["brand"] or "",
                totals={x["kind"]: (x["total"] * keep).quantize(Decimal("0.01")) for x in lines},
                counts={x["kind"]: x["lines"] for x in lines},
                parts_cost=sum((x["cost"] or Decimal(0) for x in lines), Decimal(0)),
            )
        )
    return found


async def undocumented_payments_by_day(
    first_day: dt.date, last_day: dt.date, zone: str
) -> dict[dt.date, tuple[Decimal, Decimal]]:
    """(received, refunded) by the center's day of the payments an order holds without a cash
    desk document (taken before the cash desk, or loaded with the demo): finance counts them
    as income too."""
    rows = await Order.raw(
        "SELECT (at AT TIME ZONE {})::date AS day,"
        " coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS received,"
        " coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS refunded"
        " FROM order_payment WHERE document_id IS NULL"
        " AND (at AT TIME ZONE {})::date BETWEEN {} AND {} GROUP BY 1",
        zone,
        zone,
        first_day,
        last_day,
    )
    return {r["day"]: (r["received"], r["refunded"]) for r in rows}
