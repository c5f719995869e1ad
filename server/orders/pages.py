"""Order pages: the list, the order card and its actions (forms post, errors shown in place)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Request, get, post
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Response, Template
from msgspec import UNSET

from server import clock
from server.actor import Actor
from server.cashdesk import api as cashdesk
from server.clients import api as clients
from server.errors import DomainError, InvalidInput
from server.guards import CurrentActor
from server.i18n import gettext
from server.orders import lines, listing, sorting, timeline, workflow
from server.orders.choices import PRIORITY_LABELS, EventKind
from server.orders.customfields import definitions
from server.orders.prices import price_choices
from server.orders.schemas import (
    EventCreate,
    LineCreate,
    OrderOut,
    OrderPatch,
    PaymentCreate,
    RefundCreate,
)
from server.orders.services import OrderFilters, OrderService
from server.orders.tables import OrderStatus, OrderType
from server.params import RecordId
from server.partners import api as partners
from server.sla import api as sla
from server.staff import api as staff
from server.staff.permissions import Action, Capability, Section
from server.stock import api as stock
from server.web.forms import FormError, convert, decimal_of, errors_of, read_form
from server.web.templating import page_context

AnyText = Annotated[str, QueryParameter()]  # any text passes; the handler judges it
ROLE_KEYS = ("technician_id", "manager_id", "expert_id", "service_center_id")
GROUPS = ("new", "in_work", "waiting", "ready", "closed", "cancelled")


async def employee_names() -> dict[int, str]:
    """Names of all employees, for showing assignees (one small query per page)."""
    return await staff.names()


async def technicians(*keep: int | None) -> list[Any]:
    """Employees who can be an order's technician (the staff domain says who), and `keep`."""
    return list(await staff.technicians(keep))


@get("/orders", include_in_schema=False)
async def orders_page(
    request: Request[Any, Any, Any],
    actor: CurrentActor,
    q: AnyText = "",
    sort: AnyText = "",
    cursor: AnyText = "",
    assignee: AnyText = "",
    client: AnyText = "",
) -> Template:
    """Orders with search, quick and detailed filters, saved filters, the employee's columns
    and sorting by them. Every parameter is plain text read by `listing.filters_from`, so a
    bad value is shown next to its field (400) instead of failing the page."""
    params = {k: v for k, v in request.query_params.items() if k != "cursor"}
    filters, problems = listing.filters_from(actor, params)
    group = params.get("group", "")[:20]
    sla_state = params.get("sla", "")[:20]
    if group in GROUPS:
        filters.status_group = [group]
    elif group == "overdue":
        filters.overdue = True
    elif group == "mine":
        filters.technician = actor.employee_id
    if sla_state in sla.STATES:
        filters.ids = await sla.order_ids_in_state(sla_state)
    if sort not in sorting.allowed(actor):  # unknown, or by a field hidden from the actor
        sort = sorting.DEFAULT
        params.pop("sort", None)
    service = OrderService(actor)
    try:
        items, next_cursor = await service.list_orders(
            filters, sort=sort, cursor=cursor[:300] or None, limit=30
        )
    except InvalidInput as error:  # a filter by a hidden field, a damaged cursor
        problems.append(error)
        items, next_cursor = await service.list_orders(OrderFilters(), sort=sort, limit=30)
    errors = {e.field or "": e.text() for e in problems}
    query = {k: v[:200] for k, v in params.items() if v and k not in errors}
    available = await listing.available_columns(actor)
    context = page_context(
        actor,
        orders=items,
        sla=await sla.orders_sla(actor, [o.id for o in items]),
        sla_state=sla_state,
        sla_labels=sla.LABELS,
        q=filters.q,
        filters=msgspec.structs.asdict(filters),
        group=group,
        groups=GROUPS,
        query=query,
        sort=sort,
        column_sorts={c: s for c, s in sorting.COLUMN_SORTS.items() if s in sorting.allowed(actor)},
        sort_href=lambda value: f"/orders?{urlencode({**query, 'sort': value})}",
        next_href=f"/orders?{urlencode({**query, 'cursor': next_cursor})}" if next_cursor else None,
        query_string=urlencode(query),
        names=await employee_names(),
        technicians=await technicians(),
        statuses=await OrderStatus.select(OrderStatus.code, OrderStatus.name).order_by(
            OrderStatus.sort
        ),
        types=await OrderType.select(OrderType.code, OrderType.name).order_by(OrderType.sort),
        columns=await listing.chosen_columns(actor, available),
        column_labels=dict(available),
        saved=await listing.saved_filters(actor),
        can_create=actor.can(Section.ORDERS, Action.CREATE),
        priorities=PRIORITY_LABELS,
        errors=errors,
    )
    return Template("orders/list.html", context=context, status_code=400 if errors else 200)


