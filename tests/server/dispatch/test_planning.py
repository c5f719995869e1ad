"""Plan the day: the proposal, what it keeps, what it leaves out and why, and the accept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import msgspec
import pytest

from server.actor import Actor
from server.clients.tables import ClientAddress
from server.dispatch import accept, planning, services
from server.dispatch.schemas import PlanRequest, VisitCreate, VisitPatch
from server.dispatch.tables import DispatchPlan, Visit
from server.errors import Conflict, Forbidden, InvalidInput
from server.orders.tables import Order
from server.staff.tables import CalendarException, Employee
from tests.server.builders import login_as
from tests.server.dispatch.planbuilders import (
    actor_of,
    around,
    field_order_at,
    master,
    next_weekday,
)


@pytest.fixture(autouse=True)
def short_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second per solve: the tests check what is planned, not how well."""
    monkeypatch.setenv("SERVIO_PLAN_SECONDS", "1")


async def _plan(planner: Actor, day: dt.date, **request: Any) -> dict[str, Any]:
    plan_id = await planning.request_plan(planner, PlanRequest(day=day, **request))
    await planning.run_plan(plan_id)
    plan = await planning.get_plan(planner, plan_id)
    assert plan.status == "ready", plan.error
    return msgspec.to_builtins(plan)


async def _day(client: httpx.AsyncClient, orders: int = 4) -> tuple[Actor, Actor, Actor, list[int]]:
    planner = await actor_of("disp", ["dispatcher"], full_name="Диспетчер Дарья")
    first = await master("m1", *around(0), full_name="Алексей Первый")
    second = await master("m2", *around(14), full_name="Борис Второй")
    await login_as(client, "disp")
    ids = []
    for i in range(orders):
        order = await field_order_at(client, f"ул. Рождественская, {i + 1}", *around(i + 3))
        ids.append(order["id"])
    return planner, first, second, ids


async def test_plan_proposes_without_changing_anything_and_accept_saves_it(
    client: httpx.AsyncClient,
) -> None:
    planner, first, second, ids = await _day(client)
    day = next_weekday()
    plan = await _plan(planner, day)
    assert sorted(a["order_id"] for a in plan["assignments"]) == sorted(ids)
    assert {a["change"] for a in plan["assignments"]} == {"new"}
    assert {a["master_id"] for a in plan["assignments"]} <= {first.employee_id, second.employee_id}
    assert plan["unassigned"] == [] and plan["before"]["km"] == 0
    assert plan["after"]["visits"] == 4 and plan["after"]["km"] > 0 and plan["after"]["hours"] >= 4
    for item in plan["assignments"]:
        start = dt.datetime.fromisoformat(item["planned_start"]).astimezone(services.zone())
        assert start.date() == day and dt.time(9) <= start.time() <= dt.time(17)
        assert item["window_start"] <= start.strftime("%H:%M") <= item["window_end"]
    assert await Visit.count() == 0, "a proposal changes nothing"

    saved, after = await accept.accept_plan(planner, plan["id"], None)
    assert after.status == "accepted" and len(saved) == 4
    rows = await Visit.select().order_by(Visit.master, Visit.sequence)
    by_order = {r["order"]: r for r in rows}
    for item in plan["assignments"]:
        row = by_order[item["order_id"]]
        assert row["master"] == item["master_id"] and row["sequence"] == item["sequence"]
        assert row["planned_start"] == dt.datetime.fromisoformat(item["planned_start"])
    technicians = await Order.select(Order.id, Order.technician).where(Order.id.is_in(ids))
    assert {t["id"]: t["technician"] for t in technicians} == {
        i["order_id"]: i["master_id"] for i in plan["assignments"]
    }
    with pytest.raises(Conflict):
        await accept.accept_plan(planner, plan["id"], None)


async def test_pinned_and_started_visits_stay_where_they_are(client: httpx.AsyncClient) -> None:
    planner, _first, second, ids = await _day(client, orders=3)
    day = next_weekday()
    at = dt.datetime.combine(day, dt.time(16, 0), tzinfo=services.zone())
    pinned = await services.create_visit(
        planner,
        VisitCreate(
            order_id=ids[0],
            day=day,
            master_id=second.employee_id,
            planned_start=at,
            pinned_master=True,
            pinned_time=True,
        ),
    )
    plan = await _plan(planner, day)
    kept = next(a for a in plan["assignments"] if a["visit_id"] == pinned["id"])
    assert kept["master_id"] == second.employee_id
    assert dt.datetime.fromisoformat(kept["planned_start"]) == at
    assert kept["change"] == "same"


