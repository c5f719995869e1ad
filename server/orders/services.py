"""Orders: intake, reading, changing and listing, with row scoping and field access."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.query import OrderByRaw, SelectRaw
from piccolo.query.functions.aggregate import Count

from server import clock
from server import cursor as cursor_codec
from server.actor import Actor
from server.audit import services as audit
from server.cashdesk import api as cashdesk
from server.clients import api as clients
from server.errors import Conflict, InvalidInput
from server.fieldaccess import check_writable, hidden_fields
from server.jobs import queue as jobs
from server.money import checked, round_money
from server.orders import access, announce, related, responsibles, sorting, workflow
from server.orders.customfields import clean_values
from server.orders.lines import recompute_totals, record_payment
from server.orders.numbering import next_number, public_code
from server.orders.schemas import OrderCreate, OrderOut, OrderPatch
from server.orders.search_text import (
    order_own_words,
    order_search_text,
    refresh_order,
    searched_as,
)
from server.orders.serialize import line_stock, lines_of, order_columns, order_out
from server.orders.tables import Order, OrderType
from server.orders.timeline import write_note
from server.partners import api as partners
from server.search import matches, matches_parts, words_sql
from server.staff import api as staff
from server.staff.permissions import Action, Section

log = logging.getLogger("servio.orders")
PREPAYMENT_COMMENT = "Предоплата при приёме"

# Filters and the order field each one reads (refused when the field is hidden from the caller).
FILTER_FIELDS = {
    "priority": "priority",
    "technician": "technician_id",
    "client": "client",
    "due_from": "due_at",
    "due_to": "due_at",
    "overdue": "due_at",
    "custom": "custom",
}
# Order fields the search words come from (besides the number, always searched), as SQL.
SEARCHED = {
    "device": (
        "(SELECT concat_ws(' ', d.serial, d.model_name, t.name, b.name, m.name) FROM device d "
        "LEFT JOIN device_type t ON t.id = d.device_type LEFT JOIN brand b ON b.id = d.brand "
        "LEFT JOIN device_model m ON m.id = d.model WHERE d.id = service_order.device)"
    ),
    "declared_fault": "service_order.declared_fault",
    "custom": "(SELECT string_agg(j.value, ' ') FROM jsonb_each_text(service_order.custom) AS j)",
}
PATCH_AUDITED = (
    "device", "declared_fault", "appearance", "accessories", "locked_note", "estimated_cost",
    "due_at", "priority", "manager", "technician", "expert", "service_center", "custom",
    "visit_day", "visit_from", "visit_to",
)  # fmt: skip


async def _ask_for_master(order_id: int) -> None:
    """Queue the dispatch job that proposes a master; the order is taken in regardless."""
    try:
        await jobs.defer("propose_master", order_id=order_id)
    except Exception as error:  # the queue is down: the dispatcher plans it by hand
        log.warning("no master proposal for order %s: %s", order_id, error)


def visit_wish(
    day: dt.date | None, start: str | dt.time | None, end: str | dt.time | None
) -> tuple[dt.date | None, dt.time | None, dt.time | None]:
    """The client's preferred visit day and time, checked: the time ends after it starts."""
    opens = dt.time.fromisoformat(start) if isinstance(start, str) else start
    closes = dt.time.fromisoformat(end) if isinstance(end, str) else end
    if opens is not None and closes is not None and closes <= opens:
        raise InvalidInput("The preferred time must end after it starts", field="visit_to")
    return day, opens, closes


def _now() -> dt.datetime:
    return clock.now()


class OrderFilters(msgspec.Struct):
    """Filters of the orders list (all optional)."""

    q: str = ""
    status: list[str] = []
    status_group: list[str] = []
    order_type: list[str] = []
    priority: list[str] = []
    technician: int | None = None
    client: int | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    overdue: bool = False
    custom: dict[str, str] = {}
    ids: list[int] | None = None  # only these orders (a page narrowing by another domain)


