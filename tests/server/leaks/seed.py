"""Seed the matrix's world through the real API: every hideable field holds a marker.

Two technicians, two field technicians, a dealer, two custom roles that hide every field of
the catalogue (one limited to its own orders, one seeing all) and a technician whose role hides
the fields of issue 9 (total, paid, amount due, fault, deadline) each have orders; the shared
client has orders of all of them, so a history that ignores scope shows someone else's.
Orders are changed after intake (fault, deadline, lines, a payment) so the audit timeline
holds old and new values too.
"""

from __future__ import annotations

import httpx

from server.orders.tables import CustomField, OrderType
from server.staff.tables import Role
from tests.server.leaks.seed_base import BLIND_ALL, BLIND_OWN, CUSTOM, PARTIAL
from tests.server.leaks.seed_cashdesk import CashDeskSeeding
from tests.server.leaks.seed_deliveries import DeliverySeeding
from tests.server.leaks.seed_more import MoreSeeding
from tests.server.leaks.seed_orders import OrderSeeding
from tests.server.leaks.seed_purchasing import PurchasingSeeding
from tests.server.leaks.seed_requests import RequestSeeding
from tests.server.leaks.seed_stock import StockSeeding
from tests.server.leaks.world import World


class Seeder(
    OrderSeeding,
    MoreSeeding,
    RequestSeeding,
    StockSeeding,
    DeliverySeeding,
    PurchasingSeeding,
    CashDeskSeeding,
):
    """Everything a seeded world needs."""


async def seed(client: httpx.AsyncClient) -> World:
    """The whole world, seeded through the API (and a few rows written directly)."""
    s = Seeder(client)
    await s.people()
    await s.cash_desk()
    for entity in ("order", "client"):
        await CustomField(entity=entity, code=CUSTOM, label="Заметка", kind="text").save()
    clients = ("shared", "c_tech2", "c_dealer", "c_unassigned", "c_blind", "c_moved")
    for key in (*clients, "c_org_a", "c_org_b"):
        await s.client(key, discount=key != "c_blind")
    await s.order("o_tech1", "shared", technician="tech1")
    await s.order("o_tech2", "shared", technician="tech2")
    await s.order("o_tech2_own", "c_tech2", technician="tech2")
    await s.order("o_field1", "shared", field=True)
    await s.order("o_field2", "shared", field=True)
    await s.order("o_moved", "c_moved", field=True)
    await s.order("o_dealer", "c_dealer", creator="dealer1")
    await s.order("o_dealer_shared", "shared", creator="dealer1")
    await s.order("o_unassigned", "c_unassigned")
    await s.order("o_blind1", "shared", technician="blind")
    await s.order("o_blind2", "c_blind", technician="blind", single_line=True)
    await s.order("o_blind3", "c_blind", field=True)
    await s.order("o_partial", "shared", technician="tech3")
    await s.order("o_org_a", "c_org_a", source="A")  # the partner viewer's (dealer of A)
    await s.order("o_org_b", "c_org_b", source="B")  # not theirs: filed by B...
    await s.order("o_center_b", "c_org_b", center="B")  # ...and repaired by B
    await s.visit("v_field1", "o_field1", "field1")
    await s.visit("v_field2", "o_field2", "field2")
    await s.visit("v_moved", "o_moved", "field1")
    await s.visit("v_blind", "o_blind3", "blind")
    # the moved order goes to field2; field1's visit stays, but the order is no longer his
    await s.as_("boss")
    moved = s.world.objects["o_moved"]
    await s.call(
        "PATCH", f"/api/v1/orders/{moved.id}", json={"technician_id": s.world.employees["field2"]}
    )
    moved.technician = s.world.employees["field2"]
    await s.photo("f_field1", "o_field1", "field1")
    await s.photo("f_field2", "o_field2", "field2")
    supervised = ["technician", "field_technician", "dealer", BLIND_OWN, BLIND_ALL, PARTIAL]
    await s.locked_comment("o_tech1", supervised)
    await s.locked_comment("o_blind1", supervised)
    await s.rating("o_tech1")
    await s.rating("o_dealer")
    await s.requests()
    await s.reminder("shared")
    await s.download("boss")
    await s.template()
    await s.plan()
    await s.stock()
    await s.deliveries()
    await s.purchasing()
    await s.cash_out()
    await s.expense()
    await s.partner_settlement()
    await s.payroll()
    await s.as_("boss")  # reference data of the automatic responsibles (no rule: none changes)
    await s.call("POST", "/api/v1/problem-classes", 201, json={"name": "Не включается"})
    zone = {"name": "Центр", "polygon": [[55.8, 37.5], [55.8, 37.7], [55.7, 37.6]]}
    await s.call("POST", "/api/v1/assignment-zones", 201, json=zone)
    s.world.role_ids = [r["id"] for r in await Role.select(Role.id).order_by(Role.id)]
    kinds = await OrderType.select(OrderType.id).order_by(OrderType.id)
    s.world.order_type_ids = [k["id"] for k in kinds]
    await s.read_back()
    s.http.cookies.clear()
    s.http.headers.pop("X-CSRFToken", None)
    return s.world
