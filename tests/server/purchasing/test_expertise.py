"""Expertise of a defective part: the expert asks the partner for it (its shipment tracked in
deliveries), the supplier order is not sent while the result is open; confirmed lets it go,
not confirmed takes the line off; every step on the history and the audit log; bad input is
answered at the field."""

from __future__ import annotations

import httpx

from server.audit.tables import AuditEntry
from tests.server.deliveries.helpers import ship
from tests.server.purchasing.helpers import ORDERS, draft, move, stocked, supplier, supplier_order
from tests.server.requests.builders import error_fields


async def test_the_part_is_examined_before_the_order_goes(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    stock = await stocked(client)
    seller = await supplier(client)
    line = {"item_id": stock.item["id"], "quantity": "1", "unit_price": "900"}
    order = await draft(client, seller["id"], stock.store["id"], line, {**line, "quantity": "2"})
    first, second = (ln["id"] for ln in order["lines"])
    parcel = await ship(client, direction="from_supplier", tracking_number="RP-1")

    url = f"{ORDERS}/{order['id']}/lines/{first}/expertise"
    wrong = await client.post(url, json={"source": "mars"})
    assert wrong.status_code == 422 and error_fields(wrong) == {"source"}
    unknown = await client.post(url, json={"source": "partner", "shipment_id": 999999})
    assert unknown.status_code == 422 and error_fields(unknown) == {"shipment_id"}
    asked = await client.post(
        url, json={"source": "partner", "shipment_id": parcel["id"], "note": "Прислать плату"}
    )
    assert asked.status_code == 200, asked.text
    expertise = asked.json()["lines"][0]["expertise"]
    assert (expertise["status"], expertise["source"]) == ("requested", "partner")
    assert expertise["shipment"] == {
        "id": parcel["id"], "number": parcel["number"], "status_label": "Черновик"
    }  # fmt: skip
    again = await client.post(url, json={"source": "field"})
    assert again.status_code == 409 and error_fields(again) == {"line_id"}

    blocked = await move(client, order["id"], "sent")
    assert blocked.status_code == 409 and error_fields(blocked) == {"status"}
    assert stock.item["name"] in blocked.text

    result = f"/api/v1/purchasing/expertise/{expertise['id']}/result"
    assert (await client.post(result, json={"result": "maybe"})).status_code == 422
    done = await client.post(result, json={"result": "confirmed", "note": "Пробой"})
    assert done.status_code == 200, done.text
    assert done.json()["lines"][0]["expertise"]["status"] == "confirmed"
    twice = await client.post(result, json={"result": "not_confirmed"})
    assert twice.status_code == 409

    other = await client.post(
        f"{ORDERS}/{order['id']}/lines/{second}/expertise", json={"source": "field"}
    )
    no = other.json()["lines"][1]["expertise"]
    refused = await client.post(
        f"/api/v1/purchasing/expertise/{no['id']}/result",
        json={"result": "not_confirmed", "note": "Исправна"},
    )
    assert refused.status_code == 200, refused.text
    assert [ln["id"] for ln in refused.json()["lines"]] == [first]  # the second is taken off

    assert (await move(client, order["id"], "sent")).status_code == 200
    late = await client.post(url, json={"source": "field"})
    assert late.status_code == 409 and error_fields(late) == {"status"}  # it is sent now
    notes = [h["note"] for h in (await supplier_order(client, order["id"]))["history"]]
    assert any("Брак не подтверждён" in n and "Исправна" in n for n in notes), notes
    logged = await AuditEntry.count().where(
        (AuditEntry.entity == "supplier_order")
        & (AuditEntry.entity_id == str(order["id"]))
        & (AuditEntry.action == "expertise")
    )
    assert logged == 4


async def test_the_card_asks_for_the_part_and_records_the_result(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    token = client.headers["X-CSRFToken"]
    stock = await stocked(client)
    seller = await supplier(client)
    line = {"item_id": stock.item["id"], "quantity": "1", "unit_price": "900"}
    order = await draft(client, seller["id"], stock.store["id"], line)
    line_id = order["lines"][0]["id"]
    card = await client.get(f"/purchasing/{order['id']}")
    assert f'data-testid="expertise-ask-{line_id}"' in card.text
    url = f"/purchasing/{order['id']}/lines/{line_id}/expertise"
    form = {"source": "partner", "shipment_number": "ОТ-999", "note": "Плата", "_csrf_token": token}
    wrong = await client.post(url, data=form)
    assert wrong.status_code == 400 and "ОТ-999" in wrong.text and "Плата" in wrong.text
    assert 'aria-invalid="true" aria-describedby="e-ex-ship-' in wrong.text
    parcel = await ship(client, direction="from_supplier")
    asked = await client.post(url, data={**form, "shipment_number": parcel["number"]})
    assert asked.status_code in (302, 303), asked.text
    card = (await client.get(f"/purchasing/{order['id']}")).text
    block = card.split(f'data-testid="expertise-{line_id}"', 1)[1].split("</div>", 1)[0]
    assert "Брак запрошен" in block and parcel["number"] in block and "От партнёра" in block
    expertise_id = (await supplier_order(client, order["id"]))["lines"][0]["expertise"]["id"]
    done = await client.post(
        f"/purchasing/expertise/{expertise_id}/result",
        data={"result": "confirmed", "note": "Пробой", "_csrf_token": token},
    )
    assert done.status_code in (302, 303), done.text
    card = (await client.get(f"/purchasing/{order['id']}")).text
    assert 'data-status="confirmed"' in card and "Пробой" in card
    again = await client.post(url, data={"source": "field", "_csrf_token": token})
    assert again.status_code == 409 and "по этой строке уже запрошена" in again.text
    for action in ("", "/receive"):  # a line count that is no number is no line, not a 500
        odd = await client.post(
            f"/purchasing/{order['id']}{action}", data={"line_count": "zz", "_csrf_token": token}
        )
        assert odd.status_code in (302, 303, 400, 409, 422), odd.text[:200]
