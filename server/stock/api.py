"""What other domains use of stock: an order's parts (reserve, write off, give back, where each
line stands) and the warehouses an actor sees. Stock never reads other domains' data: the
orders domain passes what it knows (the order's id and number)."""

from __future__ import annotations

from server.stock.reservations import (
    LineStock,
    OrderRef,
    consume_order,
    give_back,
    of_order,
    release_order,
    take,
)
from server.stock.schemas import WarehouseOut
from server.stock.van import van_stock
from server.stock.warehouses import list_warehouses

__all__ = [
    "LineStock",
    "OrderRef",
    "WarehouseOut",
    "consume_order",
    "give_back",
    "list_warehouses",
    "of_order",
    "release_order",
    "take",
    "van_stock",
]
