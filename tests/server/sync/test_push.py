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
    wrong_type = mutation("order.line", order_id, {"price_item_id": "five"})
    results = await push(
        client, done_too_early, failed_without_reason, bad_amount, bad_shape, foreign, wrong_type
    )
    assert [r["result"] for r in results] == ["rejected"] * 6, results
    assert all(r["reason"] for r in results)
    assert [r["field"] for r in results] == [
        "status",
        "reason",
        "amount",
        "change",
        None,
        "change.price_item_id",
    ]
    assert "order" not in results[4]  # another's or a missing order: nothing revealed
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
    assert "Неисправность" in result["reason"]
    assert result["order"]["appearance"] == "Царапина на крышке"  # the other field is merged
    assert result["order"]["declared_fault"] == "Не сливает, шумит"
    conflicts = (
        await SyncConflict.select().where(SyncConflict.order == order_id).output(load_json=True)
    )
    assert [(str(c["mutation"]), c["fields"]) for c in conflicts] == [
        (edit["id"], result["conflicts"])
    ]
    events = (
        await TimelineEvent.select()
        .where(TimelineEvent.order == order_id, TimelineEvent.kind == "sync_conflict")
        .output(load_json=True)
    )
    assert [e["data"] for e in events] == [
        {"declared_fault": ["Не сливает: засор", "Не сливает, шумит"]}
    ]
    assert "Неисправность" in events[0]["text"]

    again = (await push(client, edit))[0]  # a retry neither merges nor records twice
    assert again["result"] == "duplicate" and again["first_result"] == "conflict"
    assert again["conflicts"] == result["conflicts"]
    assert await SyncConflict.count().where(SyncConflict.order == order_id) == 1

    await login_as(client, "disp")
    page = await client.get(f"/orders/{order_id}")
    assert page.status_code == 200
    assert "event-sync_conflict" in page.text and "конфликт синхронизации" in page.text
    assert "мастер ввёл «Не сливает: засор»" in page.text
    assert "на сервере осталось «Не сливает, шумит»" in page.text

    await login_as(client, "field1")  # the master insists: a new mutation on the server's value
    insist = mutation(
        "order.fields",
        order_id,
        {"declared_fault": "Не сливает: засор"},
        base={"declared_fault": "Не сливает, шумит"},
    )
    assert (await push(client, insist))[0]["result"] == "applied"
    settled = await SyncConflict.select(SyncConflict.resolved_at).where(
        SyncConflict.order == order_id
    )
    assert [c["resolved_at"] is not None for c in settled] == [True]


async def test_an_edit_of_fields_nobody_else_touched_is_applied(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    edit = mutation(
        "order.fields",
        order_id,
        {"declared_fault": "Засор фильтра"},
        base={"declared_fault": "Не сливает"},
    )
    result = (await push(client, edit))[0]
    assert result["result"] == "applied", result
    assert result["order"]["declared_fault"] == "Засор фильтра"
    no_base = mutation("order.fields", order_id, {"appearance": "Новая"})
    refused = (await push(client, no_base))[0]
    assert refused["result"] == "rejected" and refused["field"] == "appearance"
    assert await SyncConflict.count() == 0


async def test_a_malformed_batch_is_refused_whole_with_the_field(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    good = mutation("order.comment", day["order"]["id"], {"text": "x"})
    cases = [
        ({"mutations": [{**good, "id": "not-a-uuid"}]}, "mutations[0].id"),
        ({"mutations": [good, {**good, "kind": "order.delete"}]}, "mutations[1].kind"),
        ({"mutations": [{**good, "entity_id": 0}]}, "mutations[0].entity_id"),
        ({"mutations": [good] * 201}, "mutations"),
        ({"changes": []}, "changes"),
        ({}, "mutations"),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/sync/push", json=body)
        assert response.status_code == 400, response.text
        assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert await _counts(day["order"]["id"]) == (0, 0, 0)


async def test_order_status_moves_follow_the_workflow_and_the_role(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    pulled = (await client.get("/api/v1/sync/pull")).json()["orders"][0]
    allowed = pulled["next_statuses"][0]["code"]
    moved = mutation("order.status", order_id, {"status": allowed, "comment": "Еду"})
    jump = mutation("order.status", order_id, {"status": "closed"})
    unknown = mutation("order.status", order_id, {"status": "nope"})
    results = await push(client, moved, jump, unknown)
    assert [r["result"] for r in results] == ["applied", "rejected", "rejected"], results
    assert results[-1]["order"]["status"]["code"] == allowed
    assert results[1]["field"] == "status" and results[2]["field"] == "status"
    assert await _counts(order_id) == (0, 0, 1)  # the move's comment


async def test_a_mutation_is_recorded_once_with_its_answer(client: httpx.AsyncClient) -> None:
    from server.sync.tables import SyncMutation

    day = await field_day(client)
    comment = mutation("order.comment", day["order"]["id"], {"text": "раз"})
    refused = mutation("order.payment", day["order"]["id"], {"amount": "0"})
    await push(client, comment, refused, comment)
    rows = await SyncMutation.select().order_by(SyncMutation.received_at).output(load_json=True)
    assert [(str(r["id"]), r["kind"], r["result"]) for r in rows] == [
        (comment["id"], "order.comment", "applied"),
        (refused["id"], "order.payment", "rejected"),
    ]
    assert {r["employee"] for r in rows} == {day["master"].id}
    assert rows[1]["answer"]["reason"]
