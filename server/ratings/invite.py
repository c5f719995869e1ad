"""The invitation sweep: clients of orders that entered a trigger status are sent their link.

How it learns of them without orders knowing ratings (orders -> notify, and ratings ->
orders, so orders cannot call ratings): every minute it reads the orders whose history changed
since its watermark (the audit log, as the SLA sweep does, with the last minutes read again
for transactions that committed late), and asks `orders.api` which of those stand in a trigger
status now. An order is invited at most once, ever: the invitation is claimed by the order's
id (`rating_invite.order` is unique) with INSERT … ON CONFLICT in the same transaction as the
notify event that carries the link, so a retry, two workers, re-closing the order or a sweep
reading the same entries again sends nothing more. The first sweep of an install starts at
the log's end (the recent minutes only): orders closed before ratings existed are not asked.

The link's token (`secrets.token_urlsafe(32)`: 256 random bits) exists in the clear only in
the event's context and the message that notify sends; the invitation keeps its sha256.
"""

from __future__ import annotations

import datetime as dt

from server.audit import api as audit_log
from server.config import get_settings
from server.notify import api as notify
from server.notify import events
from server.notify.api import Event
from server.orders import api as orders
from server.ratings import settings
from server.ratings.tables import RatingInvite, RatingSweep
from server.tokens import new_token, token_hash

SCOPE = "order:"
RECENT = dt.timedelta(minutes=10)
SKIP = "sla_"  # the SLA sweep's own entries change no status
START = 2**31 - 1  # the first sweep reads only the recent minutes


def rate_url(token: str) -> str:
    return f"{get_settings().public_url}/rate/{token}"


async def _watermark() -> int:
    rows = await RatingSweep.select(RatingSweep.audit_id).where(RatingSweep.id == 1).first()
    return START if rows is None else int(rows["audit_id"])


async def sweep(now: dt.datetime | None = None) -> int:
    """Invite the clients of orders that entered a trigger status; returns how many."""
    now = now or dt.datetime.now(dt.UTC)
    scopes, high = await audit_log.scopes_changed(
        await _watermark(), SCOPE, skip_actions=SKIP, recent=RECENT
    )
    order_ids = sorted({int(s[len(SCOPE) :]) for s in scopes if s[len(SCOPE) :].isdigit()})
    invited = await invite(order_ids, now) if order_ids else 0
    await RatingSweep.raw(
        "INSERT INTO rating_sweep (id, audit_id) VALUES (1, {})"
        " ON CONFLICT (id) DO UPDATE SET audit_id = excluded.audit_id",
        high,
    )
    return invited


async def invite(order_ids: list[int], now: dt.datetime) -> int:
    """Of the orders, those standing in a trigger status and never invited get their link
    (three statements for any number of orders)."""
    current = await settings.current()
    triggers = set(current.trigger_statuses)
    found = await orders.rated_orders(order_ids)
    wanted = [o for o in found.values() if o.status_code in triggers]
    if not wanted:
        return 0
    tokens = {o.id: new_token() for o in wanted}
    expires = now + dt.timedelta(days=current.link_days)
    async with RatingInvite._meta.db.transaction():
        made = await RatingInvite.raw(
            'INSERT INTO rating_invite ("order", token_hash, status, created_at, expires_at)'
            " SELECT o, h, s, {}, {} FROM unnest({}::int[], {}::text[], {}::text[]) AS t(o, h, s)"
            ' ON CONFLICT ("order") DO NOTHING RETURNING "order"',
            now,
            expires,
            [o.id for o in wanted],
            [token_hash(tokens[o.id]) for o in wanted],
            [o.status_code for o in wanted],
        )
        new = sorted(r["order"] for r in made)
        await notify.emit_many(
            [
                Event(
                    events.RATING_REQUEST,
                    key=f"order:{order_id}:rating:request",
                    order_id=order_id,
                    context={"rating": {"url": rate_url(tokens[order_id])}},
                )
                for order_id in new
            ]
        )
    return len(new)
