"""The whole flow: «Order» from a repair whose part waits for stock puts it on a draft and moves
the repair to «Waiting for parts»; the draft is priced and sent; a partial receipt raises the
level by exactly what arrived at the moving average of the purchase price and holds it for the
repair; the last receipt completes the order, the repair moves on to «In repair» through its
workflow, the timeline shows it and the customer is mailed that the parts came (a shipped rule)."""

from __future__ import annotations

import httpx

from server.clients.tables import ClientEmail
from server.notify import engine
from tests.mailbox import Mailbox
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import make_client
from tests.server.purchasing.helpers import (
    lines,
    move,
    order_part,
    receive,
    repair_waiting,
    stocked,
    supplier,
    supplier_order,
)
from tests.server.requests.builders import error_fields
from tests.server.stock.helpers import level
from tests.server.stock.helpers import receive as receive_by_hand


async def _status(client: httpx.AsyncClient, order_id: int) -> str:
    answer = await client.get(f"/api/v1/orders/{order_id}")
    assert answer.status_code == 200, answer.text
    return str(answer.json()["status"]["code"])


async def _stock_documents(client: httpx.AsyncClient) -> list[dict[str, object]]:
    answer = await client.get("/api/v1/stock/documents", params={"kind": "receipt"})
    return list(answer.json()["items"])


async def test_order_a_waiting_part_receive_it_in_two_and_the_repair_moves_on(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    admin = admin_client
    stock = await stocked(admin)
    await receive_by_hand(admin, stock.store["id"], stock.item["id"], "1", "700")
    firm = await supplier(admin, "ООО Насосы", inn="7707083893", phone="8 (495) 123-45-67")
    assert firm["phone"] == "+74951234567"
    tech = await make_employee("tech1", roles=["technician"])
    client_id = await make_client("Анна Смирнова")
    await ClientEmail(client=client_id, email="anna@example.ru", is_primary=True).save()
    order, part = await repair_waiting(
        admin, stock, "3", client_id=client_id, technician_id=tech.id
    )
    assert (part["stock"]["held"], part["stock"]["waiting"]) == ("1.000", "2.000")
    await engine.run_all()
    mailbox.mails.clear()  # «order received»

    await login_as(admin, "tech1")  # the technical expert orders the part
    unknown = await order_part(admin, order["id"], part["id"])
    assert unknown.status_code == 422 and error_fields(unknown) == {"supplier_id"}
    ordered = await order_part(admin, order["id"], part["id"], supplier_id=firm["id"])
    assert ordered.status_code == 200, ordered.text
    done = ordered.json()
    assert done["supplier_order_number"] == "ЗП-000001" and done["new_draft"]
    assert done["quantity"] == "2.000" and done["repair_moved"]
    assert await _status(admin, order["id"]) == "waiting_parts"
    again = await order_part(admin, order["id"], part["id"])
    assert again.status_code == 409 and error_fields(again) == {"line_id"}
    seen = await supplier_order(admin, done["supplier_order_id"])
    assert "unit_price" not in seen["lines"][0], "a technician does not see purchase prices"
    assert seen["lines"][0]["repair"]["order_number"] == order["number"]

    await login_as(admin, "boss")
    url = f"/api/v1/purchasing/orders/{done['supplier_order_id']}"
    line = seen["lines"][0]
    priced = await admin.patch(url, json={"expected_on": "2030-01-15", "lines": [
        {"item_id": stock.item["id"], "quantity": "2", "unit_price": "1000",
         "repair_order_id": order["id"], "repair_line_id": part["id"]}]})  # fmt: skip
    assert priced.status_code == 200, priced.text
    line = priced.json()["lines"][0]
    assert (line["unit_price"], line["total"], priced.json()["total"]) == (
        "1000.00", "2000.00", "2000.00"
    )  # fmt: skip
    assert (await move(admin, done["supplier_order_id"], "sent")).status_code == 200
    frozen = await admin.patch(url, json={"lines": []})
    assert frozen.status_code == 409 and error_fields(frozen) == {"lines"}

    first = await receive(
        admin, done["supplier_order_id"], {"line_id": line["id"], "quantity": "1"}
    )
    assert first.status_code == 200, first.text
    assert first.json()["order"]["status"] == "partly_received"
    assert first.json()["repairs_moved"] == []
    shelf = await level(admin, stock.store["id"], stock.item["id"])
    assert shelf is not None
    assert (shelf["on_hand"], shelf["reserved"], shelf["avg_cost"]) == ("2.000", "2.000", "850.00")
    part = (await lines(admin, order["id"]))[0]
    assert (part["stock"]["held"], part["stock"]["waiting"]) == ("2.000", "1.000")
    assert await _status(admin, order["id"]) == "waiting_parts"

    posted = len(await _stock_documents(admin))
    over = await receive(admin, done["supplier_order_id"], {"line_id": line["id"], "quantity": "2"})
    assert over.status_code == 422 and error_fields(over) == {"lines.0.quantity"}
    assert len(await _stock_documents(admin)) == posted, "nothing posted"
    cancel = await move(admin, done["supplier_order_id"], "cancelled")
    assert cancel.status_code == 409 and error_fields(cancel) == {"status"}

    last = await receive(admin, done["supplier_order_id"], {"line_id": line["id"], "quantity": "1"})
    assert last.status_code == 200, last.text
    assert last.json()["order"]["status"] == "received"
    assert last.json()["repairs_moved"] == [order["number"]]
    shelf = await level(admin, stock.store["id"], stock.item["id"])
    assert shelf is not None
    assert (shelf["on_hand"], shelf["reserved"], shelf["avg_cost"]) == ("3.000", "3.000", "900.00")
    part = (await lines(admin, order["id"]))[0]
    assert (part["stock"]["held"], part["stock"]["waiting"]) == ("3.000", "0.000")
    assert await _status(admin, order["id"]) == "in_repair"
    receipts = await _stock_documents(admin)
    assert [(d["supplier"], d["lines"]) for d in receipts[:2]] == [("ООО Насосы", 1)] * 2
    full = await supplier_order(admin, done["supplier_order_id"])
    assert [h["status_to"] for h in full["history"]] == [
        "draft", "sent", "partly_received", "received"
    ]  # fmt: skip
    assert [r["document_number"] for r in full["receipts"]] == [
        d["number"] for d in receipts[1::-1]
    ]

    timeline = (await admin.get(f"/api/v1/orders/{order['id']}/timeline")).json()["items"]
    assert any("В ремонте" in str(e) or "In repair" in str(e) for e in timeline), timeline
    await engine.run_all()
    (mail,) = mailbox.wait_for(1)  # the shipped rule «Клиенту: запчасти пришли»
    assert mail["To"] == "anna@example.ru" and order["number"] in mail["Subject"]
    assert "запчасти пришли" in mail["Subject"]
