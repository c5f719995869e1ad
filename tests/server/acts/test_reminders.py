"""Act reminders on a controllable clock: asked after the visit's day, reminded at the notify
rule's cadence, stopped the moment the act is attached (and when the order is cancelled)."""

from __future__ import annotations

import datetime as dt

import httpx

from server import clock
from server.acts import sweep
from server.acts.tables import ActRequest
from server.notify import engine
from server.notify.tables import Message
from tests.server.acts.builders import kind_ids, visited_order
from tests.server.files.test_attachments import jpeg


async def _reminders(master_id: int) -> dict[str, int]:
    """{act name: in-app reminders the master got}."""
    rows = await Message.raw(
        "SELECT e.context->'act'->>'name' AS act, count(*) AS n FROM notify_message m"
        " JOIN notify_event e ON e.id = m.notify_event WHERE m.employee = {}"
        " AND m.channel = 'inapp' AND e.event = 'act.missing' GROUP BY 1",
        master_id,
    )
    return {r["act"]: r["n"] for r in rows}


async def test_reminders_repeat_until_each_act_is_attached(
    admin_client: httpx.AsyncClient,
) -> None:
    order, visit, master_id = await visited_order(admin_client)
    today = clock.today()
    assert (await sweep.sweep(today)).opened == 0, "not on the visit's day"
    report = await sweep.sweep(today + dt.timedelta(days=1))
    assert report.opened == 2
    assert (await sweep.sweep(today + dt.timedelta(days=1))).opened == 0, "once per act"
    t0 = dt.datetime.now(dt.UTC)
    await engine.run_all(t0)
    work, reclamation = "Акт выполненных работ", "Акт рекламации"
    assert await _reminders(master_id) == {work: 1, reclamation: 1}
    await engine.run_all(t0 + dt.timedelta(days=2, hours=23))
    assert await _reminders(master_id) == {work: 1, reclamation: 1}, "not before three days"
    await engine.run_all(t0 + dt.timedelta(days=3, minutes=1))
    assert await _reminders(master_id) == {work: 2, reclamation: 2}, "three days later"

    kinds = await kind_ids(admin_client)
    answer = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("акт.jpg", jpeg(), "image/jpeg")},
        data={"act_kind": str(kinds["work_completion"])},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["act_kind"] == kinds["work_completion"]
    assert answer.json()["act_visit"] == visit["id"], "the visit whose act was awaited"
    closed = await ActRequest.select().where(ActRequest.closed_at.is_not_null())
    assert [(r["act_kind"], r["closed_reason"]) for r in closed] == [
        (kinds["work_completion"], "attached")
    ], "closed in the attaching request, before any sweep"

    await engine.run_all(t0 + dt.timedelta(days=6, minutes=2))
    assert await _reminders(master_id) == {work: 2, reclamation: 3}, "the attached act is quiet"
    await engine.run_all(t0 + dt.timedelta(days=9, minutes=3))
    assert await _reminders(master_id) == {work: 2, reclamation: 4}
    report = await sweep.sweep(today + dt.timedelta(days=10))
    assert (report.opened, report.reopened, report.closed) == (0, 0, 0)


async def test_cancelling_the_order_stops_its_reminders(admin_client: httpx.AsyncClient) -> None:
    order, _visit, master_id = await visited_order(admin_client)
    today = clock.today()
    await sweep.sweep(today + dt.timedelta(days=1))
    t0 = dt.datetime.now(dt.UTC)
    await engine.run_all(t0)
    assert sum((await _reminders(master_id)).values()) == 2
    answer = await admin_client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "cancelled"}
    )
    assert answer.status_code in (200, 201), answer.text
    report = await sweep.sweep(today + dt.timedelta(days=1))
    assert report.closed == 2
    reasons = {r["closed_reason"] for r in await ActRequest.select(ActRequest.closed_reason)}
    assert reasons == {"cancelled"}
    await engine.run_all(t0 + dt.timedelta(days=4))
    assert sum((await _reminders(master_id)).values()) == 2, "nothing after the cancel"


async def test_an_act_unmarked_is_asked_for_again_and_a_failed_visit_is_not(
    admin_client: httpx.AsyncClient,
) -> None:
    order, visit, master_id = await visited_order(admin_client, "field1", None, "reclamation")
    kinds = await kind_ids(admin_client)
    tomorrow = clock.today() + dt.timedelta(days=1)
    stored = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("акт.jpg", jpeg(), "image/jpeg")},
        data={"act_kind": str(kinds["reclamation"])},
    )
    assert stored.json()["act_visit"] == visit["id"], "the visit of today"
    assert (await sweep.sweep(tomorrow)).opened == 0, "attached on the day: never asked"
    unmarked = await admin_client.patch(
        f"/api/v1/files/{stored.json()['id']}", json={"act_kind": None}
    )
    assert unmarked.status_code == 200 and unmarked.json()["act_kind"] is None
    assert (await sweep.sweep(tomorrow)).opened == 1
    await engine.run_all(dt.datetime.now(dt.UTC))
    assert await _reminders(master_id) == {"Акт рекламации": 1}
    marked = await admin_client.patch(
        f"/api/v1/files/{stored.json()['id']}", json={"act_kind": kinds["reclamation"]}
    )
    assert marked.status_code == 200
    unmarked = await admin_client.patch(
        f"/api/v1/files/{stored.json()['id']}", json={"act_kind": None}
    )
    report = await sweep.sweep(tomorrow)
    assert report.reopened == 1, "asked again, under a new key"
    await engine.run_all(dt.datetime.now(dt.UTC))
    assert await _reminders(master_id) == {"Акт рекламации": 2}

    failed = await admin_client.post(
        f"/api/v1/visits/{visit['id']}/status", json={"status": "failed", "reason": "Не открыли"}
    )
    assert failed.status_code == 200, failed.text
    report = await sweep.sweep(tomorrow)
    assert report.closed == 1
    (row,) = await ActRequest.select(ActRequest.closed_reason)
    assert row["closed_reason"] == "cancelled"