class OrderService:
    """Orders on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def row(self, order_id: int, *, for_update: bool = False) -> dict[str, Any]:
        """The order row with its joined names, or 404 (also for orders out of scope)."""
        return await access.order_row(self.actor, order_id, for_update=for_update)

    async def get_order(self, order_id: int) -> OrderOut:
        """An order with its lines and the statuses the caller may move it to."""
        self.actor.require(Section.ORDERS, Action.VIEW)
        row = await self.row(order_id)
        lines = await lines_of(order_id)
        return order_out(
            self.actor,
            row,
            lines=lines,
            next_statuses=await workflow.next_statuses(self.actor, row),
            stock=await line_stock(self.actor, order_id, lines),
        )

    async def _take_prepayment(self, order: Order, data: OrderCreate) -> None:
        """The prepayment at intake, through the cash desk's open shift."""
        parts = cashdesk.checked_parts(
            [(data.prepayment_method, data.prepayment)], field="prepayment"
        )
        posted = await cashdesk.take_payment(
            self.actor,
            cashdesk.OrderRef(order.id, order.number, data.client_id),
            parts,
            prepayment=True,
            comment=PREPAYMENT_COMMENT,
            amount_field="prepayment",
        )
        await record_payment(self.actor, order.id, posted, PREPAYMENT_COMMENT, field="prepayment")

    async def create_order(self, data: OrderCreate) -> OrderOut:
        """Take a device in (or open a field order): number, public code, deadline, prepayment."""
        self.actor.require(Section.ORDERS, Action.CREATE)
        checked(data.prepayment, "prepayment")
        if data.prepayment > 0 and not self.actor.can(Section.FINANCE, Action.CREATE):
            raise InvalidInput("You may not take money", field="prepayment")
        if data.estimated_cost is not None:
            checked(data.estimated_cost, "estimated_cost")
        if data.locked_note:
            access.require_locked_note(self.actor)
        client = await related.client_brief(data.client_id)
        device = (
            await related.device_brief(data.device_id, data.client_id) if data.device_id else None
        )
        await related.check_employee(data.manager_id, "manager_id")
        await related.check_employee(data.technician_id, "technician_id")
        await related.check_employee(data.expert_id, "expert_id")
        await responsibles.check_service_center(data.service_center_id)
        if (
            data.source_org_id is not None
            and await partners.organization(data.source_org_id) is None
        ):
            raise InvalidInput(
                "No partner organization with id {id}", field="source_org_id", id=data.source_org_id
            )
        order_type = await self._order_type(data.order_type_id)
        custom = await clean_values("order", data.custom, order_type["id"])
        given = {
            "manager": data.manager_id,
            "technician": data.technician_id,
            "expert": data.expert_id,
            "service_center": data.service_center_id,
        }
        now = _now()
        due_at = data.due_at or now + dt.timedelta(days=order_type["default_deadline_days"])
        if due_at.tzinfo is None:
            raise InvalidInput(
                "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field="due_at"
            )
        visit_day, visit_from, visit_to = visit_wish(data.visit_day, data.visit_from, data.visit_to)
        percent, reason = await related.discount_for(data.client_id)
        async with Order._meta.db.transaction():
            subject = functools.partial(
                responsibles.subject_of,
                client_id=data.client_id,
                device=device,
                channel=data.channel,
                source_org_id=data.source_org_id,
                fields={
                    **custom,
                    "priority": data.priority.value,
                    "order_type": order_type["code"],
                },
            )
            filled, assignment = await responsibles.by_rules(subject, given)
            given.update(filled)
            number = await next_number(now.astimezone(clock.zone()).date())
            order = Order(
                number=number,
                public_code=public_code(),
                order_type=order_type["id"],
                status=order_type["initial_status"],
                priority=data.priority.value,
                client=data.client_id,
                device=data.device_id,
                declared_fault=data.declared_fault.strip(),
                appearance=data.appearance.strip(),
                accessories=data.accessories.strip(),
                locked_note=data.locked_note,
                estimated_cost=data.estimated_cost,
                due_at=due_at,
                visit_day=visit_day,
                visit_from=visit_from,
                visit_to=visit_to,
                prepayment=round_money(data.prepayment),
                manager=given["manager"] or (self.actor.employee_id or None),
                technician=given["technician"],
                expert=given["expert"],
                service_center=given["service_center"],
                channel=data.channel,
                source_org=data.source_org_id,
                assignment=assignment,
                discount_percent=percent,
                discount_reason=reason,
                custom=custom,
                search_own=order_own_words(number, device, data.declared_fault, custom),
                search_text=order_search_text(number, client, device, data.declared_fault, custom),
                created_by=self.actor.employee_id or None,
                created_at=now,
                updated_at=now,
            )
            await order.save()
            after = {
                "number": number,
                "client": client["name"],
                "declared_fault": data.declared_fault,
            }
            await audit.record(
                self.actor,
                "order",
                order.id,
                "create",
                audit.diff({}, after),
                scope=f"order:{order.id}",
            )
            if data.prepayment > 0:
                await self._take_prepayment(order, data)
            await recompute_totals(order.id)
            await announce.order_received(order.id)
        if order_type["is_field"] and order_type["auto_assign"]:
            await _ask_for_master(order.id)
        return await self.get_order(order.id)

    async def update_order(self, order_id: int, patch: OrderPatch) -> OrderOut:
        """Change an order's fields; a stale `version` is a conflict, not a silent overwrite."""
        self.actor.require(Section.ORDERS, Action.EDIT)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        version = changes.pop("version", None)
        check_writable(self.actor, "order", changes)
        if "locked_note" in changes:
            access.require_locked_note(self.actor)
        async with Order._meta.db.transaction():
            row = await self.row(order_id, for_update=True)
            if version is not None and version != row["version"]:
                raise Conflict("The order was changed by someone else. Reload it and try again")
            values = await self._clean_patch(row, changes)
            values, notes = await self._overrides(row, values)
            if values:
                values["version"] = row["version"] + 1
                values["updated_at"] = _now()
                await Order.update(values).where(Order.id == order_id)  # type: ignore[arg-type]
                before = await _readable({k: row[k] for k in values if k in PATCH_AUDITED})
                after = await _readable({k: v for k, v in values.items() if k in PATCH_AUDITED})
                secret = frozenset({"locked_note"})
                await audit.record(
                    self.actor, "order", order_id, "update", audit.diff(before, after, secret),
                    scope=f"order:{order_id}",
                )  # fmt: skip
                if {"device", "custom", "declared_fault"} & set(values):
                    await refresh_order(order_id)
                for note in notes:
                    await write_note(self.actor, order_id, "responsible", note.text, note.data)
        return await self.get_order(order_id)

    async def _overrides(
        self, row: dict[str, Any], values: dict[str, Any]
    ) -> tuple[dict[str, Any], list[responsibles.Note]]:
        """A person's change of a responsible is an override: kept in `assignment`."""
        assignment, notes = await responsibles.overridden(self.actor, row, values)
        if notes:
            values = {**values, "assignment": assignment}
        return values, notes

    async def _clean_patch(self, row: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in ("declared_fault", "appearance", "accessories"):
            if key in changes:
                values[key] = changes[key].strip()
        if "locked_note" in changes:
            values["locked_note"] = changes["locked_note"]
        if "estimated_cost" in changes:
            if changes["estimated_cost"] is not None:
                checked(changes["estimated_cost"], "estimated_cost")
            values["estimated_cost"] = changes["estimated_cost"]
        if "due_at" in changes:
            if changes["due_at"] is not None and changes["due_at"].tzinfo is None:
                raise InvalidInput(
                    "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field="due_at"
                )
            values["due_at"] = changes["due_at"]
        if "priority" in changes:
            values["priority"] = changes["priority"].value
        if {"visit_day", "visit_from", "visit_to"} & set(changes):
            merged = {k: changes.get(k, row[k]) for k in ("visit_day", "visit_from", "visit_to")}
            values.update(
                zip(("visit_day", "visit_from", "visit_to"), visit_wish(**merged), strict=True)
            )
        if "device_id" in changes:
            if changes["device_id"] is not None:
                await related.device_brief(changes["device_id"], row["client"])
            values["device"] = changes["device_id"]
        for key, column in (
            ("manager_id", "manager"),
            ("technician_id", "technician"),
            ("expert_id", "expert"),
        ):
            if key in changes:
                await related.check_employee(changes[key], key)
                values[column] = changes[key]
        if "service_center_id" in changes:
            await responsibles.check_service_center(changes["service_center_id"])
            values["service_center"] = changes["service_center_id"]
        if "custom" in changes:
            merged = {**(row["custom"] or {}), **changes["custom"]}
            values["custom"] = await clean_values("order", merged, row["order_type"])
        return {k: v for k, v in values.items() if v != row.get(k)}

    async def _order_type(self, order_type_id: int | None) -> dict[str, Any]:
        query = OrderType.select().where(OrderType.is_active.eq(True))
        if order_type_id:
            query = query.where(OrderType.id == order_type_id)
        row = await query.order_by(OrderType.sort).first()
        if row is None:
            raise InvalidInput(
                "No order type with id {id}", field="order_type_id", id=order_type_id or 0
            )
        return row

    async def list_orders(
        self,
        filters: OrderFilters,
        *,
        sort: str = sorting.DEFAULT,
        cursor: str | None = None,
        limit: int = 50,
    ) -> tuple[list[OrderOut], str | None]:
        """A page of orders matching the filters, in two queries whatever the page holds.

        The page's ids are found first on the orders table alone (its keyset and search
        indexes), then only those rows are joined with their status, type, client and device.
        """
        self.actor.require(Section.ORDERS, Action.VIEW)
        order = sorting.parse(self.actor, sort)
        page = Order.select(Order.id, SelectRaw(f"{order.key.sql} AS sort_value"))
        for condition in await self._conditions(filters):
            page = page.where(condition)
        scope = access.scope_condition(self.actor)
        if scope is not None:
            page = page.where(scope)
        if cursor:
            value, last_id = cursor_codec.decode(f"orders:{sort}", cursor, 2)
            page = page.where(sorting.after(order, sorting.read_value(order, value), last_id))
        page = page.order_by(OrderByRaw(order.key.sql), ascending=order.ascending).order_by(
            Order.id, ascending=order.ascending
        )
        keys = await page.limit(limit + 1)
        ids = [k["id"] for k in keys[:limit]]
        rows = (
            await Order.select(*order_columns()).where(Order.id.is_in(ids)).output(load_json=True)
            if ids
            else []
        )
        by_id = {r["id"]: r for r in rows}
        now = _now()
        items = [order_out(self.actor, by_id[i], now=now) for i in ids if i in by_id]
        next_cursor = None
        if len(keys) > limit:
            last = keys[limit - 1]
            value = sorting.cursor_value(order, last["sort_value"])
            next_cursor = cursor_codec.encode(f"orders:{sort}", [value, last["id"]])
        return items, next_cursor

    async def count_orders(self, filters: OrderFilters) -> int:
        """How many orders the filters select for the actor (the list's conditions and scope)."""
        self.actor.require(Section.ORDERS, Action.VIEW)
        query = Order.count()
        for condition in await self._conditions(filters):
            query = query.where(condition)
        scope = access.scope_condition(self.actor)
        if scope is not None:
            query = query.where(scope)
        return int(await query)

    async def summary(self) -> dict[str, int]:
        """Orders in the actor's scope by status group, plus open overdue ones (two queries)."""
        self.actor.require(Section.ORDERS, Action.VIEW)
        group = Order.status._.group
        query = Order.select(group.as_alias("group"), Count()).group_by(group)
        overdue = Order.count().where(
            Order.due_at < _now(), Order.status._.group.not_in(["closed", "cancelled"])
        )
        scope = access.scope_condition(self.actor)
        if scope is not None:
            query = query.where(scope)
            overdue = overdue.where(scope)
        counts = {r["group"]: r["count"] for r in await query}
        if "due_at" not in hidden_fields(self.actor, "order"):
            counts["overdue"] = await overdue
        return counts

    async def _conditions(self, f: OrderFilters) -> list[Any]:
        hidden = hidden_fields(self.actor, "order")
        for name, field in FILTER_FIELDS.items():
            if getattr(f, name) not in (None, False, [], {}) and field in hidden:
                raise InvalidInput("You may not filter by a field hidden from you", field=name)
        conditions: list[Any] = []
        if f.q.strip():
            condition = self._search(f.q, hidden)
            if condition is not None:
                conditions.append(condition)
        if f.status:
            conditions.append(Order.status._.code.is_in(f.status))
        if f.status_group:
            conditions.append(Order.status._.group.is_in(f.status_group))
        if f.order_type:
            conditions.append(Order.order_type._.code.is_in(f.order_type))
        if f.priority:
            conditions.append(Order.priority.is_in(f.priority))
        if f.technician is not None:
            conditions.append(Order.technician == f.technician)
        if f.client is not None:
            conditions.append(Order.client == f.client)
        for value, column, op, shift in (
            (f.created_from, Order.created_at, ">=", 0),
            (f.created_to, Order.created_at, "<", 1),
            (f.due_from, Order.due_at, ">=", 0),
            (f.due_to, Order.due_at, "<", 1),
        ):
            if value is not None:
                bound = clock.day_start(value + dt.timedelta(days=shift))
                conditions.append(column >= bound if op == ">=" else column < bound)
        if f.ids is not None:
            conditions.append(Order.id.is_in(f.ids or [0]))
        if f.overdue:
            conditions.append(Order.due_at < _now())
            conditions.append(Order.status._.group.not_in(["closed", "cancelled"]))
        for code, wanted in f.custom.items():
            if not code.replace("_", "").isalnum():
                raise InvalidInput("Unknown field", field=f"custom.{code}")
            conditions.append(WhereRaw("service_order.custom ->> {} = {}", code, wanted))
        return conditions

    def _search(self, text: str, hidden: frozenset[str]) -> Any | None:
        """Every typed word found by prefix among the words of what the actor may read."""
        text = searched_as(text)
        if not (hidden & {*SEARCHED, "client"}) and not clients.search_is_limited(self.actor):
            return matches(Order, text)
        parts = [
            "service_order.number",
            "replace(service_order.number, '-', '')",
            *(sql for field, sql in SEARCHED.items() if field not in hidden),
        ]
        if "client" not in hidden:
            words = words_sql(clients.searched_parts(self.actor, "c"))
            parts.append(f"(SELECT {words} FROM client c WHERE c.id = service_order.client)")
        return matches_parts(parts, text)


async def _readable(values: dict[str, Any]) -> dict[str, Any]:
    """Audit values as people read them: employees by name rather than by id."""
    people = ("manager", "technician", "expert")
    ids = [values[k] for k in people if values.get(k)]
    orgs = await partners.names([values["service_center"]]) if values.get("service_center") else {}
    if not ids and not orgs:
        return values
    names = await staff.names(ids)
    return {
        k: names.get(v, v)
        if k in people and v
        else (orgs.get(v, v) if k == "service_center" and v else v)
        for k, v in values.items()
    }
