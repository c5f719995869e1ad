"""Seeding stock: a store, a van for each field master, an item, and documents in each
(field1 sees only his van: field2's van, its documents and their words stay hidden)."""

from __future__ import annotations

from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import Base
from tests.server.leaks.world import Obj


class StockSeeding(Base):
    """Warehouses with a marker in their name, documents with one in their reason."""

    async def stock(self) -> None:
        await self.as_("boss")
        w = self.world
        store = await self.warehouse("w_store", "store", None)
        vans = {
            login: await self.warehouse(f"w_{login}", "van", login)
            for login in ("field1", "field2")
        }
        item = await self.call(
            "POST", "/api/v1/stock/items", 201, json={"name": "Тэн 1800 Вт", "article": "TEN-18"}
        )
        w.add(Obj("i_ten", "stock_item", item["id"], label="stock item"))
        line = {"item_id": item["id"], "quantity": "10", "unit_cost": "700"}
        receipt = {"kind": "receipt", "warehouse_id": store, "lines": [line], "supplier": "ООО Тэн"}
        body = await self.call("POST", "/api/v1/stock/documents", 201, json=receipt)
        w.add(
            Obj(
                "d_receipt",
                "stock_document",
                body["id"],
                people=frozenset({store}),
                label="receipt",
            )
        )
        for login, van in vans.items():
            key = f"d_transfer_{login}"
            moved = {
                "kind": "transfer",
                "warehouse_id": store,
                "to_warehouse_id": van,
                "lines": [{"item_id": item["id"], "quantity": "2"}],
            }
            body = await self.call("POST", "/api/v1/stock/documents", 201, json=moved)
            w.add(Obj(key, "stock_document", body["id"], people=frozenset({store, van}), label=key))
            key = f"d_write_off_{login}"
            reason = "Сгорел " + self.word("writeoff", "write-off reason", Owner(key))
            broken = {
                "kind": "write_off",
                "warehouse_id": van,
                "lines": [{"item_id": item["id"], "quantity": "1"}],
                "reason": reason,
            }
            body = await self.call("POST", "/api/v1/stock/documents", 201, json=broken)
            w.add(Obj(key, "stock_document", body["id"], people=frozenset({van}), label=key))

    async def warehouse(self, key: str, kind: str, master: str | None) -> int:
        """A warehouse named with a marker its viewers alone may see; its id."""
        w = self.world
        master_id = w.employees[master] if master else None
        name = "Склад " + self.word("warehouse", "warehouse name", Owner(key))
        body = await self.call(
            "POST",
            "/api/v1/stock/warehouses",
            201,
            json={"kind": kind, "name": name, "master_id": master_id},
        )
        w.add(Obj(key, "warehouse", body["id"], master=master_id, label=f"warehouse {key}"))
        return int(body["id"])
