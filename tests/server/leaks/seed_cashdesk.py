"""Seeding the cash desk: a counter desk whose shift the orders' prepayments and payments go
into, and cash taken out with a marker in its reason (seen by whoever views the finance
section; the orders its documents name follow the orders' scope, their amounts also belong to
the orders' paid and prepayment fields)."""

from __future__ import annotations

from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import Base
from tests.server.leaks.world import Obj

SHIFT = "cash_shift"


class CashDeskSeeding(Base):
    """The desk and its open shift, before any order is taken in."""

    async def cash_desk(self) -> None:
        await self.as_("boss")
        desk = await self.call("POST", "/api/v1/cash/desks", 201, json={"name": "Касса 1"})
        self.world.add(Obj("cash_desk", "cash_desk", desk["id"], label="cash desk"))
        shift = await self.call(
            "POST", f"/api/v1/cash/desks/{desk['id']}/shifts", 201, json={"opening_balance": "0"}
        )
        self.world.add(Obj(SHIFT, "cash_shift", shift["id"], label="cash shift"))

    async def cash_out(self) -> None:
        """Cash taken out once the payments are in (the prepayments and payments stay)."""
        await self.as_("boss")
        shift = self.world.objects[SHIFT].id
        amount = self.make.small_amount()
        reason = "Инкассация " + self.word("cashout", "cash out reason", Owner(SHIFT))
        self.money(amount, "cash out amount", Owner(SHIFT))
        await self.call(
            "POST",
            f"/api/v1/cash/shifts/{shift}/moves",
            201,
            json={"kind": "cash_out", "amount": str(amount), "reason": reason},
        )

    async def expense(self) -> None:
        """An expense for tech2's order, with a marker in what it was for (finance viewers see
        the expense; the order's number only those who may read the order)."""
        await self.as_("boss")
        categories = await self.call("GET", "/api/v1/finance/categories")
        delivery = next(c["id"] for c in categories if c["code"] == "delivery")
        what = "Курьер " + self.word("expense", "expense description", Owner("expense"))
        amount = self.make.small_amount()
        self.money(amount, "expense amount", Owner("expense"))
        made = await self.call(
            "POST",
            "/api/v1/finance/expenses",
            201,
            json={"category_id": delivery, "amount": str(amount), "description": what,
                  "order_id": self.world.objects["o_tech2_own"].id},
        )  # fmt: skip
        expense = Obj("expense", "expense", made["id"], label="expense")
        expense.identity = [made["number"]]
        self.world.add(expense)

    async def partner_settlement(self) -> None:
        """A charge to partner B, with a marker in what it is for, for tech2's order (finance
        viewers see both partners' settlements; the order's number only its readers)."""
        await self.as_("boss")
        for letter in ("A", "B"):
            org = self.world.organizations[letter]
            self.world.add(Obj(f"settle_{letter}", "partner_account", org, label="settlements"))
        what = "Запчасти " + self.word("settle", "settlement description", Owner("settle_B"))
        amount = self.make.small_amount()
        self.money(amount, "settlement amount", Owner("settle_B"))
        await self.call(
            "POST",
            f"/api/v1/finance/partners/{self.world.organizations['B']}/entries",
            201,
            json={"kind": "charge", "amount": str(amount), "description": what,
                  "order_id": self.world.objects["o_tech2_own"].id},
        )  # fmt: skip

    async def payroll(self) -> None:
        """A payroll period (payroll viewers only; the orders it names follow their scope)."""
        await self.as_("boss")
        rule = {"role_code": "technician", "base_kind": "month", "base_amount": "1000",
                "work_percent": "10"}  # fmt: skip
        await self.call("POST", "/api/v1/payroll/rules", 201, json=rule)
        period = await self.call("POST", "/api/v1/payroll/periods", 201, json={})
        self.world.add(Obj("payroll_period", "payroll_period", period["id"], label="payroll"))
