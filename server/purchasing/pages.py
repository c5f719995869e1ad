"""Pages of purchasing: the supplier orders list (/purchasing), a new one (/purchasing/new) and
its card (/purchasing/<id>) with lines, what arrived, the status steps and the receive form
(the suppliers directory: supplier_pages)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template
from msgspec import UNSET

from server.actor import Actor
from server.deliveries import api as deliveries
from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import MAX_ID, RecordId, Search
from server.purchasing import expertise, listing, receiving, services, suppliers
from server.purchasing.choices import STATUS_STYLE, STEPS, OrderStatus
from server.purchasing.schemas import (
    ExpertiseIn,
    ExpertiseResultIn,
    ReceiveIn,
    StatusIn,
    SupplierOrderIn,
    SupplierOrderOut,
    SupplierOrderPatch,
)
from server.staff.permissions import Action, Section
from server.stock import api as stock
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

StatusFilter = Annotated[
    str, QueryParameter(pattern="^(|draft|sent|confirmed|partly_received|received|cancelled)$")
]
IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
CursorText = Annotated[str | None, QueryParameter(max_length=500)]
BLANK_LINES = 3  # empty line rows a new supplier order's form offers
LINE_FIELDS = ("item_id", "quantity", "unit_price", "repair_order_id", "repair_line_id")


async def _choices(actor: Actor) -> dict[str, Any]:
    """Suppliers, warehouses and items the forms offer (only for one who may fill them)."""
    if not actor.can(Section.PURCHASING, Action.CREATE):
        return {"supplier_choices": [], "warehouses": [], "items": []}
    items, _ = await stock.search_items(actor, limit=500)
    return {
        "supplier_choices": await suppliers.active_suppliers(actor),
        "warehouses": await stock.list_warehouses(actor, active_only=True),
        "items": items,
    }


def _number(value: Any) -> Any:
    text = str(value).strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    return text or None


def form_lines(form: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The filled line rows of an order form (lines.<n>.<field>) as the API takes them."""
    lines = []
    for index in range(count):
        row = {key: form.get(f"lines.{index}.{key}", "") for key in LINE_FIELDS}
        if not str(row["item_id"]).strip() and not str(row["quantity"]).strip():
            continue
        lines.append({k: _number(v) for k, v in row.items() if _number(v) is not None})
    return lines