async def test_started_and_done_visits_are_kept(client: httpx.AsyncClient) -> None:
    planner, first, second, ids = await _day(client, orders=3)
    day = next_weekday()
    kept = {}
    for order_id, status, hour in ((ids[0], "en_route", 11), (ids[1], "done", 9)):
        visit = await services.create_visit(
            planner,
            VisitCreate(
                order_id=order_id,
                day=day,
                master_id=second.employee_id,
                planned_start=dt.datetime.combine(day, dt.time(hour), tzinfo=services.zone()),
            ),
        )
        moments = ["en_route"] if status == "en_route" else ["en_route", "on_site", "done"]
        for step, move in enumerate(moments):
            at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30 - 10 * step)
            await services.change_visit_status(second, visit["id"], move, at=at)
        kept[visit["id"]] = visit
    plan = await _plan(planner, day)
    placed = {a["visit_id"]: a for a in plan["assignments"] if a["visit_id"]}
    for visit_id, visit in kept.items():
        assert placed[visit_id]["change"] == "kept" and placed[visit_id]["master_id"] == (
            second.employee_id
        ), placed
        planned = dt.datetime.fromisoformat(placed[visit_id]["planned_start"])
        assert planned == dt.datetime.fromisoformat(visit["planned_start"])
    saved, _ = await accept.accept_plan(planner, plan["id"], None)
    rows = {r["id"]: r for r in await Visit.select().where(Visit.id.is_in(list(kept)))}
    assert {r["status"] for r in rows.values()} == {"en_route", "done"}
    assert all(r["master"] == second.employee_id for r in rows.values())
    assert first.employee_id and saved


async def test_move_limit_zero_keeps_every_planned_master(client: httpx.AsyncClient) -> None:
    planner, first, _second, ids = await _day(client, orders=4)
    day = next_weekday()
    for order_id in ids:  # all on the first master, though the second lives nearer some
        await services.create_visit(
            planner, VisitCreate(order_id=order_id, day=day, master_id=first.employee_id)
        )
    plan = await _plan(planner, day, max_moved=0)
    placed = {a["visit_id"]: a["master_id"] for a in plan["assignments"]}
    assert set(placed.values()) <= {first.employee_id}
    assert plan["moved"] == 0
    assert all(u["reason"] in {"move_limit", "no_room"} for u in plan["unassigned"])
    assert plan["before"]["visits"] == 4 and plan["before"]["km"] > 0


async def test_left_out_work_is_named_with_its_reason(client: httpx.AsyncClient) -> None:
    planner, first, second, ids = await _day(client, orders=1)
    lost = await field_order_at(client, "Без координат", None, None)
    unknown = await field_order_at(client, "Не нашёлся", None, None)
    await ClientAddress.update({ClientAddress.geo_status: "not_found"}).where(
        ClientAddress.client == unknown["client"]["id"]
    )
    miele = await field_order_at(client, "ул. Ильинская, 5", *around(7), brand="Miele")
    day = next_weekday()
    await CalendarException(
        employee=second.employee_id,
        first_day=day - dt.timedelta(days=1),
        last_day=day + dt.timedelta(days=3),
        kind="vacation",
        created_at=dt.datetime.now(dt.UTC),
    ).save()
    await Employee.update({Employee.manufacturers: ["Bosch"]}).where(
        Employee.id == first.employee_id
    )
    plan = await _plan(planner, day)
    reasons = {u["order_id"]: u["reason"] for u in plan["unassigned"]}
    assert reasons[lost["id"]] == "no_coordinates"
    assert reasons[unknown["id"]] == "address_not_found"
    assert reasons[miele["id"]] == "no_skill"
    assert [a["order_id"] for a in plan["assignments"]] == [ids[0]]
    assert [a["master_id"] for a in plan["assignments"]] == [first.employee_id]
    assert [(o["master_id"], o["reason"]) for o in plan["off"]] == [
        (second.employee_id, "vacation")
    ]
    texts = {u["reason"]: u["reason_text"] for u in plan["unassigned"]}
    assert texts["no_coordinates"] == "У адреса нет координат"


