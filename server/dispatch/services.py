"""Visits: who goes where and when, and how the trip went.

A master sees and moves only their own visits; holders of the all-orders capability
(dispatchers, managers) see all of them, and dispatch:create/edit plan them. Every change is
written to the audit log under the order's scope, so it appears on the order's timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server import clock
from server.actor import Actor
from server.audit import services as audit
from server.clients import api as clients
from server.dispatch import announce
from server.dispatch.choices import FINAL, STATUS_LABELS, VisitStatus
from server.dispatch.schemas import VisitCreate, VisitPatch, VisitStatusChange
from server.dispatch.tables import Visit
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.orders import api as orders
from server.staff import api as staff
from server.staff.permissions import Action, Capability, Section

# The moves a master makes in the field; planners may also cancel and reopen.
MASTER_MOVES: dict[str, frozenset[str]] = {
    VisitStatus.PLANNED: frozenset({VisitStatus.EN_ROUTE, VisitStatus.ON_SITE, VisitStatus.FAILED}),
    VisitStatus.EN_ROUTE: frozenset({VisitStatus.ON_SITE, VisitStatus.FAILED, VisitStatus.PLANNED}),
    VisitStatus.ON_SITE: frozenset({VisitStatus.DONE, VisitStatus.FAILED}),
}

FUTURE_SLACK = dt.timedelta(minutes=5)
SCHEDULED = "scheduled"  # the order status a planned visit moves a new field order to


zone = clock.zone
today = clock.today


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def visit_out(row: dict[str, Any]) -> dict[str, Any]:
    """A visit as the API and the field app see it (server/sync/PROTOCOL.md)."""
    return {
        "id": row["id"],
        "order_id": row["order"],
        "master_id": row["master"],
        "day": row["day"].isoformat(),
        "window_start": _hhmm(row["window_start"]),
        "window_end": _hhmm(row["window_end"]),
        "planned_start": _iso(row["planned_start"]),
        "duration_min": row["duration_min"],
        "sequence": row["sequence"],
        "address": row["address"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "status": row["status"],
        "fail_reason": row["fail_reason"],
        "comment": row["comment"],
        "status_at": _iso(row["status_at"]),
        "version": row["version"],
        "pinned_master": row["pinned_master"],
        "pinned_time": row["pinned_time"],
    }


def sees_all(actor: Actor) -> bool:
    """True for those who see every master's visits."""
    return actor.has(Capability.ALL_ORDERS)


async def _row(actor: Actor, visit_id: int, *, for_update: bool = False) -> dict[str, Any]:
    actor.require(Section.DISPATCH, Action.VIEW)
    query = Visit.select().where(Visit.id == visit_id)
    if for_update:
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None or not await _may_see(actor, row):
        raise NotFound("No visit with id {id}", id=visit_id)
    return row


async def _may_see(actor: Actor, row: dict[str, Any]) -> bool:
    """Planners see every visit; a master sees own visits of orders still in their scope (a
    reassigned order takes its old visits out of the old master's reach)."""
    if sees_all(actor):
        return True
    return row["master"] == actor.employee_id and await orders.may_read(actor, row["order"])


async def visits_for_master(
    master_id: int, first_day: dt.date, last_day: dt.date
) -> list[dict[str, Any]]:
    """A master's visit rows from `first_day` to `last_day`, in the order of their days."""
    return await (
        Visit.select()
        .where(Visit.master == master_id, Visit.day >= first_day, Visit.day <= last_day)
        .order_by(Visit.day, Visit.sequence, Visit.planned_start, Visit.id)
    )


async def visits_of_orders(order_ids: list[int]) -> list[dict[str, Any]]:
    """Visit rows of the given orders with their masters' names, oldest first."""
    if not order_ids:
        return []
    return await (
        Visit.select(*Visit.all_columns(), Visit.master._.full_name.as_alias("master_name"))
        .where(Visit.order.is_in(order_ids))
        .order_by(Visit.day, Visit.sequence, Visit.id)
    )


async def get_visit(actor: Actor, visit_id: int) -> dict[str, Any]:
    """One visit the actor may see."""
    return visit_out(await _row(actor, visit_id))


