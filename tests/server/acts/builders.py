"""A field order whose type asks for both shipped acts, with a visit by a master."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from server import clock
from server.staff.tables import Employee
from tests.server.builders import make_employee
from tests.server.dispatch.builders import field_order


async def kind_ids(client: httpx.AsyncClient) -> dict[str, int]:
    """{code: id} of the act kinds."""
    answer = await client.get("/api/v1/acts/kinds")
    assert answer.status_code == 200, answer.text
    return {k["code"]: k["id"] for k in answer.json()["items"]}


async def require_acts(client: httpx.AsyncClient, order_type_id: int, *codes: str) -> None:
    """Make the order type ask its visits for the act kinds of the codes."""
    ids = await kind_ids(client)
    answer = await client.put(
        f"/api/v1/acts/order-types/{order_type_id}",
        json={"act_kind_ids": [ids[c] for c in codes]},
    )
    assert answer.status_code == 200, answer.text


async def visited_order(
    client: httpx.AsyncClient,
    master_login: str = "field1",
    day: dt.date | None = None,
    *codes: str,
) -> tuple[dict[str, Any], dict[str, Any], int]:
    """(order, visit, master id): a field order asking for the acts, visited by the master."""
    existing = await client.get("/api/v1/settings/orders/order-types")
    master = await Employee.select(Employee.id).where(Employee.login == master_login).first()
    if master is None:
        made = await make_employee(
            master_login, roles=["field_technician"], full_name=f"Мастер {master_login}"
        )
        master = {"id": made.id}
    master_id = master["id"]
    order = await field_order(client)
    field_type = next(t for t in existing.json()["items"] if t["code"] == "field")
    await require_acts(client, field_type["id"], *(codes or ("work_completion", "reclamation")))
    answer = await client.post(
        "/api/v1/visits",
        json={
            "order_id": order["id"],
            "master_id": master_id,
            "day": (day or clock.today()).isoformat(),
            "window_start": "10:00",
            "window_end": "12:00",
        },
    )
    assert answer.status_code == 201, answer.text
    return order, answer.json(), master_id
