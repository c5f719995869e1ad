"""The public status lookup: the same answer for "no such order" and "wrong code", throttled.

Numbers are sequential, so anyone can name every order: wrong codes must never lock a number
for everyone, or one guesser blocks every customer. Failures are counted per address (an IPv6
/64 counts as one address) and per address and number; a number many addresses guess at only
leaves each address fewer tries on it, and a right code from an address with tries left always
answers.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import logging

from piccolo.columns.combination import Combinable
from piccolo.query.functions.aggregate import Count, Min

from server.clients import api as clients
from server.errors import TooManyRequests
from server.i18n import N_, gettext
from server.orders.schemas import StatusLookupOut
from server.orders.tables import Order, StatusLookup

log = logging.getLogger("servio.portal")  # what the customers' portal asks of orders

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_IP = 20
MAX_FAILURES_PER_IP_AND_NUMBER = 5
# A number that got this many failures in the window from all addresses is under attack...
NUMBER_UNDER_ATTACK = 30
# ...and then each address has only this many failures on it.
MAX_FAILURES_PER_IP_ON_ATTACKED_NUMBER = 2
THROTTLED = N_("Too many attempts. Try again in {minutes} min")
NOT_FOUND = StatusLookupOut(found=False)


def address_key(ip: str) -> str:
    """Whom the failures are counted for: the IPv4 address, or the IPv6 /64 network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


async def _failures(*conditions: Combinable, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    row = await (
        StatusLookup.select(Count(), Min(StatusLookup.at))
        .where(*conditions, StatusLookup.success.eq(False), StatusLookup.at > now - WINDOW)
        .first()
    )
    assert row is not None
    return row["count"], row["min"]


def _refuse(first: dt.datetime | None, now: dt.datetime) -> TooManyRequests:
    wait = max(1, int(((first or now) + WINDOW - now).total_seconds()))
    return TooManyRequests(THROTTLED, retry_after=wait, minutes=-(-wait // 60))


async def _check_throttle(key: str, number: str, now: dt.datetime) -> None:
    count, first = await _failures(StatusLookup.ip == key, now=now)
    if count >= MAX_FAILURES_PER_IP:
        raise _refuse(first, now)
    count, first = await _failures(StatusLookup.ip == key, StatusLookup.number == number, now=now)
    limit = MAX_FAILURES_PER_IP_AND_NUMBER
    if count >= MAX_FAILURES_PER_IP_ON_ATTACKED_NUMBER:
        on_number, _ = await _failures(StatusLookup.number == number, now=now)
        if on_number >= NUMBER_UNDER_ATTACK:
            log.warning("status lookup: %s failures on number %s in 15 min", on_number, number)
            limit = MAX_FAILURES_PER_IP_ON_ATTACKED_NUMBER
    if count >= limit:
        raise _refuse(first, now)


def _printable(text: str) -> str:
    """Without spaces and characters nobody can type (control and format characters)."""
    return "".join(ch for ch in text if ch.isprintable() and not ch.isspace())


def normalize_number(number: str) -> str:
    """What people type into the order number: spaces and case do not matter."""
    return _printable(number).upper()


async def lookup(number: str, code: str, ip: str) -> StatusLookupOut:
    """Status, expected date and amount due of an order whose number and code both match."""
    return (await lookup_order(number, code, ip))[0]


async def lookup_order(number: str, code: str, ip: str) -> tuple[StatusLookupOut, int | None]:
    """The lookup and, when both matched, the order's id (for the portal to add the visit)."""
    now = dt.datetime.now(dt.UTC)
    key = address_key(ip)
    number = normalize_number(number)[:30]
    code = _printable(code).upper()[:20]
    await _check_throttle(key, number, now)
    row = await (
        Order.select(
            Order.id,
            Order.number,
            Order.public_code,
            Order.due_at,
            Order.amount_due,
            Order.status._.name.as_alias("status_name"),
            Order.status._.group.as_alias("status_group"),
            Order.device._.device_type._.name.as_alias("type_name"),
            Order.device._.brand._.name.as_alias("brand_name"),
            Order.device._.model._.name.as_alias("model_dir"),
            Order.device._.model_name.as_alias("model_name"),
        )
        .where(Order.number == number)
        .first()
    )
    # Compare in constant time (as bytes: any character may be typed), and against a dummy
    # when the number is unknown.
    expected = row["public_code"] if row else "-" * len(code or "x")
    matched = (
        row is not None and bool(code) and hmac.compare_digest(expected.encode(), code.encode())
    )
    await StatusLookup.insert(StatusLookup(at=now, ip=key, number=number, success=matched))
    if not matched or row is None:
        return NOT_FOUND, None
    device = clients.device_title(row)
    return StatusLookupOut(
        found=True,
        number=row["number"],
        device=None if device == "—" else device,
        status=gettext(row["status_name"]),
        status_group=row["status_group"],
        due_at=row["due_at"],
        amount_due=row["amount_due"],
    ), row["id"]