async def list_visits(
    actor: Actor, day: dt.date, master_id: int | None = None
) -> list[dict[str, Any]]:
    """The visits of a day (one master's, or everyone's for those who see all)."""
    actor.require(Section.DISPATCH, Action.VIEW)
    if not sees_all(actor):
        master_id = actor.employee_id
    query = Visit.select().where(Visit.day == day)
    if master_id is not None:
        query = query.where(Visit.master == master_id)
    rows = await query.order_by(Visit.master, Visit.sequence, Visit.planned_start, Visit.id)
    if not sees_all(actor):
        readable = await orders.orders_in_scope(actor, {r["order"] for r in rows})
        rows = [r for r in rows if r["order"] in readable]
    return [visit_out(r) for r in rows]


def _planned_start(day: dt.date, window_start: dt.time | None) -> dt.datetime | None:
    if window_start is None:
        return None
    return dt.datetime.combine(day, window_start, tzinfo=zone()).astimezone(dt.UTC)


def time_of_day(value: str | dt.time | None) -> dt.time | None:
    """A time of day from "HH:MM" (already checked by the schema)."""
    if value is None or isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(value)


def _check_window(start: dt.time | None, end: dt.time | None) -> None:
    if start is not None and end is not None and end <= start:
        raise InvalidInput("The window must end after it starts", field="window_end")


async def _field_order(actor: Actor, order_id: int) -> orders.FieldOrderBrief:
    order = await orders.field_order_brief(actor, order_id)
    if not order.is_field:
        raise InvalidInput("Visits are planned only for field orders", field="order_id")
    return order


async def _assign_order(actor: Actor, order_id: int, master_id: int | None) -> None:
    """The visit's master becomes the order's technician, so the order is in their scope."""
    if master_id is not None:
        await orders.assign_technician(actor, order_id, master_id)


async def _schedule_order(actor: Actor, order_id: int) -> None:
    """A new order with a planned visit moves on to "scheduled" where its workflow allows."""
    await orders.move_new_order_to(actor, order_id, SCHEDULED)


async def _check_master(master_id: int | None) -> None:
    await orders.check_employee(master_id, "master_id")


async def _client_address(client_id: int) -> dict[str, Any] | None:
    addresses = (await clients.contacts_of([client_id]))[client_id]["addresses"]
    return addresses[0] if addresses else None


async def _next_sequence(master_id: int | None, day: dt.date) -> int:
    last = (
        await Visit.select(Visit.sequence)
        .where(Visit.master == master_id, Visit.day == day)
        .order_by(Visit.sequence, ascending=False)
        .first()
    )
    return (last["sequence"] + 1) if last else 1


def _check_planned_start(day: dt.date, planned_start: dt.datetime | None) -> None:
    if planned_start is None:
        return
    if planned_start.tzinfo is None:
        raise InvalidInput(
            "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field="planned_start"
        )
    if planned_start.astimezone(zone()).date() != day:
        raise InvalidInput("The planned start must be on the visit's day", field="planned_start")


async def resequence(master_id: int | None, day: dt.date) -> None:
    """Number a master's day in the order of planned starts (visits with none keep their
    place after them), so a visit planned for 10:00 is listed before one at 12:00."""
    rows = await (
        Visit.select(Visit.id, Visit.sequence, Visit.planned_start)
        .where(Visit.master == master_id, Visit.day == day)
        .order_by(Visit.sequence, Visit.id)
    )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    ordered = sorted(rows, key=lambda r: (r["planned_start"] or far, r["sequence"], r["id"]))
    for place, row in enumerate(ordered, start=1):
        if row["sequence"] != place:
            await Visit.update({Visit.sequence: place}).where(Visit.id == row["id"])


def summary(row: dict[str, Any]) -> str:
    """The visit in one line for the order's timeline: day, window, address."""
    window = ""
    if row["window_start"] is not None:
        window = f" {_hhmm(row['window_start'])}–{_hhmm(row['window_end']) or ''}"
    return f"{row['day'].strftime('%d.%m.%Y')}{window}, {row['address']}".strip(", ")


