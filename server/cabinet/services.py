"""The customer cabinet: a one-time link to a client's email or phone, a short session, and
the client's own requests and orders.

Asking for a link answers the same whether the contact belongs to a client or not, so the
form cannot tell who is a client; asks are throttled per address and per contact (matched or
not: the limits say nothing either). The link opens nothing by itself (a mail scanner that
follows it spends nothing): its page has one button that spends it and starts the session.
Tokens are `secrets.token_urlsafe(32)`; only their sha256 is stored.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from piccolo.query.functions.aggregate import Count, Min

from server.cabinet.tables import CabinetAsk, CabinetLink, CabinetSession
from server.clients import api as clients
from server.config import get_settings
from server.documents.data import status_url
from server.errors import TooManyRequests
from server.i18n import N_, gettext
from server.notify import api as notify
from server.notify import compose
from server.orders import api as orders
from server.orders.api import CustomerOrder
from server.requests import api as requests
from server.requests.schemas import ContactRequestOut
from server.tokens import new_token, token_hash

LINK_LIFETIME = dt.timedelta(minutes=30)
SESSION_LIFETIME = dt.timedelta(days=7)
WINDOW = dt.timedelta(minutes=15)
MAX_ASKS_PER_IP = 10
MAX_ASKS_PER_CONTACT = 3
TOKEN_LENGTH = 100
THROTTLED = N_("Too many attempts. Try again in {minutes} min")
COOKIE = "servio_customer"


def _usable(token: str) -> bool:
    return 0 < len(token) <= TOKEN_LENGTH


async def _asks(*conditions: object, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    row = await (
        CabinetAsk.select(Count(), Min(CabinetAsk.at))
        .where(*conditions, CabinetAsk.at > now - WINDOW)  # type: ignore[arg-type]
        .first()
    )
    assert row is not None
    return row["count"], row["min"]


def _refuse(first: dt.datetime | None, now: dt.datetime) -> TooManyRequests:
    wait = max(1, int(((first or now) + WINDOW - now).total_seconds()))
    return TooManyRequests(THROTTLED, retry_after=wait, minutes=-(-wait // 60))


async def ask_link(contact: str, ip: str, now: dt.datetime | None = None) -> None:
    """Send a sign-in link to the contact if it is a client's; the same outcome otherwise."""
    now = now or dt.datetime.now(dt.UTC)
    channel, address = clients.normal_contact(contact.strip())
    key = orders.address_key(ip)
    count, first = await _asks(CabinetAsk.ip == key, now=now)
    if count >= MAX_ASKS_PER_IP:
        raise _refuse(first, now)
    count, first = await _asks(CabinetAsk.contact == address, now=now)
    if count >= MAX_ASKS_PER_CONTACT:
        raise _refuse(first, now)
    async with CabinetAsk._meta.db.transaction():
        await CabinetAsk.insert(CabinetAsk(at=now, ip=key, contact=address))
        found = await clients.clients_with_contact(channel, address)
        if not found:
            return
        token = new_token()
        await CabinetLink.insert(
            CabinetLink(
                clients=found,
                token_hash=token_hash(token),
                contact=address,
                created_at=now,
                expires_at=now + LINK_LIFETIME,
            )
        )
        url = f"{get_settings().public_url}/my/link/{token}"
        subject = gettext("Your requests and orders")
        body = gettext(
            "Your link to your requests and orders (works once, for 30 minutes): {url}", url=url
        )
        await notify.send_direct(
            key=f"cabinet:{token_hash(token)}",
            channel=channel,
            address=address,
            subject=subject,
            body=body if channel == "email" else compose.shorten(body, compose.SMS_LENGTH),
            html=compose.as_html(subject, body, "") if channel == "email" else "",
        )


async def link_works(token: str) -> bool:
    """Whether the link is unused and not expired (its page offers the button then)."""
    if not _usable(token):
        return False
    return bool(
        await CabinetLink.exists().where(
            CabinetLink.token_hash == token_hash(token),
            CabinetLink.used_at.is_null(),
            CabinetLink.expires_at > dt.datetime.now(dt.UTC),
        )
    )


async def open_session(token: str) -> str | None:
    """Spend the link and start a session: its cookie token, or None for a dead link."""
    if not _usable(token):
        return None
    now = dt.datetime.now(dt.UTC)
    async with CabinetLink._meta.db.transaction():
        spent = await CabinetLink.raw(
            "UPDATE cabinet_link SET used_at = {} WHERE token_hash = {} AND used_at IS NULL"
            " AND expires_at > {} RETURNING clients, contact",
            now,
            token_hash(token),
            now,
        )
        if not spent:
            return None
        session = new_token()
        await CabinetSession.insert(
            CabinetSession(
                clients=list(spent[0]["clients"]),
                token_hash=token_hash(session),
                contact=spent[0]["contact"],
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return session


class Session(msgspec.Struct, frozen=True):
    """A live customer session: the clients of the contact the link went to."""

    clients: list[int]
    contact: str


async def session_of(session: str) -> Session | None:
    """The live session of the cookie's token, or None."""
    if not _usable(session):
        return None
    row = await (
        CabinetSession.select(CabinetSession.clients, CabinetSession.contact)
        .where(
            CabinetSession.token_hash == token_hash(session),
            CabinetSession.expires_at > dt.datetime.now(dt.UTC),
        )
        .first()
    )
    return None if row is None else Session(list(row["clients"]), row["contact"])


async def close_session(session: str) -> None:
    """End the session (logout)."""
    if _usable(session):
        await CabinetSession.delete().where(CabinetSession.token_hash == token_hash(session))


class CabinetOrder(msgspec.Struct, frozen=True):
    """One of the customer's orders with its status page link."""

    order: CustomerOrder
    link: str
    is_open: bool


class Cabinet(msgspec.Struct, frozen=True):
    """What the customer sees: current and past orders, and requests."""

    current: list[CabinetOrder]
    past: list[CabinetOrder]
    requests: list[ContactRequestOut]


DONE = ("closed", "cancelled")


def _email_and_phone(contact: str) -> tuple[str, str]:
    return (contact, "") if "@" in contact else ("", contact)


async def contact_requests(contact: str) -> list[ContactRequestOut]:
    """The requests sent with the session's contact (an email or a phone)."""
    return await requests.for_contact(*_email_and_phone(contact))


async def request_link(session: Session, number: str) -> str | None:
    """The private link of one of the session's requests, made as the customer opens it."""
    return await requests.open_for_contact(number, *_email_and_phone(session.contact))


async def cabinet(session: Session) -> Cabinet:
    """The session's clients' orders, newest first, split into current and past, and the
    requests sent with its contact."""
    base = get_settings().public_url
    found = [
        CabinetOrder(order, status_url(base, order.number, order.public_code),
                     order.status_group not in DONE)
        for order in await orders.customer_orders(session.clients)
    ]  # fmt: skip
    return Cabinet(
        current=[o for o in found if o.is_open],
        past=[o for o in found if not o.is_open],
        requests=await contact_requests(session.contact),
    )


KEEP_ASKS = dt.timedelta(days=1)


async def purge(now: dt.datetime | None = None) -> None:
    """Remove expired links and sessions, and asks older than a day (three statements)."""
    now = now or dt.datetime.now(dt.UTC)
    await CabinetLink.delete().where(CabinetLink.expires_at < now - KEEP_ASKS)
    await CabinetSession.delete().where(CabinetSession.expires_at < now)
    await CabinetAsk.delete().where(CabinetAsk.at < now - KEEP_ASKS)
