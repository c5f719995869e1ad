"""The ratings API: the monthly average per technician, the report, scope (a technician
reads only ratings of their own orders), hidden fields, the export, the settings."""

from __future__ import annotations

import datetime as dt
import io

import httpx
import openpyxl

from server import clock
from server.orders.tables import Order
from server.partners.tables import Organization
from server.ratings.tables import Rating
from tests.server.builders import login_as, make_employee
from tests.server.ratings.builders import closed_order, rate


async def test_the_monthly_average_per_technician_and_scope(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    ivan = await make_employee("ivan", roles=["technician"], full_name="Иван Мастеров")
    olga = await make_employee("olga", roles=["technician"], full_name="Ольга Мастерова")
    scores = {ivan.id: [5, 4, 2], olga.id: [1]}
    for master, given in scores.items():
        for n, score in enumerate(given):
            order = await closed_order(admin_client, f"c{master}-{n}@example.ru", master)
            await rate(visitor, order["id"], score)
    month = clock.now().strftime("%Y-%m")
    await Rating.update({Rating.month: "2026-01"}).where(Rating.score == 2)  # another month

    answer = await admin_client.get(
        "/api/v1/ratings", params={"employee_id": ivan.id, "month": month}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["count"] == 2 and body["average"] == 4.5
    assert {i["score"] for i in body["items"]} == {5, 4}
    assert {i["technician_name"] for i in body["items"]} == {"Иван Мастеров"}
    assert body["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    everyone = (await admin_client.get("/api/v1/ratings", params={"month": month})).json()
    assert everyone["count"] == 3 and everyone["average"] == round(10 / 3, 2)
    paged = (await admin_client.get("/api/v1/ratings", params={"limit": 2})).json()
    assert len(paged["items"]) == 2 and paged["next"] and paged["count"] == 4
    rest = (
        await admin_client.get("/api/v1/ratings", params={"limit": 2, "cursor": paged["next"]})
    ).json()
    assert {i["id"] for i in rest["items"]}.isdisjoint({i["id"] for i in paged["items"]})
    assert len(rest["items"]) == 2 and rest["next"] is None

    report = (await admin_client.get("/api/v1/ratings/report", params={"month": month})).json()
    by_id = {g["id"]: g for g in report["technicians"]}
    assert by_id[ivan.id]["average"] == 4.5 and by_id[ivan.id]["count"] == 2
    assert by_id[olga.id]["distribution"]["1"] == 1
    trend = {m: (avg, n) for m, avg, n in by_id[ivan.id]["trend"]}
    assert trend[month] == (4.5, 2) and len(trend) == 6

    await login_as(admin_client, "olga")
    own = (await admin_client.get("/api/v1/ratings")).json()
    assert own["count"] == 1 and [i["score"] for i in own["items"]] == [1]
    others = (await admin_client.get("/api/v1/ratings", params={"employee_id": ivan.id})).json()
    assert others["count"] == 0 and others["items"] == [] and others["average"] is None
    report = (await admin_client.get("/api/v1/ratings/report", params={"month": month})).json()
    assert [g["id"] for g in report["technicians"]] == [olga.id]


async def test_bad_filters_are_refused_naming_the_field(admin_client: httpx.AsyncClient) -> None:
    for params, field in (
        ({"month": "2026-13"}, "month"),
        ({"month": "26-01"}, "month"),
        ({"score": "6"}, "score"),
        ({"employee_id": "0"}, "employee_id"),
    ):
        answer = await admin_client.get("/api/v1/ratings", params=params)
        assert answer.status_code in (400, 422), params
        assert field in answer.text


async def test_a_hidden_technician_field_hides_the_technician(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    master = await make_employee("m1", roles=["technician"])
    order = await closed_order(admin_client, "h@example.ru", master.id)
    await rate(visitor, order["id"], 4)
    roles = (await admin_client.get("/api/v1/roles")).json()["items"]
    manager = next(r for r in roles if r["code"] == "manager")
    answer = await admin_client.patch(
        f"/api/v1/roles/{manager['id']}",
        json={"field_permissions": {"order.technician_id": "hidden"}},
    )
    assert answer.status_code == 200, answer.text
    await make_employee("man1", roles=["manager"])
    await login_as(admin_client, "man1")
    (item,) = (await admin_client.get("/api/v1/ratings")).json()["items"]
    assert "technician_id" not in item and "technician_name" not in item
    refused = await admin_client.get("/api/v1/ratings", params={"employee_id": master.id})
    assert refused.status_code == 403
    report = (await admin_client.get("/api/v1/ratings/report")).json()
    assert report["technicians"] == [] and report["count"] == 1


async def test_the_export_and_the_settings(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    master = await make_employee("m2", roles=["technician"], full_name="Семён Мастеров")
    order = await closed_order(admin_client, "x@example.ru", master.id)
    await rate(visitor, order["id"], 3, "нормально")
    answer = await admin_client.get("/api/v1/ratings/export")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == order["number"] and rows[1][2] == 3 and rows[1][3] == "Семён Мастеров"

    settings = (await admin_client.get("/api/v1/settings/ratings")).json()
    assert settings["trigger_statuses"] == ["issued"] and settings["link_days"] == 30
    assert settings["low_threshold"] == 3 and settings["channels"] == ["email"]
    saved = await admin_client.put(
        "/api/v1/settings/ratings",
        json={"statuses": ["ready"], "channels": ["email", "sms"], "link_days": 7,
              "low_threshold": 2, "aspects": True},
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    assert saved.json()["trigger_statuses"] == ["ready"]
    rules = (await admin_client.get("/api/v1/notify/rules")).json()
    (rule,) = [r for r in rules if r["code"] == "client_rating_request"]
    assert rule["channels"] == ["email", "sms"]
    bad = await admin_client.put("/api/v1/settings/ratings", json={"statuses": ["nope"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "statuses"
    bad = await admin_client.put("/api/v1/settings/ratings", json={"channels": []})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "channels"
    bad = await admin_client.put("/api/v1/settings/ratings", json={"link_days": 0})
    assert bad.status_code == 400 and "link_days" in bad.text


async def test_ratings_per_partner_service_center(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    now = dt.datetime.now(dt.UTC)
    center = Organization(kind="service_center", name="АСЦ Север", created_at=now, updated_at=now)
    await center.save()
    orders = [await closed_order(admin_client, f"sc{n}@example.ru") for n in range(3)]
    for made in orders[:2]:  # the repair was assigned to the partner center
        await Order.update({Order.service_center: center.id}).where(Order.id == made["id"])
    for made, score in zip(orders, (5, 3, 1), strict=True):
        await rate(visitor, made["id"], score)
    report = (await admin_client.get("/api/v1/ratings/report")).json()
    (group,) = report["service_centers"]
    assert group["id"] == center.id and group["count"] == 2 and group["average"] == 4.0
    assert group["name"] == "АСЦ Север"
    listed = await admin_client.get("/api/v1/ratings", params={"service_center_id": center.id})
    assert sorted(i["score"] for i in listed.json()["items"]) == [3, 5]
