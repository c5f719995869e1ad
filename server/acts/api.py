"""What other domains call of acts: check the act a file is marked as, and close the requests
an attached act answers (in the caller's transaction, so reminders stop when it commits)."""

from __future__ import annotations

import datetime as dt

import msgspec

from server import clock
from server.acts import kinds
from server.acts.choices import LOCK_SPACE, ORDER_LOCKS, Closed, key_prefix
from server.acts.tables import ActRequest
from server.dispatch import api as dispatch
from server.errors import InvalidInput
from server.notify import api as notify


class ActChoice(msgspec.Struct, frozen=True):
    """A file's act: its kind (with the name), and the visit it is for (None: every visit)."""

    kind_id: int
    kind_name: str
    visit_id: int | None


async def check_act(order_id: int, kind_id: int, visit_id: int | None) -> ActChoice:
    """The act a file of the order is marked as, or InvalidInput next to the field. With no
    visit given: the visit of the order's oldest open request for the kind, else its latest
    visit until today, else none."""
    kind = await kinds.active_kind(kind_id)
    if kind is None:
        raise InvalidInput("Choose an act kind from the list", field="act_kind")
    visits = await dispatch.act_visits(order_ids=[order_id])
    if visit_id is not None:
        if visit_id not in {v.id for v in visits}:
            raise InvalidInput("Choose a visit of this order", field="act_visit")
        return ActChoice(kind_id, kind.name, visit_id)
    waiting = await (
        ActRequest.select(ActRequest.visit)
        .where(
            ActRequest.order == order_id,
            ActRequest.act_kind == kind_id,
            ActRequest.closed_at.is_null(),
        )
        .order_by(ActRequest.visit_day)
        .first()
    )
    if waiting is not None:
        return ActChoice(kind_id, kind.name, waiting["visit"])
    past = [v for v in visits if v.order_id == order_id and v.day <= clock.today()]
    return ActChoice(kind_id, kind.name, past[-1].id if past else None)


async def act_attached(order_id: int, kind_id: int, visit_id: int | None) -> int:
    """Close the open requests the act answers (the visit's, or every visit's of the order)
    and settle their reminders; returns how many closed. Takes the order's acts lock, so a
    sweep opening a request for the act meanwhile either sees the file or is seen here."""
    await ActRequest.raw(ORDER_LOCKS, LOCK_SPACE, [order_id])
    query = ActRequest.update(
        {
            ActRequest.closed_at: dt.datetime.now(dt.UTC),
            ActRequest.closed_reason: Closed.ATTACHED.value,
        }
    ).where(
        ActRequest.order == order_id,
        ActRequest.act_kind == kind_id,
        ActRequest.closed_at.is_null(),
    )
    if visit_id is not None:
        query = query.where(ActRequest.visit == visit_id)
    closed = await query.returning(ActRequest.visit)
    if closed:
        await notify.settle(*(key_prefix(r["visit"], kind_id) for r in closed))
    return len(closed)
