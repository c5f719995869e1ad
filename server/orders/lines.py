"""Order lines and payments; totals recomputed on the server with Decimal after each change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.cashdesk import api as cashdesk
from server.clients import api as clients
from server.errors import Forbidden, InvalidInput, NotFound
from server.fieldaccess import check_writable, hidden_fields
from server.i18n import N_, gettext
from server.money import checked
from server.orders import access
from server.orders.choices import LineKind, StatusGroup, TransitionRule
from server.orders.money import line_total, order_totals
from server.orders.schemas import LineCreate, PaymentCreate, PaymentOut, PaymentPart, RefundCreate
from server.orders.tables import Order, OrderLine, OrderPayment, OrderStatus, PriceItem
from server.staff import api as staff
from server.staff.permissions import Action, Capability, Section
from server.stock import api as stock


async def _takes_from(warehouse_id: int) -> bool:
    """Whether any order line takes its good or part from the warehouse."""
    return bool(await OrderLine.exists().where(OrderLine.warehouse_id == warehouse_id))


stock.warehouse_kept_by(
    N_("Order lines take parts from «{name}»: switch it off instead"), _takes_from
)


async def recompute_totals(order_id: int) -> None:
    """Store subtotal, discount, total, paid and amount due from the lines and payments."""
    lines = await OrderLine.select(OrderLine.total).where(OrderLine.order == order_id)
    payments = await OrderPayment.select(OrderPayment.amount).where(OrderPayment.order == order_id)
    order = await Order.select(Order.discount_percent).where(Order.id == order_id).first()
    assert order is not None
    totals = order_totals(
        (line["total"] for line in lines),
        Decimal(order["discount_percent"]),
        sum((p["amount"] for p in payments), Decimal("0")),
    )
    await Order.update(
        {
            Order.subtotal: totals.subtotal,
            Order.discount_amount: totals.discount_amount,
            Order.total: totals.total,
            Order.paid: totals.paid,
            Order.amount_due: totals.amount_due,
        }
    ).where(Order.id == order_id)


def _ensure_open(row: dict[str, Any]) -> None:
    if row["status_group"] in (StatusGroup.CLOSED.value, StatusGroup.CANCELLED.value):
        raise InvalidInput("The order is closed; reopen it to change its lines")


def _check_numbers(data: LineCreate) -> None:
    checked(data.quantity, "quantity", high=Decimal("9999999"), above_low=True)
    checked(data.discount_percent, "discount_percent", high=Decimal("100"))
    for field in ("unit_price", "purchase_price"):
        value = getattr(data, field)
        if value is not None:
            checked(value, field)


async def _line_values(actor: Actor, data: LineCreate) -> dict[str, Any]:
    """Name, kind and prices of a new line: from the price list, or free with the permission."""
    _check_numbers(data)
    free_price = actor.has(Capability.FREE_PRICE)
    if data.price_item_id is not None:
        item = await PriceItem.select().where(PriceItem.id == data.price_item_id).first()
        if item is None or not item["is_active"]:
            raise InvalidInput(
                "No price list item with id {id}", field="price_item_id", id=data.price_item_id
            )
        unit_price = item["price"] if data.unit_price is None else data.unit_price
        if unit_price != item["price"]:
            if not free_price:
                raise Forbidden(
                    "Your role takes prices from the price list only", field="unit_price"
                )
            if not data.price_reason.strip():
                raise InvalidInput(
                    "Say why the price differs from the price list", field="price_reason"
                )
        return {
            "kind": item["kind"],
            "name": data.name.strip() if data.name and free_price else item["name"],
            "price_item": item["id"],
            "list_price": item["price"],
            "unit_price": unit_price,
            "warranty_days": item["warranty_days"]
            if data.warranty_days is None
            else data.warranty_days,
            "purchase_price": item["purchase_price"]
            if data.purchase_price is None
            else data.purchase_price,
        }
    if not free_price:
        raise Forbidden("Your role takes prices from the price list only", field="price_item_id")
    if data.kind is None or not (data.name or "").strip() or data.unit_price is None:
        missing = (
            "kind"
            if data.kind is None
            else "name"
            if not (data.name or "").strip()
            else "unit_price"
        )
        raise InvalidInput("This field is required", field=missing)
    return {
        "kind": data.kind.value,
        "name": (data.name or "").strip(),
        "price_item": None,
        "list_price": None,
        "unit_price": data.unit_price,
        "warranty_days": data.warranty_days or 0,
        "purchase_price": data.purchase_price or Decimal("0"),
    }


async def add_line(actor: Actor, order_id: int, data: LineCreate) -> int:
    """Add a line; returns its id."""
    access.require_edit(actor)
    if data.purchase_price is not None:
        check_writable(actor, "order_line", ["purchase_price"])
    values = await _line_values(actor, data)
    quantity = data.quantity
    total = line_total(quantity, values["unit_price"], data.discount_percent)
    async with Order._meta.db.transaction():
        row = await access.order_row(actor, order_id, for_update=True)
        _ensure_open(row)
        line = OrderLine(
            order=order_id,
            quantity=quantity,
            price_reason=data.price_reason.strip(),
            discount_percent=data.discount_percent,
            total=total,
            created_by=actor.employee_id or None,
            created_at=dt.datetime.now(dt.UTC),
            warehouse_id=data.warehouse_id,
            **values,
        )
        await line.save()
        if data.warehouse_id is not None:
            await _take_from_stock(actor, row, int(line.id), values, data)
        await _touch(order_id, row["version"])
        await recompute_totals(order_id)
        summary = f"{values['name']} × {quantity.normalize():f} = {total} ₽"
        await audit.record(
            actor,
            "order_line",
            line.id,
            "line_add",
            {"line": [None, summary]},
            scope=f"order:{order_id}",
        )
    return int(line.id)


async def _take_from_stock(
    actor: Actor, row: dict[str, Any], line_id: int, values: dict[str, Any], data: LineCreate
) -> None:
    """Reserve the new line's good or part on its warehouse, or write it off at once when the
    order is already in a status that consumes parts."""
    assert data.warehouse_id is not None
    if values["kind"] == LineKind.SERVICE.value:
        raise InvalidInput("Only goods and parts come from a warehouse", field="warehouse_id")
    status = (
        await OrderStatus.select(OrderStatus.rules).where(OrderStatus.id == row["status"]).first()
    )
    consuming = status is not None and TransitionRule.CONSUMES_PARTS.value in status["rules"]
    await stock.take(
        actor,
        stock.OrderRef(row["id"], row["number"]),
        line_id,
        values["price_item"],
        data.warehouse_id,
        data.quantity,
        consume=consuming,
        serials=data.serials,
    )


async def choose_serials(actor: Actor, order_id: int, line_id: int, serials: list[str]) -> None:
    """Choose the serials of a serial-tracked part line reserved on a warehouse: they are
    written off with it when the order reaches a status that consumes parts."""
    access.require_edit(actor)
    async with Order._meta.db.transaction():
        row = await access.order_row(actor, order_id, for_update=True)
        _ensure_open(row)
        line = (
            await OrderLine.select(OrderLine.id, OrderLine.name)
            .where(OrderLine.id == line_id, OrderLine.order == order_id)
            .first()
        )
        if line is None:
            raise NotFound("No line with id {id}", id=line_id)
        chosen = await stock.choose_serials(actor, line_id, serials)
        await _touch(order_id, row["version"])
        await audit.record(
            actor,
            "order_line",
            line_id,
            "line_serials",
            {"serials": [None, f"{line['name']}: {', '.join(chosen)}"]},
            scope=f"order:{order_id}",
        )


async def delete_line(actor: Actor, order_id: int, line_id: int) -> None:
    """Remove a line from an open order."""
    access.require_edit(actor)
    async with Order._meta.db.transaction():
        row = await access.order_row(actor, order_id, for_update=True)
        _ensure_open(row)
        line = (
            await OrderLine.select()
            .where(OrderLine.id == line_id, OrderLine.order == order_id)
            .first()
        )
        if line is None:
            raise NotFound("No line with id {id}", id=line_id)
        await OrderLine.delete().where(OrderLine.id == line_id)
        if line["warehouse_id"] is not None:
            await stock.give_back(actor, stock.OrderRef(order_id, row["number"]), line_id)
        await _touch(order_id, row["version"])
        await recompute_totals(order_id)
        summary = f"{line['name']} × {line['quantity'].normalize():f} = {line['total']} ₽"
        await audit.record(
            actor,
            "order_line",
            line_id,
            "line_delete",
            {"line": [summary, None]},
            scope=f"order:{order_id}",
        )


def payment_parts(
    amount: Decimal | None, method: str, parts: list[PaymentPart] | None
) -> tuple[cashdesk.Part, ...]:
    """The payment's amounts by method: the split `parts`, or `amount` by `method`."""
    if parts:
        return cashdesk.checked_parts((p.method, p.amount) for p in parts)
    if amount is None:
        raise InvalidInput("Enter the amount", field="amount")
    return cashdesk.checked_parts([(method, amount)], field="amount")


