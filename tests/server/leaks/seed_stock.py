"""Seeding stock: a store, a van for each field master, an item, and documents in each
(field1 sees only his van: field2's van, its documents and their words stay hidden); and the
parts of tech2's order: one written off from field2's van at once, one waiting in the store
and one more to be issued to the van (tech1 sees every warehouse, so its write-off, the
shortage and what to issue, but not tech2's order)."""

from __future__ import annotations

import datetime as dt

from server.orders.tables import PriceItem
from server.stock.tables import StockReservation
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
        await self.order_parts("o_tech2", store, vans["field2"])

    async def order_parts(self, order_key: str, store: int, van: int) -> None:
        """Two part lines of the order: one from the van (written off into the order at once),
        one from the store asking more than it holds (the rest waits: a shortage)."""
        w = self.world
        name = "Насос " + self.word("pump", "stock item name", Owner("i_pump"))
        price = PriceItem(
            kind="part",
            code="LEAK-PUMP",
            name=name,
            price=self.make.amount(),
            purchase_price=self.make.small_amount(),
        )
        await price.save()
        item = await self.call(
            "POST", "/api/v1/stock/items", 201, json={"name": name, "price_item_id": price.id}
        )
        w.add(Obj("i_pump", "stock_item", item["id"], label="stock item of a price item"))
        line = {"item_id": item["id"], "quantity": "3", "unit_cost": str(self.make.small_amount())}
        receipt = {
            "kind": "receipt",
            "warehouse_id": store,
            "lines": [line],
            "supplier": "ООО Насос",
        }
        await self.call("POST", "/api/v1/stock/documents", 201, json=receipt)
        moved = {
            "kind": "transfer",
            "warehouse_id": store,
            "to_warehouse_id": van,
            "lines": [{"item_id": item["id"], "quantity": "1"}],
        }
        await self.call("POST", "/api/v1/stock/documents", 201, json=moved)
        order = w.objects[order_key]
        for quantity, warehouse in (("1", van), ("5", store)):
            part = {"price_item_id": price.id, "quantity": quantity, "warehouse_id": warehouse}
            await self.call("POST", f"/api/v1/orders/{order.id}/lines", 201, json=part)
        await PriceItem.update({PriceItem.is_active: False}).where(PriceItem.id == price.id)
        added = await self.call("GET", f"/api/v1/orders/{order.id}/lines")
        from_van = next(ln for ln in added["items"] if ln.get("warehouse_id") == van)
        await StockReservation(  # one more the master used, to be issued to his van
            warehouse_id=van, item_id=item["id"], order_id=order.id,
            order_number=order.identity[0], order_line_id=from_van["id"], quantity=1, held=0,
            created_at=dt.datetime.now(dt.UTC),
        ).save()  # fmt: skip
        written = await self.call("GET", f"/api/v1/stock/documents?order_id={order.id}")
        key = f"d_consumption_{order_key}"
        (document,) = written["items"]
        w.add(Obj(key, "stock_document", document["id"], people=frozenset({van}), label=key))

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
