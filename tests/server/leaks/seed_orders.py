"""Seeding orders: intake with a marker in every field, changes after intake, lines, a payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.orders.tables import OrderType, PriceItem
from tests.server.leaks import markers as mk
from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import CUSTOM, Base
from tests.server.leaks.world import Obj


class OrderSeeding(Base):
    """Orders and what the server computes for them."""

    async def order(
        self,
        key: str,
        client_key: str,
        *,
        technician: str | None = None,
        creator: str = "boss",
        field: bool = False,
        single_line: bool = False,
        source: str | None = None,
        center: str | None = None,
    ) -> Obj:
        w = self.world
        obj = w.add(Obj(key, "order", 0, parent=client_key, label=f"order {key}"))
        device_key = f"{key}-device"
        await self.as_("boss")
        device_id = await self.device(device_key, client_key)
        kind = await OrderType.select(OrderType.id).where(
            OrderType.code == ("field" if field else "repair")
        )
        if not kind:
            kind = await OrderType.select(OrderType.id).where(OrderType.is_field.eq(field))
        due = self.make.day()
        w.mark(
            mk.DAY,
            due.isoformat(),
            mk.day_pattern(due),
            "order.due_at",
            self.field_owner(key, "due_at"),
        )
        estimate = self.make.amount()
        self.money(estimate, "order.estimated_cost", self.field_owner(key, "estimated_cost"))
        prepayment = self.make.small_amount()
        data: dict[str, Any] = {
            "client_id": w.objects[client_key].id,
            "order_type_id": kind[0]["id"],
            "device_id": device_id,
            "declared_fault": "Не включается, "
            + self.word(
                "fault", "order.declared_fault (at intake)", self.field_owner(key, "declared_fault")
            ),
            "appearance": "Царапины, "
            + self.word("look", "order.appearance", self.field_owner(key, "appearance")),
            "accessories": "Кабель, "
            + self.word("acc", "order.accessories", self.field_owner(key, "accessories")),
            "estimated_cost": str(estimate),
            "due_at": dt.datetime.combine(due, dt.time(12), dt.UTC).isoformat(),
            "prepayment": str(prepayment),
            "priority": "high",
            "manager_id": w.employees["mgr2"],  # who writes nothing: their name shows only here
            "custom": {
                CUSTOM: self.word("ocustom", "order.custom", self.field_owner(key, "custom"))
            },
        }
        if technician:
            data["technician_id"] = w.employees[technician]
        if source:  # filed by partner organization `source` ("A", "B")
            obj.source_org = data["source_org_id"] = w.organizations[source]
        if center:  # repaired by partner service center `center`
            obj.service_center = data["service_center_id"] = w.organizations[center]
        await self.as_(creator)
        if creator == "boss":
            self.money(
                prepayment,
                "order.prepayment",
                self.field_owner(key, "prepayment"),
                Owner("cash_shift"),  # the shift's report lists the money it took
            )
        else:  # a dealer files the order: no prepayment, manager or technician of his choosing
            for name in ("manager_id", "technician_id", "prepayment"):
                data.pop(name, None)
        created = await self.call("POST", "/api/v1/orders", 201, json=data)
        obj.id = created["id"]
        obj.technician = w.employees[technician] if technician else None
        obj.manager = w.employees["mgr2"] if creator == "boss" else None
        obj.created_by = w.employees[creator]
        obj.is_field = field
        w.mark(
            mk.CODE,
            created["number"],
            mk.code_pattern(created["number"]),
            "order number",
            Owner(key),
        )
        w.mark(
            mk.CODE,
            created["public_code"],
            mk.code_pattern(created["public_code"]),
            "order public code",
            Owner(key),
        )
        obj.identity = [created["number"]]
        await self.as_("boss")
        new_due = self.make.day()
        w.mark(
            mk.DAY,
            new_due.isoformat(),
            mk.day_pattern(new_due),
            "order.due_at (changed)",
            self.field_owner(key, "due_at"),
        )
        fault = self.word(
            "fault", "order.declared_fault (changed)", self.field_owner(key, "declared_fault")
        )
        patch = {
            "declared_fault": f"Не сливает, {fault}",
            "due_at": dt.datetime.combine(new_due, dt.time(12), dt.UTC).isoformat(),
        }
        await self.call("PATCH", f"/api/v1/orders/{obj.id}", json=patch)
        await self.lines(key, single_line=single_line)
        payment = self.make.small_amount()
        self.money(
            payment,
            "payment amount (part of order.paid)",
            self.field_owner(key, "paid"),
            Owner("cash_shift"),
        )
        await self.call(
            "POST", f"/api/v1/orders/{obj.id}/payments", 201, json={"amount": str(payment)}
        )
        event = self.word("comment", "timeline comment", Owner(key))
        await self.call(
            "POST",
            f"/api/v1/orders/{obj.id}/timeline",
            201,
            json={"kind": "comment", "text": f"Позвонил клиенту: {event}"},
        )
        return obj

    async def lines(self, key: str, *, single_line: bool) -> None:
        order_id = self.world.objects[key].id
        n = len(self.world.objects)
        list_price = self.make.amount()
        purchase = self.make.small_amount()
        item = PriceItem(
            kind="service",
            code=f"LEAK-{n}",
            name="Работа " + self.make.word("item"),
            price=list_price,
            purchase_price=purchase,
            warranty_days=30,
        )
        await item.save()
        first: dict[str, Any] = {"price_item_id": item.id}
        if not single_line:
            first |= {
                "quantity": "2",
                "unit_price": str(self.make.amount()),
                "price_reason": "Скидка постоянному: " + self.make.word("reason"),
            }
        await self.call("POST", f"/api/v1/orders/{order_id}/lines", 201, json=first)
        if not single_line:
            second = {
                "kind": "part",
                "name": "Деталь " + self.make.word("part"),
                "quantity": "1",
                "unit_price": str(self.make.amount()),
                "purchase_price": str(self.make.small_amount()),
            }
            await self.call("POST", f"/api/v1/orders/{order_id}/lines", 201, json=second)
        await PriceItem.update({PriceItem.is_active: False}).where(PriceItem.id == item.id)

    async def read_back(self) -> None:
        """Mark what the server computed (line totals, order money), as the admin sees it."""
        await self.as_("boss")
        w = self.world
        for obj in w.of_kind("order"):
            order = await self.call("GET", f"/api/v1/orders/{obj.id}")
            w.admin_orders[obj.id] = order
            for name in ("subtotal", "discount_amount", "total", "paid", "amount_due"):
                self.money(order.get(name), f"order.{name}", self.field_owner(obj.key, name))
            if order.get("discount_percent") and Decimal(order["discount_percent"]):
                percent = Decimal(order["discount_percent"])
                w.mark(
                    mk.PERCENT,
                    str(percent),
                    mk.percent_pattern(percent),
                    "order.discount_percent",
                    self.field_owner(obj.key, "discount_percent"),
                )
            for line in order["lines"]:
                key = f"{obj.key}-line{line['id']}"
                w.add(Obj(key, "line", line["id"], parent=obj.key, label=f"line of {obj.key}"))
                for name in ("unit_price", "total", "list_price", "purchase_price"):
                    self.money(line.get(name), f"order_line.{name}", self.field_owner(key, name))
                name_word = line["name"].split()[-1]
                w.mark(mk.WORD, name_word, mk.word_pattern(name_word), "line name", Owner(key))
                reason = (line.get("price_reason") or "").split()
                if reason:
                    w.mark(
                        mk.WORD,
                        reason[-1],
                        mk.word_pattern(reason[-1]),
                        "order_line.price_reason",
                        self.field_owner(key, "price_reason"),
                    )
        for obj in w.of_kind("client"):
            w.admin_clients[obj.id] = await self.call("GET", f"/api/v1/clients/{obj.id}")