async def add_payment(
    actor: Actor, order_id: int, data: PaymentCreate, *, field: bool = False
) -> None:
    """Take money for an order through the cash desk (the master's own cash in the field)."""
    actor.require(Section.FINANCE, Action.CREATE)
    parts = payment_parts(data.amount, data.method, data.parts)
    async with Order._meta.db.transaction():
        row = await access.order_row(actor, order_id, for_update=True)
        posted = await cashdesk.take_payment(
            actor,
            await _ref(row, field=field),
            parts,
            desk_id=data.desk_id,
            field=field,
            comment=data.comment,
        )
        await record_payment(actor, order_id, posted, data.comment.strip())
        await _touch(order_id, row["version"])
        await recompute_totals(order_id)


async def refund_payment(actor: Actor, order_id: int, data: RefundCreate) -> None:
    """Give money back for an order through the cash desk, with the reason."""
    actor.require(Section.FINANCE, Action.CREATE)
    parts = payment_parts(data.amount, data.method, data.parts)
    async with Order._meta.db.transaction():
        row = await access.order_row(actor, order_id, for_update=True)
        posted = await cashdesk.refund(
            actor,
            await _ref(row),
            parts,
            paid=Decimal(row["paid"]),
            reason=data.reason,
            refund_of=data.refund_of,
            desk_id=data.desk_id,
        )
        await record_payment(actor, order_id, posted, data.reason.strip(), sign=-1)
        await _touch(order_id, row["version"])
        await recompute_totals(order_id)


