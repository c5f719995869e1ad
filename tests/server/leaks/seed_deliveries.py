"""Seeding deliveries: shipments to the clients of tech1's and tech2's orders, to a partner and
to a supplier, each with a marker in its note (a bench technician sees every shipment, but the
order and the client only of his own orders: tech2's order number and client stay hidden)."""

from __future__ import annotations

from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import Base
from tests.server.leaks.world import Obj


class DeliverySeeding(Base):
    """Shipments with a marker in their note."""

    async def deliveries(self) -> None:
        await self.as_("boss")
        w = self.world
        for key, order in (("s_tech1", "o_tech1"), ("s_tech2", "o_tech2_own")):
            await self.shipment(
                key, direction="to_client", order_id=w.objects[order].id, carrier="own_courier"
            )
        await self.shipment(
            "s_partner", direction="to_partner", partner_id=w.organizations["A"], carrier="cdek",
            tracking_number="1106207236",
        )  # fmt: skip
        await self.shipment("s_supplier", direction="from_supplier", supplier_name="ООО Тэн")

    async def shipment(self, key: str, **fields: object) -> None:
        """A shipment whose note carries a marker the section's viewers may see."""
        note = "Хрупкое " + self.word("shipnote", "shipment note", Owner(key))
        body = {"carrier": "other", "cost": "350", "note": note, **fields}
        made = await self.call("POST", "/api/v1/deliveries", 201, json=body)
        self.world.add(Obj(key, "shipment", made["id"], label=f"shipment {key}"))
