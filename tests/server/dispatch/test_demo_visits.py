"""The demo's field masters have a day of visits today and the next days, and some history."""

from __future__ import annotations

import datetime as dt

import httpx

from fixtures.demo import build_demo
from fixtures.planning import SOLVER_DAYS, solver_plans_today
from server.actor import Actor
from server.audit.tables import AuditEntry
from server.dispatch import board as boards
from server.dispatch.services import today
from server.dispatch.tables import DispatchPlan, Visit
from server.orders.tables import Order
from server.staff import api as staff
from server.staff.services import load_actor
from server.staff.tables import Employee


async def _planner() -> Actor:
    row = await Employee.select(Employee.id).where(Employee.login == "dispatcher").first()
    assert row is not None
    actor = await load_actor(row["id"])
    assert actor is not None
    return actor


async def test_the_scheduler_planned_today_and_tomorrow_without_warnings(
    client: httpx.AsyncClient,
) -> None:
    await build_demo()
    planner = await _planner()
    planned_days = 0
    for offset in range(SOLVER_DAYS):
        day = today() + dt.timedelta(days=offset)
        working = [m for m in await staff.master_days(planner, day, day) if m.works]
        plans = await DispatchPlan.select().where(DispatchPlan.day == day)
        if not working or (offset == 0 and not solver_plans_today(day)):  # written by hand
            assert not [p for p in plans if p["status"] == "accepted"]
            continue
        planned_days += 1
        assert [p["status"] for p in plans] == ["accepted"], (day, plans)
        board = await boards.board(planner, day)
        visits = [v.visit for lane in board.masters for v in lane.visits]
        assert len(visits) >= len(working), "every working master has work"
        assert not board.warnings, [w.text for w in board.warnings]
        for lane in board.masters:
            own = [v.visit for v in lane.visits]
            assert [v.sequence for v in own] == list(range(1, len(own) + 1))
            starts = [v.planned_start for v in own]
            assert starts == sorted(starts), "listed in time order"
            assert all(v.window_start and v.window_end for v in own)
            assert all(v.latitude is not None and v.address for v in own)
        orders = await Order.select(Order.id, Order.technician).where(
            Order.id.is_in([v.order_id for v in visits])
        )
        technicians = {o["id"]: o["technician"] for o in orders}
        assert all(technicians[v.order_id] == v.master_id for v in visits)
        brands = {
            o["id"]: o["device.brand"]
            for o in await Order.select(Order.id, Order.device._.brand).where(
                Order.id.is_in([v.order_id for v in visits])
            )
        }
        skilled = {m.employee_id: set(m.brand_ids) for m in working}
        for v in visits:  # each master gets only devices of the brands they service
            assert not skilled[v.master_id] or brands[v.order_id] in skilled[v.master_id], v
    weekday = today().weekday()
    assert planned_days >= (0 if weekday == 5 else 1)  # Saturday: a weekend may follow


async def test_field_masters_have_later_work_and_a_history(db: None) -> None:
    await build_demo()
    first = today()
    rows = await Visit.select(Visit.master._.login, Visit.day, Visit.status, Visit.status_at)
    later = first + dt.timedelta(days=SOLVER_DAYS)
    for login in ("field1", "field2"):
        mine = [r for r in rows if r["master.login"] == login]
        done = [r for r in mine if r["status"] == "done"]
        assert done and all(r["day"] < first for r in done)
        assert all(r["status_at"] <= dt.datetime.now(dt.UTC) for r in done)
    assert any(r["day"] == later for r in rows), "the day after tomorrow is planned by hand"
    planned = await AuditEntry.count().where(AuditEntry.action == "visit_create")
    assert planned == len(rows)