async def _ref(row: dict[str, Any], *, field: bool = False) -> cashdesk.OrderRef:
    """The order as the cash desk is told of it: what it costs, what was paid, and for a
    fiscal receipt its lines (and, for money taken in the field, the client's contact)."""
    if not cashdesk.receipts_on():
        return cashdesk.OrderRef(row["id"], row["number"], row["client"])
    lines = (
        await OrderLine.select(OrderLine.name, OrderLine.quantity, OrderLine.total, OrderLine.kind)
        .where(OrderLine.order == row["id"])
        .order_by(OrderLine.id)
    )
    return cashdesk.OrderRef(
        row["id"],
        row["number"],
        row["client"],
        total=Decimal(row["total"]),
        paid_before=Decimal(row["paid"]),
        lines=tuple(
            cashdesk.ReceiptLine(r["name"], r["quantity"], r["total"], r["kind"]) for r in lines
        ),
        contact=await _receipt_contact(row["client"]) if field else "",
    )


async def _receipt_contact(client_id: int | None) -> str:
    """Where an electronic receipt goes: the client's e-mail (the main one first), else phone."""
    if client_id is None:
        return ""
    found = (await clients.contacts_of([client_id], addresses=False))[client_id]
    for rows, key in ((found["emails"], "email"), (found["phones"], "number")):
        for row in sorted(rows, key=lambda r: not r["is_primary"]):
            if row[key]:
                return str(row[key])
    return ""


async def record_payment(
    actor: Actor,
    order_id: int,
    posted: cashdesk.Posted,
    comment: str,
    *,
    sign: int = 1,
    field: str = "paid",
) -> None:
    """Keep a posted cash document on the order, one row per method (refunds negative)."""
    now = dt.datetime.now(dt.UTC)
    await OrderPayment.insert(
        *(
            OrderPayment(
                order=order_id,
                amount=part.amount * sign,
                method=part.method.value,
                document_id=posted.id,
                document_number=posted.number,
                comment=comment,
                author=actor.employee_id or None,
                at=now,
            )
            for part in posted.parts
        )
    )
    methods = ", ".join(f"{part.amount} ₽ ({part.method.value})" for part in posted.parts)
    action = "payment" if sign > 0 else "refund"
    await audit.record(
        actor, "order", order_id, action, {field if sign > 0 else "refunded": [None, methods]},
        scope=f"order:{order_id}",
    )  # fmt: skip


PAYMENT_FIELDS = frozenset({"paid", "prepayment"})  # what an order's payments list reveals


async def visible_payments(actor: Actor, order_id: int) -> list[PaymentOut]:
    """The order's payments and refunds for one who may see the order and what it was paid
    (nothing when the paid amount is a hidden field)."""
    await access.require_visible(actor, order_id)
    if hidden_fields(actor, "order") & PAYMENT_FIELDS:
        return []
    return await payments_of(order_id)


async def payments_of(order_id: int) -> list[PaymentOut]:
    """The order's payments and refunds, oldest first."""
    rows = (
        await OrderPayment.select().where(OrderPayment.order == order_id).order_by(OrderPayment.id)
    )
    names = await staff.names({r["author"] for r in rows if r["author"]})
    return [
        PaymentOut(
            id=r["id"],
            amount=r["amount"],
            method=r["method"],
            method_label=gettext(cashdesk.METHOD_LABELS.get(r["method"], r["method"])),
            document_id=r["document_id"],
            document_number=r["document_number"],
            comment=r["comment"],
            author_name=names.get(r["author"], "") if r["author"] else "",
            at=r["at"],
        )
        for r in rows
    ]


async def _touch(order_id: int, version: int) -> None:
    await Order.update(
        {Order.version: version + 1, Order.updated_at: dt.datetime.now(dt.UTC)}
    ).where(Order.id == order_id)