async def test_accept_refuses_a_day_that_changed_and_loses_nothing(
    client: httpx.AsyncClient,
) -> None:
    planner, first, _second, ids = await _day(client, orders=2)
    day = next_weekday()
    visit = await services.create_visit(
        planner, VisitCreate(order_id=ids[0], day=day, master_id=first.employee_id)
    )
    plan = await _plan(planner, day)
    await services.update_visit(planner, visit["id"], VisitPatch(comment="Позвонить заранее"))
    with pytest.raises(Conflict):
        await accept.accept_plan(planner, plan["id"], None)
    assert await Visit.count() == 1, "nothing of the plan was saved"
    row = await Visit.select().where(Visit.id == visit["id"]).first()
    assert row is not None and row["comment"] == "Позвонить заранее"


async def test_accept_per_master(client: httpx.AsyncClient) -> None:
    planner, _first, _second, _ids = await _day(client, orders=4)
    day = next_weekday()
    plan = await _plan(planner, day)
    busy = sorted({a["master_id"] for a in plan["assignments"]})
    chosen = busy[0]
    saved, after = await accept.accept_plan(planner, plan["id"], [chosen])
    assert {v["master_id"] for v in saved} == {chosen}
    assert after.accepted_master_ids == [chosen]
    rest = {m.master_id for m in after.masters} - {chosen}
    assert after.status == ("ready" if rest else "accepted")
    with pytest.raises(InvalidInput) as again:
        await accept.accept_plan(planner, plan["id"], [chosen])
    assert again.value.field == "master_ids"


async def test_a_second_dispatcher_is_told_who_plans_and_may_take_over(
    client: httpx.AsyncClient,
) -> None:
    planner, _first, _second, _ids = await _day(client, orders=1)
    other = await actor_of("disp2", ["dispatcher"], full_name="Диспетчер Вера")
    day = next_weekday()
    mine = await planning.request_plan(planner, PlanRequest(day=day))
    with pytest.raises(Conflict) as busy:
        await planning.request_plan(other, PlanRequest(day=day))
    assert "Диспетчер Дарья" in busy.value.text()
    theirs = await planning.request_plan(other, PlanRequest(day=day, take_over=True))
    await planning.run_plan(mine)  # the job of the replaced plan does nothing
    replaced = await DispatchPlan.select().where(DispatchPlan.id == mine).first()
    assert replaced is not None and replaced["status"] == "failed"
    assert "Диспетчер Вера" in replaced["error"]
    await planning.run_plan(theirs)
    assert (await planning.get_plan(other, theirs)).status == "ready"


async def test_bad_requests_are_named(client: httpx.AsyncClient) -> None:
    planner, first, _second, _ids = await _day(client, orders=1)
    with pytest.raises(InvalidInput) as past:
        await planning.request_plan(planner, PlanRequest(day=services.today() - dt.timedelta(1)))
    assert past.value.field == "day"
    with pytest.raises(InvalidInput) as unknown:
        await planning.request_plan(
            planner, PlanRequest(day=next_weekday(), master_ids=[planner.employee_id])
        )
    assert unknown.value.field == "master_ids"
    with pytest.raises(InvalidInput) as weekend:
        await planning.request_plan(planner, PlanRequest(day=next_weekday(6)))
    assert weekend.value.field == "day"
    with pytest.raises(Forbidden):
        await planning.request_plan(first, PlanRequest(day=next_weekday()))


async def test_pins_that_cannot_all_hold_are_each_named(client: httpx.AsyncClient) -> None:
    planner, first, _second, ids = await _day(client, orders=2)
    day = next_weekday()
    at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=services.zone())
    pinned = [
        await services.create_visit(
            planner,
            VisitCreate(
                order_id=order_id,
                day=day,
                master_id=first.employee_id,
                planned_start=at,
                pinned_master=True,
                pinned_time=True,
            ),
        )
        for order_id in ids
    ]
    plan = await _plan(planner, day)
    kept = [a for a in plan["assignments"] if a["visit_id"] in {p["id"] for p in pinned}]
    left = [u for u in plan["unassigned"] if u["visit_id"] in {p["id"] for p in pinned}]
    assert len(kept) == 1 and len(left) == 1, plan
    assert left[0]["reason"] == "fixed_time_unreachable"
    assert left[0]["reason_text"] == "Закреплённое время не выдержать"
    assert left[0]["order_number"]
