"""Pull: the working set first, then only what changed, never missing a late commit.

Xids are shared by every database of the cluster: while any transaction anywhere is running, a
pull's watermark stays below it and some unchanged records are sent again (harmless, the phone
upserts). Tests therefore compare a pull with the rule (what changed since the watermark),
never with "nothing" when other sessions may be at work.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import asyncpg
import httpx

from server.dispatch.services import today
from server.orders.tables import Order, PriceItem
from tests.database import prepare_test_database
from tests.querycount import count_queries
from tests.server.builders import login_as, make_employee
from tests.server.sync.builders import field_day, more_visits


async def _pull(client: httpx.AsyncClient, cursor: str | None = None) -> dict[str, Any]:
    params = {"cursor": cursor} if cursor else {}
    response = await client.get("/api/v1/sync/pull", params=params)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _cursor_fields(cursor: str) -> dict[str, Any]:
    fields: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return fields


def _rewritten(cursor: str, **fields: Any) -> str:
    raw = json.dumps(_cursor_fields(cursor) | fields).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def _changed_since(cursor: str, employee_id: int) -> dict[str, set[int]]:
    """What the change log holds at or above the cursor's watermark."""
    fields = _cursor_fields(cursor)
    assert fields["e"] == employee_id
    watermark = int(fields["w"])
    rows = await Order.raw("SELECT entity, entity_id FROM sync_change WHERE xid >= {}", watermark)
    changed: dict[str, set[int]] = {}
    for row in rows:
        changed.setdefault(row["entity"], set()).add(row["entity_id"])
    return changed