@post("/orders/filters", include_in_schema=False)
async def save_filter(request: Request[Any, Any, Any], actor: CurrentActor) -> Redirect:
    """Save the current quick filter under a name."""
    form = await read_form(request)
    query = str(form.get("query", ""))[:1000]
    await listing.save_filter(actor, str(form.get("filter_name", "")), query)
    return Redirect(f"/orders?{query}")


@post("/orders/filters/{filter_id:int}/delete", include_in_schema=False)
async def delete_filter(actor: CurrentActor, filter_id: RecordId) -> Redirect:
    """Forget a saved filter."""
    await listing.delete_filter(actor, filter_id)
    return Redirect("/orders")


@get("/orders/columns", include_in_schema=False)
async def columns_page(actor: CurrentActor) -> Template:
    """Choose and order the columns of the orders table."""
    available = await listing.available_columns(actor)
    chosen = await listing.chosen_columns(actor, available)
    context = page_context(actor, chosen=chosen, available=available, errors={})
    return Template("orders/columns.html", context=context)


@post("/orders/columns", include_in_schema=False)
async def columns_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Save the chosen columns in the given order (position numbers)."""
    form = await read_form(request)
    picked = form.get("columns", [])
    picked = picked if isinstance(picked, list) else [picked]
    positions = {c: str(form.get(f"pos:{c}", "99")) for c in picked}
    ordered = sorted(picked, key=lambda c: (int(positions[c]) if positions[c].isdigit() else 99, c))
    try:
        await listing.choose_columns(actor, [str(c) for c in ordered])
    except DomainError as error:
        context = page_context(
            actor,
            chosen=picked,
            available=await listing.available_columns(actor),
            errors=errors_of(error),
        )
        return Template("orders/columns.html", context=context, status_code=400)
    return Redirect("/orders")


async def order_card(
    actor: Actor,
    order_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
    notice: str | None = None,
    accepted: bool = False,
) -> Template:
    """The order card with every form on it; errors shown next to the form that failed."""
    order = await OrderService(actor).get_order(order_id)
    feed = await timeline.timeline(actor, order_id)
    every_field = await definitions("order", order.type.id, archived=True)  # old values stay
    fields = [f for f in every_field if f["is_active"]]
    from server.documents.print_templates import stored_by_kind

    print_templates = await stored_by_kind()
    can_edit = actor.can(Section.ORDERS, Action.EDIT)
    from server.acts import kinds as act_kinds
    from server.acts import services as acts
    from server.deliveries import api as deliveries
    from server.dispatch.choices import STATUS_COLORS, STATUS_LABELS
    from server.dispatch.services import visits_of_order
    from server.purchasing import api as purchasing

    context = page_context(
        actor,
        order=order,
        sla=await sla.order_sla(actor, order_id),
        feed=feed,
        visits=[
            {**v, "day": dt.date.fromisoformat(v["day"])}
            for v in await visits_of_order(actor, order_id)
        ],
        acts=await acts.order_acts(actor, order_id),
        deliveries=await deliveries.costs_of_read_order(actor, order.id),
        can_ship=actor.can(Section.DELIVERIES, Action.CREATE),
        purchases=await purchasing.for_order_card(
            actor, order.id, [] if order.lines is UNSET else order.lines
        ),
        act_kinds=[k for k in await act_kinds.all_kinds() if k.is_active],
        visit_labels=STATUS_LABELS,
        visit_colors=STATUS_COLORS,
        can_plan_visits=actor.can(Section.DISPATCH, Action.CREATE),
        prices=await price_choices(order_id),
        warehouses=await stock.list_warehouses(actor, active_only=True)
        if can_edit and actor.can(Section.STOCK, Action.VIEW)
        else [],
        phones=await client_phones(order),
        names=await employee_names(),
        technicians=await technicians(_set(order.technician_id)) if can_edit else [],
        employees=await staff.active_employees() if can_edit else [],
        **await responsibles_context(actor, order),
        errors=errors or {},
        values=values or {},
        notice=notice,
        accepted=accepted,
        can_edit=can_edit,
        **await _money_context(actor, order),
        free_price=actor.has(Capability.FREE_PRICE),
        priorities=PRIORITY_LABELS,
        event_kinds=[k.value for k in EventKind if k is not EventKind.ATTACHMENT],
        fields=fields,
        every_field=every_field,
        print_templates=print_templates,
        **await _roles_context(actor),
    )
    return Template("orders/card.html", context=context, status_code=status_code)


async def _money_context(actor: Actor, order: OrderOut) -> dict[str, Any]:
    """Payments of the card (when something was paid and the caller may see it), whether the
    caller may take or refund money, and the desks with an open shift to choose from."""
    can_pay = actor.can(Section.FINANCE, Action.CREATE)
    paid = order.paid if isinstance(order.paid, Decimal) else None
    shown = paid is not None and isinstance(order.prepayment, Decimal)
    payments = await lines.payments_of(order.id) if shown and paid else []
    can_refund = can_pay and actor.has(Capability.REFUND) and bool(paid)
    due = order.amount_due if isinstance(order.amount_due, Decimal) else Decimal(0)
    desks = await cashdesk.open_desks() if can_refund or (can_pay and due > 0) else []
    refundable: dict[int, tuple[str, Decimal]] = {}
    for p in payments:
        if p.document_id is not None and p.amount > 0:
            number, total = refundable.get(p.document_id, (p.document_number, Decimal(0)))
            refundable[p.document_id] = (number, total + p.amount)
    return {
        "can_pay": can_pay,
        "can_refund": can_refund,
        "refundable": refundable,
        "payments": payments,
        "cash_desks": desks,
        "payment_methods": cashdesk.METHOD_LABELS,
    }


async def _roles_context(actor: Actor) -> dict[str, Any]:
    """Role names for the timeline, and the codes an event can be hidden from (one query)."""
    names = await staff.role_names()  # every role, in the order of role_codes()
    return {
        "role_names": names,
        "role_codes": list(names) if actor.has(Capability.LOCK_EVENTS) else [],
    }


def _set(value: Any) -> int | None:
    """An id field of the order as shown to the caller (None when hidden or empty)."""
    return value if isinstance(value, int) else None


async def client_phones(order: Any) -> list[str]:
    """The phones of the order's client, when the caller may see who the client is."""
    if order.client is UNSET or order.client is None:
        return []
    found = await clients.contacts_of([order.client.id], addresses=False)
    return [p["number"] for p in found.get(order.client.id, {}).get("phones", [])]


