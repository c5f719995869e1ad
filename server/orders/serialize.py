"""Order rows into API structures, through the caller's field access."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import msgspec

from server.actor import Actor
from server.fieldaccess import visible
from server.i18n import gettext
from server.money import round_money
from server.orders.related import device_title
from server.orders.schemas import LineOut, LineStockOut, OrderOut, StatusRef
from server.orders.tables import Order, OrderLine
from server.staff.permissions import Capability
from server.stock import api as stock_api
from server.stock.api import LineStock

# What identifies an order can never be hidden.
ALWAYS_SHOWN = ("id", "number", "status", "type", "version")
# Fields told by another one: hidden with it.
DERIVED = {"overdue": "due_at", "discount_reason": "discount_percent"}
# The roles of `assignment` and the field each one tells about ("queue" shown with the order).
ASSIGNED_FIELDS = {
    "manager": "manager_id",
    "service_center": "service_center_id",
    "expert": "expert_id",
    "technician": "technician_id",
}


@functools.cache
def order_columns() -> tuple[Any, ...]:
    """Columns selected for an order, with its status, type, client and device joined.

    Made once per process: each joined and aliased column is a deep copy Piccolo makes, and
    making them cost more than the query they are for (selects only read them)."""
    return (
        *Order.all_columns(exclude=[Order.search_text]),
        Order.status._.code.as_alias("status_code"),
        Order.status._.name.as_alias("status_name"),
        Order.status._.color.as_alias("status_color"),
        Order.status._.group.as_alias("status_group"),
        Order.order_type._.code.as_alias("type_code"),
        Order.order_type._.name.as_alias("type_name"),
        Order.order_type._.is_field.as_alias("type_is_field"),
        Order.client._.name.as_alias("client_name"),
        Order.device._.serial.as_alias("device_serial"),
        Order.device._.model_name.as_alias("model_name"),
        Order.device._.device_type._.name.as_alias("device_type_name"),
        Order.device._.brand._.name.as_alias("brand_name"),
        Order.device._.model._.name.as_alias("model_dir"),
    )


def _status(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["status"],
        "code": row["status_code"],
        "name": gettext(row["status_name"]),
        "color": row["status_color"],
        "group": row["status_group"],
    }


def line_out(actor: Actor, row: dict[str, Any], stock: LineStock | None = None) -> LineOut:
    """A line as the caller may see it, with where it stands in stock when it comes from a
    warehouse; its margin (total less cost: the cost it was written off at, else the purchase
    price) only to those who see both."""
    data = {
        "id": row["id"],
        "kind": row["kind"],
        "name": row["name"],
        "quantity": row["quantity"],
        "unit_price": row["unit_price"],
        "discount_percent": row["discount_percent"],
        "warranty_days": row["warranty_days"],
        "total": row["total"],
        "price_item_id": row["price_item"],
        "list_price": row["list_price"],
        "price_reason": row["price_reason"],
        "purchase_price": row["purchase_price"],
    }
    shown = visible(actor, "order_line", data)
    if "purchase_price" in shown and "total" in shown:
        cost = stock.cost if stock is not None and stock.cost is not None else row["purchase_price"]
        shown["margin"] = round_money(row["total"] - cost * row["quantity"])
    out = msgspec.convert(shown, LineOut)
    out.warehouse_id = row.get("warehouse_id")
    if stock is not None:
        out.stock = LineStockOut(
            stock.warehouse_id, stock.warehouse_name, stock.held, stock.waiting, stock.consumed,
            stock.serials, stock.serial_choices,
        )  # fmt: skip
    return out


def order_out(
    actor: Actor,
    row: dict[str, Any],
    *,
    lines: list[dict[str, Any]] | None = None,
    next_statuses: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
    stock: dict[int, LineStock] | None = None,
) -> OrderOut:
    """An order row (selected with `order_columns`) as the caller may see it."""
    now = now or dt.datetime.now(dt.UTC)
    device = None
    if row["device"]:
        device = {
            "id": row["device"],
            "title": device_title(
                {
                    "type_name": row["device_type_name"],
                    "brand_name": row["brand_name"],
                    "model_dir": row["model_dir"],
                    "model_name": row["model_name"],
                }
            ),
            "serial": row["device_serial"] or "",
        }
    open_order = row["status_group"] not in ("closed", "cancelled")
    data: dict[str, Any] = {
        "id": row["id"],
        "number": row["number"],
        "status": _status(row),
        "type": {
            "id": row["order_type"],
            "code": row["type_code"],
            "name": gettext(row["type_name"]),
            "is_field": row["type_is_field"],
        },
        "version": row["version"],
        "public_code": row["public_code"],
        "priority": row["priority"],
        "client": {"id": row["client"], "name": row["client_name"]},
        "device": device,
        "declared_fault": row["declared_fault"],
        "appearance": row["appearance"],
        "accessories": row["accessories"],
        "estimated_cost": row["estimated_cost"],
        "due_at": row["due_at"],
        "visit_day": row["visit_day"],
        "visit_from": row["visit_from"].strftime("%H:%M") if row["visit_from"] else None,
        "visit_to": row["visit_to"].strftime("%H:%M") if row["visit_to"] else None,
        "prepayment": row["prepayment"],
        "manager_id": row["manager"],
        "technician_id": row["technician"],
        "expert_id": row["expert"],
        "service_center_id": row["service_center"],
        "assignment": row["assignment"] or {},
        "discount_percent": row["discount_percent"],
        "discount_reason": row["discount_reason"],
        "subtotal": row["subtotal"],
        "discount_amount": row["discount_amount"],
        "total": row["total"],
        "paid": row["paid"],
        "amount_due": row["amount_due"],
        "custom": row["custom"] or {},
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "closed_at": row["closed_at"],
        "overdue": bool(open_order and row["due_at"] and row["due_at"] < now),
    }
    if actor.has(Capability.LOCKED_NOTE):
        data["locked_note"] = row["locked_note"]
    always = {k: data[k] for k in ALWAYS_SHOWN}
    shown = visible(actor, "order", data)
    for derived, source in DERIVED.items():
        if source not in shown:
            shown.pop(derived, None)
    if isinstance(shown.get("assignment"), dict):  # what set a responsible: hidden with it
        shown["assignment"] = {
            role: how
            for role, how in shown["assignment"].items()
            if ASSIGNED_FIELDS.get(role, "assignment") in shown
        }
    out = msgspec.convert({**shown, **always}, OrderOut)
    if lines is not None:
        out.lines = [line_out(actor, line, (stock or {}).get(line["id"])) for line in lines]
    if next_statuses is not None:
        out.next_statuses = [StatusRef(**_status_ref(s)) for s in next_statuses]
    return out


def _status_ref(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in ("id", "code", "color", "group")}, "name": gettext(row["name"])}


async def lines_by_order(order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{order id: its lines in the order they were added} in one query."""
    rows = await OrderLine.select().where(OrderLine.order.is_in(order_ids)).order_by(OrderLine.id)
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["order"], []).append(row)
    return found


async def line_stock(
    actor: Actor, order_id: int, lines: list[dict[str, Any]]
) -> dict[int, LineStock]:
    """Where the order's lines from a warehouse stand in stock (no query when none is)."""
    if not any(line.get("warehouse_id") for line in lines):
        return {}
    return await stock_api.of_order(actor, order_id)


async def lines_of(order_id: int) -> list[dict[str, Any]]:
    """Lines of an order in the order they were added."""
    return (await lines_by_order([order_id])).get(order_id, [])
