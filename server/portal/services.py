"""The public status lookup: the same answer for "no such order" and "wrong code", throttled."""

from __future__ import annotations

import datetime as dt
import hmac

from piccolo.query.functions.aggregate import Count, Min

from server.errors import TooManyRequests
from server.i18n import N_, gettext
from server.orders.schemas import StatusLookupOut
from server.orders.tables import Order, StatusLookup

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_IP = 20
MAX_FAILURES_PER_NUMBER = 5
THROTTLED = N_("Too many attempts. Try again in {minutes} min")
NOT_FOUND = StatusLookupOut(found=False)


async def _check_throttle(ip: str, number: str, now: dt.datetime) -> None:
    for condition, limit in (
        (StatusLookup.ip == ip, MAX_FAILURES_PER_IP),
        (StatusLookup.number == number, MAX_FAILURES_PER_NUMBER),
    ):
        row = await (
            StatusLookup.select(Count(), Min(StatusLookup.at))
            .where(condition, StatusLookup.success.eq(False), StatusLookup.at > now - WINDOW)
            .first()
        )
        assert row is not None
        if row["count"] >= limit:
            wait = max(1, int((row["min"] + WINDOW - now).total_seconds()))
            raise TooManyRequests(THROTTLED, retry_after=wait, minutes=-(-wait // 60))


def normalize_number(number: str) -> str:
    """What people type into the order number: spaces and case do not matter."""
    return "".join(number.split()).upper()


async def lookup(number: str, code: str, ip: str) -> StatusLookupOut:
    """Status, expected date and amount due of an order whose number and code both match."""
    now = dt.datetime.now(dt.UTC)
    number = normalize_number(number)[:30]
    code = "".join(code.split()).upper()[:20]
    await _check_throttle(ip, number, now)
    row = await (
        Order.select(
            Order.number,
            Order.public_code,
            Order.due_at,
            Order.amount_due,
            Order.status._.name.as_alias("status_name"),
            Order.status._.group.as_alias("status_group"),
        )
        .where(Order.number == number)
        .first()
    )
    # Compare in constant time, and against a dummy when the number is unknown.
    expected = row["public_code"] if row else "-" * len(code or "x")
    matched = row is not None and bool(code) and hmac.compare_digest(expected, code)
    await StatusLookup.insert(StatusLookup(at=now, ip=ip[:64], number=number, success=matched))
    if not matched or row is None:
        return NOT_FOUND
    return StatusLookupOut(
        found=True,
        number=row["number"],
        status=gettext(row["status_name"]),
        status_group=row["status_group"],
        due_at=row["due_at"],
        amount_due=row["amount_due"],
    )
