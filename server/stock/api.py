"""What other domains use of stock: an order's parts (reserve, write off, give back, where each
line stands), the warehouses an actor sees, and the items and receipts of purchasing. Stock
never reads other domains' data: the orders domain passes what it knows (the order's id and
number), purchasing its supplier's name and the supplier order's number."""

from __future__ import annotations

from server.stock.audit_names import audit_names
from server.stock.costs import order_parts_cost_by_day
from server.stock.items import search_items
from server.stock.receipts import (
    ItemBrief,
    PostedReceipt,
    ReceiptLine,
    check_price,
    check_quantity,
    item_briefs,
    items_of_prices,
    post_receipt,
    receiving_warehouse,
    warehouse_names,
)
from server.stock.reservations import (
    LineStock,
    OrderRef,
    choose_serials,
    consume_order,
    give_back,
    of_order,
    release_order,
    take,
)
from server.stock.schemas import WarehouseOut
from server.stock.uses import item_kept_by, warehouse_kept_by
from server.stock.van import van_stock
from server.stock.warehouses import list_warehouses

__all__ = [
    "ItemBrief",
    "LineStock",
    "OrderRef",
    "PostedReceipt",
    "ReceiptLine",
    "WarehouseOut",
    "audit_names",
    "check_price",
    "check_quantity",
    "choose_serials",
    "consume_order",
    "give_back",
    "item_briefs",
    "item_kept_by",
    "items_of_prices",
    "list_warehouses",
    "of_order",
    "order_parts_cost_by_day",
    "post_receipt",
    "receiving_warehouse",
    "release_order",
    "search_items",
    "take",
    "van_stock",
    "warehouse_kept_by",
    "warehouse_names",
]