def _typed_lines(form: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """Every line row as typed (the form shown again keeps them, empty rows too)."""
    return [{k: form.get(f"lines.{i}.{k}", "") for k in LINE_FIELDS} for i in range(count)]


@get("/purchasing", include_in_schema=False)
async def purchasing_page(
    actor: CurrentActor,
    status: StatusFilter = "",
    supplier_id: IdFilter = None,
    warehouse_id: IdFilter = None,
    q: Search = "",
    cursor: CursorText = None,
) -> Template:
    """Supplier orders, newest first, with filters."""
    items, following = await listing.list_orders(
        actor,
        status=status or None,
        supplier_id=supplier_id,
        warehouse_id=warehouse_id,
        q=q,
        cursor=cursor,
    )
    filters = {"status": status, "supplier_id": supplier_id, "warehouse_id": warehouse_id, "q": q}
    chosen = {k: v for k, v in filters.items() if v}
    context = page_context(
        actor,
        items=items,
        following=following,
        status=status,
        supplier_id=supplier_id,
        warehouse_id=warehouse_id,
        q=q,
        chosen=chosen,
        statuses=STATUS_STYLE,
        supplier_choices=(await suppliers.list_suppliers(actor, include_inactive=True, limit=500))[
            0
        ],
        warehouses=await stock.list_warehouses(actor)
        if actor.can(Section.STOCK, Action.VIEW)
        else [],
        can_create=actor.can(Section.PURCHASING, Action.CREATE),
        can_export=actor.can(Section.PURCHASING, Action.EXPORT),
    )
    return Template("purchasing/list.html", context=context)


async def _new_page(
    actor: Actor, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Template:
    actor.require(Section.PURCHASING, Action.CREATE)
    context = page_context(actor, values=values, errors=errors, **await _choices(actor))
    return Template("purchasing/new.html", context=context, status_code=status)


@get("/purchasing/new", include_in_schema=False)
async def new_order_page(actor: CurrentActor, supplier_id: IdFilter = None) -> Template:
    """The form of a new supplier order."""
    values = {"supplier_id": supplier_id or "", "lines": _typed_lines({}, BLANK_LINES)}
    return await _new_page(actor, values, {})


def _header(form: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in keys:
        if key not in form:
            continue
        value = str(form[key]).strip()
        values[key] = (
            (value or None) if key in ("supplier_id", "warehouse_id", "expected_on") else value
        )
    return values


@post("/purchasing/new", include_in_schema=False)
async def new_order_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add the draft and open its card."""
    form = await read_form(request)
    values = _header(form, ("supplier_id", "warehouse_id", "expected_on", "note"))
    count = min(int(form.get("line_count", BLANK_LINES) or BLANK_LINES), 200)
    shown = {**values, "lines": _typed_lines(form, count)}
    try:
        made = await services.create(
            actor, convert({**values, "lines": form_lines(form, count)}, SupplierOrderIn)
        )
    except (DomainError, FormError) as error:
        return await _new_page(actor, shown, errors_of(error), 400)
    return Redirect(f"/purchasing/{made.id}")


async def _card(
    actor: Actor,
    order_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
    values: dict[str, Any] | None = None,
    notice: str | None = None,
) -> Template:
    found = await listing.get(actor, order_id)
    reached = STEPS.index(OrderStatus(found.status)) if found.status in STEPS else -1
    context = page_context(
        actor,
        o=found,
        errors=errors or {},
        values=values or {},
        notice=notice,
        steps=[(s, s.label, i <= reached) for i, s in enumerate(STEPS)],
        next_labels={code: STATUS_STYLE[OrderStatus(code)][0] for code in found.next_statuses},
        edit_lines=_edit_lines(found) if found.editable else [],
        can_examine=actor.can(Section.PURCHASING, Action.CREATE),
        **(await _choices(actor) if found.editable else {"supplier_choices": [], "items": [],
                                                         "warehouses": []}),
    )  # fmt: skip
    return Template("purchasing/card.html", context=context, status_code=status)


def _edit_lines(found: SupplierOrderOut) -> list[dict[str, Any]]:
    """A draft's lines as its edit form shows them, and an empty row to add one."""
    rows = []
    for line in found.lines:
        repair = line.repair
        rows.append(
            {
                "item_id": line.item_id,
                "quantity": line.quantity,
                "unit_price": "" if line.unit_price is UNSET else line.unit_price,
                "repair_order_id": "" if repair is None else _shown(repair.order_id),
                "repair_line_id": "" if repair is None else _shown(repair.line_id),
            }
        )
    return [*rows, dict.fromkeys(LINE_FIELDS, "")]


def _shown(value: Any) -> Any:
    return "" if value is UNSET else value


@get("/purchasing/{supplier_order_id:int}", include_in_schema=False)
async def order_card(actor: CurrentActor, supplier_order_id: RecordId) -> Template:
    """A supplier order's card."""
    return await _card(actor, supplier_order_id)


async def _step(
    actor: Actor, order_id: int, step: Any, values: dict[str, Any] | None = None
) -> Response[Any]:
    try:
        result = await step
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        code = error.status_code if error.status_code >= 409 else 400
        return await _card(actor, order_id, errors_of(error), code, values)
    if getattr(result, "repairs_moved", None) or getattr(result, "repairs_left", None):
        return await _card(actor, order_id, notice=_moved_notice(result))
    return Redirect(f"/purchasing/{order_id}")


def _moved_notice(result: Any) -> str:
    parts = []
    if result.repairs_moved:
        parts.append(
            gettext("Repairs moved on: {numbers}", numbers=", ".join(result.repairs_moved))
        )
    if result.repairs_left:
        parts.append(gettext("Left as they are: {items}", items="; ".join(result.repairs_left)))
    return ". ".join(parts)


@post("/purchasing/{supplier_order_id:int}", include_in_schema=False)
async def order_save(
    request: Request[Any, Any, Any], actor: CurrentActor, supplier_order_id: RecordId
) -> Response[Any]:
    """Save the card's edit form (a draft's lines with it)."""
    form = await read_form(request)
    values = _header(form, ("supplier_id", "warehouse_id", "expected_on", "note"))
    if "expected_on" in form and values.get("expected_on") is None:
        values["expected_on"] = None
    shown = dict(values)
    if "line_count" in form:
        count = _count(form)
        values["lines"] = form_lines(form, count)
        shown["lines"] = _typed_lines(form, count)
    try:
        data = convert(values, SupplierOrderPatch)
    except FormError as error:
        return await _card(actor, supplier_order_id, errors_of(error), 400, shown)
    step = services.update(actor, supplier_order_id, data)
    return await _step(actor, supplier_order_id, step, shown)


@post("/purchasing/{supplier_order_id:int}/status", include_in_schema=False)
async def order_status(
    request: Request[Any, Any, Any], actor: CurrentActor, supplier_order_id: RecordId
) -> Response[Any]:
    """Move the supplier order on, from the card's buttons."""
    form = await read_form(request)
    data = StatusIn(status=str(form.get("status", ""))[:20], note=str(form.get("note", ""))[:2000])
    return await _step(
        actor, supplier_order_id, services.change_status(actor, supplier_order_id, data)
    )


@post("/purchasing/{supplier_order_id:int}/receive", include_in_schema=False)
async def order_receive(
    request: Request[Any, Any, Any], actor: CurrentActor, supplier_order_id: RecordId
) -> Response[Any]:
    """Receive what arrived, from the card's receive form (a quantity per line)."""
    form = await read_form(request)
    lines = []
    typed: dict[str, Any] = {"supplier_document": str(form.get("supplier_document", ""))[:100]}
    for index in range(_count(form)):
        quantity = _number(form.get(f"lines.{index}.quantity", ""))
        typed[f"lines.{index}.quantity"] = form.get(f"lines.{index}.quantity", "")
        serials = str(form.get(f"lines.{index}.serials", ""))
        typed[f"lines.{index}.serials"] = serials
        if quantity is None:
            continue
        lines.append(
            {
                "line_id": form.get(f"lines.{index}.line_id"),
                "quantity": quantity,
                "serials": [s for s in serials.replace(",", "\n").splitlines() if s.strip()],
            }
        )
    try:
        data = convert({"lines": lines, "supplier_document": typed["supplier_document"]}, ReceiveIn)
    except FormError as error:
        errors = errors_of(error)
        if "lines" in errors:
            errors = {"lines.0.quantity": errors["lines"]}
        return await _card(actor, supplier_order_id, errors, 400, typed)
    step = receiving.receive(actor, supplier_order_id, data)
    return await _step(actor, supplier_order_id, step, typed)


def _count(form: dict[str, Any]) -> int:
    """How many lines the form says it sends (at most 200; nonsense is none)."""
    given = str(form.get("line_count") or "0")
    return min(int(given), 200) if given.isdigit() else 0


@post("/purchasing/{supplier_order_id:int}/lines/{line_id:int}/expertise", include_in_schema=False)
async def expertise_request(
    request: Request[Any, Any, Any],
    actor: CurrentActor,
    supplier_order_id: RecordId,
    line_id: RecordId,
) -> Response[Any]:
    """Ask for a line's defective part, from the card (the shipment named by its number)."""
    form = await read_form(request)
    number = str(form.get("shipment_number", ""))[:30].strip()
    source, note = str(form.get("source", ""))[:20], str(form.get("note", ""))[:2000]
    typed = {"source": source, "note": note, "shipment_number": number, "ex_line": line_id}
    shipment_id = await deliveries.shipment_by_number(actor, number) if number else None
    if number and shipment_id is None:
        error = gettext("No shipment with number {number}", number=number)
        return await _card(actor, supplier_order_id, {"shipment_number": error}, 400, typed)
    data = ExpertiseIn(source=source, note=note, shipment_id=shipment_id)
    step = expertise.request(actor, supplier_order_id, line_id, data)
    return await _step(actor, supplier_order_id, step, typed)


@post("/purchasing/expertise/{expertise_id:int}/result", include_in_schema=False)
async def expertise_result(
    request: Request[Any, Any, Any], actor: CurrentActor, expertise_id: RecordId
) -> Response[Any]:
    """Record the expertise's result from the card's buttons."""
    form = await read_form(request)
    order_id = await expertise.order_of(actor, expertise_id)
    data = ExpertiseResultIn(
        result=str(form.get("result", ""))[:20], note=str(form.get("note", ""))[:2000]
    )
    return await _step(actor, order_id, expertise.decide(actor, expertise_id, data))


handlers = [
    expertise_request,
    expertise_result,
    purchasing_page,
    new_order_page,
    new_order_submit,
    order_card,
    order_save,
    order_status,
    order_receive,
]
