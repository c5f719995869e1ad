"""Receiving moves on every repair that waited for the goods, whoever receives them: a repair
out of the receiver's scope moves on too (by the system), and the answer names only the repairs
the receiver may read."""

from __future__ import annotations

import datetime as dt

import httpx

from server.orders.tables import OrderStatus, StatusTransition
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.purchasing.helpers import (
    move,
    order_part,
    receive,
    repair_waiting,
    stocked,
    supplier,
    supplier_order,
)


async def _status(client: httpx.AsyncClient, order_id: int) -> str:
    answer = await client.get(f"/api/v1/orders/{order_id}")
    assert answer.status_code == 200, answer.text
    return str(answer.json()["status"]["code"])


async def _goods_in_role() -> None:
    """A role that may receive goods and nothing of orders beyond its holder's own repairs."""
    now = dt.datetime.now(dt.UTC)
    await Role(
        code="goods_in", name="Приёмка товара", description="", is_builtin=False,
        permissions={"purchasing": ["view", "edit"], "stock": ["view"]},
        field_permissions={}, created_at=now, updated_at=now,
    ).save()  # fmt: skip


async def test_receiving_moves_on_repairs_out_of_the_receivers_scope_without_naming_them(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    await _goods_in_role()
    tech1 = await make_employee("tech1", roles=["technician", "goods_in"])
    tech2 = await make_employee("tech2", roles=["technician"])
    stock = await stocked(client)
    firm = await supplier(client)
    mine, my_line = await repair_waiting(client, stock, "1", technician_id=tech1.id)
    theirs, their_line = await repair_waiting(client, stock, "1", technician_id=tech2.id)
    await order_part(client, mine["id"], my_line["id"], supplier_id=firm["id"])
    done = (await order_part(client, theirs["id"], their_line["id"])).json()
    assert await _status(client, theirs["id"]) == "waiting_parts"
    assert (await move(client, done["supplier_order_id"], "sent")).status_code == 200
    lines = (await supplier_order(client, done["supplier_order_id"]))["lines"]

    await login_as(client, "tech1")  # reads only his own repairs
    assert (await client.get(f"/api/v1/orders/{theirs['id']}")).status_code == 404
    got = await receive(
        client,
        done["supplier_order_id"],
        *({"line_id": line["id"], "quantity": "1"} for line in lines),
    )
    assert got.status_code == 200, got.text
    assert got.json()["repairs_moved"] == [mine["number"]]
    assert got.json()["repairs_left"] == []
    assert theirs["number"] not in got.text

    await login_as(client, "boss")
    assert await _status(client, mine["id"]) == "in_repair"
    assert await _status(client, theirs["id"]) == "in_repair"  # moved on all the same
    timeline = (await client.get(f"/api/v1/orders/{theirs['id']}/timeline")).json()["items"]
    assert any("В ремонте" in str(e) or "In repair" in str(e) for e in timeline), timeline


async def test_a_repair_moves_on_even_when_the_receivers_role_may_not_set_its_next_status(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    await _goods_in_role()
    tech1 = await make_employee("tech1", roles=["technician", "goods_in"])
    stock = await stocked(client)
    firm = await supplier(client)
    mine, my_line = await repair_waiting(client, stock, "1", technician_id=tech1.id)
    done = (await order_part(client, mine["id"], my_line["id"], supplier_id=firm["id"])).json()
    waiting = await OrderStatus.select(OrderStatus.id).where(OrderStatus.code == "waiting_parts")
    await StatusTransition.update({StatusTransition.role_codes: ["manager"]}).where(
        StatusTransition.from_status == waiting[0]["id"]
    )  # only a manager moves a repair out of «Waiting for parts» by hand
    assert (await move(client, done["supplier_order_id"], "sent")).status_code == 200
    lines = (await supplier_order(client, done["supplier_order_id"]))["lines"]

    await login_as(client, "tech1")
    got = await receive(
        client,
        done["supplier_order_id"],
        *({"line_id": line["id"], "quantity": "1"} for line in lines),
    )
    assert got.status_code == 200, got.text
    assert got.json()["repairs_moved"] == [mine["number"]], got.text
    assert got.json()["repairs_left"] == []
    assert await _status(client, mine["id"]) == "in_repair"
