"""The customer cabinet: a one-time link by mail (real SMTP), the same answer for a stranger,
throttling, a session listing only that client's orders."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from server.cabinet.tables import CabinetLink, CabinetSession
from server.clients.tables import ClientEmail
from server.notify import engine
from server.notify.tables import Message
from server.requests.tables import RequestLink
from tests.mailbox import Mailbox, text_of
from tests.server.orders.builders import intake, make_client

LINK = re.compile(r"https://servis\.example\.ru(/my/link/[A-Za-z0-9_\-]+)")


async def _client_with_order(staff: httpx.AsyncClient, name: str, email: str) -> dict:
    client_id = await make_client(name, phone=f"+7916{abs(hash(email)) % 10**7:07d}")
    await ClientEmail(client=client_id, email=email, is_primary=True).save()
    return await intake(staff, client_id, declared_fault=f"Поломка {name}")


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def _ask(visitor: httpx.AsyncClient, contact: str) -> httpx.Response:
    page = await visitor.get("/my")
    return await visitor.post("/my", data={"contact": contact, "_csrf_token": _csrf(page)})


async def test_the_link_opens_the_clients_own_orders_once(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    mine = await _client_with_order(admin_client, "Анна Клиентова", "anna@example.ru")
    other = await _client_with_order(admin_client, "Борис Другой", "boris@example.ru")
    await engine.run_all()
    before = len(mailbox.wait_for(2))

    matched = await _ask(visitor, "Anna@Example.ru ")
    stranger = await _ask(visitor, "nobody@example.ru")
    assert matched.status_code == stranger.status_code == 200
    assert 'data-testid="cabinet-sent"' in matched.text
    strip = re.compile(r'name="_csrf_token" value="[^"]+"')
    assert strip.sub("", matched.text) == strip.sub("", stranger.text)
    await engine.run_all()
    mails = mailbox.wait_for(before + 1)
    links = [m for m in mails if LINK.search(text_of(m))]
    assert [m["To"] for m in links] == ["anna@example.ru"]
    path = LINK.search(text_of(links[0])).group(1)  # type: ignore[union-attr]
    token = path.rsplit("/", 1)[1]
    assert not await CabinetLink.exists().where(CabinetLink.token_hash == token)
    (sent,) = await Message.select().where(Message.address == "anna@example.ru",
                                           Message.subject.like("%заказ%"))  # fmt: skip
    assert sent["status"] == "sent"

    opened = await visitor.get(path)  # a mail scanner following the link spends nothing
    assert opened.status_code == 200 and 'data-testid="cabinet-open"' in opened.text
    entered = await visitor.post(path)
    assert entered.status_code in (302, 303)
    orders = await visitor.get("/my/orders")
    assert orders.status_code == 200
    assert mine["number"] in orders.text and other["number"] not in orders.text
    assert "/status?number=" in orders.text

    again = await visitor.post(path)
    assert again.status_code == 404
    stranger_session = httpx.AsyncClient(
        transport=visitor._transport, base_url="http://testserver.local"
    )
    async with stranger_session:
        answer = await stranger_session.get("/my/orders")
        assert answer.status_code in (302, 303) and answer.headers["location"] == "/my"

    page = await visitor.get("/my/orders")
    await visitor.post("/my/logout", data={"_csrf_token": _csrf(page)})
    assert await CabinetSession.count() == 0


async def test_an_expired_link_does_not_open(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await _client_with_order(admin_client, "Вера", "vera@example.ru")
    await _ask(visitor, "vera@example.ru")
    await engine.run_all()
    mails = mailbox.wait_for(2)
    path = next(LINK.search(text_of(m)).group(1) for m in mails if LINK.search(text_of(m)))  # type: ignore[union-attr]
    await CabinetLink.update(
        {CabinetLink.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)}
    ).where(CabinetLink.id > 0)
    assert (await visitor.post(path)).status_code == 404
    assert (await visitor.get(path)).status_code == 404
    assert await CabinetSession.count() == 0


async def test_asks_are_throttled_per_contact_and_per_address_whoever_asks(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    await _client_with_order(admin_client, "Глеб", "gleb@example.ru")
    for contact in ("gleb@example.ru", "ghost@example.ru"):
        answers = [(await _ask(visitor, contact)).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429], contact  # the same for a client and a stranger
    for n in range(4):
        assert (await _ask(visitor, f"x{n}@example.ru")).status_code == 200
    assert (await _ask(visitor, "y@example.ru")).status_code == 429  # 10 per address


async def test_a_contact_that_is_neither_email_nor_phone_is_refused(
    client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    answer = await _ask(visitor, "не телефон")
    assert answer.status_code == 422 and 'id="e-contact"' in answer.text


async def test_the_cabinet_lists_the_requests_sent_with_the_contact(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await _client_with_order(admin_client, "Дарья", "darya@example.ru")
    filed = await visitor.post(
        "/api/v1/public/requests",
        json={"name": "Дарья", "phone": "+79160000001", "email": "darya@example.ru",
              "device": "Стиральная машина", "problem": "Не сливает", "address": "Москва"},
    )  # fmt: skip
    assert filed.status_code == 201, filed.text
    other = await visitor.post(
        "/api/v1/public/requests",
        json={"name": "Чужой", "phone": "+79160000002", "email": "alien@example.ru",
              "device": "Холодильник", "problem": "Шумит", "address": "Москва"},
    )  # fmt: skip
    assert other.status_code == 201, other.text
    await _ask(visitor, "darya@example.ru")
    await engine.run_all()
    mailbox.wait_for(3)
    path = next(
        LINK.search(text_of(m)).group(1)  # type: ignore[union-attr]
        for m in mailbox.mails
        if LINK.search(text_of(m))
    )
    await visitor.post(path)
    page = await visitor.get("/my/orders")
    assert filed.json()["number"] in page.text
    assert other.json()["number"] not in page.text
    links = await RequestLink.count()
    await visitor.get("/my/orders")
    assert await RequestLink.count() == links  # listing makes no links
    visitor.headers["X-CSRFToken"] = visitor.cookies["csrftoken"]  # the page's form token
    opened = await visitor.post(f"/my/requests/{filed.json()['number']}")
    assert opened.status_code in (302, 303)
    follow = await visitor.get(opened.headers["location"])
    assert follow.status_code == 200 and filed.json()["number"] in follow.text
    foreign = await visitor.post(f"/my/requests/{other.json()['number']}")
    assert foreign.headers["location"] == "/my/orders"  # not the session's: no link
    assert await RequestLink.count() == links + 1


async def test_the_purge_forgets_dead_links_sessions_and_old_asks(
    client: httpx.AsyncClient,
) -> None:
    from server.cabinet import services
    from server.cabinet.tables import CabinetAsk

    now = dt.datetime.now(dt.UTC)
    old, fresh = now - dt.timedelta(days=2), now - dt.timedelta(minutes=5)
    for at in (old, fresh):
        await CabinetAsk(at=at, ip="203.0.113.1", contact="a@example.ru").save()
        key = str(at.timestamp())
        link_ends, session_ends = at + services.LINK_LIFETIME, at + dt.timedelta(days=1)
        await CabinetLink(
            clients=[], token_hash=f"l{key}", contact="a", created_at=at, expires_at=link_ends
        ).save()
        await CabinetSession(
            clients=[], token_hash=f"s{key}", contact="a", created_at=at, expires_at=session_ends
        ).save()
    await services.purge(now)
    assert await CabinetAsk.count() == 1
    assert await CabinetLink.count() == 1
    assert await CabinetSession.count() == 1