async def responsibles_context(actor: Actor, order: Any) -> dict[str, Any]:
    """The card's responsibles: who, and what set each (a rule by name, or a person)."""
    shown = [
        (role, label, getattr(order, field))
        for role, field, label in (
            ("manager", "manager_id", "Manager"),
            ("service_center", "service_center_id", "Service center"),
            ("expert", "expert_id", "Technical expert"),
            ("technician", "technician_id", "Technician"),
        )
        if getattr(order, field) is not UNSET
    ]
    centers = await partners.organizations("service_center")
    current = [order.service_center_id] if isinstance(order.service_center_id, int) else []
    return {
        "responsibles": shown,
        "assignment": _with_times(order.assignment if isinstance(order.assignment, dict) else {}),
        "center_names": await partners.names([c.id for c in centers] + current),
        "service_centers": centers if actor.can(Section.ORDERS, Action.EDIT) else [],
    }


def _with_times(assignment: dict[str, Any]) -> dict[str, Any]:
    """`assignment` with each override's time as a datetime (stored as ISO text)."""
    shown: dict[str, Any] = {}
    for role, how in assignment.items():
        if isinstance(how, dict) and isinstance(how.get("at"), str):
            try:
                how = {**how, "at": dt.datetime.fromisoformat(how["at"])}
            except ValueError:
                how = {k: v for k, v in how.items() if k != "at"}
        shown[role] = how
    return shown


