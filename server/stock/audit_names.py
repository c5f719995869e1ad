"""How the audit log names stock records: documents by kind and number, items and warehouses
by name, only those the viewer sees (a document or a warehouse of a warehouse hidden from them
stays unnamed, as everywhere else in stock)."""

from __future__ import annotations

from collections.abc import Iterable

from server.actor import Actor
from server.i18n import gettext
from server.staff.permissions import Action, Section
from server.stock import access
from server.stock.choices import DocumentKind
from server.stock.tables import StockDocument, StockItem, Warehouse


async def audit_names(
    actor: Actor,
    documents: Iterable[int] = (),
    items: Iterable[int] = (),
    warehouses: Iterable[int] = (),
) -> dict[str, dict[int, str]]:
    """{"stock_document" | "stock_item" | "warehouse": {id: name}} of those the actor sees."""
    out: dict[str, dict[int, str]] = {"stock_document": {}, "stock_item": {}, "warehouse": {}}
    documents, warehouses = set(documents), set(warehouses)
    if not actor.can(Section.STOCK, Action.VIEW):
        return out
    seen: set[int] | None = None
    if documents or warehouses:
        visible = await access.visible_ids(actor)
        seen = None if visible is None else set(visible)
    if wanted := sorted(documents):
        rows = await StockDocument.select(
            StockDocument.id,
            StockDocument.number,
            StockDocument.kind,
            StockDocument.warehouse_id,
            StockDocument.to_warehouse_id,
        ).where(StockDocument.id.is_in(wanted))
        for r in rows:
            if seen is None or r["warehouse_id"] in seen or r["to_warehouse_id"] in seen:
                kind = r["kind"]
                label = DocumentKind(kind).label if kind in DocumentKind._value2member_map_ else ""
                out["stock_document"][r["id"]] = f"{gettext(label)} {r['number']}".strip()
    if wanted := sorted(set(items)):
        rows = await StockItem.select(StockItem.id, StockItem.name).where(
            StockItem.id.is_in(wanted)
        )
        out["stock_item"] = {r["id"]: r["name"] for r in rows}
    if wanted := sorted(warehouses):
        rows = await Warehouse.select(Warehouse.id, Warehouse.name).where(
            Warehouse.id.is_in(wanted)
        )
        out["warehouse"] = {r["id"]: r["name"] for r in rows if seen is None or r["id"] in seen}
    return out
