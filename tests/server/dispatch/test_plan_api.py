"""The scheduler's HTTP contract: plans through the job queue, the board, checks, suggestions."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest

from server.dispatch import services
from server.staff.tables import MasterProfile
from tests.server.dispatch.planbuilders import around, field_order_at, master, next_weekday
from tests.server.dispatch.test_planning import _day

pytestmark = pytest.mark.app_worker  # plans are solved by the app's worker


@pytest.fixture(autouse=True)
def short_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second per solve."""
    monkeypatch.setenv("SERVIO_PLAN_SECONDS", "1")


async def _ready(client: httpx.AsyncClient, plan_id: int) -> dict[str, Any]:
    """The plan once the app's worker has solved it (polled like the board does)."""
    for _ in range(200):
        plan: dict[str, Any] = (await client.get(f"/api/v1/dispatch/plans/{plan_id}")).json()
        if plan["status"] not in ("queued", "running"):
            return plan
        await asyncio.sleep(0.1)
    raise AssertionError(f"plan {plan_id} still {plan['status']}")


async def test_plan_through_the_queue_then_accept(client: httpx.AsyncClient) -> None:
    _planner, first, second, ids = await _day(client, orders=3)
    day = next_weekday()
    asked = await client.post("/api/v1/dispatch/plans", json={"day": day.isoformat()})
    assert asked.status_code == 202, asked.text
    plan_id = asked.json()["id"]
    queued = (await client.get(f"/api/v1/dispatch/plans/{plan_id}")).json()
    if queued["status"] in ("queued", "running"):  # a fast worker may be done already
        assert queued["assignments"] == []
    ready = await _ready(client, plan_id)
    assert ready["status"] == "ready", ready["error"]
    assert sorted(a["order_id"] for a in ready["assignments"]) == sorted(ids)
    for key in ("order_id", "visit_id", "master_id", "planned_start", "window_start", "window_end"):
        assert key in ready["assignments"][0]
    assert set(ready["before"]) >= {"km", "hours"} and set(ready["after"]) >= {"km", "hours"}
    assert ready["progress"] == 1.0 and ready["planner_name"] == "Диспетчер Дарья"

    accepted = await client.post(f"/api/v1/dispatch/plans/{plan_id}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["plan"]["status"] == "accepted" and len(body["visits"]) == 3
    listed = (await client.get("/api/v1/visits", params={"day": day.isoformat()})).json()["items"]
    assert {v["order_id"] for v in listed} == set(ids)
    masters = {first.employee_id, second.employee_id}
    assert {v["master_id"] for v in listed} <= masters
    for master_id in masters:
        own = sorted(
            (v for v in listed if v["master_id"] == master_id), key=lambda v: v["sequence"]
        )
        starts = [v["planned_start"] for v in own]
        assert starts == sorted(starts), "a master's day is listed in time order"


async def test_plan_requests_are_validated(client: httpx.AsyncClient) -> None:
    await _day(client, orders=1)
    for body, field in [
        ({"day": "2026-13-01"}, "day"),
        ({"day": next_weekday().isoformat(), "max_moved": -1}, "max_moved"),
        ({"day": next_weekday().isoformat(), "master_ids": ["x"]}, "master_ids"),
        ({"day": next_weekday().isoformat(), "extra": 1}, "extra"),
        ({"day": next_weekday(6).isoformat()}, "day"),
    ]:
        answer = await client.post("/api/v1/dispatch/plans", json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert field in answer.text, (body, answer.text)
    assert (await client.get("/api/v1/dispatch/plans/999999")).status_code == 404
    accept = await client.post("/api/v1/dispatch/plans/999999/accept", json={})
    assert accept.status_code == 404


async def _both_at_ten(
    client: httpx.AsyncClient, day: dt.date, master_id: int, order_ids: list[int]
) -> None:
    """A visit of each order with the master at 10:00 of the day: two at the same hour."""
    at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=services.zone())
    for order_id in order_ids:
        made = await client.post(
            "/api/v1/visits",
            json={
                "order_id": order_id,
                "day": day.isoformat(),
                "master_id": master_id,
                "planned_start": at.isoformat(),
            },
        )
        assert made.status_code == 201, made.text


async def test_board_shows_lanes_queue_and_warnings(client: httpx.AsyncClient) -> None:
    _planner, first, second, ids = await _day(client, orders=3)
    day = next_weekday()
    await _both_at_ten(client, day, first.employee_id, ids[:2])  # the board warns
    board = (await client.get("/api/v1/dispatch/board", params={"day": day.isoformat()})).json()
    lanes = {m["id"]: m for m in board["masters"]}
    assert set(lanes) == {first.employee_id, second.employee_id}
    assert lanes[first.employee_id]["shift_start"] == "09:00"
    assert lanes[first.employee_id]["lunch_start"] == "13:00"
    assert len(lanes[first.employee_id]["visits"]) == 2
    assert [q["order_id"] for q in board["queue"]] == [ids[2]]
    assert board["queue"][0]["lat"] is not None and board["queue"][0]["skills"]
    assert {w["kind"] for w in board["warnings"]} >= {"overlap"}

    check = await client.post(
        "/api/v1/dispatch/check",
        json={
            "order_id": ids[2],
            "master_id": first.employee_id,
            "planned_start": dt.datetime.combine(
                day, dt.time(7, 0), tzinfo=services.zone()
            ).isoformat(),
        },
    )
    assert check.status_code == 200, check.text
    assert {w["kind"] for w in check.json()["warnings"]} == {"shift"}
    fine = await client.post(
        "/api/v1/dispatch/check",
        json={
            "order_id": ids[2],
            "master_id": second.employee_id,
            "planned_start": dt.datetime.combine(
                day, dt.time(15, 0), tzinfo=services.zone()
            ).isoformat(),
        },
    )
    assert fine.json()["warnings"] == []

    week = (await client.get("/api/v1/dispatch/week", params={"start": day.isoformat()})).json()
    first_week = next(m for m in week["masters"] if m["id"] == first.employee_id)
    assert first_week["days"][0]["visits"] == 2 and len(first_week["days"]) == 7
    assert [d["works"] for d in first_week["days"]].count(False) == 2  # the weekend


async def test_a_tried_placement_is_warned_of_what_it_brings_before_or_after_a_visit(
    client: httpx.AsyncClient,
) -> None:
    _planner, first, _second, ids = await _day(client, orders=3)
    day = next_weekday()
    await _both_at_ten(client, day, first.employee_id, ids[:2])

    texts: dict[str, str] = {}

    async def kinds(start: dt.time, minutes: int) -> list[str]:
        planned = dt.datetime.combine(day, start, tzinfo=services.zone())
        answer = await client.post(
            "/api/v1/dispatch/check",
            json={
                "order_id": ids[2],
                "master_id": first.employee_id,
                "planned_start": planned.isoformat(),
                "duration_min": minutes,
            },
        )
        assert answer.status_code == 200, answer.text
        warnings = answer.json()["warnings"]
        assert {w["order_id"] for w in warnings} <= {ids[2]}, "only the tried order's"
        texts.update((w["kind"], w["text"]) for w in warnings)
        return sorted(w["kind"] for w in warnings)

    assert await kinds(dt.time(10, 0), 30) == ["overlap"], "the same start as a visit"
    assert await kinds(dt.time(9, 30), 45) == ["overlap"], "placed just before a visit it overlaps"
    assert await kinds(dt.time(9, 0), 60) == ["next_unreachable"], "no time to drive on"
    assert texts["next_unreachable"].startswith("После этого выезда не успеть к выезду по заказу")
    assert await kinds(dt.time(11, 30), 30) == []
    await MasterProfile.update({MasterProfile.max_visits: 2}).where(
        MasterProfile.employee == first.employee_id
    )
    assert await kinds(dt.time(11, 30), 30) == ["capacity"]
    assert await kinds(dt.time(9, 0), 30) == ["capacity"], "the third visit, though the first"


async def test_suggestions_rank_masters_and_one_tap_books(client: httpx.AsyncClient) -> None:
    _planner, first, second, ids = await _day(client, orders=1)
    near = await master("m3", *around(6), full_name="Виктор Ближний")
    day = next_weekday()
    order = await field_order_at(client, "ул. Большая Покровская, 9", *around(6))
    answer = await client.get(
        "/api/v1/dispatch/suggestions", params={"order_id": order["id"], "day": day.isoformat()}
    )
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert 1 <= len(items) <= 3
    assert items[0]["master_id"] == near.employee_id, "the master who lives there comes first"
    assert items[0]["extra_km"] <= items[-1]["extra_km"]
    best = items[0]
    booked = await client.post(
        "/api/v1/visits",
        json={
            "order_id": order["id"],
            "day": day.isoformat(),
            "master_id": best["master_id"],
            "planned_start": best["planned_start"],
            "window_start": best["window_start"],
            "window_end": best["window_end"],
        },
    )
    assert booked.status_code == 201, booked.text
    again = await client.get(
        "/api/v1/dispatch/suggestions", params={"order_id": order["id"], "day": day.isoformat()}
    )
    assert again.status_code == 422 and "order_id" in again.text
    assert first.employee_id != near.employee_id != second.employee_id and ids
