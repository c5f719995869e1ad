"""CDEK's API v2 through the carrier interface, against a local server that speaks it: the
token is fetched once and kept until it expires (a token refused early is fetched once more),
an order's statuses, cost, packages and addresses are read, CDEK's error answers and a
timeout become the carrier errors the shipment pages tell."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import pytest

from server.deliveries.carriers import cdek, tracker
from server.deliveries.carriers.base import (
    CarrierAway,
    CarrierRefused,
    KeysRefused,
    UnknownToCarrier,
)
from server.deliveries.choices import ShipmentStatus
from tests.cdek import FakeCdek, order

IN_TRANSIT = (
    ("SENT_TO_RECIPIENT_CITY", "Отправлен в г. получатель", "2026-12-01T18:00:00+0300"),
    ("RECEIVED_AT_SHIPMENT_WAREHOUSE", "Принят на склад отправителя", "2026-12-01T10:00:00+0300"),
    ("CREATED", "Создан", "2026-11-30T12:00:00+0300"),
)


def _account() -> cdek.Cdek:
    found = tracker("cdek")
    assert isinstance(found, cdek.Cdek)
    return found


async def test_off_without_keys(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.delenv("SERVIO_CDEK_CLIENT_ID", raising=False)
    assert tracker("cdek") is None and tracker("own_courier") is None


async def test_an_order_is_read_with_one_token_kept_until_it_expires(cdek: FakeCdek) -> None:
    cdek.orders["1106207236"] = order("1106207236", *IN_TRANSIT)
    found = await _account().track("1106207236")
    assert found.status is ShipmentStatus.IN_TRANSIT
    assert [s.code for s in found.statuses] == [
        "CREATED",
        "RECEIVED_AT_SHIPMENT_WAREHOUSE",
        "SENT_TO_RECIPIENT_CITY",
    ]
    latest = found.latest
    assert latest is not None and latest.name == "Отправлен в г. получатель"
    assert latest.at is not None and latest.at.utcoffset() is not None
    assert (found.cost, found.weight_kg, found.places) == (Decimal("450.00"), Decimal("4.000"), 2)
    assert found.from_address == "Тула, ул. Советская, 10"
    assert found.to_address == "Москва, ул. Тверская, 7"
    assert found.contact == "Иван Петров, +79161234567"
    assert found.uuid.startswith("72753031")
    await _account().track("1106207236")
    assert cdek.issued == 1 and cdek.lookups == ["1106207236", "1106207236"]

    cdek.revoke()  # refused early: fetched once more, the lookup goes through
    await _account().track("1106207236")
    assert cdek.issued == 2


async def test_an_expired_token_is_fetched_again(cdek: FakeCdek) -> None:
    cdek.orders["1106207236"] = order("1106207236", *IN_TRANSIT)
    cdek.expires_in = 61  # kept for a second (a minute early)
    await _account().track("1106207236")
    await _account().track("1106207236")
    assert cdek.issued == 1
    await asyncio.sleep(1.1)
    await _account().track("1106207236")
    assert cdek.issued == 2


async def test_delivered_and_not_delivered_are_ours(cdek: FakeCdek) -> None:
    cdek.orders["1000000001"] = order(
        "1000000001", ("DELIVERED", "Вручен", "2026-12-02T15:30:00+0300"), *IN_TRANSIT
    )
    cdek.orders["1000000002"] = order(
        "1000000002", ("NOT_DELIVERED", "Не вручен", "2026-12-02T15:30:00+0300"), *IN_TRANSIT
    )
    cdek.orders["1000000003"] = order("1000000003", IN_TRANSIT[-1])
    delivered = await _account().track("1000000001")
    assert delivered.status is ShipmentStatus.DELIVERED and delivered.delivered_at is not None
    assert (await _account().track("1000000002")).status is ShipmentStatus.RETURNED
    assert (await _account().track("1000000003")).status is None  # only registered: ours stays


async def test_error_answers(cdek: FakeCdek) -> None:
    with pytest.raises(UnknownToCarrier) as unknown:
        await _account().track("1234567890")
    assert unknown.value.field == "tracking_number" and unknown.value.status_code == 422
    cdek.failing["1000000009"] = (
        400,
        {"requests": [{"state": "INVALID", "errors": [{"code": "v2_bad_request",
                                                        "message": "Заказ удалён"}]}]},
    )  # fmt: skip
    with pytest.raises(CarrierRefused) as refused:
        await _account().track("1000000009")
    assert refused.value.status_code == 502 and "Заказ удалён" in refused.value.text()
    cdek.failing["1000000010"] = (500, b"<html>Internal error</html>")
    with pytest.raises(CarrierAway) as away:
        await _account().track("1000000010")
    assert away.value.status_code == 503 and "500" in away.value.text()


async def test_wrong_keys_are_refused(cdek: FakeCdek, settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("SERVIO_CDEK_CLIENT_SECRET", "wrong")
    from server.config import get_settings

    get_settings.cache_clear()
    with pytest.raises(KeysRefused) as refused:
        await _account().track("1106207236")
    assert "Bad client credentials" in refused.value.text() and cdek.lookups == []


async def test_a_timeout_is_the_carrier_away(
    cdek: FakeCdek, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("SERVIO_CDEK_TIMEOUT", "0.3")
    from server.config import get_settings

    get_settings.cache_clear()
    cdek.slow = 1.0
    began = time.monotonic()
    with pytest.raises(CarrierAway) as away:
        await _account().track("1106207236")
    assert time.monotonic() - began < 0.9
    assert away.value.status_code == 503
