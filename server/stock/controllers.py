"""HTTP API of stock: warehouses, items, levels, the moves ledger and an item's history,
documents, shortages; levels and moves as XLSX."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter
from litestar.response import File, Response

import printforms
from server.documents.schemas import DownloadOut
from server.guards import CurrentActor
from server.params import Cursor, Flag, Limit, OptionalDay, OptionalId, RecordId, Search
from server.stock import documents, exports, issuing, items, levels, moves, warehouses
from server.stock.moves import MoveFilters
from server.stock.schemas import (
    DocumentIn,
    DocumentList,
    DocumentOut,
    ItemIn,
    ItemList,
    ItemOut,
    ItemPatch,
    LevelList,
    MoveList,
    ShortageList,
    ToIssueList,
    WarehouseIn,
    WarehouseList,
    WarehouseOut,
    WarehousePatch,
)

DocumentKindFilter = Annotated[
    str | None,
    QueryParameter(
        pattern="^(receipt|transfer|consumption|order_return|supplier_return|write_off|stocktake)$",
        description="Document kind",
    ),
]
XLSX = printforms.MEDIA_TYPES["xlsx"]


def move_filters(
    q: Search = "",
    warehouse_id: OptionalId = None,
    item_id: OptionalId = None,
    kind: DocumentKindFilter = None,
    date_from: OptionalDay = None,
    date_to: OptionalDay = None,
) -> MoveFilters:
    """The ledger's filters from the query (the JSON list and its XLSX take the same)."""
    return MoveFilters(q, warehouse_id, item_id, kind, date_from, date_to)


Moves = NamedDependency[MoveFilters]
MOVE_FILTERS = {"filters": Provide(move_filters, sync_to_thread=False)}


