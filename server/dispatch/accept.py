"""Accept a plan, whole or per master: the proposal's visits are written through the same
services as a dispatcher's own changes (audit, the order's technician and status), in one
transaction, and only if the day is still the one the plan was made from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.dispatch import announce, daywork, planning, services
from server.dispatch.schemas import PlanOut
from server.dispatch.tables import DispatchPlan, Visit
from server.errors import Conflict, InvalidInput
from server.i18n import N_
from server.orders import api as orders
from server.staff import api as staff
from server.staff.permissions import Action, Section

STALE = N_("The day changed since this plan was made (order {number}): plan it again")


async def accept_plan(
    actor: Actor, plan_id: int, master_ids: list[int] | None
) -> tuple[list[dict[str, Any]], PlanOut]:
    """Save the proposal of the chosen masters; returns the visits saved and the plan."""
    planning.require_planner(actor)
    actor.require(Section.DISPATCH, Action.CREATE)
    async with DispatchPlan._meta.db.transaction():
        row = await planning.plan_row(actor, plan_id, for_update=True)
        shown = planning.plan_out(row, "")
        if shown.status == planning.ACCEPTED:
            raise Conflict("This plan is already accepted")
        if shown.status != planning.READY:
            raise Conflict(
                "The plan cannot be accepted: {error}", error=shown.error or shown.status
            )
        found = row["proposal"]
        accepted = set(row["accepted_master_ids"] or [])
        chosen = _chosen(found, accepted, master_ids)
        moves = [a for a in found["assignments"] if a["master_id"] in chosen]
        dropped = [
            u for u in found["unassigned"] if u.get("visit_id") and u.get("master_id") in chosen
        ]
        current = await _check_unchanged(actor, row, chosen, moves, dropped)
        written = await _save(actor, row["day"], moves, dropped, current)
        rows = await (
            Visit.select()
            .where(Visit.id.is_in(written or [0]))
            .order_by(Visit.master)
            .order_by(Visit.sequence)
        )
        saved = [services.visit_out(r) for r in rows]
        everyone = {m["master_id"] for m in found["masters"]}
        now_accepted = sorted(accepted | chosen)
        await DispatchPlan.update(
            {
                DispatchPlan.accepted_master_ids: now_accepted,
                DispatchPlan.status: planning.ACCEPTED
                if everyone <= set(now_accepted)
                else planning.READY,
                DispatchPlan.accepted_by: actor.employee_id,
                DispatchPlan.accepted_at: dt.datetime.now(dt.UTC),
            }
        ).where(DispatchPlan.id == plan_id)
    names = await staff.names([row["created_by"]] if row["created_by"] else [])
    after = await planning.plan_row(actor, plan_id)
    return saved, planning.plan_out(after, names.get(row["created_by"], ""), actor)


def _chosen(found: dict[str, Any], accepted: set[int], master_ids: list[int] | None) -> set[int]:
    everyone = {m["master_id"] for m in found.get("masters", [])}
    if master_ids is None:
        return everyone - accepted
    chosen = set(master_ids)
    if chosen - everyone:
        raise InvalidInput(
            "These masters are not in the plan: {ids}",
            field="master_ids",
            ids=", ".join(str(i) for i in sorted(chosen - everyone)),
        )
    if chosen & accepted:
        raise InvalidInput(
            "The plan of these masters is already accepted: {ids}",
            field="master_ids",
            ids=", ".join(str(i) for i in sorted(chosen & accepted)),
        )
    return chosen


async def _check_unchanged(
    actor: Actor,
    row: dict[str, Any],
    chosen: set[int],
    moves: list[dict[str, Any]],
    dropped: list[dict[str, Any]],
) -> dict[int, dict[str, Any]]:
    """The visits the plan changes, locked; refused when one changed, or the masters' day
    gained a visit, or a queued order got a visit meanwhile."""
    basis = {int(k): v for k, v in (row["basis"] or {}).items()}
    touched = {m["visit_id"] for m in moves if m["visit_id"]} | {d["visit_id"] for d in dropped}
    current = await Visit.select().where(Visit.id.is_in(sorted(touched) or [0])).lock_rows("UPDATE")
    numbers = {m["order_id"]: m.get("order_number", "") for m in [*moves, *dropped]}
    for visit in current:
        if basis.get(visit["id"]) != visit["version"]:
            raise Conflict(STALE, number=numbers.get(visit["order"], ""))
    if len(current) != len(touched):
        raise Conflict(STALE, number="")
    for visit in await daywork.day_visits(row["day"], chosen):
        if visit["id"] not in basis:
            raise Conflict(STALE, number="")
    queued = {m["order_id"] for m in moves if not m["visit_id"]}
    if queued:
        busy = await Visit.select(Visit.order).where(
            Visit.order.is_in(sorted(queued)), Visit.status.is_in(list(daywork.ACTIVE))
        )
        if busy:
            raise Conflict(STALE, number=numbers.get(busy[0]["order"], ""))
        still = {o.id for o in await orders.open_field_orders(actor, queued)}
        if queued - still:
            gone = min(queued - still)
            raise Conflict(STALE, number=numbers.get(gone, ""))
    return {v["id"]: v for v in current}


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


Entry = tuple[str, int | str, str, Mapping[str, list[Any]], str]


def _placed(move: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The visit row's fields a move sets (for the audit's one-line summary too)."""
    return {
        "day": day,
        "window_start": _time(move["window_start"]),
        "window_end": _time(move["window_end"]),
        "address": move["address"],
    }


