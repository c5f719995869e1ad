"""No N+1: an order card and a list page cost the same number of queries however big they are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx

from server.orders.tables import OrderLine, TimelineEvent
from tests.querycount import Counted, count_queries
from tests.server.orders.builders import intake, make_client, make_device, price_item


async def _queries(client: httpx.AsyncClient, url: str) -> Counted:
    with count_queries() as counted:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    return counted


async def _add_lines(order_id: int, count: int) -> None:
    item = await price_item("DIAG")
    now = dt.datetime.now(dt.UTC)
    await OrderLine.insert(
        *(
            OrderLine(
                order=order_id,
                kind=item["kind"],
                price_item=item["id"],
                name=item["name"],
                quantity=Decimal("1"),
                unit_price=item["price"],
                list_price=item["price"],
                total=item["price"],
                created_at=now,
            )
            for _ in range(count)
        )
    )


async def _add_events(order_id: int, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    await TimelineEvent.insert(
        *(
            TimelineEvent(order=order_id, kind="comment", text=f"Заметка {i}", at=now)
            for i in range(count)
        )
    )


async def test_order_card_queries_do_not_grow_with_lines_and_events(
    admin_client: httpx.AsyncClient,
) -> None:
    client_id = await make_client()
    small = await intake(admin_client, client_id, device_id=await make_device(client_id, "S1"))
    big = await intake(admin_client, client_id, device_id=await make_device(client_id, "S2"))
    await _add_lines(small["id"], 1)
    await _add_lines(big["id"], 30)
    await _add_events(small["id"], 1)
    await _add_events(big["id"], 50)
    await admin_client.get(f"/api/v1/orders/{small['id']}")  # warm up per-process caches

    for suffix in ("", "/lines", "/timeline"):
        await admin_client.get(f"/api/v1/orders/{small['id']}{suffix}")  # the reference cache
        one = await _queries(admin_client, f"/api/v1/orders/{small['id']}{suffix}")
        many = await _queries(admin_client, f"/api/v1/orders/{big['id']}{suffix}")
        assert len(one) == len(many), f"{suffix or 'card'}:\n{one.report()}\n--\n{many.report()}"
    card = await admin_client.get(f"/api/v1/orders/{big['id']}")
    assert len(card.json()["lines"]) == 30
    timeline = await admin_client.get(f"/api/v1/orders/{big['id']}/timeline")
    assert len([e for e in timeline.json()["items"] if e["kind"] == "comment"]) == 50


async def test_order_list_queries_do_not_grow_with_page_size(
    admin_client: httpx.AsyncClient,
) -> None:
    client_id = await make_client()
    device_id = await make_device(client_id)
    for _ in range(5):
        await intake(admin_client, client_id, device_id=device_id, declared_fault="Шумит")
    await admin_client.get("/api/v1/orders")  # warm up
    five = await _queries(admin_client, "/api/v1/orders?limit=50")
    other = await make_client("Пётр Петров", "+79160000000")
    for index in range(45):
        await intake(admin_client, other, declared_fault=f"Не включается {index}")
    fifty = await _queries(admin_client, "/api/v1/orders?limit=50")
    page = await admin_client.get("/api/v1/orders?limit=50")
    assert len(page.json()["items"]) == 50
    assert len(five) == len(fifty), f"{five.report()}\n--\n{fifty.report()}"
    searched = await _queries(admin_client, "/api/v1/orders?limit=50&q=петров")
    assert len(searched) == len(fifty), searched.report()


# What the order card page and its live feed may cost (issue #15: they are most of what the
# staff open under load). Counted on a card with a device, lines, events and an admin reading;
# one of them lists the warehouses a part line may be taken from, one the order's shipments and
# their costs (#16). Statuses, roles, names, price items and the other small tables come from
# the reference cache (server/refcache: one query for their marks; 34 before it).
CARD_PAGE_QUERIES = 22
EVENTS_FRAGMENT_QUERIES = 6


async def test_the_order_card_page_and_its_feed_stay_within_their_query_budget(
    admin_client: httpx.AsyncClient,
) -> None:
    client_id = await make_client()
    order = await intake(admin_client, client_id, device_id=await make_device(client_id))
    await _add_lines(order["id"], 2)
    await _add_events(order["id"], 3)
    await admin_client.get(f"/orders/{order['id']}")  # warm up per-process caches
    card = await _queries(admin_client, f"/orders/{order['id']}")
    assert len(card) <= CARD_PAGE_QUERIES, card.report()
    feed = await _queries(admin_client, f"/orders/{order['id']}/events")
    assert len(feed) <= EVENTS_FRAGMENT_QUERIES, feed.report()
