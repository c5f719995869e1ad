"""The client's preferred time, a master proposed on intake, and the cost of an accept."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest

from server.dispatch import accept, board, planning, services
from server.dispatch.schemas import PlanRequest, VisitCreate
from server.dispatch.tables import MasterProposal
from server.orders.tables import OrderType
from tests.querycount import count_queries
from tests.server.dispatch.planbuilders import around, field_order_at, next_weekday
from tests.server.dispatch.test_planning import _day


@pytest.fixture(autouse=True)
def short_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second per solve."""
    monkeypatch.setenv("SERVIO_PLAN_SECONDS", "1")


async def test_the_plan_keeps_the_clients_preferred_time_and_day(
    client: httpx.AsyncClient,
) -> None:
    planner, _first, _second, _ids = await _day(client, orders=0)
    day = next_weekday()
    later = await field_order_at(
        client, "ул. Пискунова, 2", *around(3), visit_from="15:00", visit_to="17:00"
    )
    other = await field_order_at(
        client, "ул. Ульянова, 7", *around(4), visit_day=(day + dt.timedelta(days=1)).isoformat()
    )
    bad = await client.post(
        "/api/v1/orders",
        json={"client_id": later["client"]["id"], "visit_from": "17:00", "visit_to": "15:00"},
    )
    assert bad.status_code == 422 and "visit_to" in bad.text
    plan_id = await planning.request_plan(planner, PlanRequest(day=day))
    await planning.run_plan(plan_id)
    plan = await planning.get_plan(planner, plan_id)
    placed = {a.order_id: a for a in plan.assignments}
    start = placed[later["id"]].planned_start.astimezone(services.zone()).time()
    assert dt.time(15) <= start <= dt.time(17)
    assert (placed[later["id"]].window_start, placed[later["id"]].window_end) == ("15:00", "17:00")
    left = {u.order_id: u for u in plan.unassigned}
    assert left[other["id"]].reason == "other_day"
    assert (day + dt.timedelta(days=1)).strftime("%d.%m.%Y") in left[other["id"]].reason_text
    queue = (await board.board(planner, day)).queue
    wish = next(q for q in queue if q.order_id == later["id"])
    assert (wish.visit_from, wish.visit_to) == ("15:00", "17:00")


@pytest.mark.app_worker  # the proposal is the worker's job
async def test_a_master_is_proposed_on_intake_of_an_auto_assigned_type(
    client: httpx.AsyncClient,
) -> None:
    planner, first, second, _ids = await _day(client, orders=0)
    await OrderType.update({OrderType.auto_assign: True}).where(OrderType.code == "field")
    order = await field_order_at(client, "ул. Варварская, 11", *around(0))
    for _ in range(300):  # the app's worker runs the job
        if await MasterProposal.exists().where(MasterProposal.order == order["id"]):
            break
        await asyncio.sleep(0.1)
    found = await board.board(planner, next_weekday())
    item = next(q for q in found.queue if q.order_id == order["id"])
    assert item.proposal is not None and item.proposal.master_id == first.employee_id, item
    assert item.proposal.day is not None and item.proposal.window_start
    assert second.employee_id != first.employee_id
    await OrderType.update({OrderType.auto_assign: False}).where(OrderType.code == "field")
    plain = await field_order_at(client, "ул. Алексеевская, 4", *around(1))
    await asyncio.sleep(0.5)
    assert not await MasterProposal.exists().where(MasterProposal.order == plain["id"])


async def test_an_accept_writes_new_visits_in_a_fixed_number_of_statements(
    client: httpx.AsyncClient,
) -> None:
    counts = []
    for size in (2, 6):
        planner, _first, _second, _ids = await _day(client, orders=size)
        plan_id = await planning.request_plan(planner, PlanRequest(day=next_weekday()))
        await planning.run_plan(plan_id)
        with count_queries() as counted:
            saved, _ = await accept.accept_plan(planner, plan_id, None)
        assert len(saved) == size
        counts.append(len(counted))
        await _reset(client)
    assert counts[0] == counts[1], counts


async def _reset(client: httpx.AsyncClient) -> None:
    from tests.database import reset_database

    await reset_database()
    client.cookies.clear()


async def test_the_board_reads_a_day_in_a_fixed_number_of_statements(
    client: httpx.AsyncClient,
) -> None:
    counts = []
    for size in (1, 5):
        planner, first, _second, ids = await _day(client, orders=size + 1)
        day = next_weekday()
        for order_id in ids[:size]:
            await services.create_visit(
                planner, VisitCreate(order_id=order_id, day=day, master_id=first.employee_id)
            )
        with count_queries() as counted:
            shown = await board.board(planner, day)
        assert sum(len(m.visits) for m in shown.masters) == size and len(shown.queue) == 1
        counts.append(len(counted))
        await _reset(client)
    assert counts[0] == counts[1], counts
