"""The customer's status page shows when the master comes: the planned arrival window."""

from __future__ import annotations

import datetime as dt

import httpx
from litestar import Litestar

from server.dispatch import services
from tests.server.builders import login_as
from tests.server.dispatch.planbuilders import around, field_order_at, master, next_weekday
from tests.server.portal.test_status_lookup import URL, from_address


async def test_status_shows_the_window_of_the_planned_visit(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    field = await master("m1", *around(0))
    await login_as(admin_client, "boss")
    order = await field_order_at(admin_client, "ул. Минина, 3", *around(4))
    day = next_weekday()
    async with from_address(app, "10.9.0.1") as customer:
        ask = {"number": order["number"], "code": order["public_code"]}
        before = (await customer.post(URL, json=ask)).json()
        assert before["found"] and before["visit_day"] is None
        start = dt.datetime.combine(day, dt.time(10, 40), tzinfo=services.zone())
        made = await admin_client.post(
            "/api/v1/visits",
            json={
                "order_id": order["id"],
                "day": day.isoformat(),
                "master_id": field.employee_id,
                "planned_start": start.isoformat(),
            },
        )
        assert made.status_code == 201, made.text
        after = (await customer.post(URL, json=ask)).json()
        assert after["visit_day"] == day.isoformat()
        assert (after["visit_window_start"], after["visit_window_end"]) == ("10:30", "12:30")
        page = await customer.get("/status", params=ask)
        form = await customer.post(
            "/status",
            data={
                **ask,
                "_csrf_token": page.text.split('name="_csrf_token" value="')[1].split('"')[0],
            },
        )
        assert "Выезд мастера" in form.text and "с 10:30 до 12:30" in form.text
        await admin_client.patch(
            f"/api/v1/visits/{made.json()['id']}",
            json={"window_start": "14:00", "window_end": "16:00"},
        )
        agreed = (await customer.post(URL, json=ask)).json()
        assert (agreed["visit_window_start"], agreed["visit_window_end"]) == ("14:00", "16:00")