@get("/orders/{order_id:int}", include_in_schema=False)
async def order_page(
    actor: CurrentActor,
    order_id: RecordId,
    accepted: Annotated[str, QueryParameter(max_length=1)] = "",
) -> Template:
    """One order: client, device, lines and money, status, live timeline; `accepted=1` right
    after the intake (the notice with the receipt at hand)."""
    return await order_card(actor, order_id, accepted=accepted == "1")


@get("/orders/{order_id:int}/events", include_in_schema=False)
async def events_fragment(
    actor: CurrentActor,
    order_id: RecordId,
    after: Annotated[str, QueryParameter(max_length=40)] = "",
) -> Template:
    """The card's newer timeline events as HTML (newest first), the cursor in a header."""
    feed = await timeline.timeline(actor, order_id, after or None)
    context = page_context(
        actor,
        feed=feed,
        order={"id": order_id},
        **await _roles_context(actor),
    )
    return Template(
        "orders/events.html", context=context, headers={"X-Timeline-Cursor": feed.cursor}
    )


async def _act(
    actor: Actor,
    order_id: int,
    form: dict[str, Any],
    action: Any,
    *,
    renamed: dict[str, str] | None = None,
) -> Response[Any]:
    """Run a form's action; on an error the card again with the form as typed and the error
    next to its field (`renamed` maps the service's field names to the form's)."""
    try:
        await action()
    except (DomainError, FormError) as error:
        errors = {(renamed or {}).get(k, k): v for k, v in errors_of(error).items()}
        return await order_card(actor, order_id, errors=errors, values=form, status_code=400)
    return Redirect(f"/orders/{order_id}")


@post("/orders/{order_id:int}/status", include_in_schema=False)
async def status_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Move the order to a status."""
    form = await read_form(request)

    async def run() -> None:
        await workflow.change_status(
            actor, order_id, str(form.get("status", ""))[:50], str(form.get("comment", ""))[:300]
        )

    return await _act(actor, order_id, form, run)


@post("/orders/{order_id:int}/lines", include_in_schema=False)
async def line_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Add a line from the price list (or a free one with the permission)."""
    form = await read_form(request)

    async def run() -> None:
        data: dict[str, Any] = {"quantity": decimal_of(form.get("quantity", "1"), "quantity")}
        if str(form.get("price_item_id", "")).isdigit():
            data["price_item_id"] = int(form["price_item_id"])
        for key in ("kind", "name", "price_reason"):
            if form.get(key):
                data[key] = str(form[key])
        for key in ("unit_price", "discount_percent"):
            if str(form.get(key, "")).strip():
                data[key] = decimal_of(form[key], key)
        if str(form.get("warehouse_id", "")).isdigit():
            data["warehouse_id"] = int(form["warehouse_id"])
        if str(form.get("serials", "")).strip():
            data["serials"] = _serials(form["serials"])
        await lines.add_line(actor, order_id, convert(data, LineCreate))

    return await _act(actor, order_id, form, run)


