"""A request's life: received (the requester mailed the private link) → in review → returned
with a reason (mailed again) → completed through the link, no account → in review → accepted
→ an order; or rejected with a reason. Every step on its timeline."""

from __future__ import annotations

import re

import httpx

from server.notify import engine
from server.orders.tables import Order
from server.requests.tables import ServiceRequest
from tests.mailbox import Mailbox, text_of
from tests.server.builders import login_as, make_employee
from tests.server.requests.builders import error_fields, send_request, token_of


async def _request_id(number: str) -> int:
    row = (
        await ServiceRequest.select(ServiceRequest.id)
        .where(ServiceRequest.number == number)
        .first()
    )
    assert row is not None
    return int(row["id"])


def _csrf(client: httpx.AsyncClient) -> str:
    return str(client.cookies.get("csrftoken", ""))


async def test_returned_for_rework_completed_through_the_link_then_an_order(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    sent = await send_request(client, serial="WAT28461")
    await engine.run_all()
    (received,) = mailbox.wait_for(1)
    assert received["To"] == "maria@example.ru"
    assert sent["number"] in received["Subject"]
    assert sent["link"] in text_of(received)

    await make_employee("oper", roles=["receiver"])
    await login_as(client, "oper")
    request_id = await _request_id(sent["number"])
    listed = (await client.get("/api/v1/requests", params={"status": "new"})).json()
    assert [r["number"] for r in listed["items"]] == [sent["number"]]
    assert (await client.get("/api/v1/requests/count")).json() == {"new": 1}
    taken = (await client.post(f"/api/v1/requests/{request_id}/take")).json()
    assert taken["status"] == "in_review" and taken["manager"]["name"] == "Test oper"
    no_reason = await client.post(f"/api/v1/requests/{request_id}/return", json={"reason": " "})
    assert no_reason.status_code == 422 and "reason" in error_fields(no_reason)
    reason = "Укажите модель и приложите фото шильдика"
    returned = await client.post(f"/api/v1/requests/{request_id}/return", json={"reason": reason})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    await engine.run_all()
    mails = mailbox.wait_for(2)
    assert len(mails) == 2
    body = text_of(mails[1])
    assert reason in body
    fresh_link = re.search(r"https://servis\.example\.ru/r/[A-Za-z0-9_-]+", body)
    assert fresh_link is not None

    # the requester, with no account, through either link
    client.cookies.clear()
    client.headers.pop("X-CSRFToken", None)
    for link in (sent["link"], fresh_link.group(0)):
        page = await client.get(f"/r/{token_of(link)}")
        assert page.status_code == 200
        assert reason in page.text and 'data-testid="req-complete-form"' in page.text
    token = token_of(fresh_link.group(0))
    png = b"\x89PNG\r\n\x1a\n" + b"\1" * 32
    completed = await client.post(
        f"/r/{token}",
        data={"model": "WAT28461OE", "_csrf_token": _csrf(client)},
        files=[("photos", ("шильдик.png", png, "image/png"))],
    )
    assert completed.status_code in (201, 302, 303), completed.text
    after = await client.get(f"/r/{token}?saved=1")
    assert 'data-status="in_review"' in after.text and 'data-testid="req-saved"' in after.text
    assert 'data-testid="req-complete-form"' not in after.text
    again = await client.post(f"/r/{token}", data={"model": "x", "_csrf_token": _csrf(client)})
    assert again.status_code == 409

    await login_as(client, "oper")
    await engine.run_all()  # the manager of the request is told it came back
    bell = (await client.get("/api/v1/notifications")).json()["items"]
    assert any(n["event"] == "request.completed" and sent["number"] in n["subject"] for n in bell)
    card = (await client.get(f"/api/v1/requests/{request_id}")).json()
    assert card["model"] == "WAT28461OE" and card["name"] == "Мария Петрова"
    assert len(card["photos"]) == 1
    assert (await client.get(card["photos"][0]["url"])).content == png
    accepted = await client.post(f"/api/v1/requests/{request_id}/accept")
    assert accepted.json()["status"] == "accepted"
    converted = await client.post(f"/api/v1/requests/{request_id}/convert", json={})
    assert converted.status_code == 201, converted.text
    done = converted.json()
    assert done["client_created"] and done["device_created"]
    assert done["request"]["status"] == "converted"
    assert done["request"]["order_number"] == done["order_number"]
    order = await Order.select().where(Order.id == done["order_id"]).first()
    assert order is not None
    assert order["channel"] == "api" and order["manager"] == card["manager"]["id"]
    assert sent["number"] in order["declared_fault"]
    kinds = [e["kind"] for e in done["request"]["timeline"]]
    assert kinds == ["created", "taken", "returned", "completed", "accepted", "converted"]
    returned_step = done["request"]["timeline"][2]
    assert returned_step["text"] == reason and returned_step["author"] == "Test oper"
    twice = await client.post(f"/api/v1/requests/{request_id}/convert", json={})
    assert twice.status_code == 409

    # what the requester sees of it: steps, no names of the staff
    client.cookies.clear()
    client.headers.pop("X-CSRFToken", None)
    follow = (await client.get(f"/r/{token}")).text
    assert 'data-status="converted"' in follow and "Test oper" not in follow


async def test_rejected_with_a_reason_the_requester_sees_it(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    sent = await send_request(client)
    request_id = await _request_id(sent["number"])
    rejected = await client.post(
        f"/api/v1/requests/{request_id}/reject", json={"reason": "Не ремонтируем эту технику"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert (await client.post(f"/api/v1/requests/{request_id}/accept")).status_code == 409
    page = await client.get(f"/r/{token_of(sent['link'])}")
    assert "Не ремонтируем эту технику" in page.text
    assert 'data-status="rejected"' in page.text


async def test_a_wrong_or_guessed_link_gets_the_same_neutral_page(
    client: httpx.AsyncClient,
) -> None:
    sent = await send_request(client)
    token = token_of(sent["link"])
    guessed = await client.get(f"/r/{token[:-2]}xy")
    unknown = await client.get("/r/" + "A" * 32)
    assert guessed.status_code == unknown.status_code == 404
    assert sent["number"] not in guessed.text
    assert (await client.post(f"/r/{'A' * 32}", data={"model": "x"})).status_code in (403, 404)


async def test_an_operator_files_a_phone_request_from_the_card_pages(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    page = await client.get("/requests/new")
    assert page.status_code == 200
    sent = await client.post(
        "/requests/new",
        data={
            "name": "Олег",
            "phone": "89161112233",
            "device": "Холодильник",
            "problem": "Не морозит",
            "_csrf_token": client.headers["X-CSRFToken"],
        },
    )
    assert sent.status_code in (302, 303), sent.text
    card = await client.get(sent.headers["location"])
    assert 'data-testid="req-take"' in card.text and "Холодильник" in card.text
    row = await ServiceRequest.select().first()
    assert row is not None and row["channel"] == "phone" and row["phone"] == "+79161112233"
    listed = await client.get("/requests")
    assert row["number"] in listed.text and 'data-testid="requests-new-count"' in listed.text
    take = await client.post(
        f"/requests/{row['id']}/take", data={"_csrf_token": client.headers["X-CSRFToken"]}
    )
    assert take.status_code in (302, 303)
    empty = await client.post(
        f"/requests/{row['id']}/return",
        data={"reason": "", "_csrf_token": client.headers["X-CSRFToken"]},
    )
    assert empty.status_code == 400 and 'data-testid="req-return-reason"' in empty.text


async def test_a_link_of_any_length_gets_the_neutral_page(client: httpx.AsyncClient) -> None:
    for token in ("x", "B" * 101, "C" * 1000):
        assert (await client.get(f"/r/{token}")).status_code == 404
        assert (await client.get(f"/r/{token}/photos/{'d' * 36}")).status_code == 404
