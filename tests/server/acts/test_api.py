"""The acts API: kinds, the acts of an order type, a file marked as an act, an order's acts
per visit, the open requests per employee within the reader's scope; bad input refused next
to the field."""

from __future__ import annotations

import datetime as dt

import httpx
from litestar import Litestar

from server import clock
from server.acts import sweep
from tests.server.acts.builders import kind_ids, visited_order
from tests.server.builders import login_as, make_employee
from tests.server.files.test_attachments import jpeg


async def test_kinds_are_added_renamed_and_switched_off(admin_client: httpx.AsyncClient) -> None:
    kinds = (await admin_client.get("/api/v1/acts/kinds")).json()["items"]
    assert [k["name"] for k in kinds] == ["Акт выполненных работ", "Акт рекламации"]
    made = await admin_client.post(
        "/api/v1/acts/kinds", json={"code": "handover", "name": "Акт приёма-передачи"}
    )
    assert made.status_code == 201, made.text
    again = await admin_client.post("/api/v1/acts/kinds", json={"code": "handover", "name": "X"})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "code"
    bad = await admin_client.post("/api/v1/acts/kinds", json={"code": "Акт", "name": "X"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    off = await admin_client.patch(
        f"/api/v1/acts/kinds/{made.json()['id']}", json={"is_active": False}
    )
    assert off.status_code == 200 and off.json()["is_active"] is False
    blank = await admin_client.patch(f"/api/v1/acts/kinds/{made.json()['id']}", json={"name": " "})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "name"
    types = (await admin_client.get("/api/v1/settings/orders/order-types")).json()["items"]
    refused = await admin_client.put(
        f"/api/v1/acts/order-types/{types[0]['id']}", json={"act_kind_ids": [made.json()["id"]]}
    )
    assert refused.status_code == 422, "a switched-off kind is not asked for"
    assert refused.json()["errors"][0]["field"] == "act_kind_ids"
    missing = await admin_client.get("/api/v1/acts/order-types/999999")
    assert missing.status_code == 404


async def test_an_act_is_marked_at_upload_or_afterwards_and_checked(
    admin_client: httpx.AsyncClient,
) -> None:
    order, visit, _master = await visited_order(admin_client)
    other, _v, _m = await visited_order(admin_client)
    kinds = await kind_ids(admin_client)
    url = f"/api/v1/orders/{order['id']}/attachments"
    wrong_kind = await admin_client.post(
        url, files={"file": ("a.jpg", jpeg(), "image/jpeg")}, data={"act_kind": "999999"}
    )
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["errors"][0]["field"] == "act_kind"
    garbage = await admin_client.post(
        url, files={"file": ("a.jpg", jpeg(), "image/jpeg")}, data={"act_kind": "один"}
    )
    assert garbage.status_code == 422 and garbage.json()["errors"][0]["field"] == "act_kind"
    foreign_visit = await admin_client.post(
        f"/api/v1/orders/{other['id']}/attachments",
        files={"file": ("a.jpg", jpeg(), "image/jpeg")},
        data={"act_kind": str(kinds["reclamation"]), "act_visit": str(visit["id"])},
    )
    assert foreign_visit.status_code == 422
    assert foreign_visit.json()["errors"][0]["field"] == "act_visit"

    await sweep.sweep(clock.today() + dt.timedelta(days=1))
    acts = (await admin_client.get(f"/api/v1/orders/{order['id']}/acts")).json()
    assert acts["missing"] == 2
    (shown,) = acts["visits"]
    assert shown["visit_id"] == visit["id"]
    assert [a["attached"] for a in shown["acts"]] == [False, False]
    assert all(a["requested_since"] for a in shown["acts"])

    photo = await admin_client.post(url, files={"file": ("p.jpg", jpeg(), "image/jpeg")})
    assert photo.json()["act_kind"] is None
    marked = await admin_client.patch(
        f"/api/v1/files/{photo.json()['id']}", json={"act_kind": kinds["reclamation"]}
    )
    assert marked.status_code == 200, marked.text
    assert marked.json()["act_visit"] == visit["id"]
    acts = (await admin_client.get(f"/api/v1/orders/{order['id']}/acts")).json()
    assert acts["missing"] == 1
    requests = (await admin_client.get("/api/v1/acts/requests")).json()
    assert [r["act_name"] for r in requests["items"] if r["order_id"] == order["id"]] == [
        "Акт выполненных работ"
    ]
    unknown = await admin_client.patch(
        f"/api/v1/files/{photo.json()['id']}", json={"act_kind": 1, "colour": "red"}
    )
    assert unknown.status_code == 400
    not_a_file = await admin_client.patch("/api/v1/files/nope", json={"act_kind": None})
    assert not_a_file.status_code == 404


async def test_open_requests_per_employee_within_scope(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    first, _v1, field1 = await visited_order(admin_client, "field1")
    await visited_order(admin_client, "field2")
    await visited_order(admin_client, "field2")
    await sweep.sweep(clock.today() + dt.timedelta(days=1))
    everyone = (await admin_client.get("/api/v1/acts/requests")).json()
    assert everyone["total"] == 6
    assert [(e["employee_name"], e["open"]) for e in everyone["employees"]] == [
        ("Мастер field2", 4),
        ("Мастер field1", 2),
    ]
    mine = (await admin_client.get(f"/api/v1/acts/requests?employee={field1}")).json()
    assert mine["total"] == 2 and {r["order_id"] for r in mine["items"]} == {first["id"]}
    page = await admin_client.get(f"/acts?employee={field1}")
    assert page.status_code == 200
    assert first["number"] in page.text and f'href="/orders/{first["id"]}"' in page.text
    assert (await admin_client.get("/api/v1/acts/requests?employee=0")).status_code == 400

    await make_employee("tech", roles=["technician"])
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 3))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as tech:
        await login_as(tech, "tech")
        theirs = (await tech.get("/api/v1/acts/requests")).json()
        assert theirs == {"items": [], "employees": [], "total": 0}, "orders out of scope"
        assert (await tech.get(f"/api/v1/orders/{first['id']}/acts")).status_code == 404
        assert (
            await tech.put("/api/v1/acts/order-types/1", json={"act_kind_ids": []})
        ).status_code == 403
