"""Seeding purchasing: a supplier with a marker in its note, and a supplier order whose lines
are for the part lines of tech1's and tech2's repairs, priced with a marker (a bench technician
sees every supplier order but neither the purchase prices nor the number of tech2's repair)."""

from __future__ import annotations

from server.orders.tables import OrderLine
from server.purchasing.tables import SupplierOrderLine
from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import Base
from tests.server.leaks.world import Obj


class PurchasingSeeding(Base):
    """Suppliers and supplier orders with markers."""

    async def purchasing(self) -> None:
        await self.as_("boss")
        w = self.world
        note = "Звонить до обеда " + self.word("suppliernote", "supplier note", Owner("sp_a"))
        made = await self.call(
            "POST", "/api/v1/purchasing/suppliers", 201, json={"name": "ООО Тэн", "note": note}
        )
        w.add(Obj("sp_a", "supplier", made["id"], label="supplier sp_a"))
        price = self.make.amount()
        self.money(price, "supplier order price", Owner("po_a", "order_line.purchase_price"))
        line = {"item_id": w.objects["i_ten"].id, "quantity": "1", "unit_price": str(price)}
        remark = "Срочно " + self.word("purchasenote", "supplier order note", Owner("po_a"))
        body = {
            "supplier_id": made["id"],
            "warehouse_id": w.objects["w_store"].id,
            "note": remark,
            "lines": [line, line],
        }
        order = await self.call("POST", "/api/v1/purchasing/orders", 201, json=body)
        w.add(Obj("po_a", "supplier_order", order["id"], label="supplier order po_a"))
        for given, repair in zip(order["lines"], ("o_tech1", "o_tech2_own"), strict=True):
            part = (
                await OrderLine.select(OrderLine.id)
                .where(OrderLine.order == w.objects[repair].id, OrderLine.kind == "part")
                .first()
            )
            assert part is not None
            await SupplierOrderLine.update(
                {
                    SupplierOrderLine.repair_order_id: w.objects[repair].id,
                    SupplierOrderLine.repair_line_id: part["id"],
                }
            ).where(SupplierOrderLine.id == given["id"])  # written directly: not a part line
