"""The demo center ships ratings: months to compare on /ratings, each on its order's timeline,
none of them inviting the client again."""

from __future__ import annotations

import datetime as dt

import httpx

from fixtures.demo import build_demo
from server.ratings import invite
from server.ratings.tables import Rating, RatingInvite
from tests.server.builders import login_as


async def test_the_demo_has_ratings_with_their_timeline(client: httpx.AsyncClient) -> None:
    await build_demo(orders=200)
    await login_as(client, "admin", "servio-demo")
    count = await Rating.count()
    assert count > 10
    assert await RatingInvite.count() == count
    listed = (await client.get("/api/v1/ratings", params={"limit": 1})).json()
    assert listed["count"] == count and 1 <= listed["average"] <= 5
    report = (await client.get("/api/v1/ratings/report")).json()
    months = {m for g in report["technicians"] for m, _, n in g["trend"] if n}
    assert len(months) >= 2
    order_id = listed["items"][0]["order_id"]
    timeline = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    assert any(e["kind"] == "rating" for e in timeline)
    assert await invite.invite([order_id], dt.datetime.now(dt.UTC)) == 0
    page = await client.get("/ratings")
    assert page.status_code == 200 and "rating-technicians" in page.text