@post("/orders/{order_id:int}/lines/{line_id:int}/delete", include_in_schema=False)
async def line_delete(actor: CurrentActor, order_id: RecordId, line_id: RecordId) -> Response[Any]:
    """Remove a line."""

    async def run() -> None:
        await lines.delete_line(actor, order_id, line_id)

    return await _act(actor, order_id, {}, run)


def _serials(typed: Any) -> list[str]:
    """Serial numbers as typed: one a line, or separated by commas."""
    return [s.strip()[:100] for s in str(typed).replace(",", "\n").splitlines() if s.strip()][:50]


@post("/orders/{order_id:int}/lines/{line_id:int}/serials", include_in_schema=False)
async def line_serials(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId, line_id: RecordId
) -> Response[Any]:
    """Choose the serials of a serial-tracked part reserved on a warehouse."""
    form = await read_form(request)
    prefix = f"serials.{line_id}."
    try:
        await lines.choose_serials(actor, order_id, line_id, _serials(form.get("serials", "")))
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        errors = {prefix + "serials": " ".join(errors_of(error).values())}
        typed = {prefix + "serials": str(form.get("serials", ""))}
        return await order_card(actor, order_id, errors=errors, values=typed, status_code=400)
    return Redirect(f"/orders/{order_id}")


@post("/orders/{order_id:int}/lines/{line_id:int}/purchase", include_in_schema=False)
async def line_purchase(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId, line_id: RecordId
) -> Response[Any]:
    """«Order» the part the line waits for from a supplier (purchasing); the card says what
    became of the repair, or shows the error next to the line's small form."""
    from server.purchasing import api as purchasing

    form = await read_form(request)
    chosen = {k: str(form.get(k, "")).strip() for k in ("supplier_id", "warehouse_id")}
    prefix = f"purchase.{line_id}."
    try:
        data = convert(
            {"order_id": order_id, "line_id": line_id, **{k: v for k, v in chosen.items() if v}},
            purchasing.OrderForLineIn,
        )
        done = await purchasing.order_for_line(actor, data)
    except (DomainError, FormError) as error:
        if isinstance(error, DomainError) and error.status_code in (403, 404):
            raise
        errors = {prefix + (key or "line_id"): text for key, text in errors_of(error).items()}
        typed = {prefix + k: v for k, v in chosen.items()}
        return await order_card(actor, order_id, errors=errors, values=typed, status_code=400)
    return await order_card(actor, order_id, notice=done.message)


@post("/orders/{order_id:int}/payments", include_in_schema=False)
async def payment_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Take a payment: one amount by one method, or split in two (amount2 by method2)."""
    form = await read_form(request)
    names = {"parts.0.amount": "amount", "parts.0.method": "method"}
    names |= {"parts.1.amount": "amount2", "parts.1.method": "method2"}

    async def run() -> None:
        await lines.add_payment(actor, order_id, convert(_payment(form, ""), PaymentCreate))

    return await _act(actor, order_id, form, run, renamed=names)


@post("/orders/{order_id:int}/refunds", include_in_schema=False)
async def refund_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Give money back, with the reason (the refund_ fields of the card's refund form)."""
    form = await read_form(request)
    names = {k: f"refund_{k}" for k in ("amount", "method", "reason", "desk_id")}
    names |= {"parts.0.amount": "refund_amount", "parts.0.method": "refund_method"}

    async def run() -> None:
        data = _payment(form, "refund_")
        data["reason"] = str(form.get("refund_reason", "")).strip()[:300]
        if not data["reason"]:
            raise FormError({"refund_reason": gettext("Say why")})
        of = str(form.get("refund_of", ""))
        data["refund_of"] = int(of) if of.isdigit() else None
        await lines.refund_payment(actor, order_id, convert(data, RefundCreate))

    return await _act(actor, order_id, form, run, renamed=names)


