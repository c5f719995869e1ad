"""Documents people post by hand (receipts, transfers, returns, write-offs, stocktaking), and
reading posted documents: a document is seen by whoever sees one of its warehouses, the order
it was for only by whoever may read that order."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Or

from server.actor import Actor
from server.errors import InvalidInput, NotFound
from server.i18n import gettext
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.stock import access, items, order_scope, quantities
from server.stock.choices import ORDER_DOCUMENTS, DocumentKind
from server.stock.posting import Header, Line, post
from server.stock.schemas import DocumentBrief, DocumentIn, DocumentOut, LineIn, LineOut
from server.stock.tables import StockDocument, StockDocumentLine

PAGE = 50
NEEDS_SUPPLIER = frozenset({DocumentKind.RECEIPT, DocumentKind.SUPPLIER_RETURN})
NEEDS_REASON = frozenset({DocumentKind.WRITE_OFF, DocumentKind.STOCKTAKE})


def _kind(value: str) -> DocumentKind:
    if value not in DocumentKind._value2member_map_:
        raise InvalidInput("Choose one of the offered values", field="kind")
    kind = DocumentKind(value)
    if kind in ORDER_DOCUMENTS:
        raise InvalidInput("This document is posted from the order's part lines", field="kind")
    return kind


async def _warehouse(actor: Actor, warehouse_id: int, field: str) -> dict[str, Any]:
    row = await access.warehouse(actor, warehouse_id, field=field)
    if not row["is_active"]:
        raise InvalidInput("The warehouse «{name}» is switched off", field=field, name=row["name"])
    return row


async def _header(actor: Actor, kind: DocumentKind, data: DocumentIn) -> Header:
    warehouse = await _warehouse(actor, data.warehouse_id, "warehouse_id")
    target = None
    if kind is DocumentKind.TRANSFER:
        if data.to_warehouse_id is None:
            raise InvalidInput("Choose where the stock goes", field="to_warehouse_id")
        if data.to_warehouse_id == data.warehouse_id:
            raise InvalidInput("Choose another warehouse than the source", field="to_warehouse_id")
        target = await _warehouse(actor, data.to_warehouse_id, "to_warehouse_id")
    elif data.to_warehouse_id is not None:
        raise InvalidInput("Only a transfer has a destination", field="to_warehouse_id")
    supplier = " ".join(data.supplier.split())
    if kind in NEEDS_SUPPLIER and not supplier:
        raise InvalidInput("Name the supplier", field="supplier")
    reason = " ".join(data.reason.split())
    if kind in NEEDS_REASON and not reason:
        raise InvalidInput("Say why", field="reason")
    if data.corrects_id is not None and not await StockDocument.exists().where(
        StockDocument.id == data.corrects_id
    ):
        raise InvalidInput("No document with id {id}", field="corrects_id", id=data.corrects_id)
    return Header(
        kind=kind,
        warehouse=warehouse,
        to_warehouse=target,
        supplier=supplier,
        supplier_document=data.supplier_document.strip(),
        reason=reason,
        note=data.note.strip(),
        corrects_id=data.corrects_id,
    )


def _line(kind: DocumentKind, index: int, given: LineIn, item: dict[str, Any] | None) -> Line:
    field = f"lines.{index}"
    if item is None:
        raise InvalidInput("No stock item with id {id}", field=f"{field}.item_id", id=given.item_id)
    if not item["is_active"]:
        raise InvalidInput(
            "The item «{name}» is switched off", field=f"{field}.item_id", name=item["name"]
        )
    if kind is DocumentKind.STOCKTAKE:
        counted = quantities.quantity(
            given.counted, whole=item["whole"], field=f"{field}.counted", zero=True
        )
        return Line(item=item, quantity=counted, field=field)
    quantity = quantities.quantity(given.quantity, whole=item["whole"], field=f"{field}.quantity")
    cost = None
    if kind is DocumentKind.RECEIPT:
        cost = quantities.money(given.unit_cost, field=f"{field}.unit_cost")
    serials = list(dict.fromkeys(s.strip() for s in given.serials if s.strip()))
    if item["serial_tracked"] and len(serials) != quantity:
        raise InvalidInput(
            "Give one serial number per unit ({count})",
            field=f"{field}.serials",
            count=f"{quantity.normalize():f}",
        )
    return Line(item=item, quantity=quantity, field=field, unit_cost=cost, serials=serials)


async def post_document(actor: Actor, data: DocumentIn) -> DocumentOut:
    """Check and post a document typed in by hand (stock:create); nothing moves if any line is
    wrong, and the first wrong field is named."""
    actor.require(Section.STOCK, Action.CREATE)
    kind = _kind(data.kind)
    header = await _header(actor, kind, data)
    rows = await items.rows_of(line.item_id for line in data.lines)
    lines = [_line(kind, i, given, rows.get(given.item_id)) for i, given in enumerate(data.lines)]
    seen: set[int] = set()
    for line in lines:
        if line.item["id"] in seen:
            raise InvalidInput(
                "This item is already on another line", field=f"{line.field}.item_id"
            )
        seen.add(line.item["id"])
    document_id = await post(actor, header, lines)
    return await get_document(actor, document_id)


async def _visible_condition(actor: Actor) -> Any:
    visible = await access.visible_ids(actor)
    if visible is None:
        return None
    ids = visible or [0]
    return Or(StockDocument.warehouse_id.is_in(ids), StockDocument.to_warehouse_id.is_in(ids))


async def get_document(actor: Actor, document_id: int) -> DocumentOut:
    """One posted document the actor sees, with its lines."""
    query = StockDocument.select().where(StockDocument.id == document_id)
    condition = await _visible_condition(actor)
    if condition is not None:
        query = query.where(condition)
    row = await query.first()
    if row is None:
        raise NotFound("No document with id {id}", id=document_id)
    line_rows = (
        await StockDocumentLine.select()
        .where(StockDocumentLine.document_id == document_id)
        .order_by(StockDocumentLine.id)
    )
    item_rows = await items.rows_of(r["item_id"] for r in line_rows)
    costs = access.sees_costs(actor)
    names = await access.names(actor, [row["warehouse_id"], row["to_warehouse_id"]])
    authors = await staff.names([row["author_id"]] if row["author_id"] else [])
    shown = await order_scope.readable(actor, [row["order_id"]])
    return DocumentOut(
        id=row["id"],
        number=row["number"],
        kind=row["kind"],
        kind_label=_kind_label(row["kind"]),
        warehouse_id=row["warehouse_id"],
        warehouse_name=names.get(row["warehouse_id"], ""),
        to_warehouse_id=row["to_warehouse_id"],
        to_warehouse_name=names.get(row["to_warehouse_id"], ""),
        supplier=row["supplier"],
        supplier_document=row["supplier_document"],
        order_id=row["order_id"] if row["order_id"] in shown else None,
        order_number=row["order_number"] if row["order_id"] in shown else "",
        order_hidden=row["order_id"] is not None and row["order_id"] not in shown,
        reason=row["reason"],
        note=row["note"],
        corrects_id=row["corrects_id"],
        author_name=authors.get(row["author_id"], ""),
        posted_at=row["posted_at"],
        lines=[
            LineOut(
                id=r["id"],
                item_id=r["item_id"],
                item_name=item_rows[r["item_id"]]["name"],
                unit=item_rows[r["item_id"]]["unit"],
                quantity=r["quantity"],
                expected=r["expected"],
                counted=r["counted"],
                unit_cost=r["unit_cost"] if costs else None,
                serials=list(r["serials"] or []),
            )
            for r in line_rows
        ],
    )


def _kind_label(kind: str) -> str:
    if kind in DocumentKind._value2member_map_:
        return gettext(DocumentKind(kind).label)
    return kind


async def list_documents(
    actor: Actor,
    *,
    kind: str | None = None,
    warehouse_id: int | None = None,
    order_id: int | None = None,
    before: int = 0,
    limit: int = PAGE,
) -> tuple[list[DocumentBrief], int | None]:
    """Posted documents the actor sees, newest first; keyset-paged by id. Of an order the
    actor may not read, none: the filter would tell which documents were for it."""
    actor.require(Section.STOCK, Action.VIEW)
    if order_id is not None and not await order_scope.readable(actor, [order_id]):
        return [], None
    condition = await _visible_condition(actor)
    query = StockDocument.select().order_by(StockDocument.id, ascending=False).limit(limit + 1)
    if condition is not None:
        query = query.where(condition)
    if kind:
        query = query.where(StockDocument.kind == kind)
    if warehouse_id is not None:
        await access.warehouse(actor, warehouse_id, field="warehouse_id")
        query = query.where(
            Or(
                StockDocument.warehouse_id == warehouse_id,
                StockDocument.to_warehouse_id == warehouse_id,
            )
        )
    if order_id is not None:
        query = query.where(StockDocument.order_id == order_id)
    if before:
        query = query.where(StockDocument.id < before)
    rows = await query
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r["id"] for r in rows]
    counts: dict[int, int] = {}
    if ids:
        counted = await StockDocumentLine.raw(
            "SELECT document_id, count(*) AS n FROM stock_document_line "
            "WHERE document_id = ANY({}) GROUP BY document_id",
            ids,
        )
        counts = {r["document_id"]: r["n"] for r in counted}
    names = await access.names(
        actor, [r["warehouse_id"] for r in rows] + [r["to_warehouse_id"] for r in rows]
    )
    authors = await staff.names({r["author_id"] for r in rows if r["author_id"]})
    shown = await order_scope.readable(actor, [r["order_id"] for r in rows])
    briefs = [
        DocumentBrief(
            id=r["id"],
            number=r["number"],
            kind=r["kind"],
            kind_label=_kind_label(r["kind"]),
            warehouse_name=names.get(r["warehouse_id"], ""),
            to_warehouse_name=names.get(r["to_warehouse_id"], ""),
            supplier=r["supplier"],
            order_number=r["order_number"] if r["order_id"] in shown else "",
            order_hidden=r["order_id"] is not None and r["order_id"] not in shown,
            reason=r["reason"],
            author_name=authors.get(r["author_id"], ""),
            posted_at=r["posted_at"],
            lines=counts.get(r["id"], 0),
        )
        for r in rows
    ]
    return briefs, (rows[-1]["id"] if more else None)
