"""Posting stock documents: receipts mix their price into the average cost, transfers carry it,
write-offs and stocktaking correct the level; every move is in the item's history, and a
document that cannot be posted whole moves nothing."""

from __future__ import annotations

import asyncio

import httpx

from tests.server.builders import make_employee
from tests.server.requests.builders import error_fields
from tests.server.stock.helpers import item, level, post, receive, warehouse


async def test_receipts_transfer_write_off_and_stocktaking_keep_levels_costs_and_history(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    master = await make_employee("field1", roles=["field_technician"])
    store = await warehouse(client, "Главный склад")
    van = await warehouse(client, "Фургон Петрова", kind="van", master_id=master.id)
    pump = await item(client, "Насос сливной Bosch", article="BSH-145", unit="шт")
    first = await receive(client, store["id"], pump["id"], "10", "100.00")
    assert first["number"].startswith("ПР-") and first["lines"][0]["unit_cost"] == "100.00"
    await receive(client, store["id"], pump["id"], "10", "200.00")
    at_store = await level(client, store["id"], pump["id"])
    assert at_store is not None
    assert (at_store["on_hand"], at_store["avg_cost"]) == ("20.000", "150.00")

    moved = await post(
        client,
        "transfer",
        store["id"],
        {"item_id": pump["id"], "quantity": "5"},
        to_warehouse_id=van["id"],
    )
    assert moved.status_code == 201, moved.text
    in_van = await level(client, van["id"], pump["id"])
    assert in_van is not None and (in_van["on_hand"], in_van["avg_cost"]) == ("5.000", "150.00")
    at_store = await level(client, store["id"], pump["id"])
    assert at_store is not None and at_store["on_hand"] == "15.000"

    broken = await post(
        client, "write_off", van["id"], {"item_id": pump["id"], "quantity": "1"}, reason="Брак"
    )
    assert broken.status_code == 201, broken.text
    counted = await post(
        client,
        "stocktake",
        store["id"],
        {"item_id": pump["id"], "counted": "14"},
        reason="Инвентаризация на конец месяца",
    )
    assert counted.status_code == 201, counted.text
    line = counted.json()["lines"][0]
    assert (line["expected"], line["counted"], line["quantity"]) == ("15.000", "14.000", "-1.000")

    moves = (await client.get(f"/api/v1/stock/items/{pump['id']}/moves")).json()["items"]
    assert [(m["document_kind"], m["quantity"], m["on_hand_after"]) for m in moves] == [
        ("stocktake", "-1.000", "14.000"),
        ("write_off", "-1.000", "4.000"),
        ("transfer", "5.000", "5.000"),
        ("transfer", "-5.000", "15.000"),
        ("receipt", "10.000", "20.000"),
        ("receipt", "10.000", "10.000"),
    ]
    found = (await client.get(f"/api/v1/stock/items/{pump['id']}")).json()
    assert found["on_hand"] == "18.000"  # 14 in the store, 4 in the van
    listed = (
        await client.get("/api/v1/stock/documents", params={"warehouse_id": van["id"]})
    ).json()
    assert [d["kind"] for d in listed["items"]] == ["write_off", "transfer"]


async def test_a_document_that_cannot_be_posted_whole_moves_nothing(
    keeper: httpx.AsyncClient,
) -> None:
    client = keeper
    store = await warehouse(client, "Склад")
    other = await warehouse(client, "Второй склад")
    belt = await item(client, "Ремень 1270 J5", unit="шт")
    hose = await item(client, "Шланг заливной", unit="м")
    await receive(client, store["id"], belt["id"], "3", "50")
    await receive(client, store["id"], hose["id"], "1.5", "80")
    answer = await post(
        client,
        "transfer",
        store["id"],
        {"item_id": belt["id"], "quantity": "2"},
        {"item_id": hose["id"], "quantity": "2"},
        to_warehouse_id=other["id"],
    )
    assert answer.status_code == 409 and error_fields(answer) == {"lines.1.quantity"}
    assert "1.5" in answer.text
    belt_level = await level(client, store["id"], belt["id"])
    assert belt_level is not None and belt_level["on_hand"] == "3.000"
    assert await level(client, other["id"], belt["id"]) is None
    documents = (await client.get("/api/v1/stock/documents", params={"kind": "transfer"})).json()
    assert documents["items"] == []


async def test_bad_documents_are_refused_at_the_field(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    store = await warehouse(client, "Склад")
    belt = await item(client, "Ремень", unit="шт")
    hose = await item(client, "Шланг", unit="м")
    cases = [
        (
            "receipt",
            {"item_id": belt["id"], "quantity": "1.5", "unit_cost": "1"},
            {"supplier": "А"},
            "lines.0.quantity",
        ),
        (
            "receipt",
            {"item_id": belt["id"], "quantity": "-1", "unit_cost": "1"},
            {"supplier": "А"},
            "lines.0.quantity",
        ),
        (
            "receipt",
            {"item_id": belt["id"], "quantity": "0", "unit_cost": "1"},
            {"supplier": "А"},
            "lines.0.quantity",
        ),
        (
            "receipt",
            {"item_id": hose["id"], "quantity": "1.0005", "unit_cost": "1"},
            {"supplier": "А"},
            "lines.0.quantity",
        ),
        (
            "receipt",
            {"item_id": belt["id"], "quantity": "1"},
            {"supplier": "А"},
            "lines.0.unit_cost",
        ),
        ("receipt", {"item_id": belt["id"], "quantity": "1", "unit_cost": "1"}, {}, "supplier"),
        (
            "receipt",
            {"item_id": 999999, "quantity": "1", "unit_cost": "1"},
            {"supplier": "А"},
            "lines.0.item_id",
        ),
        ("write_off", {"item_id": belt["id"], "quantity": "1"}, {}, "reason"),
        ("transfer", {"item_id": belt["id"], "quantity": "1"}, {}, "to_warehouse_id"),
        ("consumption", {"item_id": belt["id"], "quantity": "1"}, {}, "kind"),
        ("stocktake", {"item_id": belt["id"]}, {"reason": "x"}, "lines.0.counted"),
    ]
    for kind, line, extra, field in cases:
        answer = await post(client, kind, store["id"], line, **extra)
        assert answer.status_code in (404, 409, 422), (kind, line, answer.text)
        assert error_fields(answer) == {field}, (kind, line, answer.text)
    hose_ok = await post(
        client,
        "receipt",
        store["id"],
        {"item_id": hose["id"], "quantity": "2.5", "unit_cost": "10"},
        supplier="А",
    )
    assert hose_ok.status_code == 201, hose_ok.text
    twice = await post(
        client,
        "write_off",
        store["id"],
        {"item_id": hose["id"], "quantity": "1"},
        {"item_id": hose["id"], "quantity": "1"},
        reason="Порвался",
    )
    assert twice.status_code == 422 and error_fields(twice) == {"lines.1.item_id"}
    unknown = await post(
        client, "write_off", 999999, {"item_id": hose["id"], "quantity": "1"}, reason="x"
    )
    assert unknown.status_code == 404 and error_fields(unknown) == {"warehouse_id"}


async def test_two_people_taking_the_last_unit_at_once_cannot_both_succeed(
    keeper: httpx.AsyncClient,
) -> None:
    client = keeper
    store = await warehouse(client, "Склад")
    vans = []
    for n in (1, 2):
        master = await make_employee(f"f{n}", roles=["field_technician"])
        vans.append(await warehouse(client, f"Фургон {n}", kind="van", master_id=master.id))
    board = await item(client, "Модуль управления", unit="шт")
    await receive(client, store["id"], board["id"], "1", "5000")
    answers = await asyncio.gather(
        *[
            post(
                client,
                "transfer",
                store["id"],
                {"item_id": board["id"], "quantity": "1"},
                to_warehouse_id=van["id"],
            )
            for van in vans
        ]
    )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    held = [await level(client, van["id"], board["id"]) for van in vans]
    assert sorted((h or {}).get("on_hand", "0") for h in held) == ["0", "1.000"]
    at_store = await level(client, store["id"], board["id"])
    assert at_store is not None and at_store["on_hand"] == "0.000"


async def test_only_a_role_allowed_to_may_take_stock_below_zero(
    admin_client: httpx.AsyncClient, keeper: httpx.AsyncClient
) -> None:
    store = await warehouse(admin_client, "Склад")
    glue = await item(admin_client, "Клей", unit="шт")
    line = {"item_id": glue["id"], "quantity": "2"}
    refused = await post(keeper, "write_off", store["id"], line, reason="Расход")
    assert refused.status_code == 409 and error_fields(refused) == {"lines.0.quantity"}
    taken = await post(admin_client, "write_off", store["id"], line, reason="Расход")
    assert taken.status_code == 201, taken.text  # the admin holds every capability
    found = await level(keeper, store["id"], glue["id"])
    assert found is not None and found["on_hand"] == "-2.000"
