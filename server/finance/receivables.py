"""Receivables: orders handed over with money still due (where the workflow allowed it), by
how long ago, and what each client owes over them."""

from __future__ import annotations

from decimal import Decimal

from server import clock
from server.actor import Actor
from server.finance.schemas import AgeBucket, ClientBalance, Debt, Receivables
from server.i18n import N_, gettext
from server.money import ZERO
from server.orders import api as orders
from server.staff.permissions import Action, Section

# (up to this many days, the bucket's name); the last one takes everything older.
BUCKETS = (
    (30, N_("up to 30 days")),
    (60, N_("31–60 days")),
    (90, N_("61–90 days")),
    (None, N_("over 90 days")),
)


def bucket_of(days: int) -> int:
    """The index of the age bucket a debt of this many days falls in."""
    for index, (limit, _label) in enumerate(BUCKETS):
        if limit is None or days <= limit:
            return index
    return len(BUCKETS) - 1


async def receivables(actor: Actor) -> Receivables:
    """The debts the actor may see, oldest first, by age and by client."""
    actor.require(Section.FINANCE, Action.VIEW)
    today = clock.today()
    debts = []
    sums = [ZERO] * len(BUCKETS)
    counts = [0] * len(BUCKETS)
    clients: dict[int, tuple[str, Decimal, int]] = {}
    for order in await orders.unpaid_closed(actor):
        closed_on = order.closed_at.astimezone(clock.zone()).date()
        days = max((today - closed_on).days, 0)
        debts.append(
            Debt(order.id, order.number, order.client_id, order.client_name, order.closed_at,
                 days, order.amount_due)
        )  # fmt: skip
        index = bucket_of(days)
        sums[index] += order.amount_due
        counts[index] += 1
        name, owed, many = clients.get(order.client_id, (order.client_name, ZERO, 0))
        clients[order.client_id] = (name, owed + order.amount_due, many + 1)
    return Receivables(
        total=sum(sums, ZERO),
        buckets=[
            AgeBucket(gettext(label), sums[i], counts[i]) for i, (_, label) in enumerate(BUCKETS)
        ],
        debts=debts,
        clients=sorted(
            (ClientBalance(cid, name, owed, many) for cid, (name, owed, many) in clients.items()),
            key=lambda c: (-c.amount_due, c.client_name),
        ),
    )