async def test_first_pull_holds_the_working_set_and_the_next_only_changes(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id, visit_id, me = day["order"]["id"], day["visit"]["id"], day["master"].id
    first = await _pull(client)
    assert first["reset"] is True
    assert first["today"] == today().isoformat() and first["timezone"] == "Europe/Moscow"
    assert first["me"]["login"] == "field1"
    assert [v["id"] for v in first["visits"]] == [visit_id]
    order = first["orders"][0]
    assert order["id"] == order_id and order["declared_fault"] == "Не сливает"
    assert order["next_statuses"], order
    assert order["timeline"], order
    assert first["clients"][0]["addresses"][0]["address"].startswith("Москва")
    history = first["clients"][0]["history"]
    assert [o["id"] for o in history] == [order_id]
    assert [v["status"] for v in history[0]["visits"]] == ["planned"]
    assert first["price_items"] and first["statuses"]
    assert first["removed"] == {"price_items": []}
    assert all("purchase_price" not in line for line in order["lines"])

    quiet = await _pull(client, first["cursor"])
    assert quiet["reset"] is False and quiet["statuses"] == []
    assert first["visit_ids"] == quiet["visit_ids"] == [visit_id]
    changed = await _changed_since(first["cursor"], me)
    touched = order_id in changed.get("order", set()) or visit_id in changed.get("visit", set())
    assert [o["id"] for o in quiet["orders"]] == ([order_id] if touched else [])
    assert [v["id"] for v in quiet["visits"]] == ([visit_id] if touched else [])

    await login_as(client, "disp")
    await client.patch(f"/api/v1/orders/{order_id}", json={"declared_fault": "Течёт"})
    await login_as(client, "field1")
    after = await _pull(client, quiet["cursor"])
    assert [o["declared_fault"] for o in after["orders"]] == ["Течёт"]
    assert [v["id"] for v in after["visits"]] == [visit_id]  # an order comes with its visits
    assert [c["id"] for c in after["clients"]] == [day["order"]["client"]["id"]]


async def test_the_pulled_order_is_the_online_order_with_its_timeline(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    await login_as(client, "disp")
    for text, hidden in (("Всем", []), ("Не для мастера", ["field_technician"])):
        response = await client.post(
            f"/api/v1/orders/{order_id}/timeline",
            json={"text": text, "hidden_from_roles": hidden},
        )
        assert response.status_code == 201, response.text
    await login_as(client, "field1")
    pulled = (await _pull(client))["orders"][0]
    online = (await client.get(f"/api/v1/orders/{order_id}")).json()
    assert {k: v for k, v in pulled.items() if k != "timeline"} == online
    feed = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    assert [e["id"] for e in pulled["timeline"]] == [e["id"] for e in reversed(feed)]
    texts = [e["text"] for e in pulled["timeline"]]
    assert "Всем" in texts and "Не для мастера" not in texts
    assert all(e["title"] for e in pulled["timeline"])


async def test_a_pull_costs_the_same_queries_for_one_visit_or_many(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    with count_queries() as one:
        small = await _pull(client)
    order_ids = [order_id, *await more_visits(client, day["master"].id, 6)]
    await login_as(client, "field1")
    with count_queries() as seven:
        big = await _pull(client)
    assert len(big["visits"]) == 7 and len(big["orders"]) == 7 and len(big["clients"]) == 7
    assert len(seven) == len(one), seven.report()
    assert len(small["orders"]) == 1

    await login_as(client, "disp")
    await client.post(f"/api/v1/orders/{order_id}/timeline", json={"text": "одно"})
    await login_as(client, "field1")
    with count_queries() as changed_one:
        step = await _pull(client, big["cursor"])
    assert order_id in [o["id"] for o in step["orders"]]
    await login_as(client, "disp")
    for other in order_ids:
        await client.post(f"/api/v1/orders/{other}/timeline", json={"text": "все"})
    await login_as(client, "field1")
    with count_queries() as changed_all:
        step = await _pull(client, step["cursor"])
    assert len(step["orders"]) == 7
    assert len(changed_all) == len(changed_one), changed_all.report()


async def test_a_reassigned_visit_is_removed_from_the_old_masters_phone(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    other = await make_employee("field2", roles=["field_technician"])
    cursor = (await _pull(client))["cursor"]
    await login_as(client, "disp")
    moved = await client.patch(f"/api/v1/visits/{day['visit']['id']}", json={"master_id": other.id})
    assert moved.status_code == 200
    await login_as(client, "field1")
    answer = await _pull(client, cursor)
    assert answer["visit_ids"] == []
    assert answer["visits"] == [] and answer["orders"] == []
    await login_as(client, "field2")
    theirs = await _pull(client)
    assert [v["id"] for v in theirs["visits"]] == theirs["visit_ids"] == [day["visit"]["id"]]
    await login_as(client, "disp")
    await client.patch(f"/api/v1/visits/{day['visit']['id']}", json={"duration_min": 90})
    await login_as(client, "field1")
    later = await _pull(client, answer["cursor"])  # another master's visit is not mentioned
    assert later["visit_ids"] == later["visits"] == [] and later["removed"]["price_items"] == []


async def test_a_visit_whose_order_went_out_of_reach_is_removed(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    other = await make_employee("field2", roles=["field_technician"])
    cursor = (await _pull(client))["cursor"]
    await login_as(client, "disp")
    handed = await client.patch(
        f"/api/v1/orders/{day['order']['id']}", json={"technician_id": other.id}
    )
    assert handed.status_code == 200, handed.text
    await login_as(client, "field1")
    answer = await _pull(client, cursor)
    assert answer["visit_ids"] == []
    assert answer["orders"] == [] and answer["visits"] == []
    fresh = await _pull(client)
    assert fresh["visits"] == [] and fresh["orders"] == [] and fresh["clients"] == []


async def test_a_deactivated_price_item_is_removed(client: httpx.AsyncClient) -> None:
    await field_day(client)
    first = await _pull(client)
    item = first["price_items"][0]
    await PriceItem.update({PriceItem.is_active: False}).where(PriceItem.id == item["id"])
    answer = await _pull(client, first["cursor"])
    assert answer["removed"]["price_items"] == [item["id"]]
    assert item["id"] not in [p["id"] for p in answer["price_items"]]


async def test_a_change_committed_after_a_pull_began_comes_with_the_next_pull(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    cursor = (await _pull(client))["cursor"]
    slow = await asyncpg.connect(prepare_test_database())
    try:
        transaction = slow.transaction()
        await transaction.start()
        await slow.execute(
            "UPDATE service_order SET declared_fault = 'Поздний' WHERE id = $1", order_id
        )
        during = await _pull(client, cursor)  # the writer has not committed yet
        assert "Поздний" not in [o["declared_fault"] for o in during["orders"]]
        await transaction.commit()
    finally:
        await slow.close()
    after = await _pull(client, during["cursor"])
    assert [o["declared_fault"] for o in after["orders"]] == ["Поздний"]


async def test_a_cursor_of_another_day_or_employee_or_garbage_starts_over(
    client: httpx.AsyncClient,
) -> None:
    await field_day(client)
    cursor = (await _pull(client))["cursor"]
    assert (await _pull(client, cursor))["reset"] is False
    assert (await _pull(client, _rewritten(cursor)))["reset"] is False
    assert (await _pull(client, "garbage"))["reset"] is True
    assert (await _pull(client, "e30"))["reset"] is True  # base64 of {}
    yesterday = _rewritten(cursor, d=(today() - dt.timedelta(days=1)).isoformat())
    assert (await _pull(client, yesterday))["reset"] is True
    assert (await _pull(client, _rewritten(cursor, a="another access")))["reset"] is True
    await make_employee("field2", roles=["field_technician"])
    await login_as(client, "field2")
    assert (await _pull(client, cursor))["reset"] is True


async def test_a_change_of_field_access_or_language_sends_the_set_again(
    client: httpx.AsyncClient,
) -> None:
    """Records on the phone were filtered and translated for the old access: they are replaced."""
    await field_day(client)
    first = await _pull(client)
    assert "declared_fault" in first["orders"][0]
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    roles = (await client.get("/api/v1/roles")).json()["items"]
    role = next(r for r in roles if r["code"] == "field_technician")
    hidden = {**role["field_permissions"], "order.declared_fault": "hidden"}
    edited = await client.patch(f"/api/v1/roles/{role['id']}", json={"field_permissions": hidden})
    assert edited.status_code == 200, edited.text
    await login_as(client, "field1")
    after = await _pull(client, first["cursor"])
    assert after["reset"] is True and after["orders"], after
    assert all("declared_fault" not in order for order in after["orders"])
    assert (await _pull(client, after["cursor"]))["reset"] is False
    switched = await client.put("/api/v1/auth/language", json={"language": "en"})
    assert switched.status_code == 204
    english = await _pull(client, after["cursor"])
    assert english["reset"] is True
    assert "In repair" in {status["name"] for status in english["statuses"]}, english["statuses"]
