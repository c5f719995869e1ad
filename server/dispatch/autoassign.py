"""A master proposed for a new field order on intake (for order types with auto-assign): the
cheapest place in the next working days by skill, manufacturer restriction and travel from
the master's route (the zone), then lighter days first (workload). A proposal, not a visit:
the dispatcher sees it on the board and books it with one tap."""

from __future__ import annotations

import datetime as dt

import msgspec

from server import clock
from server.dispatch import suggest
from server.dispatch.daywork import day_visits
from server.dispatch.tables import MasterProposal
from server.errors import InvalidInput
from server.staff import api as staff
from server.staff.services import system_actor

LOOKAHEAD_DAYS = 14  # a center books up to two weeks ahead
WORKLOAD_MINUTES = 15  # one more visit on a master's day weighs like this much extra driving


class Proposal(msgspec.Struct):
    """The proposed master and time (none, with the reason, when no one fits)."""

    order_id: int
    day: dt.date | None
    master_id: int | None
    full_name: str
    planned_start: dt.datetime | None
    window_start: str | None
    window_end: str | None
    extra_km: float
    reason: str = ""


async def propose(order_id: int) -> None:
    """Find and store the best master for a waiting order (the job's body)."""
    actor = system_actor()
    start = clock.today()
    reason = ""
    for offset in range(LOOKAHEAD_DAYS):
        day = start + dt.timedelta(days=offset)
        if not any(m.works for m in await staff.master_days(actor, day, day)):
            continue
        try:
            found = await suggest.suggestions(actor, order_id, day)
        except InvalidInput as refused:
            reason = refused.text()
            break
        if found.items:
            await _store(order_id, day, await _lightest(found.items, day))
            return
        reason = found.reason
    await _store(order_id, None, None, reason)


async def _lightest(items: list[suggest.Suggestion], day: dt.date) -> suggest.Suggestion:
    load: dict[int, int] = {}
    for row in await day_visits(day, [i.master_id for i in items]):
        if row["master"] is not None:
            load[row["master"]] = load.get(row["master"], 0) + 1
    return min(items, key=lambda i: i.extra_minutes + WORKLOAD_MINUTES * load.get(i.master_id, 0))


async def _store(
    order_id: int, day: dt.date | None, best: suggest.Suggestion | None, reason: str = ""
) -> None:
    row = MasterProposal(
        order=order_id,
        day=day,
        master=best.master_id if best else None,
        planned_start=best.planned_start if best else None,
        window_start=dt.time.fromisoformat(best.window_start) if best else None,
        window_end=dt.time.fromisoformat(best.window_end) if best else None,
        extra_km=best.extra_km if best else 0.0,
        reason=reason,
        created_at=dt.datetime.now(dt.UTC),
    )
    async with MasterProposal._meta.db.transaction():
        await MasterProposal.delete().where(MasterProposal.order == order_id)
        await MasterProposal.insert(row)


async def proposals(order_ids: list[int]) -> dict[int, Proposal]:
    """{order id: proposal} of the given orders."""
    if not order_ids:
        return {}
    rows = await MasterProposal.select(
        *MasterProposal.all_columns(), MasterProposal.master._.full_name.as_alias("full_name")
    ).where(MasterProposal.order.is_in(order_ids))
    return {
        r["order"]: Proposal(
            order_id=r["order"],
            day=r["day"],
            master_id=r["master"],
            full_name=r["full_name"] or "",
            planned_start=r["planned_start"],
            window_start=r["window_start"].strftime("%H:%M") if r["window_start"] else None,
            window_end=r["window_end"].strftime("%H:%M") if r["window_end"] else None,
            extra_km=r["extra_km"],
            reason=r["reason"],
        )
        for r in rows
    }
