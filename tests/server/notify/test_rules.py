"""Rules: what they fire on, whom they reach and how often. A dispatcher's new visit lands in
the master's bell; preferences and quiet hours; a repeat stops exactly when its event
settles (a controllable clock); a rule that can never fire is refused with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from server import clock
from server.notify import api as notify
from server.notify import engine, events
from server.notify.tables import Message
from server.notify.timing import in_quiet
from tests.mailbox import Mailbox
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.builders import field_order
from tests.server.orders.builders import intake, make_client

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
TOMORROW = clock.today() + dt.timedelta(days=1)


def _next(moment: dt.time) -> dt.datetime:
    """The first such moment after now (the engine only sends what is already due)."""
    now = clock.now()
    at = dt.datetime.combine(now.date(), moment)
    return at if at > now else at + dt.timedelta(days=1)


async def _bell(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.get("/api/v1/notifications")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_planned_visit_rings_the_masters_bell_and_reading_clears_it(
    admin_client: httpx.AsyncClient,
) -> None:
    master = await make_employee("field1", roles=["field_technician"], full_name="Орлов Олег")
    order = await field_order(admin_client)
    answer = await admin_client.post(
        "/api/v1/visits",
        json={"order_id": order["id"], "master_id": master.id, "day": TOMORROW.isoformat(),
              "window_start": "10:00", "window_end": "12:00"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    visit = answer.json()
    await engine.run_all()
    await login_as(admin_client, "field1")
    bell = await _bell(admin_client)
    assert bell["unread"] == 1
    (item,) = bell["items"]
    assert order["number"] in item["subject"] and "выезд" in item["subject"].lower()
    assert f"{TOMORROW:%d.%m.%Y}, 10:00–12:00" in item["body"] and "Орлов Олег" in item["body"]
    assert item["link"] == f"/field#/visit/{visit['id']}"
    page = await admin_client.get("/notifications")
    assert page.status_code == 200 and order["number"] in page.text
    opened = await admin_client.get(f"/notifications/{item['id']}/open", follow_redirects=False)
    assert opened.status_code in (302, 303) and opened.headers["location"] == item["link"]
    assert (await admin_client.get("/api/v1/notifications/unread")).json() == {"unread": 0}
    await login_as(admin_client, "boss")
    assert (await _bell(admin_client))["items"] == [], "the dispatcher's bell is the dispatcher's"


async def test_preferences_choose_the_channels_and_quiet_hours_hold_push_and_mail(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    tech = await make_employee("tech1", roles=["technician"], email="tech1@example.ru")
    await login_as(admin_client, "tech1")
    answer = await admin_client.put(
        "/api/v1/notifications/preferences",
        json={"events": [{"event": "sla.breach", "channels": ["email"]}],
              "quiet_start": "22:00", "quiet_end": "08:00"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    await login_as(admin_client, "boss")
    tech_id = tech.id
    order = await intake(admin_client, await make_client(), technician_id=tech_id)
    night = _next(dt.time(20, 30, tzinfo=dt.UTC))  # 23:30 in Moscow, still to come
    await notify.emit(events.SLA_BREACH, key="b1", order_id=order["id"])
    await engine.run_all(night)
    mine = await Message.select().where(Message.employee == tech_id).order_by(Message.id)
    assert [m["channel"] for m in mine] == ["email"], "only what the employee chose"
    morning = dt.datetime.combine(night.date() + dt.timedelta(days=1), dt.time(5, tzinfo=dt.UTC))
    assert mine[0]["next_attempt_at"] == morning
    assert mailbox.mails == [], "quiet until 08:00"
    await engine.run_all(morning + dt.timedelta(minutes=1))
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "tech1@example.ru"


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    night, morning = dt.time(22), dt.time(8)
    assert in_quiet(dt.datetime(2026, 12, 2, 18, 59, tzinfo=dt.UTC), night, morning) is None
    assert in_quiet(dt.datetime(2026, 12, 2, 19, 0, tzinfo=dt.UTC), night, morning) == dt.datetime(
        2026, 12, 3, 5, 0, tzinfo=dt.UTC
    )
    assert in_quiet(dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC), night, morning) == dt.datetime(
        2026, 12, 2, 5, 0, tzinfo=dt.UTC
    )
    assert in_quiet(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), dt.time(13), dt.time(14)) == (
        dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)
    )


async def test_a_reminder_repeats_until_its_event_settles(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    from server.clients.tables import ClientEmail

    client_id = await make_client("Анна Смирнова")
    await ClientEmail(client=client_id, email="anna@example.ru", is_primary=True).save()
    order = await intake(admin_client, client_id)
    await engine.run_all()
    mailbox.mails.clear()  # the «received» mail
    prefix = f"order:{order['id']}:status:"
    await notify.emit(events.ORDER_STATUS, key=f"{prefix}ready:5", order_id=order["id"],
                      context={"status": "ready"})  # fmt: skip
    from server.notify.tables import NotifyEvent

    await NotifyEvent.update({NotifyEvent.created_at: T0}).where(
        NotifyEvent.key == f"{prefix}ready:5"
    )
    await engine.run_all(T0)
    assert len(mailbox.wait_for(1)) == 1, "at once"
    await engine.run_all(T0 + dt.timedelta(days=2))
    assert len(mailbox.mails) == 1, "not before three days"
    await engine.run_all(T0 + dt.timedelta(days=3, minutes=1))
    assert len(mailbox.wait_for(2)) == 2, "three days later"
    assert await notify.settle(prefix) == 1  # the client took the device
    await engine.run_all(T0 + dt.timedelta(days=7))
    assert len(mailbox.mails) == 2, "nothing after the event settled"


async def test_rules_that_can_never_fire_are_refused_next_to_the_field(
    admin_client: httpx.AsyncClient,
) -> None:
    good = {"name": "Менеджеру: готово", "event": "order.status", "statuses": ["ready"],
            "recipients": ["manager"], "channels": ["inapp"]}  # fmt: skip
    made = await admin_client.post("/api/v1/notify/rules", json=good)
    assert made.status_code == 201, made.text
    cases = [
        ({"recipients": []}, "recipients"),
        ({"channels": []}, "channels"),
        ({"channels": ["fax"]}, "channels"),
        ({"recipients": ["client"], "channels": ["inapp", "push"]}, "channels"),
        ({"recipients": ["role:nobody"]}, "recipients"),
        ({"event": "order.received"}, "statuses"),
        ({"statuses": ["no_such"]}, "statuses"),
        ({"repeat_minutes": 60, "max_count": 1}, "max_count"),
        ({"max_count": 3}, "repeat_minutes"),
        ({"subject": "{{ order.secret }}"}, "subject"),
        ({"body": "{% for x in %}"}, "body"),
        ({"event": "no.such"}, "event"),
        ({"name": " "}, "name"),
    ]
    for change, field in cases:
        answer = await admin_client.post("/api/v1/notify/rules", json=good | change)
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["errors"][0]["field"] == field, (change, answer.json())
    shipped = next(r for r in (await admin_client.get("/api/v1/notify/rules")).json() if r["code"])
    refused = await admin_client.delete(f"/api/v1/notify/rules/{shipped['id']}")
    assert refused.status_code == 403
    assert (
        await admin_client.delete(f"/api/v1/notify/rules/{made.json()['id']}")
    ).status_code == 204
    await make_employee("tech1", roles=["technician"])
    await login_as(admin_client, "tech1")
    assert (await admin_client.get("/api/v1/notify/rules")).status_code == 403


async def test_the_shipped_wordings_are_valid_templates_in_both_languages() -> None:
    from server.i18n import gettext
    from server.notify import compose

    for subject, body in compose.DEFAULT_TEXTS.values():
        for language in ("ru", "en"):
            for source in (subject, body):
                text = gettext(source, language)
                assert compose.problems(text) == [], (language, text)
                assert language == "en" or text != source, f"no Russian for {source!r}"


async def test_a_notification_about_an_order_taken_away_is_no_longer_shown(
    admin_client: httpx.AsyncClient,
) -> None:
    first = await make_employee("field1", roles=["field_technician"])
    second = await make_employee("field2", roles=["field_technician"])
    order = await field_order(admin_client)
    made = await admin_client.post(
        "/api/v1/visits",
        json={"order_id": order["id"], "master_id": first.id, "day": TOMORROW.isoformat()},
    )
    assert made.status_code == 201, made.text
    await engine.run_all()
    await login_as(admin_client, "field1")
    assert (await _bell(admin_client))["unread"] == 1
    await login_as(admin_client, "boss")
    moved = await admin_client.patch(
        f"/api/v1/visits/{made.json()['id']}", json={"master_id": second.id}
    )
    assert moved.status_code == 200, moved.text
    await engine.run_all()
    await login_as(admin_client, "field1")
    bell = await _bell(admin_client)
    assert bell["items"] == [] and bell["unread"] == 0, "the order is field2's now"
    page = await admin_client.get("/notifications")
    assert order["number"] not in page.text
    await login_as(admin_client, "field2")
    assert [i["subject"] for i in (await _bell(admin_client))["items"]] != []


async def test_settle_ends_exactly_the_events_under_its_prefixes(db: None) -> None:
    for key in ("order:1:status:ready:2", "order:12:status:ready:3", "act:5_1:%:1", "act:511:x:1"):
        await notify.emit(events.ORDER_STATUS, key=key)
    assert await notify.settle("order:1:", "act:5_1:%:") == 2
    from server.notify.tables import NotifyEvent

    left = await NotifyEvent.select(NotifyEvent.key).where(NotifyEvent.settled_at.is_null())
    assert sorted(r["key"] for r in left) == ["act:511:x:1", "order:12:status:ready:3"]
    assert await notify.settle("order:1:") == 0, "settled once"
