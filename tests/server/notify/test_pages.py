"""The pages: the bell on every page, the list, one's preferences form, the rules editor with
errors next to the fields and what was typed kept, the outbox."""

from __future__ import annotations

import httpx

from server.notify.tables import NotifyRule, QuietHours


async def test_the_rule_editor_keeps_what_was_typed_and_says_what_is_wrong(
    admin_client: httpx.AsyncClient,
) -> None:
    assert 'data-testid="bell"' in (await admin_client.get("/")).text
    listed = await admin_client.get("/settings/notifications")
    assert listed.status_code == 200 and "Клиенту: заказ принят" in listed.text
    assert (await admin_client.get("/settings/notifications/new")).status_code == 200
    form = {
        "name": "Мастеру: срочный заказ",
        "event": "order.status",
        "statuses[]": "diagnostics",
        "recipients[]": "assignee",
        "repeat_minutes": "30",
        "max_count": "1",
        "subject": "Заказ {{ order.number }} ждёт",
        "enabled": "1",
    }
    refused = await admin_client.post("/settings/notifications/new", data=form)
    assert refused.status_code == 422
    assert "Выберите хотя бы один канал" in refused.text
    assert (
        "Мастеру: срочный заказ" in refused.text and "Заказ {{ order.number }} ждёт" in refused.text
    )
    form["channels[]"] = "inapp"
    refused = await admin_client.post("/settings/notifications/new", data=form)
    assert refused.status_code == 422 and "2 или больше" in refused.text
    form["max_count"] = "4"
    saved = await admin_client.post(
        "/settings/notifications/new", data=form, follow_redirects=False
    )
    assert saved.status_code in (302, 303), saved.text
    rule = await NotifyRule.select().where(NotifyRule.name == "Мастеру: срочный заказ").first()
    assert rule is not None and rule["statuses"] == ["diagnostics"] and rule["max_count"] == 4
    edit = await admin_client.get(f"/settings/notifications/{rule['id']}")
    assert edit.status_code == 200 and 'value="diagnostics" checked' in edit.text
    outbox = await admin_client.get("/settings/outbox", params={"status": "failed"})
    assert outbox.status_code == 200


async def test_preferences_form_saves_and_refuses_half_quiet_hours(
    admin_client: httpx.AsyncClient,
) -> None:
    page = await admin_client.get("/notifications/settings")
    assert page.status_code == 200 and "Тихие часы" in page.text
    half = await admin_client.post("/notifications/settings", data={"quiet_start": "22:00"})
    assert half.status_code == 422 and "и начало, и конец" in half.text
    assert 'value="22:00"' in half.text, "what was typed stays"
    done = await admin_client.post(
        "/notifications/settings",
        data={"quiet_start": "22:00", "quiet_end": "07:30", "custom_sla.breach": "1",
              "channels_sla.breach[]": ["inapp", "email"]},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code in (302, 303)
    assert await QuietHours.count() == 1
    shown = (await admin_client.get("/api/v1/notifications/preferences")).json()
    assert shown["events"] == [{"event": "sla.breach", "channels": ["email", "inapp"]}]
    assert shown["quiet_start"] == "22:00" and shown["quiet_end"] == "07:30"
