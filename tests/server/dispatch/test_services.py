"""The rules of visits, called as the sync and the pages call them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from server.actor import Actor
from server.dispatch import services
from server.dispatch.schemas import VisitCreate, VisitPatch
from server.errors import Forbidden, InvalidInput, NotFound
from server.staff.services import load_actor
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.builders import field_order


async def _actor(login: str, roles: list[str], **fields: Any) -> Actor:
    employee = await make_employee(login, roles=roles, **fields)
    actor = await load_actor(employee.id)
    assert actor is not None
    return actor


def _ago(minutes: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)


async def _setup(client: httpx.AsyncClient) -> tuple[Actor, Actor, int]:
    master = await _actor("field1", ["field_technician"])
    planner = await _actor("disp", ["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    visit = await services.create_visit(
        planner,
        VisitCreate(order_id=order["id"], master_id=master.employee_id, day=services.today()),
    )
    return master, planner, int(visit["id"])


async def test_the_master_walks_a_visit_through_the_day_and_may_turn_back(
    client: httpx.AsyncClient,
) -> None:
    master, _, visit = await _setup(client)
    left = _ago(30)
    moved = await services.change_visit_status(
        master, visit, "en_route", at=left, latitude=56.3, longitude=44.0
    )
    assert moved["status"] == "en_route" and moved["status_latitude"] == 56.3
    assert moved["status_at"] == left
    back = await services.change_visit_status(master, visit, "planned", at=_ago(25))
    assert back["status"] == "planned" and back["version"] == 3
    await services.change_visit_status(master, visit, "on_site", at=_ago(10))
    with pytest.raises(InvalidInput) as failed:
        await services.change_visit_status(master, visit, "failed", at=_ago(5), reason="  ")
    assert failed.value.field == "reason"
    done = await services.change_visit_status(master, visit, "done", at=_ago(1))
    assert done["status"] == "done" and done["fail_reason"] == ""
    for status in ("planned", "cancelled", "on_site"):
        with pytest.raises(InvalidInput):
            await services.change_visit_status(master, visit, status, at=_ago(0))


async def test_the_time_of_a_move_has_a_zone_and_is_not_ahead(client: httpx.AsyncClient) -> None:
    master, _, visit = await _setup(client)
    naive = dt.datetime.now()
    with pytest.raises(InvalidInput) as error:
        await services.change_visit_status(master, visit, "en_route", at=naive)
    assert error.value.field == "at"
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6)
    with pytest.raises(InvalidInput):
        await services.change_visit_status(master, visit, "en_route", at=ahead)
    slightly = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=4)
    moved = await services.change_visit_status(master, visit, "en_route", at=slightly)
    assert moved["status_at"] == slightly
    with pytest.raises(InvalidInput) as unknown:
        await services.change_visit_status(master, visit, "teleported", at=_ago(0))
    assert unknown.value.field == "status"
    with pytest.raises(InvalidInput) as half:
        await services.change_visit_status(master, visit, "on_site", at=_ago(0), latitude=56.0)
    assert half.value.field == "latitude"


async def test_a_planner_cancels_and_reopens_but_only_as_planned(client: httpx.AsyncClient) -> None:
    master, planner, visit = await _setup(client)
    with pytest.raises(InvalidInput):
        await services.change_visit_status(master, visit, "cancelled", at=_ago(0))
    cancelled = await services.change_visit_status(planner, visit, "cancelled", at=_ago(0))
    assert cancelled["status"] == "cancelled"
    with pytest.raises(InvalidInput):
        await services.change_visit_status(master, visit, "planned", at=_ago(0))
    with pytest.raises(InvalidInput):
        await services.change_visit_status(planner, visit, "en_route", at=_ago(0))
    reopened = await services.change_visit_status(planner, visit, "planned", at=_ago(0))
    assert reopened["status"] == "planned"


async def test_others_cannot_move_a_visit(client: httpx.AsyncClient) -> None:
    _, _, visit = await _setup(client)
    colleague = await _actor("field2", ["field_technician"])
    with pytest.raises(NotFound):
        await services.change_visit_status(colleague, visit, "en_route", at=_ago(0))
    with pytest.raises(NotFound):
        await services.get_visit(colleague, visit)
    assert await services.list_visits(colleague, services.today()) == []
    watcher = await _actor(
        "watch", ["dispatcher"], permission_overrides={"dispatch": {"edit": False}}
    )
    assert (await services.get_visit(watcher, visit))["id"] == visit
    with pytest.raises(Forbidden):
        await services.change_visit_status(watcher, visit, "en_route", at=_ago(0))
    with pytest.raises(Forbidden):
        await services.update_visit(watcher, visit, VisitPatch(comment="x"))
    receiver = await _actor("rec", ["receiver"])
    with pytest.raises(Forbidden):
        await services.get_visit(receiver, visit)


async def test_the_master_reads_a_range_of_days_and_the_history_of_orders(
    client: httpx.AsyncClient,
) -> None:
    master, planner, first = await _setup(client)
    order = (await services.get_visit(planner, first))["order_id"]
    day = services.today()
    later = await services.create_visit(
        planner,
        VisitCreate(
            order_id=order,
            master_id=master.employee_id,
            day=day + dt.timedelta(days=1),
            window_start="09:00",
            window_end="11:00",
        ),
    )
    earlier_today = await services.create_visit(
        planner, VisitCreate(order_id=order, master_id=master.employee_id, day=day, sequence=0)
    )
    rows = await services.visits_for_master(master.employee_id, day, day + dt.timedelta(days=1))
    assert [r["id"] for r in rows] == [earlier_today["id"], first, later["id"]]
    assert await services.visits_for_master(master.employee_id, day, day) == rows[:2]
    shaped = services.visit_out(rows[2])
    assert shaped["window_start"] == "09:00" and shaped["day"] == later["day"]
    assert shaped["planned_start"] is not None and shaped["planned_start"].endswith("+00:00")
    history = await services.visits_of_orders([order])
    assert {r["master_name"] for r in history} == {"Test field1"}
    assert await services.visits_of_orders([]) == []


async def test_an_unchanged_replan_keeps_the_version(client: httpx.AsyncClient) -> None:
    _, planner, visit = await _setup(client)
    before = await services.get_visit(planner, visit)
    same = await services.update_visit(planner, visit, VisitPatch(comment=before["comment"]))
    assert same["version"] == before["version"]
    moved = await services.update_visit(planner, visit, VisitPatch(window_start="10:00"))
    assert moved["version"] == before["version"] + 1 and moved["planned_start"] is not None
    with pytest.raises(InvalidInput) as empty:
        await services.update_visit(planner, visit, VisitPatch(address="   "))
    assert empty.value.field == "address"