async def create_visit(actor: Actor, data: VisitCreate) -> dict[str, Any]:
    """Plan a visit for a field order."""
    actor.require(Section.DISPATCH, Action.CREATE)
    window_start, window_end = time_of_day(data.window_start), time_of_day(data.window_end)
    _check_window(window_start, window_end)
    await _check_master(data.master_id)
    async with Visit._meta.db.transaction():
        order = await _field_order(actor, data.order_id)
        address, latitude, longitude = data.address.strip(), data.latitude, data.longitude
        if not address:
            found = await _client_address(order.client_id)
            if found is None:
                raise InvalidInput("The client has no address: give one", field="address")
            address = found["address"]
            if latitude is None and longitude is None:
                latitude, longitude = found.get("lat"), found.get("lon")
        if (latitude is None) != (longitude is None):
            raise InvalidInput("Give both coordinates or none", field="latitude")
        sequence = data.sequence
        if sequence is None:
            sequence = await _next_sequence(data.master_id, data.day)
        planned_start = data.planned_start or _planned_start(data.day, window_start)
        _check_planned_start(data.day, planned_start)
        now = _now()
        visit = Visit(
            order=data.order_id,
            master=data.master_id,
            day=data.day,
            window_start=window_start,
            window_end=window_end,
            planned_start=planned_start,
            pinned_master=data.pinned_master,
            pinned_time=data.pinned_time,
            duration_min=data.duration_min,
            sequence=sequence,
            address=address,
            latitude=latitude,
            longitude=longitude,
            comment=data.comment.strip(),
            created_by=actor.employee_id or None,
            created_at=now,
            updated_at=now,
        )
        await visit.save()
        if data.sequence is None and planned_start is not None:
            await resequence(data.master_id, data.day)
        row = await _row(actor, visit.id)
        await _assign_order(actor, data.order_id, data.master_id)
        await _schedule_order(actor, data.order_id)
        await audit.record(
            actor,
            "visit",
            visit.id,
            "visit_create",
            {"visit": [None, summary(row)]},
            scope=f"order:{data.order_id}",
        )
        await announce.visits_planned([row])
    return visit_out(row)


async def update_visit(actor: Actor, visit_id: int, patch: VisitPatch) -> dict[str, Any]:
    """Replan a visit: master, day, window, place, note."""
    actor.require(Section.DISPATCH, Action.EDIT)
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    version = changes.pop("version", None)
    if "master_id" in changes:
        await _check_master(changes["master_id"])
        changes["master"] = changes.pop("master_id")
    for key in ("window_start", "window_end"):
        if key in changes:
            changes[key] = time_of_day(changes[key])
    if "address" in changes:
        changes["address"] = changes["address"].strip()
        if not changes["address"]:
            raise InvalidInput("This field is required", field="address")
    if "comment" in changes:
        changes["comment"] = changes["comment"].strip()
    async with Visit._meta.db.transaction():
        row = await _row(actor, visit_id, for_update=True)
        if version is not None and version != row["version"]:
            raise Conflict("The visit was changed by someone else. Reload it and try again")
        merged = {**row, **changes}
        _check_window(merged["window_start"], merged["window_end"])
        if (merged["latitude"] is None) != (merged["longitude"] is None):
            raise InvalidInput("Give both coordinates or none", field="latitude")
        if "planned_start" not in changes and {"day", "window_start"} & set(changes):
            changes["planned_start"] = _planned_start(merged["day"], merged["window_start"])
        if changes.get("planned_start") is not None:
            _check_planned_start(merged["day"], changes["planned_start"])
        values = {k: v for k, v in changes.items() if v != row[k]}
        if not values:
            return visit_out(row)
        values["version"] = row["version"] + 1
        values["updated_at"] = _now()
        await Visit.update(values).where(Visit.id == visit_id)  # type: ignore[arg-type]
        if "sequence" not in values and {"master", "day", "planned_start"} & set(values):
            await resequence(merged["master"], merged["day"])
        after = await _row(actor, visit_id)
        if "master" in values:
            await _assign_order(actor, row["order"], values["master"])
        before_text, after_text = summary(row), summary(after)
        delta: dict[str, list[Any]] = {}
        if before_text != after_text:
            delta["visit"] = [before_text, after_text]
        if "master" in values:
            delta["master"] = [await _name(row["master"]), await _name(values["master"])]
        if "comment" in values:
            delta["visit_comment"] = [row["comment"] or None, values["comment"] or None]
        await audit.record(
            actor, "visit", visit_id, "visit_update", delta, scope=f"order:{row['order']}"
        )
        if row["master"] is None and after["master"] is not None:
            await announce.visits_planned([after])
        else:
            await announce.visits_changed([(row, after)])
    return visit_out(after)


async def _name(employee_id: int | None) -> str | None:
    if employee_id is None:
        return None
    return (await staff.names([employee_id])).get(employee_id)


def _check_move(actor: Actor, row: dict[str, Any], status: str) -> None:
    current = row["status"]
    if status == current:
        raise InvalidInput("The visit is already in this status", field="status")
    planner = actor.can(Section.DISPATCH, Action.EDIT) and sees_all(actor)
    if planner and (status == VisitStatus.CANCELLED or current in FINAL):
        if current in FINAL and status != VisitStatus.PLANNED:
            raise InvalidInput("A finished visit can only be reopened as planned", field="status")
        return
    if status not in MASTER_MOVES.get(current, frozenset()):
        raise InvalidInput(
            "A visit cannot go from «{current}» to «{new}»",
            field="status",
            current=STATUS_LABELS[current],
            new=STATUS_LABELS[status],
        )