async def _create(actor: Actor, day: dt.date, creates: list[dict[str, Any]]) -> list[Entry]:
    """Insert the new visits in one statement; their audit entries."""
    if not creates:
        return []
    now = dt.datetime.now(dt.UTC)
    made = await Visit.insert(
        *(
            Visit(
                order=m["order_id"],
                master=m["master_id"],
                planned_start=dt.datetime.fromisoformat(m["planned_start"]),
                duration_min=m["duration_min"],
                sequence=m["sequence"],
                latitude=m.get("latitude"),
                longitude=m.get("longitude"),
                created_by=actor.employee_id or None,
                created_at=now,
                updated_at=now,
                **_placed(m, day),
            )
            for m in creates
        )
    ).returning(Visit.id)
    return [
        (
            "visit",
            new["id"],
            "visit_create",
            {"visit": [None, services.summary(_placed(m, day))]},
            f"order:{m['order_id']}",
        )
        for m, new in zip(creates, made, strict=True)
    ]


async def _move(
    move: dict[str, Any], before: dict[str, Any], names: dict[int, str]
) -> Entry | None:
    """Give an existing visit its place in the plan; its audit entry (None if only renumbered)."""
    values: dict[Any, Any] = {Visit.sequence: move["sequence"]}
    if move["change"] == "kept":
        await Visit.update(values).where(Visit.id == move["visit_id"])
        return None
    placed = {**before, **_placed(move, before["day"]), "address": before["address"]}
    values |= {
        Visit.master: move["master_id"],
        Visit.planned_start: dt.datetime.fromisoformat(move["planned_start"]),
        Visit.window_start: placed["window_start"],
        Visit.window_end: placed["window_end"],
        Visit.version: before["version"] + 1,
        Visit.updated_at: dt.datetime.now(dt.UTC),
    }
    await Visit.update(values).where(Visit.id == move["visit_id"])
    delta: dict[str, list[Any]] = {}
    if services.summary(before) != services.summary(placed):
        delta["visit"] = [services.summary(before), services.summary(placed)]
    if before["master"] != move["master_id"]:
        delta["master"] = [names.get(before["master"]), names.get(move["master_id"])]
    if not delta:
        return None
    return ("visit", move["visit_id"], "visit_update", delta, f"order:{before['order']}")


async def _unassign(before: dict[str, Any], names: dict[int, str]) -> Entry:
    """Take a visit the plan could not keep off its master's day (back to the queue)."""
    await Visit.update(
        {
            Visit.master: None,
            Visit.pinned_master: False,
            Visit.pinned_time: False,
            Visit.version: before["version"] + 1,
            Visit.updated_at: dt.datetime.now(dt.UTC),
        }
    ).where(Visit.id == before["id"])
    change = {"master": [names.get(before["master"]), None]}
    return ("visit", before["id"], "visit_update", change, f"order:{before['order']}")


async def _save(
    actor: Actor,
    day: dt.date,
    moves: list[dict[str, Any]],
    dropped: list[dict[str, Any]],
    current: dict[int, dict[str, Any]],
) -> list[int]:
    """Write the chosen masters' visits, their audit and their orders' technicians and status,
    in a number of statements that grows with the visits moved, not with the new ones."""
    creates = [m for m in moves if not m["visit_id"]]
    entries = await _create(actor, day, creates)
    people = {m["master_id"] for m in moves} | {v["master"] for v in current.values()}
    names = await staff.names(p for p in people if p)
    for move in moves:
        if move["visit_id"]:
            entry = await _move(move, current[move["visit_id"]], names)
            entries += [entry] if entry else []
    for left in dropped:
        entries.append(await _unassign(current[left["visit_id"]], names))
    await audit.record_many(actor, entries)
    placed = {m["order_id"]: m["master_id"] for m in moves if m["change"] != "kept"}
    if placed:
        await orders.assign_technicians(actor, placed)
        await orders.move_new_orders_to(actor, sorted(placed), services.SCHEDULED)
    written = await Visit.select().where(
        Visit.day == day, Visit.master.is_in(sorted({m["master_id"] for m in moves}) or [0])
    )
    await announce.visits_planned([r for r in written if r["id"] not in current])
    await announce.visits_changed([(current[r["id"]], r) for r in written if r["id"] in current])
    return [r["id"] for r in written] + [d["visit_id"] for d in dropped]
