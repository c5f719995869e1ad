"""Exports of the orders and clients lists to XLSX in constant memory.

Pages come from the list services (keyset cursors, so scoping and field access are theirs);
a worker thread writes the workbook and pulls each next page from the event loop on demand.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.from_thread
import anyio.to_thread
import msgspec

import printforms
from server.actor import Actor
from server.documents.data import employee_name, local
from server.errors import InvalidInput
from server.fieldaccess import hidden_fields
from server.i18n import N_, gettext
from server.orders.schemas import OrderOut
from server.orders.services import OrderFilters, OrderService
from server.staff.permissions import Action, Section

PAGE_SIZE = 500
ORDER_KINDS = {"due_at": "datetime", "created_at": "datetime", "total": "money",
               "amount_due": "money"}  # fmt: skip
# code, label, client field it shows, column kind
CLIENT_COLUMNS = (
    ("name", N_("Name"), "name", "text"),
    ("kind", N_("Kind"), "kind", "text"),
    ("phones", N_("Phones"), "phones", "text"),
    ("emails", N_("Emails"), "emails", "text"),
    ("inn", N_("INN"), "inn", "text"),
    ("tags", N_("Tags"), "tags", "text"),
    ("source", N_("Source"), "source", "text"),
    ("discount_percent", N_("Discount, %"), "discount_percent", "decimal"),
    ("created_at", N_("Created"), "created_at", "datetime"),
)

Rows = AsyncGenerator[list[list[Any]], None]


def background_threshold() -> int:
    """Exports of more rows than this run in the background (SERVIO_EXPORT_BACKGROUND_ROWS)."""
    raw = os.environ.get("SERVIO_EXPORT_BACKGROUND_ROWS", "").strip()
    return int(raw) if raw.isdigit() else 20_000


def split_columns(value: str | None) -> list[str] | None:
    """`columns=number,client,total` as a list (None when not given)."""
    if not value:
        return None
    return [part.strip() for part in value.split(",") if part.strip()][:40]


async def write_xlsx(
    columns: list[printforms.Column], pages: Rows, target: Path, title: str
) -> int:
    """Write every page into an XLSX file off the event loop; returns the number of rows."""

    async def next_page() -> list[list[Any]] | None:
        try:
            return await anext(pages)
        except StopAsyncIteration:
            return None

    def rows() -> Iterator[list[Any]]:
        while (page := anyio.from_thread.run(next_page)) is not None:
            yield from page

    return await anyio.to_thread.run_sync(printforms.export_rows, columns, rows(), target, title)


# ---- orders


async def count_orders(actor: Actor, filters: OrderFilters) -> int:
    """How many orders the filters select for the actor."""
    return await OrderService(actor).count_orders(filters)


async def order_export_columns(actor: Actor, wanted: list[str] | None) -> list[printforms.Column]:
    """The asked columns (or the employee's chosen ones) that the actor may see."""
    from server.orders import listing

    available = dict(await listing.available_columns(actor))
    if wanted is None:
        codes = await listing.chosen_columns(actor)
    else:
        unknown = [c for c in wanted if c not in available]
        if unknown or not wanted:
            raise InvalidInput(
                "Unknown columns: {unknown}; choose from: {choices}",
                field="columns",
                unknown=", ".join(unknown) or "—",
                choices=", ".join(available),
            )
        codes = list(dict.fromkeys(wanted))
    return [
        printforms.Column(code, gettext(available[code]), ORDER_KINDS.get(code, "text"))  # type: ignore[arg-type]
        for code in codes
    ]


def _plain(value: Any) -> Any:
    return None if value is msgspec.UNSET else value


async def order_cells(order: OrderOut, codes: list[str], names: dict[int, str]) -> list[Any]:
    """One exported row: the values of the columns, from what the actor may see."""
    from server.orders.choices import PRIORITY_LABELS, Priority

    cells: list[Any] = []
    for code in codes:
        value: Any = None
        if code == "number":
            value = order.number
        elif code == "status":
            value = order.status.name
        elif code == "type":
            value = order.type.name
        elif code == "client":
            value = order.client.name if order.client is not msgspec.UNSET else None
        elif code == "device":
            device = _plain(order.device)
            value = f"{device.title} {device.serial}".strip() if device else None
        elif code == "technician":
            technician = _plain(order.technician_id)
            if isinstance(technician, int):
                if technician not in names:
                    names[technician] = await employee_name(technician)
                value = names[technician]
        elif code == "priority":
            priority = _plain(order.priority)
            if priority in set(Priority):
                value = gettext(PRIORITY_LABELS[Priority(priority)])
        elif code in ("due_at", "created_at"):
            value = local(_plain(getattr(order, code)))
        elif code in ("total", "amount_due"):
            value = _plain(getattr(order, code))
        elif code.startswith("custom."):
            custom = _plain(order.custom) or {}
            found = custom.get(code.removeprefix("custom."))
            value = found if isinstance(found, str | int | float | bool) else None
        cells.append(value)
    return cells


async def order_rows(actor: Actor, filters: OrderFilters, sort: str, codes: list[str]) -> Rows:
    """Pages of exported order rows, through OrderService.list_orders and its keyset cursor."""
    service = OrderService(actor)
    names: dict[int, str] = {}
    cursor: str | None = None
    while True:
        items, cursor = await service.list_orders(
            filters, sort=sort, cursor=cursor, limit=PAGE_SIZE
        )
        yield [await order_cells(order, codes, names) for order in items]
        if cursor is None:
            return


# ---- clients


def client_export_columns(actor: Actor) -> list[printforms.Column]:
    """Client columns the actor may see."""
    hidden = hidden_fields(actor, "client")
    return [
        printforms.Column(code, gettext(label), kind)  # type: ignore[arg-type]
        for code, label, field, kind in CLIENT_COLUMNS
        if field not in hidden
    ]


def client_cells(client: dict[str, Any], codes: list[str]) -> list[Any]:
    """One exported client row."""
    cells: list[Any] = []
    for code in codes:
        value = client.get(code)
        if code == "phones":
            value = ", ".join(p["number"] for p in value or [])
        elif code == "emails":
            value = ", ".join(e["email"] for e in value or [])
        elif code == "tags":
            value = ", ".join(value or [])
        elif code == "kind":
            value = gettext("company") if value == "company" else gettext("person")
        elif code == "created_at" and isinstance(value, dt.datetime):
            value = local(value)
        cells.append(value)
    return cells


async def client_rows(actor: Actor, filters: Any, codes: list[str]) -> Rows:
    """Pages of exported client rows, through ClientService.list_clients."""
    from server.clients.services import ClientService

    service = ClientService(actor)
    cursor: str | None = None
    while True:
        items, cursor = await service.list_clients(filters, cursor, PAGE_SIZE)
        yield [client_cells(item, codes) for item in items]
        if cursor is None:
            return


async def count_clients(actor: Actor, filters: Any) -> int:
    """How many clients the filters select (same conditions and scope as the list)."""
    from server.clients.services import ClientService

    return await ClientService(actor).count_clients(filters)


# ---- what an export is, so that a background job can run it again


class ExportSpec(msgspec.Struct):
    """An export as asked: which list, its filters and sort, the columns, the language."""

    list_name: str  # a name in LISTS: "orders", "clients", or another domain's list
    filters: dict[str, Any]
    sort: str
    columns: list[str]
    language: str


@dataclass
class Prepared:
    """An export ready to write: columns, pages of rows, sheet title, file name, and how to
    count its rows (asked only when deciding between now and the background)."""

    columns: list[printforms.Column]
    rows: Rows
    title: str
    file_name: str
    count: Callable[[], Awaitable[int]]


def file_stamp() -> str:
    """Date and time for a file name."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")


Preparer = Callable[[Actor, ExportSpec], Awaitable[Prepared]]
# The lists that can be exported (in the background too): the orders and clients here, and the
# lists other domains register (stock's levels and moves; this module imports none of them).
LISTS: dict[str, Preparer] = {}


def register_list(name: str, preparer: Preparer) -> None:
    """Let a list be exported in the background: `preparer` checks the actor and sets up its
    rows from the spec, as the job runs it again."""
    LISTS[name] = preparer


async def prepare(actor: Actor, spec: ExportSpec) -> Prepared:
    """Check the actor may export this list with these filters and set up its rows."""
    preparer = LISTS.get(spec.list_name)
    if preparer is None:
        raise InvalidInput("Unknown list «{name}»", field="list", name=spec.list_name)
    return await preparer(actor, spec)


async def _prepare_orders(actor: Actor, spec: ExportSpec) -> Prepared:
    actor.require(Section.ORDERS, Action.EXPORT)
    filters = msgspec.convert(spec.filters, OrderFilters)
    chosen = await order_export_columns(actor, spec.columns or None)
    codes = [c.key for c in chosen]
    # the first page checks the sort and filters before anything is written or recorded
    await OrderService(actor).list_orders(filters, sort=spec.sort, limit=1)
    return Prepared(
        columns=chosen,
        rows=order_rows(actor, filters, spec.sort, codes),
        title=gettext("Orders"),
        count=functools.partial(count_orders, actor, filters),
        file_name=f"orders-{file_stamp()}.xlsx",
    )


async def _prepare_clients(actor: Actor, spec: ExportSpec) -> Prepared:
    from server.clients.services import ClientFilters, ClientService

    actor.require(Section.CLIENTS, Action.EXPORT)
    filters = msgspec.convert(spec.filters, ClientFilters)
    chosen = client_export_columns(actor)
    await ClientService(actor).list_clients(filters, None, 1)
    return Prepared(
        columns=chosen,
        rows=client_rows(actor, filters, [c.key for c in chosen]),
        title=gettext("Clients"),
        count=functools.partial(count_clients, actor, filters),
        file_name=f"clients-{file_stamp()}.xlsx",
    )


register_list("orders", _prepare_orders)
register_list("clients", _prepare_clients)