def _payment(form: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Amounts by method from the card's payment or refund form (a second part is optional)."""
    parts = [
        {
            "method": str(form.get(f"{prefix}method", "cash")),
            "amount": decimal_of(form.get(f"{prefix}amount", ""), f"{prefix}amount"),
        }
    ]
    if str(form.get(f"{prefix}amount2", "")).strip():
        parts.append(
            {
                "method": str(form.get(f"{prefix}method2", "card")),
                "amount": decimal_of(form[f"{prefix}amount2"], f"{prefix}amount2"),
            }
        )
    desk = str(form.get(f"{prefix}desk_id", ""))
    return {"parts": parts, "desk_id": int(desk) if desk.isdigit() else None}


@post("/orders/{order_id:int}/events", include_in_schema=False)
async def event_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Write a comment, call or task."""
    form = await read_form(request)

    async def run() -> None:
        data = {"kind": form.get("kind", "comment"), "text": str(form.get("text", ""))[:5000]}
        await timeline.add_event(actor, order_id, convert(data, EventCreate))

    return await _act(actor, order_id, form, run)


@post("/orders/{order_id:int}/assign", include_in_schema=False)
async def assign_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Change technician, priority and due date."""
    form = await read_form(request)

    async def run() -> None:
        data: dict[str, Any] = {
            "version": int(form["version"]) if str(form.get("version", "")).isdigit() else None
        }
        technician = str(form.get("technician_id", ""))
        data["technician_id"] = int(technician) if technician.isdigit() else None
        for key in ("manager_id", "expert_id", "service_center_id"):
            if key in form:  # only what the form shows is changed
                value = str(form.get(key, ""))
                data[key] = int(value) if value.isdigit() and len(value) < 10 else None
        if form.get("priority"):
            data["priority"] = form["priority"]
        if form.get("due_date"):
            try:
                day = dt.date.fromisoformat(str(form["due_date"]))
            except ValueError:
                raise InvalidInput("Enter a date like 2026-11-23", field="due_date") from None
            data["due_at"] = dt.datetime.combine(day, dt.time(19, 0), clock.zone())
        await OrderService(actor).update_order(
            order_id,
            convert({k: v for k, v in data.items() if v is not None or k in ROLE_KEYS}, OrderPatch),
        )

    return await _act(actor, order_id, form, run)


@post("/orders/{order_id:int}/events/{event_id:str}/lock", include_in_schema=False)
async def lock_submit(
    request: Request[Any, Any, Any],
    actor: CurrentActor,
    order_id: RecordId,
    event_id: Annotated[str, PathParameter(pattern=r"^[ae][0-9]{1,10}$")],
) -> Response[Any]:
    """Choose the roles an event is hidden from."""
    form = await read_form(request)
    roles = form.get("hidden_from_roles", [])
    roles = [str(r)[:50] for r in (roles if isinstance(roles, list) else [roles])][:20]

    async def run() -> None:
        await timeline.lock_event(actor, order_id, event_id, roles)

    return await _act(actor, order_id, form, run)


def custom_from(form: dict[str, Any]) -> dict[str, Any]:
    """Values of custom.<code> inputs; an unticked checkbox sends nothing, so it becomes false."""
    return {k.removeprefix("custom."): v for k, v in form.items() if k.startswith("custom.")}


@post("/orders/{order_id:int}/custom", include_in_schema=False)
async def custom_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Save the order's custom fields."""
    form = await read_form(request)

    async def run() -> None:
        order = await OrderService(actor).get_order(order_id)
        values = custom_from(form)
        for field in await definitions("order", order.type.id):
            if field["kind"] == "checkbox":
                values.setdefault(field["code"], False)
        await OrderService(actor).update_order(order_id, OrderPatch(custom=values))

    return await _act(actor, order_id, form, run)


handlers = [
    lock_submit,
    custom_submit,
    orders_page,
    save_filter,
    delete_filter,
    columns_page,
    columns_submit,
    order_page,
    events_fragment,
    status_submit,
    line_submit,
    line_delete,
    line_purchase,
    line_serials,
    payment_submit,
    refund_submit,
    event_submit,
    assign_submit,
]
