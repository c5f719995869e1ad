"""The sweep's steady state: only orders whose history changed or whose next instant came are
read again; a changed policy reads everything; statements do not grow with the orders."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from server.notify.tables import NotifyEvent
from server.sla import sweep
from server.sla.tables import SlaMark, SlaOrderState
from tests.querycount import count_queries
from tests.server.sla.builders import repair_order, repair_policy, round_the_clock

MIN = dt.timedelta(minutes=1)


async def _status(client: httpx.AsyncClient, order_id: int, status: str) -> None:
    response = await client.post(f"/api/v1/orders/{order_id}/status", json={"status": status})
    assert response.status_code in (200, 204), response.text


async def _sweep_counted(now: dt.datetime) -> tuple[sweep.SweepReport, int]:
    with count_queries() as counted:
        report = await sweep.sweep(now=now)
    return report, len(counted)


async def test_a_quiet_minute_reads_no_order_and_the_next_instant_reads_it_again(
    admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await round_the_clock(admin_client)
    await repair_policy(admin_client, escalate_percent=150)
    orders = [await repair_order(admin_client, f"Клиент {i}") for i in range(3)]
    created = max(dt.datetime.fromisoformat(o["created_at"]) for o in orders)
    monkeypatch.setattr(sweep, "RECENT", dt.timedelta(0))  # the watermark alone
    first = await sweep.sweep(now=created + 10 * MIN)
    assert first.full and first.orders == 3 and first.with_clocks == 3
    state = await SlaOrderState.select().where(SlaOrderState.order == orders[0]["id"]).first()
    assert state is not None
    # The accept clock (an hour, round the clock) warns at 80 %: 48 minutes in.
    assert created - MIN < state["next_at"] - 48 * MIN <= created + MIN

    quiet, statements = await _sweep_counted(created + 11 * MIN)
    assert not quiet.full and quiet.orders == 0 and not quiet.recorded
    assert statements <= 12, statements

    # One order moves on: only it is read again.
    await _status(admin_client, orders[0]["id"], "diagnostics")
    moved = await sweep.sweep(now=created + 12 * MIN)
    assert moved.orders == 1 and not moved.full

    # The warning comes due for the two still new: they alone are read, and it is recorded.
    warned = await sweep.sweep(now=created + 49 * MIN)
    assert warned.orders == 2 and warned.recorded == {"warning": 2}
    again, _ = await _sweep_counted(created + 50 * MIN)
    assert again.orders == 0, "recorded orders are not read again before their next instant"
    breached = await sweep.sweep(now=created + 61 * MIN)
    assert breached.orders == 2 and breached.recorded == {"breach": 2}
    escalated = await sweep.sweep(now=created + 91 * MIN)
    assert escalated.recorded == {"escalation": 2}


async def test_a_changed_policy_reads_every_order_and_recomputes(
    admin_client: httpx.AsyncClient,
) -> None:
    await round_the_clock(admin_client)
    policy = await repair_policy(admin_client)
    order = await repair_order(admin_client)
    created = dt.datetime.fromisoformat(order["created_at"])
    assert (await sweep.sweep(now=created + 30 * MIN)).full
    assert not (await sweep.sweep(now=created + 31 * MIN)).full

    body = {k: v for k, v in policy.items() if k != "id"} | {"accept_minutes": 30}
    response = await admin_client.put(f"/api/v1/sla/policies/{policy['id']}", json=body)
    assert response.status_code == 200, response.text
    report = await sweep.sweep(now=created + 31 * MIN)
    assert report.full and report.orders == 1 and report.recorded == {"warning": 1, "breach": 1}
    state = await SlaOrderState.select().where(SlaOrderState.order == order["id"]).first()
    assert state is not None and state["state"] == "breached"


async def test_a_cancelled_order_loses_its_state_and_its_events_are_settled(
    admin_client: httpx.AsyncClient,
) -> None:
    await round_the_clock(admin_client)
    await repair_policy(admin_client)
    order = await repair_order(admin_client)
    created = dt.datetime.fromisoformat(order["created_at"])
    await sweep.sweep(now=created + 61 * MIN)
    assert await SlaMark.count().where(SlaMark.settled_at.is_null()) == 2
    await _status(admin_client, order["id"], "cancelled")
    report = await sweep.sweep(now=created + 62 * MIN)
    assert report.settled == 1 and not report.full
    assert await SlaOrderState.count() == 0
    assert await SlaMark.count().where(SlaMark.settled_at.is_null()) == 0
    events = await NotifyEvent.select(NotifyEvent.settled_at).where(
        NotifyEvent.key.like(f"sla:{order['id']}:%")
    )
    assert len(events) == 2 and all(e["settled_at"] is not None for e in events)


async def test_statements_of_a_sweep_do_not_grow_with_the_orders_or_their_transitions(
    admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweep, "RECENT", dt.timedelta(0))  # the orders cancelled stay dropped
    await round_the_clock(admin_client)
    await repair_policy(admin_client, escalate_percent=150)
    counts = []
    for many in (2, 12):
        orders = [await repair_order(admin_client, f"Клиент {i}") for i in range(many)]
        created = max(dt.datetime.fromisoformat(o["created_at"]) for o in orders)
        await sweep.sweep(now=created + MIN)  # read, nothing crossed yet
        late, statements = await _sweep_counted(created + 100 * MIN)
        assert late.recorded == {"warning": many, "breach": many, "escalation": many}, late
        counts.append(statements)
        for o in orders:
            await _status(admin_client, o["id"], "cancelled")
    assert counts[0] == counts[1] <= 20, counts
