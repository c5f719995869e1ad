"""Shipments tracked with CDEK (a local server speaking its API): a CDEK number fetches the
shipment's data and status, an unknown one is refused at the field, CDEK away or refusing is
told (and written on the shipment, nothing lost), and the periodic refresh moves open
shipments on, writing each one's error without stopping for it."""

from __future__ import annotations

import httpx
import pytest

from server.deliveries import jobs, refresh
from tests.cdek import FakeCdek, order
from tests.server.deliveries.helpers import ship, shipment
from tests.server.requests.builders import error_fields

CREATED = ("CREATED", "Создан", "2026-11-30T12:00:00+0300")
AT_WAREHOUSE = ("RECEIVED_AT_SHIPMENT_WAREHOUSE", "Принят на склад отправителя",
                "2026-12-01T10:00:00+0300")  # fmt: skip
DELIVERED = ("DELIVERED", "Вручен", "2026-12-02T15:30:00+0300")


async def test_a_cdek_number_fetches_the_shipment(
    admin_client: httpx.AsyncClient, cdek: FakeCdek
) -> None:
    cdek.orders["1106207236"] = order("1106207236", AT_WAREHOUSE, CREATED)
    made = await ship(admin_client, carrier="cdek", tracking_number="1106207236", cost=None)
    assert made["status"] == "in_transit" and made["tracked"]
    assert made["carrier_status"] == "Принят на склад отправителя"
    assert (made["cost"], made["weight_kg"], made["places"]) == ("450.00", "4.000", 2)
    assert made["to_address"] == "Москва, ул. Тверская, 7" and made["carrier_error"] == ""
    history = made["history"]
    assert [(h["source"], h["carrier_status"], h["status_to"]) for h in history] == [
        ("person", "", "draft"),
        ("carrier", "Создан", ""),
        ("carrier", "Принят на склад отправителя", "in_transit"),
    ]
    typed = await ship(admin_client, carrier="cdek", tracking_number="1106207236", cost="300")
    assert typed["cost"] == "300.00"  # what a person typed stays

    unknown = await admin_client.post(
        "/api/v1/deliveries",
        json={"direction": "to_supplier", "carrier": "cdek", "supplier_name": "ООО Запчасть",
              "tracking_number": "9999999999"},
    )  # fmt: skip
    assert unknown.status_code == 422 and error_fields(unknown) == {"tracking_number"}
    assert "9999999999" in unknown.json()["errors"][0]["message"]


async def test_cdek_away_is_told_and_nothing_is_lost(
    admin_client: httpx.AsyncClient, cdek: FakeCdek, settings_env: pytest.MonkeyPatch
) -> None:
    from server.config import get_settings

    settings_env.setenv("SERVIO_CDEK_TIMEOUT", "0.3")
    get_settings.cache_clear()
    cdek.orders["1106207236"] = order("1106207236", CREATED)
    cdek.slow = 1.0
    made = await ship(admin_client, carrier="cdek", tracking_number="1106207236", note="Плата")
    assert made["status"] == "draft" and made["note"] == "Плата"
    assert "CDEK" in made["carrier_error"] or "СДЭК" in made["carrier_error"]
    again = await admin_client.post(f"/api/v1/deliveries/{made['id']}/refresh")
    assert again.status_code == 503 and again.headers["Retry-After"]
    assert again.json()["detail"]
    cdek.slow = 0
    cdek.failing["1106207236"] = (
        400, {"requests": [{"errors": [{"code": "v2_bad", "message": "Заказ удалён"}]}]}
    )  # fmt: skip
    refused = await admin_client.post(f"/api/v1/deliveries/{made['id']}/refresh")
    assert refused.status_code == 502 and "Заказ удалён" in refused.json()["detail"]
    kept = await shipment(admin_client, made["id"])
    assert "Заказ удалён" in kept["carrier_error"] and kept["note"] == "Плата"
    del cdek.failing["1106207236"]
    fine = await admin_client.post(f"/api/v1/deliveries/{made['id']}/refresh")
    assert fine.status_code == 200 and fine.json()["carrier_error"] == ""
    assert fine.json()["carrier_status"] == "Создан"


async def test_the_periodic_refresh_moves_open_shipments_on(
    admin_client: httpx.AsyncClient, cdek: FakeCdek
) -> None:
    cdek.orders["1000000001"] = order("1000000001", CREATED)
    cdek.orders["1000000002"] = order("1000000002", CREATED)
    going = await ship(admin_client, carrier="cdek", tracking_number="1000000001")
    broken = await ship(admin_client, carrier="cdek", tracking_number="1000000002")
    by_hand = await ship(admin_client, carrier="own_courier", tracking_number="К-7")
    cdek.orders["1000000001"] = order("1000000001", DELIVERED, AT_WAREHOUSE, CREATED)
    cdek.failing["1000000002"] = (500, b"oops")
    del cdek.orders["1000000002"]
    cdek.failing["1000000002"] = (
        400, {"requests": [{"errors": [{"code": "v2_bad", "message": "Нет доступа"}]}]}
    )  # fmt: skip
    before = len(cdek.lookups)
    report = await refresh.refresh_open()
    assert (report.checked, report.changed, report.failed) == (2, 1, 1)
    assert len(cdek.lookups) == before + 2
    done = await shipment(admin_client, going["id"])
    assert done["status"] == "delivered" and done["delivered_at"] is not None
    assert [h["carrier_status"] for h in done["history"] if h["source"] == "carrier"] == [
        "Создан",
        "Принят на склад отправителя",
        "Вручен",
    ]
    assert done["history"][-1]["status_to"] == "delivered"
    failed = await shipment(admin_client, broken["id"])
    assert "Нет доступа" in failed["carrier_error"] and failed["status"] == "draft"
    assert (await shipment(admin_client, by_hand["id"]))["carrier_checked_at"] is None

    await jobs.deliveries_refresh(0)  # the job itself: the delivered one is no longer asked
    assert cdek.lookups[-1] == "1000000002" and cdek.lookups.count("1000000001") == 2
    cdek.slow = 3.0  # CDEK away: the run ends at the first one, its error written
    report = await refresh.refresh_open()
    assert report.failed == 1 and report.stopped


async def test_nothing_calls_out_while_off(admin_client: httpx.AsyncClient) -> None:
    await ship(admin_client, carrier="cdek", tracking_number="1000000001")
    report = await refresh.refresh_open()
    assert report.checked == 0
