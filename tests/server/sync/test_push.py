"""Push: every mutation applied at most once, rules as online, conflicts reported, not dropped."""

from __future__ import annotations

import anyio
import httpx
from litestar import Litestar

from server.orders.tables import OrderLine, OrderPayment, TimelineEvent
from server.sync.tables import SyncConflict
from tests.server.builders import login_as
from tests.server.sync.builders import field_day, mutation, push


async def _counts(order_id: int) -> tuple[int, int, int]:
    lines = await OrderLine.count().where(OrderLine.order == order_id)
    payments = await OrderPayment.count().where(OrderPayment.order == order_id)
    comments = await TimelineEvent.count().where(
        TimelineEvent.order == order_id, TimelineEvent.kind == "comment"
    )
    return lines, payments, comments


async def test_a_batch_is_applied_in_order_and_a_lost_answer_repeats_nothing(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id, visit_id = day["order"]["id"], day["visit"]["id"]
    service = await _any_service_item()
    batch = [
        mutation(
            "visit.status", visit_id, {"status": "en_route", "latitude": 55.7, "longitude": 37.6}
        ),
        mutation("visit.status", visit_id, {"status": "on_site"}),
        mutation("order.line", order_id, {"price_item_id": service, "quantity": "1"}),
        mutation("order.comment", order_id, {"text": "Заменил сливной насос"}),
        mutation("order.payment", order_id, {"amount": "500.00", "method": "cash"}),
        mutation("visit.status", visit_id, {"status": "done"}),
    ]
    results = await push(client, *batch)
    assert [r["result"] for r in results] == ["applied"] * 6, results
    assert results[-1]["visit"]["status"] == "done"
    assert "order" not in results[2]  # the last change of a record carries it after the batch
    assert len(results[4]["order"]["lines"]) == 1 and results[4]["order"]["paid"] == "500.00"
    assert await _counts(order_id) == (1, 1, 1)

    again = await push(client, *reversed(batch))  # the answer was lost: the phone sends again
    assert {r["result"] for r in again} == {"duplicate"}
    assert {r["first_result"] for r in again} == {"applied"}
    assert await _counts(order_id) == (1, 1, 1)


async def _any_service_item() -> int:
    from server.orders.tables import PriceItem

    row = await PriceItem.select(PriceItem.id).where(PriceItem.kind == "service").first()
    assert row is not None
    return int(row["id"])


async def test_refused_mutations_are_rejected_with_a_reason_and_stay_rejected(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id, visit_id = day["order"]["id"], day["visit"]["id"]
    done_too_early = mutation("visit.status", visit_id, {"status": "done"})
    failed_without_reason = mutation("visit.status", visit_id, {"status": "failed"})
    bad_amount = mutation("order.payment", order_id, {"amount": "-5"})
    bad_shape = mutation("order.comment", order_id, {"words": "x"})
    foreign = mutation("order.comment", 999999, {"text": "x"})
    results = await push(
        client, done_too_early, failed_without_reason, bad_amount, bad_shape, foreign
    )
    assert [r["result"] for r in results] == ["rejected"] * 5, results
    assert all(r["reason"] for r in results)
    assert results[1]["field"] == "reason"
    again = await push(client, done_too_early)
    assert again[0]["result"] == "duplicate" and again[0]["first_result"] == "rejected"
    assert await _counts(order_id) == (0, 0, 0)


async def test_a_master_cannot_touch_another_masters_work(client: httpx.AsyncClient) -> None:
    from tests.server.builders import make_employee

    day = await field_day(client)
    await make_employee("field2", roles=["field_technician"])
    await login_as(client, "field2")
    results = await push(
        client,
        mutation("visit.status", day["visit"]["id"], {"status": "en_route"}),
        mutation("order.comment", day["order"]["id"], {"text": "чужой"}),
    )
    assert [r["result"] for r in results] == ["rejected", "rejected"]
    assert "order" not in results[1] and "visit" not in results[0]
    # and another employee cannot learn what a used mutation id did
    await login_as(client, "field1")
    mine = mutation("order.comment", day["order"]["id"], {"text": "моё"})
    assert (await push(client, mine))[0]["result"] == "applied"
    await login_as(client, "field2")
    stolen = (await push(client, mine))[0]
    assert stolen["result"] == "rejected" and "order" not in stolen


async def test_the_same_mutation_pushed_twice_at_once_is_applied_once(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    comment = mutation("order.comment", order_id, {"text": "одновременно"})
    results: list[str] = []

    async def send() -> None:
        response = await client.post("/api/v1/sync/push", json={"mutations": [comment]})
        results.append(response.json()["results"][0]["result"])

    async with anyio.create_task_group() as group:
        for _ in range(4):
            group.start_soon(send)
    assert sorted(results) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert await _counts(order_id) == (0, 0, 1)


async def test_a_field_changed_on_the_server_is_a_conflict_and_the_rest_is_merged(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    seen = {"declared_fault": "Не сливает", "appearance": ""}
    await login_as(client, "disp")
    changed = await client.patch(
        f"/api/v1/orders/{order_id}", json={"declared_fault": "Не сливает, шумит"}
    )
    assert changed.status_code == 200, changed.text
    await login_as(client, "field1")
    edit = mutation(
        "order.fields",
        order_id,
        {"declared_fault": "Не сливает: засор", "appearance": "Царапина на крышке"},
        base=seen,
        base_version=1,
    )
    result = (await push(client, edit))[0]
    assert result["result"] == "conflict", result
    assert result["conflicts"] == {
        "declared_fault": {
            "base": "Не сливает",
            "mine": "Не сливает: засор",
            "server": "Не сливает, шумит",
        }
    }
    assert result["order"]["appearance"] == "Царапина на крышке"
    assert result["order"]["declared_fault"] == "Не сливает, шумит"
    assert await SyncConflict.count().where(SyncConflict.order == order_id) == 1

    await login_as(client, "disp")
    page = await client.get(f"/orders/{order_id}")
    assert page.status_code == 200
    assert "Не сливает: засор" in page.text and "event-sync_conflict" in page.text