class StockController(Controller):
    """Stock (stock:view to read; create, edit, delete to change; export; warehouses by who
    sees them)."""

    path = "/api/v1/stock"
    tags = ["stock"]

    @get("/warehouses")
    async def list_warehouses(self, actor: CurrentActor, active: Flag = False) -> WarehouseList:
        """The warehouses the caller sees, active ones first."""
        return WarehouseList(await warehouses.list_warehouses(actor, active_only=active))

    @post("/warehouses")
    async def create_warehouse(
        self, actor: CurrentActor, data: JSONBody[WarehouseIn]
    ) -> WarehouseOut:
        """Add a store or a master's van."""
        return await warehouses.create_warehouse(actor, data)

    @get("/warehouses/{warehouse_id:int}")
    async def get_warehouse(self, actor: CurrentActor, warehouse_id: RecordId) -> WarehouseOut:
        """One warehouse."""
        return await warehouses.get_warehouse(actor, warehouse_id)

    @patch("/warehouses/{warehouse_id:int}")
    async def update_warehouse(
        self, actor: CurrentActor, warehouse_id: RecordId, data: JSONBody[WarehousePatch]
    ) -> WarehouseOut:
        """Change a warehouse, or switch it off or on."""
        return await warehouses.update_warehouse(actor, warehouse_id, data)

    @delete("/warehouses/{warehouse_id:int}", status_code=204)
    async def delete_warehouse(self, actor: CurrentActor, warehouse_id: RecordId) -> None:
        """Delete a warehouse nothing has moved through (stock:delete); one with moves: 409."""
        await warehouses.delete_warehouse(actor, warehouse_id)

    @get("/items")
    async def search_items(
        self,
        actor: CurrentActor,
        q: Search = "",
        warehouse_id: OptionalId = None,
        inactive: Flag = False,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> ItemList:
        """Items by name, article, code, barcode or compatible model, with their totals over
        the caller's warehouses; `next` is the cursor of the following page."""
        found, after = await items.search_items(
            actor,
            q,
            warehouse_id=warehouse_id,
            include_inactive=inactive,
            after=cursor or 0,
            limit=limit,
        )
        return ItemList(found, after)

    @post("/items")
    async def create_item(self, actor: CurrentActor, data: JSONBody[ItemIn]) -> ItemOut:
        """Add a stock item."""
        return await items.create_item(actor, data)

    @get("/items/{item_id:int}")
    async def get_item(self, actor: CurrentActor, item_id: RecordId) -> ItemOut:
        """One item with its totals."""
        return await items.get_item(actor, item_id)

    @patch("/items/{item_id:int}")
    async def update_item(
        self, actor: CurrentActor, item_id: RecordId, data: JSONBody[ItemPatch]
    ) -> ItemOut:
        """Change a stock item."""
        return await items.update_item(actor, item_id, data)

    @delete("/items/{item_id:int}", status_code=204)
    async def delete_item(self, actor: CurrentActor, item_id: RecordId) -> None:
        """Delete an item nothing has moved or reserved (stock:delete); one with moves: 409."""
        await items.delete_item(actor, item_id)

    @get("/items/{item_id:int}/levels")
    async def item_levels(self, actor: CurrentActor, item_id: RecordId) -> LevelList:
        """The item's level in each warehouse the caller sees."""
        return LevelList(await levels.item_levels(actor, item_id))

    @get("/items/{item_id:int}/moves")
    async def item_moves(
        self,
        actor: CurrentActor,
        item_id: RecordId,
        warehouse_id: OptionalId = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> MoveList:
        """The item's history, newest first."""
        found, before = await moves.history(
            actor, item_id, warehouse_id=warehouse_id, before=cursor or 0, limit=limit
        )
        return MoveList(found, before)

    @get("/moves", dependencies=MOVE_FILTERS)
    async def list_moves(
        self, actor: CurrentActor, filters: Moves, cursor: Cursor = None, limit: Limit = 50
    ) -> MoveList:
        """The moves ledger, newest first: by warehouse, item (`item_id`, or words `q`),
        document kind and period (`date_from`, `date_to`: the center's days, both included)."""
        found, before = await moves.list_moves(actor, filters, before=cursor or 0, limit=limit)
        return MoveList(found, before)

    @get("/moves.xlsx", media_type=XLSX, dependencies=MOVE_FILTERS)
    async def export_moves(
        self, actor: CurrentActor, filters: Moves
    ) -> File | Response[DownloadOut]:
        """The moves ledger as XLSX, with the filters of the list (stock:export); a big one
        answers 202 and is written in the background (see /api/v1/downloads)."""
        return await exports.moves_xlsx(actor, filters)

    @get("/levels")
    async def list_levels(
        self,
        actor: CurrentActor,
        q: Search = "",
        warehouse_id: OptionalId = None,
        low: Flag = False,
    ) -> LevelList:
        """Levels per warehouse and item; `low`: at or under the item's minimum."""
        return LevelList(await levels.list_levels(actor, q=q, warehouse_id=warehouse_id, low=low))

    @get("/levels.xlsx", media_type=XLSX)
    async def export_levels(
        self,
        actor: CurrentActor,
        q: Search = "",
        warehouse_id: OptionalId = None,
        low: Flag = False,
    ) -> File | Response[DownloadOut]:
        """The levels as XLSX, with the filters of the list (stock:export); a big one answers
        202 and is written in the background (see /api/v1/downloads)."""
        return await exports.levels_xlsx(actor, q=q, warehouse_id=warehouse_id, low=low)

    @get("/shortages")
    async def shortages(self, actor: CurrentActor) -> ShortageList:
        """Items under their minimum or waited for by orders, with what to order."""
        return ShortageList(await levels.shortages(actor))

    @get("/to-issue")
    async def to_issue(self, actor: CurrentActor) -> ToIssueList:
        """Parts masters used before their vans had them: what to issue to each van."""
        return ToIssueList(await issuing.to_issue(actor))

    @get("/documents")
    async def list_documents(
        self,
        actor: CurrentActor,
        kind: DocumentKindFilter = None,
        warehouse_id: OptionalId = None,
        order_id: OptionalId = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> DocumentList:
        """Posted documents, newest first."""
        found, before = await documents.list_documents(
            actor,
            kind=kind,
            warehouse_id=warehouse_id,
            order_id=order_id,
            before=cursor or 0,
            limit=limit,
        )
        return DocumentList(found, before)

    @post("/documents", status_code=201)
    async def post_document(self, actor: CurrentActor, data: JSONBody[DocumentIn]) -> DocumentOut:
        """Post a receipt, transfer, return, write-off or stocktaking: all its lines at once."""
        return await documents.post_document(actor, data)

    @get("/documents/{document_id:int}")
    async def get_document(self, actor: CurrentActor, document_id: RecordId) -> DocumentOut:
        """One posted document with its lines."""
        return await documents.get_document(actor, document_id)
