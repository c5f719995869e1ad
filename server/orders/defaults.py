"""The workflow, order types and price list a fresh install starts with (all editable)."""

from __future__ import annotations

from decimal import Decimal

from server.i18n import N_
from server.orders.tables import OrderStatus, OrderType, PriceItem, StatusTransition

# code, name, colour, group, rules
STATUSES: tuple[tuple[str, str, str, str, list[str]], ...] = (
    ("new", N_("New"), "#1e88e5", "new", []),
    ("diagnostics", N_("Diagnostics"), "#039be5", "in_work", []),
    ("approval", N_("Awaiting approval"), "#fb8c00", "waiting", []),
    ("waiting_parts", N_("Waiting for parts"), "#f4511e", "waiting", []),
    ("scheduled", N_("Visit scheduled"), "#00acc1", "in_work", ["needs_technician"]),
    ("in_repair", N_("In repair"), "#3949ab", "in_work", []),
    ("ready", N_("Ready"), "#43a047", "ready", ["needs_work_line", "consumes_parts"]),
    ("issued", N_("Issued"), "#546e7a", "closed", ["needs_zero_due"]),
    ("cancelled", N_("Cancelled"), "#9e9e9e", "cancelled", []),
)

COUNTER = ["admin", "manager", "receiver"]
OFFICE = ["admin", "manager", "receiver", "dispatcher"]

SHOP_FLOW: tuple[tuple[str, str, list[str]], ...] = (
    ("new", "diagnostics", []),
    ("new", "cancelled", OFFICE),
    ("diagnostics", "approval", []),
    ("diagnostics", "in_repair", []),
    ("diagnostics", "waiting_parts", []),
    ("diagnostics", "cancelled", OFFICE),
    ("approval", "in_repair", []),
    ("approval", "cancelled", OFFICE),
    ("waiting_parts", "in_repair", []),
    ("in_repair", "waiting_parts", []),
    ("in_repair", "ready", []),
    ("ready", "in_repair", []),
    ("ready", "issued", COUNTER),
    ("cancelled", "issued", COUNTER),
    ("cancelled", "new", ["admin", "manager"]),
)
FIELD_FLOW: tuple[tuple[str, str, list[str]], ...] = (
    ("new", "scheduled", OFFICE),
    ("new", "cancelled", OFFICE),
    ("scheduled", "in_repair", []),
    ("scheduled", "cancelled", OFFICE),
    ("in_repair", "waiting_parts", []),
    ("waiting_parts", "scheduled", OFFICE),
    ("in_repair", "ready", []),
    ("ready", "issued", OFFICE),
    ("cancelled", "new", ["admin", "manager"]),
)
# code, name, is_field, deadline days, flow
TYPES = (
    ("repair", N_("In-shop repair"), False, 7, SHOP_FLOW),
    ("field", N_("Field visit"), True, 3, FIELD_FLOW),
    ("warranty", N_("Warranty repair"), False, 14, SHOP_FLOW),
    ("maintenance", N_("Maintenance"), False, 5, SHOP_FLOW),
)
# kind, code, name, price, purchase price, warranty days
PRICES = (
    ("service", "DIAG", "Диагностика", "800.00", "0", 0),
    ("service", "CLEAN", "Чистка и профилактика", "1500.00", "0", 30),
    ("service", "SCREEN", "Замена дисплейного модуля", "2500.00", "0", 90),
    ("service", "BATT", "Замена аккумулятора", "1200.00", "0", 90),
    ("service", "SOLDER", "Пайка разъёма питания", "1800.00", "0", 90),
    ("service", "WASH-PUMP", "Замена сливного насоса", "2200.00", "0", 180),
    ("service", "WASH-BEAR", "Замена подшипников барабана", "4500.00", "0", 180),
    ("service", "VISIT", "Выезд мастера в пределах города", "700.00", "0", 0),
    ("part", "P-PUMP", "Насос сливной Askoll", "1900.00", "1100.00", 180),
    ("part", "P-BEAR", "Комплект подшипников SKF 6204/6205", "1400.00", "750.00", 180),
    ("part", "P-BATT", "Аккумулятор для смартфона", "1600.00", "900.00", 180),
    ("part", "P-LCD", "Дисплейный модуль", "5200.00", "3400.00", 90),
    ("good", "G-CASE", "Чехол-книжка", "900.00", "350.00", 0),
    ("good", "G-GLASS", "Защитное стекло", "600.00", "150.00", 0),
)


async def ensure_order_defaults() -> None:
    """Create the default workflow, order types and price list on a fresh install only."""
    if await OrderType.exists():
        return
    async with OrderType._meta.db.transaction():
        status_ids = {}
        for sort, (code, name, color, group, rules) in enumerate(STATUSES):
            status = OrderStatus(
                code=code, name=name, color=color, group=group, rules=rules, sort=sort
            )
            await status.save()
            status_ids[code] = status.id
        for sort, (code, name, is_field, days, flow) in enumerate(TYPES):
            order_type = OrderType(
                code=code,
                name=name,
                is_field=is_field,
                default_deadline_days=days,
                initial_status=status_ids["new"],
                sort=sort,
            )
            await order_type.save()
            for source, target, roles in flow:
                await StatusTransition(
                    order_type=order_type.id,
                    from_status=status_ids[source],
                    to_status=status_ids[target],
                    role_codes=roles,
                ).save()
        for kind, code, name, price, purchase, warranty in PRICES:
            await PriceItem(
                kind=kind,
                code=code,
                name=name,
                price=Decimal(price),
                purchase_price=Decimal(purchase),
                warranty_days=warranty,
            ).save()
