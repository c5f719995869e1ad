"""Mail through a real SMTP server: the client's «order received» by default, once however
often the worker runs; the outbox while no SMTP is set; retries with backoff and the reason
kept; a refused address fails at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from server.clients.tables import ClientEmail
from server.config import get_settings
from server.notify import engine
from server.notify.tables import Message, MessageLog
from tests.mailbox import Mailbox, html_of, text_of
from tests.server.orders.builders import intake, make_client


async def _order_for_mail(
    client: httpx.AsyncClient, email: str = "ivan@example.ru"
) -> dict[str, Any]:
    client_id = await make_client("Иван Иванов")
    await ClientEmail(client=client_id, email=email, is_primary=True).save()
    return await intake(client, client_id, declared_fault="Не включается")


async def _messages(channel: str = "email") -> list[dict[str, Any]]:
    return await Message.select().where(Message.channel == channel).order_by(Message.id)


async def _states(message_id: int) -> list[str]:
    rows = await MessageLog.select().where(MessageLog.message == message_id).order_by(MessageLog.id)
    return [r["state"] for r in rows]


async def test_the_client_gets_order_received_once_with_the_status_link(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    order = await _order_for_mail(admin_client)
    await engine.run_all()
    await engine.run_all()  # a second worker pass, a restart: nothing more goes
    mails = mailbox.wait_for(1)
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == "ivan@example.ru"
    assert mail["From"].addresses[0].addr_spec == "servis@example.ru"
    assert order["number"] in mail["Subject"] and "принят" in mail["Subject"]
    text = text_of(mail)
    assert f"https://servis.example.ru/status?number={order['number']}" in text
    assert order["public_code"] in text
    assert f'<a href="https://servis.example.ru/status?number={order["number"]}' in html_of(mail)
    assert mail["Message-ID"].endswith("@example.ru>")
    (sent,) = await _messages()
    assert sent["status"] == "sent" and sent["attempts"] == 1
    assert await _states(sent["id"]) == ["queued", "sent"]


async def test_without_smtp_mail_waits_in_the_outbox_and_goes_once_it_is_set(
    admin_client: httpx.AsyncClient, mailbox: Mailbox, settings_env: Any
) -> None:
    settings_env.delenv("SERVIO_SMTP_HOST")
    get_settings.cache_clear()
    await _order_for_mail(admin_client)
    await engine.run_all()
    (waiting,) = await _messages()
    assert waiting["status"] == "outbox" and "SERVIO_SMTP_HOST" in waiting["last_error"]
    listed = (await admin_client.get("/api/v1/notify/messages", params={"status": "outbox"})).json()
    assert [m["id"] for m in listed["items"]] == [waiting["id"]]
    assert listed["items"][0]["recipient"] == "ivan@example.ru"
    assert mailbox.mails == []

    settings_env.setenv("SERVIO_SMTP_HOST", "127.0.0.1")
    get_settings.cache_clear()
    await engine.release()
    await engine.run_all()
    assert len(mailbox.wait_for(1)) == 1
    assert (await _messages())[0]["status"] == "sent"


async def test_a_temporary_refusal_is_retried_with_backoff_and_a_refused_address_fails(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    mailbox.refuse_with = "451 4.3.0 try again later"
    await _order_for_mail(admin_client)
    started = dt.datetime.now(dt.UTC)
    await engine.run_all()
    (message,) = await _messages()
    assert message["status"] == "queued" and message["attempts"] == 1
    assert "451" in message["last_error"]
    assert message["next_attempt_at"] >= started + dt.timedelta(minutes=1)
    await engine.run_all()  # not due yet: nothing is sent again
    assert (await _messages())[0]["attempts"] == 1

    later = message["next_attempt_at"] + dt.timedelta(seconds=1)
    mailbox.refuse_with = "550 5.1.1 no such mailbox"
    await engine.run_all(later)
    (message,) = await _messages()
    assert message["status"] == "failed" and "550" in message["last_error"]
    assert message["attempts"] == 2
    states = [
        r["state"] for r in await MessageLog.select().where(MessageLog.message == message["id"])
    ]
    assert states == ["queued", "retry", "failed"]

    mailbox.refuse_with = None
    answer = await admin_client.post(f"/api/v1/notify/messages/{message['id']}/retry")
    assert answer.status_code == 204
    await engine.run_all(later)
    assert len(mailbox.wait_for(1)) == 1


async def test_two_workers_at_once_send_each_mail_once(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    import asyncio

    for n in range(12):
        await _order_for_mail(admin_client, email=f"client{n}@example.ru")
    await asyncio.gather(engine.run_all(), engine.run_all(), engine.run_all())
    mails = mailbox.wait_for(12)
    await asyncio.sleep(0.2)
    assert sorted(m["To"] for m in mailbox.mails) == sorted(
        f"client{n}@example.ru" for n in range(12)
    )
    assert {m["status"] for m in await _messages()} == {"sent"}
    assert len(mails) == 12


async def test_a_batch_that_outlasts_its_lease_puts_the_rest_back_untried(
    admin_client: httpx.AsyncClient, mailbox: Mailbox, monkeypatch: Any
) -> None:
    await _order_for_mail(admin_client)
    monkeypatch.setattr(engine, "LEASE", dt.timedelta(0))  # as if the batch ran past it
    await engine.send_due(dt.datetime.now(dt.UTC))  # nothing due yet: the event is not fired
    await engine.process_events()
    await engine.fire_due()
    await engine.send_due()
    (message,) = await _messages()
    assert message["status"] == "queued" and message["attempts"] == 0
    assert mailbox.mails == [], "not sent while another worker may take it"
    monkeypatch.setattr(engine, "LEASE", dt.timedelta(minutes=5))
    await engine.run_all()
    assert len(mailbox.wait_for(1)) == 1
    assert (await _messages())[0]["attempts"] == 1
