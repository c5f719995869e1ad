"""SMS through SMS.ru's API (a local server speaking it): off by default (waits in the
outbox), sent once configured, a number the provider refuses fails with its reason."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.clients.tables import ClientPhone
from server.config import get_settings
from server.notify import api as notify
from server.notify import engine, events
from server.notify.tables import Message
from tests.server.orders.builders import intake, make_client
from tests.smsru import API_ID, smsru_server


async def _sms_rule(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/v1/notify/rules",
        json={"name": "Клиенту SMS: готов", "event": "order.status", "statuses": ["ready"],
              "recipients": ["client"], "channels": ["sms"]},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text


async def _client(name: str, phone: str) -> int:
    client_id = await make_client(name, phone=phone)
    await ClientPhone(client=client_id, number=phone, is_primary=True).save()
    return client_id


async def _ready(order: dict[str, Any]) -> None:
    await notify.emit(
        events.ORDER_STATUS, key=f"order:{order['id']}:status:ready:9", order_id=order["id"],
        context={"status": "ready"},
    )  # fmt: skip


async def test_sms_waits_while_off_and_goes_through_smsru_once_set(
    admin_client: httpx.AsyncClient, settings_env: pytest.MonkeyPatch
) -> None:
    await _sms_rule(admin_client)
    order = await intake(admin_client, await _client("Олег Петров", "+79161234567"))
    await _ready(order)
    await engine.run_all()
    (waiting,) = await Message.select().where(Message.channel == "sms")
    assert waiting["status"] == "outbox" and waiting["address"] == "+79161234567"
    with smsru_server() as provider:
        settings_env.setenv("SERVIO_SMS", f"smsru:{API_ID}")
        settings_env.setenv("SERVIO_SMS_URL", provider.url)
        get_settings.cache_clear()
        await engine.release()
        await engine.run_all()
        (sent,) = provider.sent
        assert sent["to"] == "79161234567" and order["number"] in sent["msg"]
        assert "теперь в статусе" in sent["msg"] and "/status?number=" in sent["msg"]
        (message,) = await Message.select().where(Message.channel == "sms")
        assert message["status"] == "sent"


async def test_a_number_the_provider_refuses_fails_with_its_reason(
    admin_client: httpx.AsyncClient, settings_env: pytest.MonkeyPatch
) -> None:
    with smsru_server() as provider:
        settings_env.setenv("SERVIO_SMS", f"smsru:{API_ID}")
        settings_env.setenv("SERVIO_SMS_URL", provider.url)
        get_settings.cache_clear()
        provider.number_status["79160000000"] = 207
        await _sms_rule(admin_client)
        order = await intake(admin_client, await _client("Нет Связи", "+79160000000"))
        await _ready(order)
        await engine.run_all()
        (message,) = await Message.select().where(Message.channel == "sms")
        assert message["status"] == "failed" and "207" in message["last_error"]
        assert provider.sent == []
        settings_env.setenv("SERVIO_SMS", "smsru:wrong-key")
        get_settings.cache_clear()
        second = await intake(admin_client, await _client("Анна", "+79165550000"))
        await _ready(second)
        await engine.run_all()
        failed = await Message.select().where(Message.address == "+79165550000").first()
        assert failed is not None and failed["status"] == "failed"
        assert "api_id" in failed["last_error"]
