"""A closed order of a client with an email, its rating link from the mail."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import httpx

from server.clients.tables import ClientEmail
from server.notify import engine
from server.notify.tables import NotifyEvent
from server.ratings import invite
from tests.mailbox import Mailbox, text_of
from tests.server.orders.builders import intake, make_client

LINK = re.compile(r"https://servis\.example\.ru(/rate/[A-Za-z0-9_\-]+)")


async def closed_order(
    staff: httpx.AsyncClient, email: str, technician_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """An order of a new client with the email, taken in and closed (through «cancelled»,
    which needs no lines and no payment: «issued» is of the closed group)."""
    client_id = await make_client(f"Клиент {email}")
    await ClientEmail(client=client_id, email=email, is_primary=True).save()
    order = await intake(staff, client_id, technician_id=technician_id, **fields)
    for status in ("cancelled", "issued"):
        answer = await staff.post(f"/api/v1/orders/{order['id']}/status", json={"status": status})
        assert answer.status_code == 200, answer.text
    return order


def rating_mails(mailbox: Mailbox) -> list[EmailMessage]:
    """The mails with a rating link (the client also gets «order received»)."""
    return [m for m in mailbox.mails if LINK.search(text_of(m))]


async def rating_link(mailbox: Mailbox, count: int) -> str:
    """The sweep and the notify worker run; the path of the link in the `count`-th rating
    mail (there are `count` of them)."""
    await invite.sweep()
    await engine.run_all()
    mailbox.wait_for(count)
    mails = rating_mails(mailbox)
    assert len(mails) == count, [m["Subject"] for m in mailbox.mails]
    found = LINK.search(text_of(mails[count - 1]))
    assert found
    return found.group(1)


async def rate(visitor: httpx.AsyncClient, order_id: int, score: int, comment: str = "") -> None:
    """Rate the order through its link (read from the invitation's event, no mail needed)."""
    await invite.sweep()
    row = await (
        NotifyEvent.select(NotifyEvent.context)
        .where(NotifyEvent.key == f"order:{order_id}:rating:request")
        .output(load_json=True)
        .first()
    )
    assert row is not None, "no invitation"
    path = "/rate/" + row["context"]["rating"]["url"].rsplit("/rate/", 1)[1]
    answer = await visitor.post(path, data={"score": str(score), "comment": comment})
    assert answer.status_code == 200, answer.text