async def change_visit_status(
    actor: Actor,
    visit_id: int,
    status: str,
    *,
    at: dt.datetime,
    reason: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> dict[str, Any]:
    """Move a visit (en route, on site, done, failed...) as of `at`; returns the row after it."""
    if status not in STATUS_LABELS:
        raise InvalidInput("Unknown visit status «{status}»", field="status", status=status)
    if at.tzinfo is None:
        raise InvalidInput(
            "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field="at"
        )
    if at > _now() + FUTURE_SLACK:
        raise InvalidInput("The time is in the future", field="at")
    reason = reason.strip()
    if status == VisitStatus.FAILED and not reason:
        raise InvalidInput("Say why the visit failed", field="reason")
    if (latitude is None) != (longitude is None):
        raise InvalidInput("Give both coordinates or none", field="latitude")
    async with Visit._meta.db.transaction():
        row = await _row(actor, visit_id, for_update=True)
        if row["master"] != actor.employee_id and not actor.can(Section.DISPATCH, Action.EDIT):
            raise Forbidden("Only the visit's master may change its status")
        _check_move(actor, row, status)
        values: dict[Any, Any] = {
            Visit.status: status,
            Visit.status_at: at,
            Visit.fail_reason: reason if status == VisitStatus.FAILED else "",
            Visit.status_latitude: latitude,
            Visit.status_longitude: longitude,
            Visit.version: row["version"] + 1,
            Visit.updated_at: _now(),
        }
        await Visit.update(values).where(Visit.id == visit_id)
        delta: dict[str, list[Any]] = {
            "visit_status": [STATUS_LABELS[row["status"]], STATUS_LABELS[status]]
        }
        if status == VisitStatus.FAILED:
            delta["fail_reason"] = [None, reason]
        await audit.record(
            actor, "visit", visit_id, "visit_status", delta, scope=f"order:{row['order']}"
        )
        after = await Visit.select().where(Visit.id == visit_id).first()
        assert after is not None
        if status == VisitStatus.EN_ROUTE and row["status"] != status:
            await announce.master_on_the_way(after)
    return after


async def set_status(actor: Actor, visit_id: int, data: VisitStatusChange) -> dict[str, Any]:
    """The API form of change_visit_status."""
    row = await change_visit_status(
        actor,
        visit_id,
        data.status.value,
        at=data.at or _now(),
        reason=data.reason,
        latitude=data.latitude,
        longitude=data.longitude,
    )
    return visit_out(row)


async def field_masters() -> list[dict[str, Any]]:
    """Active employees holding the field technician role, by name."""
    return [msgspec.structs.asdict(m) for m in await staff.holders_of_role("field_technician")]


async def day_board(actor: Actor, day: dt.date) -> list[dict[str, Any]]:
    """The day per master: every field master (and anyone else with visits that day)."""
    visits = await list_visits(actor, day)
    briefs = await orders.order_refs(actor, sorted({v["order_id"] for v in visits}))
    masters = {m["id"]: {**m, "visits": []} for m in await field_masters()}
    unassigned: dict[str, Any] = {"id": None, "full_name": "", "visits": []}
    names = {m: await _name(m) for m in {v["master_id"] for v in visits} - set(masters) if m}
    for master_id, name in names.items():
        masters[master_id] = {"id": master_id, "full_name": name or "", "visits": []}
    for visit in visits:
        brief = briefs.get(visit["order_id"])
        visit["order"] = msgspec.structs.asdict(brief) if brief else {}
        column = masters.get(visit["master_id"]) if visit["master_id"] else None
        (column or unassigned)["visits"].append(visit)
    board = list(masters.values())
    if unassigned["visits"]:
        board.append(unassigned)
    return board


async def visits_of_order(actor: Actor, order_id: int) -> list[dict[str, Any]]:
    """The visits of one order, for its card (empty without dispatch:view)."""
    if not actor.can(Section.DISPATCH, Action.VIEW):
        return []
    if not await orders.may_read(actor, order_id):
        return []
    rows = await visits_of_orders([order_id])
    return [
        {**visit_out(r), "master_name": r["master_name"]}
        for r in rows
        if sees_all(actor) or r["master"] == actor.employee_id
    ]
