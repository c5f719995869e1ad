"""Web Push to a local push service that checks the VAPID signature and decrypts: the
server's key from GET /api/v1/push/key, subscriptions per browser, Urgency high for a
breach, TTL always, a gone subscription removed, endpoints only on the allow-list."""

from __future__ import annotations

import datetime as dt

import httpx

from server.notify import api as notify
from server.notify import engine, events
from server.notify.tables import Message, PushSubscription
from tests.pushservice import PushService
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client


async def _master_with_order(client: httpx.AsyncClient) -> tuple[int, dict]:
    master = await make_employee("tech1", roles=["technician"], full_name="Сидоров Пётр")
    order = await intake(client, await make_client(), technician_id=master.id)
    return master.id, order


async def test_a_breach_reaches_every_browser_signed_and_encrypted(
    admin_client: httpx.AsyncClient, pushes: PushService
) -> None:
    master_id, order = await _master_with_order(admin_client)
    phone, laptop = pushes.browser("phone"), pushes.browser("laptop")
    await login_as(admin_client, "tech1")
    key = (await admin_client.get("/api/v1/push/key")).json()["public_key"]
    assert key == (await admin_client.get("/api/v1/push/key")).json()["public_key"], "kept"
    for browser in (phone, laptop):
        answer = await admin_client.post(
            "/api/v1/push/subscriptions",
            json=pushes.subscription(browser) | {"expirationTime": None},
        )
        assert answer.status_code == 201, answer.text
    await notify.emit(
        events.SLA_BREACH,
        key=f"sla:{order['id']}:resolution:breach",
        order_id=order["id"],
        context={"sla": {"clock": "Решение", "due": "01.12.2026 18:00", "left": "2 ч"}},
    )
    await engine.run_all()
    for browser in (phone, laptop):
        (got,) = pushes.wait_for(browser, 1)
        assert got["server_key"] == key
        assert got["urgency"] == "high" and got["ttl"] == 24 * 3600
        payload = got["payload"]
        assert order["number"] in payload["title"] and "нарушен" in payload["title"]
        assert payload["url"] == f"/orders/{order['id']}"
        assert "Решение" in payload["body"]
    assert pushes.refused == []
    await engine.run_all()  # again: nothing is sent twice
    assert len(phone.received) == 1 and len(laptop.received) == 1
    (sent,) = await Message.select().where(Message.channel == "push")
    assert sent["status"] == "sent"
    inapp = await Message.select().where(Message.channel == "inapp", Message.employee == master_id)
    assert len(inapp) == 1


async def test_a_gone_subscription_is_dropped_and_a_retry_skips_browsers_reached(
    admin_client: httpx.AsyncClient, pushes: PushService
) -> None:
    _, order = await _master_with_order(admin_client)
    kept, gone, flaky = pushes.browser("kept"), pushes.browser("gone"), pushes.browser("flaky")
    await login_as(admin_client, "tech1")
    for browser in (kept, gone, flaky):
        await admin_client.post("/api/v1/push/subscriptions", json=pushes.subscription(browser))
    gone.answer, flaky.answer = 410, 503
    await notify.emit(events.SLA_WARNING, key="w1", order_id=order["id"])
    await engine.run_all()
    assert len(pushes.wait_for(kept, 1)) == 1
    endpoints = {r["endpoint"] for r in await PushSubscription.select(PushSubscription.endpoint)}
    assert endpoints == {
        pushes.subscription(kept)["endpoint"],
        pushes.subscription(flaky)["endpoint"],
    }
    (message,) = await Message.select().where(Message.channel == "push")
    assert message["status"] == "queued" and "503" in message["last_error"]
    flaky.answer = 201
    later = message["next_attempt_at"] + dt.timedelta(seconds=1)
    await engine.run_all(later)
    assert len(pushes.wait_for(flaky, 1)) == 1
    assert len(kept.received) == 1, "the browser already reached gets no second copy"
    (message,) = await Message.select().where(Message.channel == "push")
    assert message["status"] == "sent"


async def test_only_allowed_push_services_and_own_subscriptions(
    admin_client: httpx.AsyncClient, pushes: PushService
) -> None:
    await make_employee("tech1", roles=["technician"])
    await login_as(admin_client, "tech1")
    keys = {"p256dh": pushes.browser("x").p256dh, "auth": "c2VjcmV0c2VjcmV0MTIzNA"}
    for endpoint in (
        "http://169.254.169.254/latest/meta-data",
        "https://evil.example.com/push/1",
        "https://fcm.googleapis.com.evil.com/x",
        "https://user:pw@fcm.googleapis.com/x",
        "ftp://fcm.googleapis.com/x",
    ):
        answer = await admin_client.post(
            "/api/v1/push/subscriptions", json={"endpoint": endpoint, "keys": keys}
        )
        assert answer.status_code == 422, endpoint
        assert answer.json()["errors"][0]["field"] == "endpoint"
    fine = await admin_client.post(
        "/api/v1/push/subscriptions",
        json={"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": keys},
    )
    assert fine.status_code == 201
    mine = (await admin_client.get("/api/v1/push/subscriptions")).json()
    assert [s["endpoint"] for s in mine] == ["https://fcm.googleapis.com/fcm/send/abc"]
    await make_employee("tech2", roles=["technician"])
    await login_as(admin_client, "tech2")
    assert (await admin_client.get("/api/v1/push/subscriptions")).json() == []
    other = await admin_client.request(
        "DELETE",
        "/api/v1/push/subscriptions",
        json={"endpoint": "https://fcm.googleapis.com/fcm/send/abc"},
    )
    assert other.status_code == 404, "one cannot drop another's browser"
    await login_as(admin_client, "tech1")
    dropped = await admin_client.request(
        "DELETE",
        "/api/v1/push/subscriptions",
        json={"endpoint": "https://fcm.googleapis.com/fcm/send/abc"},
    )
    assert dropped.status_code == 204
