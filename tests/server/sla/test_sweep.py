"""The sweep on a controlled clock: each transition on the timeline once, emitted once."""

from __future__ import annotations

import datetime as dt

import httpx

from server.audit.tables import AuditEntry
from server.notify import events
from server.notify.tables import NotifyEvent
from server.sla import sweep
from server.sla.tables import SlaMark, SlaOrderState
from tests.server.sla.builders import repair_order, repair_policy, round_the_clock

MIN = dt.timedelta(minutes=1)


async def _sla_entries(order_id: int) -> list[str]:
    rows = (
        await AuditEntry.select(AuditEntry.action)
        .where(AuditEntry.scope == f"order:{order_id}", AuditEntry.action.like("sla_%"))
        .order_by(AuditEntry.id)
    )
    return [r["action"] for r in rows]


async def _emitted(order_id: int) -> list[tuple[str, str]]:
    rows = (
        await NotifyEvent.select(NotifyEvent.event, NotifyEvent.key)
        .where(NotifyEvent.order == order_id)
        .order_by(NotifyEvent.id)
    )
    return [(r["event"], r["key"]) for r in rows if r["key"].startswith("sla:")]


async def test_warning_then_breach_are_recorded_and_emitted_once(
    admin_client: httpx.AsyncClient,
) -> None:
    await round_the_clock(admin_client)
    await repair_policy(admin_client, escalate_percent=150)
    order = await repair_order(admin_client)
    created = dt.datetime.fromisoformat(order["created_at"])

    report = await sweep.sweep(now=created + 47 * MIN)
    assert report.with_clocks == 1 and not report.recorded
    state = await SlaOrderState.select().where(SlaOrderState.order == order["id"]).first()
    assert state is not None and state["state"] == "on_track"

    for _ in range(2):  # a second sweep (or a second worker) finds the warning already there
        await sweep.sweep(now=created + 49 * MIN)
    assert await _sla_entries(order["id"]) == ["sla_warning"]
    assert await _emitted(order["id"]) == [
        (events.SLA_WARNING, f"sla:{order['id']}:accept:warning:60")
    ]

    for _ in range(2):
        await sweep.sweep(now=created + 61 * MIN)
    assert await _sla_entries(order["id"]) == ["sla_warning", "sla_breach"]
    assert [e for e, _ in await _emitted(order["id"])] == [events.SLA_WARNING, events.SLA_BREACH]

    await sweep.sweep(now=created + 91 * MIN)  # 150 %: the manager is told
    assert await _sla_entries(order["id"]) == ["sla_warning", "sla_breach", "sla_escalation"]
    assert [e for e, _ in await _emitted(order["id"])] == [
        events.SLA_WARNING,
        events.SLA_BREACH,
        events.SLA_ESCALATION,
    ]
    timeline = (await admin_client.get(f"/api/v1/orders/{order['id']}/timeline")).json()
    kinds = [e["kind"] for e in timeline["items"]]
    assert kinds.count("sla_breach") == 1 and "sla_warning" in kinds

    # The order is accepted: the clock stops and its events are settled, nothing new fires.
    moved = await admin_client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "diagnostics"}
    )
    assert moved.status_code in (200, 204), moved.text
    await sweep.sweep(now=created + 95 * MIN)
    settled = await NotifyEvent.select(NotifyEvent.settled_at).where(
        NotifyEvent.order == order["id"], NotifyEvent.key.like("sla:%")
    )
    assert settled and all(r["settled_at"] is not None for r in settled)
    assert await SlaMark.count().where(SlaMark.settled_at.is_null()) == 0
    assert len(await _sla_entries(order["id"])) == 3


async def test_a_pause_status_stops_the_clock_and_a_changed_policy_recomputes(
    admin_client: httpx.AsyncClient,
) -> None:
    await round_the_clock(admin_client)
    policy = await repair_policy(admin_client)
    order = await repair_order(admin_client)
    created = dt.datetime.fromisoformat(order["created_at"])
    for status in ("diagnostics", "waiting_parts"):
        response = await admin_client.post(
            f"/api/v1/orders/{order['id']}/status", json={"status": status}
        )
        assert response.status_code in (200, 204), response.text

    await sweep.sweep(now=created + 20 * 60 * MIN)  # 20 hours later, all waiting for parts
    assert await _sla_entries(order["id"]) == []
    sla = (await admin_client.get(f"/api/v1/sla/orders/{order['id']}")).json()
    resolution = next(c for c in sla["clocks"] if c["clock"] == "resolution")
    assert resolution["state"] == "paused" and resolution["used_minutes"] <= 1
    assert next(c for c in sla["clocks"] if c["clock"] == "accept")["state"] == "met"

    # Without the pause the same history is long late: the reading follows the policy at once.
    body = {**policy, "pause_statuses": []}
    for key in ("id",):
        body.pop(key)
    response = await admin_client.put(f"/api/v1/sla/policies/{policy['id']}", json=body)
    assert response.status_code == 200, response.text
    sla = (await admin_client.get(f"/api/v1/sla/orders/{order['id']}")).json()
    resolution = next(c for c in sla["clocks"] if c["clock"] == "resolution")
    assert resolution["state"] == "at_risk" or resolution["used_minutes"] < 600
    report = await sweep.sweep(now=created + 20 * 60 * MIN)
    assert report.recorded == {"warning": 1, "breach": 1}
