"""Keeping robots out of the public request without outside services.

Every request sent without login counts against its address (an IPv6 /64 as one, as for the
status lookup) in PostgreSQL, so every server process agrees. The HTML form also carries a
field people never see (a robot fills it) and a signed timestamp: a form sent sooner than a
person could fill it, or with a forged or very old stamp, is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

from piccolo.query.functions.aggregate import Count, Min

from server.config import get_settings
from server.errors import InvalidInput, TooManyRequests
from server.i18n import N_
from server.orders.api import address_key
from server.requests.tables import RequestAttempt

WINDOW = dt.timedelta(hours=1)
MIN_FILL = dt.timedelta(seconds=3)
MAX_FORM_AGE = dt.timedelta(hours=12)
HONEYPOT = "website"  # the hidden field's name: a robot fills what looks like a URL field
THROTTLED = N_("Too many requests from your address. Try again in {minutes} min")


def per_address() -> int:
    """How many requests an address may send in an hour (SERVIO_REQUESTS_PER_HOUR)."""
    return int(os.environ.get("SERVIO_REQUESTS_PER_HOUR", "5"))


async def check_throttle(ip: str, now: dt.datetime | None = None) -> str:
    """Refuse an address that sent too many requests this hour; returns its key."""
    now = now or dt.datetime.now(dt.UTC)
    key = address_key(ip)
    row = await (
        RequestAttempt.select(Count(), Min(RequestAttempt.at))
        .where(RequestAttempt.ip == key, RequestAttempt.at > now - WINDOW)
        .first()
    )
    assert row is not None
    if row["count"] >= per_address():
        wait = max(1, int(((row["min"] or now) + WINDOW - now).total_seconds()))
        raise TooManyRequests(THROTTLED, retry_after=wait, minutes=-(-wait // 60))
    return key


async def record(key: str) -> None:
    """Count a request sent from the address (in the caller's transaction)."""
    await RequestAttempt.insert(RequestAttempt(at=dt.datetime.now(dt.UTC), ip=key))


def _sign(stamp: str) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"request-form:{stamp}".encode(), hashlib.sha256).hexdigest()[:32]


def form_stamp(now: dt.datetime | None = None) -> str:
    """The signed moment the form was shown: `<unix seconds>.<signature>`."""
    stamp = str(int((now or dt.datetime.now(dt.UTC)).timestamp()))
    return f"{stamp}.{_sign(stamp)}"


def check_form(stamp: str, honeypot: str, now: dt.datetime | None = None) -> None:
    """Refuse a form whose hidden field is filled, or that was sent too fast or with a bad or
    old stamp (the person is asked to send it again: the page gets a fresh stamp)."""
    now = now or dt.datetime.now(dt.UTC)
    if honeypot.strip():
        raise InvalidInput("The form could not be sent. Please try again", field="")
    seconds, _, signature = stamp.partition(".")
    if (
        not seconds.isdigit()
        or len(seconds) > 12
        or not hmac.compare_digest(signature.encode(), _sign(seconds).encode())
    ):
        raise InvalidInput("The form is out of date. Please send it again", field="")
    shown = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    if now - shown < MIN_FILL:
        raise InvalidInput("That was too fast. Please check the form and send it again", field="")
    if now - shown > MAX_FORM_AGE:
        raise InvalidInput("The form is out of date. Please send it again", field="")
