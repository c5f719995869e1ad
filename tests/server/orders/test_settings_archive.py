"""Price items and custom fields are edited and deleted in settings; one that records already use
is archived instead, so old orders keep their lines and values."""

from __future__ import annotations

import httpx

from server.audit.tables import AuditEntry
from tests.server.orders.builders import intake, make_client
from tests.server.web.test_pages import csrf_of

API = "/api/v1/settings/orders"


async def _field(http: httpx.AsyncClient, code: str, entity: str = "order", **more: object) -> int:
    made = await http.post(
        f"{API}/custom-fields",
        json={"entity": entity, "code": code, "label": code.title(), "kind": "text", **more},
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def test_an_unused_price_item_is_deleted_and_a_used_one_archived(
    admin_client: httpx.AsyncClient,
) -> None:
    unused = await admin_client.post(
        f"{API}/price-items", json={"kind": "part", "name": "Ремень", "price": "890"}
    )
    used = await admin_client.post(
        f"{API}/price-items", json={"kind": "service", "name": "Чистка", "price": "1200"}
    )
    order = await intake(admin_client, await make_client())
    added = await admin_client.post(
        f"/api/v1/orders/{order['id']}/lines", json={"price_item_id": used.json()["id"]}
    )
    assert added.status_code == 201, added.text
    gone = await admin_client.delete(f"{API}/price-items/{unused.json()['id']}")
    assert gone.status_code == 200 and gone.json() == {"deleted": True, "archived": False}
    kept = await admin_client.delete(f"{API}/price-items/{used.json()['id']}")
    assert kept.status_code == 200 and kept.json() == {"deleted": False, "archived": True}
    items = {i["id"]: i for i in (await admin_client.get(f"{API}/price-items")).json()["items"]}
    assert unused.json()["id"] not in items
    assert items[used.json()["id"]]["is_active"] is False
    lines = (await admin_client.get(f"/api/v1/orders/{order['id']}/lines")).json()["items"]
    assert [(line["name"], line["unit_price"]) for line in lines] == [("Чистка", "1200.00")]
    renamed = await admin_client.patch(
        f"{API}/price-items/{used.json()['id']}", json={"name": "Чистка барабана"}
    )
    assert renamed.json()["name"] == "Чистка барабана"
    assert (await admin_client.delete(f"{API}/price-items/999999")).status_code == 404
    assert (await admin_client.delete(f"{API}/order-statuses/1")).status_code in (400, 404, 405)


async def test_a_custom_field_with_values_is_archived_and_the_order_keeps_its_value(
    admin_client: httpx.AsyncClient,
) -> None:
    filled = await _field(admin_client, "coupon")
    empty = await _field(admin_client, "spare")
    client_field = await _field(admin_client, "inn_note", entity="client")
    order = await intake(admin_client, await make_client(), custom={"coupon": "GT-1"})
    gone = await admin_client.delete(f"{API}/custom-fields/{empty}")
    assert gone.json() == {"deleted": True, "archived": False}
    kept = await admin_client.delete(f"{API}/custom-fields/{filled}")
    assert kept.json() == {"deleted": False, "archived": True}
    assert (await admin_client.delete(f"{API}/custom-fields/{client_field}")).json()["deleted"]
    listed = (await admin_client.get(f"{API}/custom-fields")).json()["items"]
    fields = {f["code"]: f for f in listed}
    assert set(fields) == {"coupon"} and fields["coupon"]["is_active"] is False
    # The old order keeps its value, and a change to it does not trip on the archived field.
    fault = await admin_client.patch(
        f"/api/v1/orders/{order['id']}", json={"custom": {}, "declared_fault": "Шумит"}
    )
    assert fault.status_code == 200, fault.text
    assert fault.json()["custom"] == {"coupon": "GT-1"}
    card = await admin_client.get(f"/orders/{order['id']}")  # its card still shows the value
    assert 'data-testid="custom-coupon"><dt>Coupon</dt><dd>GT-1</dd>' in card.text
    # A new order is no longer asked for it; its kind cannot change while it holds values.
    assert (await intake(admin_client, await make_client(phone="+79160000001")))["custom"] == {}
    kind = await admin_client.patch(f"{API}/custom-fields/{filled}", json={"kind": "number"})
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "kind"
    relabel = await admin_client.patch(
        f"{API}/custom-fields/{filled}", json={"label": "Талон", "is_active": True}
    )
    assert relabel.json()["label"] == "Талон" and relabel.json()["is_active"] is True
    actions = await AuditEntry.select(AuditEntry.action).where(AuditEntry.entity == "custom_field")
    assert sorted(a["action"] for a in actions).count("delete") == 2
    assert "deactivate" in {a["action"] for a in actions}


async def test_the_settings_pages_edit_and_delete_with_the_reason_shown(
    admin_client: httpx.AsyncClient,
) -> None:
    field_id = await _field(admin_client, "coupon")
    await intake(admin_client, await make_client(), custom={"coupon": "GT-2"})
    page = await admin_client.get("/settings/custom-fields")
    assert f'action="/settings/custom-fields/{field_id}"' in page.text
    token = csrf_of(page.text)
    bad = await admin_client.post(
        f"/settings/custom-fields/{field_id}",
        data={"_csrf_token": token, "label": " ", "sort": "0", "is_active": "1"},
    )
    assert bad.status_code == 400
    assert f'id="cf{field_id}-label" name="label" value=" " aria-invalid="true"' in bad.text
    saved = await admin_client.post(
        f"/settings/custom-fields/{field_id}",
        data={"_csrf_token": token, "label": "Гарантийный талон", "sort": "5", "is_active": "1"},
    )
    assert saved.status_code in (302, 303)
    deleted = await admin_client.post(
        f"/settings/custom-fields/{field_id}/delete", data={"_csrf_token": token}
    )
    assert deleted.headers["location"].endswith("done=archived")
    shown = await admin_client.get(deleted.headers["location"])
    assert "перенесено в архив" in shown.text and "Гарантийный талон" in shown.text
    prices = await admin_client.get("/settings/prices")
    first = prices.text.split('action="/settings/prices/')[1].split('"')[0]
    renamed = await admin_client.post(
        f"/settings/prices/{first}",
        data={
            "_csrf_token": token,
            "kind": "service",
            "name": "Диагностика расширенная",
            "price": "900",
            "purchase_price": "0",
            "warranty_days": "0",
            "is_active": "1",
        },
    )
    assert renamed.status_code in (302, 303), renamed.text[:500]
    assert "Диагностика расширенная" in (await admin_client.get("/settings/prices")).text
    removed = await admin_client.post(
        f"/settings/prices/{first}/delete", data={"_csrf_token": token}
    )
    assert removed.headers["location"].endswith("done=deleted")
    assert "Диагностика расширенная" not in (await admin_client.get("/settings/prices")).text
