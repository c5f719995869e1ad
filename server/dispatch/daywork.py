"""What there is to plan on a day: the masters' days, the day's visits and the queue of field
orders waiting for a visit, read through the owning domains' APIs with the planner as actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from server import clock
from server.actor import Actor
from server.clients import api as clients
from server.clients import locations
from server.dispatch.choices import VisitStatus
from server.dispatch.problem import DEFAULT_VISIT_MINUTES, Day, Work, build_day, skills_of
from server.dispatch.tables import Visit
from server.orders import api as orders
from server.staff import api as staff

ACTIVE = (VisitStatus.PLANNED, VisitStatus.EN_ROUTE, VisitStatus.ON_SITE)
GONE = (VisitStatus.FAILED, VisitStatus.CANCELLED)


@dataclass
class DayWork:
    """The problem of the day, the masters who cannot work it, and the versions of the
    visits it was read from."""

    day: Day
    off: list[staff.MasterDay]
    masters: list[staff.MasterDay]  # every master of the day, working or not
    visits: list[dict[str, Any]]  # the day's live visit rows read
    basis: dict[int, int]
    queue: list[orders.FieldWork]
    numbers: dict[int, str]
    brands: dict[int, str]
    type_ids: set[int]
    skill_names: dict[str, str]


async def queue(actor: Actor) -> list[orders.FieldWork]:
    """Open field orders with no visit planned or under way, on any day."""
    open_orders = await orders.open_field_orders(actor)
    if not open_orders:
        return []
    busy = await (
        Visit.select(Visit.order)
        .where(Visit.order.is_in([o.id for o in open_orders]), Visit.status.is_in(list(ACTIVE)))
        .distinct()
    )
    taken = {r["order"] for r in busy}
    return [o for o in open_orders if o.id not in taken]


async def day_visits(day: dt.date, master_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The day's live visits of the given masters and those with no master yet."""
    masters = sorted(set(master_ids))
    rows = await (
        Visit.select()
        .where(Visit.day == day, Visit.status.not_in(list(GONE)))
        .order_by(Visit.master, Visit.sequence, Visit.id)
    )
    return [r for r in rows if r["master"] is None or r["master"] in masters]


def _has_start(master: staff.MasterDay) -> bool:
    return master.start_lat is not None and master.start_lon is not None


async def read_day(actor: Actor, day: dt.date, master_ids: Iterable[int] | None = None) -> DayWork:
    """Everything the solver needs for the day, in a fixed number of queries."""
    masters = await staff.master_days(actor, day, day, master_ids)
    working = [m for m in masters if m.works and _has_start(m)]
    off = [m for m in masters if not (m.works and _has_start(m))]
    visits = await day_visits(day, [m.employee_id for m in masters])
    waiting = await queue(actor)
    infos = {o.id: o for o in waiting}
    for info in await orders.open_field_orders(actor, {v["order"] for v in visits} - set(infos)):
        infos[info.id] = info
    refs = await orders.order_refs(actor, sorted({v["order"] for v in visits} - set(infos)))
    kinds = await clients.device_kinds(i.device_id for i in infos.values() if i.device_id)
    places = await locations.address_points(actor, sorted({o.client_id for o in waiting}))
    works = [_visit_work(v, infos.get(v["order"]), kinds) for v in visits]
    works += [_queued_work(o, kinds, places) for o in waiting]
    brands = {k.brand_id: k.brand_name for k in kinds.values() if k.brand_id is not None}
    types = {k.type_id: k.type_name for k in kinds.values() if k.type_id is not None}
    names = {f"brand:{i}": n for i, n in brands.items()} | {
        f"type:{i}": n for i, n in types.items()
    }
    numbers = {i: o.number for i, o in infos.items()} | {i: r.number for i, r in refs.items()}
    return DayWork(
        day=build_day(
            day, clock.day_start(day), working, works, brands, now=dt.datetime.now(dt.UTC)
        ),
        off=off,
        masters=masters,
        visits=visits,
        basis={v["id"]: v["version"] for v in visits},
        queue=waiting,
        numbers=numbers,
        brands=brands,
        type_ids=set(types),
        skill_names=names,
    )


def _skills(info: orders.FieldWork | None, kinds: dict[int, clients.DeviceKind]) -> frozenset[str]:
    kind = kinds.get(info.device_id) if info is not None and info.device_id else None
    return skills_of(kind.type_id, kind.brand_id) if kind else frozenset()


def _visit_work(
    row: dict[str, Any], info: orders.FieldWork | None, kinds: dict[int, clients.DeviceKind]
) -> Work:
    return Work(
        key=f"v{row['id']}",
        order_id=row["order"],
        visit_id=row["id"],
        address=row["address"],
        lat=row["latitude"],
        lon=row["longitude"],
        duration=row["duration_min"],
        window_start=row["window_start"],
        window_end=row["window_end"],
        skills=_skills(info, kinds),
        priority=info.priority if info else "normal",
        due_at=info.due_at if info else None,
        master_id=row["master"],
        pinned_master=row["pinned_master"],
        pinned_time=row["pinned_time"],
        planned_start=row["planned_start"],
        status=row["status"],
        sequence=row["sequence"],
        version=row["version"],
        status_at=row["status_at"],
    )


def _queued_work(
    order: orders.FieldWork,
    kinds: dict[int, clients.DeviceKind],
    places: dict[int, list[locations.AddressPoint]],
) -> Work:
    addresses = places.get(order.client_id, [])
    place = addresses[0] if addresses else None  # the primary one comes first
    return Work(
        key=f"o{order.id}",
        order_id=order.id,
        visit_id=None,
        address=place.text if place else "",
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        geo_status=place.geo_status if place else "",
        duration=DEFAULT_VISIT_MINUTES,
        window_start=order.visit_from,
        window_end=order.visit_to,
        skills=_skills(order, kinds),
        priority=order.priority,
        due_at=order.due_at,
        wish_day=order.visit_day,
    )
