"""The audit log people read: records named and linked, fields labelled, values formatted,
filters by employee, record and period with errors by the field, no empty entries, and only
what the viewer may see of each record."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from server import clock
from server.audit.tables import AuditEntry
from server.staff.permissions import Action, Capability, Section
from server.staff.schemas import RoleCreate
from server.staff.services import StaffService, system_actor
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client
from tests.server.web.test_pages import csrf_of


def _text(html: str) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")


async def _changed_order(http: httpx.AsyncClient) -> dict[str, object]:
    master = await make_employee("master", roles=["technician"], full_name="Иван Орлов")
    order = await intake(http, await make_client(), estimated_cost="1200")
    changed = await http.patch(
        f"/api/v1/orders/{order['id']}", json={"technician_id": master.id, "estimated_cost": "1500"}
    )
    assert changed.status_code == 200, changed.text
    return order


async def test_entries_name_and_link_their_records_with_labels_and_formatted_values(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await _changed_order(admin_client)
    page = await admin_client.get("/audit")
    assert page.status_code == 200
    text = _text(page.text)
    assert f'href="/orders/{order["id"]}"' in page.text
    assert f"Заказ {order['number']}" in text
    assert "Мастер: Иван Орлов" in text
    assert "Ориентировочная стоимость: 1 200,00 ₽ → 1 500,00 ₽" in text.replace("\u00a0", " ")
    for raw in ("order #", "True", "[]", "technician", "estimated_cost"):
        assert raw not in text, raw
    employees = await admin_client.get("/api/v1/audit", params={"entity": "employee"})
    item = employees.json()["items"][0]
    assert item["entity_name"] == "Сотрудник" and item["url"].startswith("/staff/employees/")
    assert item["title"].startswith("Сотрудник «")


async def test_values_read_as_people_read_them() -> None:
    from server.audit.present import Names, value_text

    assert value_text("is_active", True) == "да" and value_text("required", False) == "нет"
    assert value_text("manufacturers", []) == "—"
    assert value_text("manufacturers", ["Bosch", "LG"]) == "Bosch, LG"
    assert value_text("price", "1200.5") == "1\u00a0200,50\u00a0₽"
    assert value_text("visit_day", "2026-12-02") == "02.12.2026"
    assert value_text("due_at", "2026-12-02T09:30:00+00:00") == "02.12.2026 12:30"
    assert value_text("paid", "4560.00 ₽ (cash)") == "4\u00a0560,00\u00a0₽ (наличные)"
    assert value_text("status", "New") == "Новый"
    names = Names(people={7: "Иван Орлов"}, roles={"receiver": "Receiver"})
    assert value_text("technician", 7, names) == "Иван Орлов"
    assert value_text("roles", ["receiver"], names) == "Приёмщик"
    assert value_text("language", "ru") == "Русский"


async def test_an_update_that_changed_nothing_is_not_written_and_old_ones_are_hidden(
    admin_client: httpx.AsyncClient,
) -> None:
    page = await admin_client.get("/settings/center")
    form = {"_csrf_token": csrf_of(page.text), "name": "Мастер Плюс", "phone": "+7 831 1"}
    assert (await admin_client.post("/settings/center", data=form)).status_code in (302, 303)
    assert (await admin_client.post("/settings/center", data=form)).status_code in (302, 303)
    rows = await AuditEntry.select(AuditEntry.changes).where(AuditEntry.entity == "center")
    assert len(rows) == 1 and rows[0]["changes"]
    await AuditEntry.insert(
        AuditEntry(at=dt.datetime.now(dt.UTC), entity="center", entity_id="1", action="update")
    )
    listed = (await admin_client.get("/api/v1/audit", params={"entity": "center"})).json()
    assert len(listed["items"]) == 1 and listed["items"][0]["changes"]
    assert listed["items"][0]["title"] == "Реквизиты сервисного центра «Мастер Плюс»"


async def test_filters_by_employee_record_and_period_with_errors_by_the_field(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await _changed_order(admin_client)
    boss = (await admin_client.get("/api/v1/auth/me")).json()
    mine = await admin_client.get("/audit", params={"employee": boss["id"], "entity": "order"})
    assert mine.status_code == 200
    assert _text(mine.text).count(f"Заказ {order['number']}") == 2  # created, then changed
    today = clock.today().isoformat()  # the center's day: the filter counts in its zone
    period = await admin_client.get("/audit", params={"since": today, "until": today})
    assert f"Заказ {order['number']}" in _text(period.text)
    past = await admin_client.get("/audit", params={"since": "2001-01-01", "until": "2001-01-02"})
    assert "По этим условиям ничего не нашлось" in past.text
    for params, field in (
        ({"since": "вчера"}, "since"),
        ({"since": "2026-12-05", "until": "2026-12-01"}, "until"),
        ({"entity": "spaceship"}, "entity"),
        ({"employee": "x1"}, "employee"),
    ):
        wrong = await admin_client.get("/audit", params=params)
        assert wrong.status_code == 400, params
        assert f'id="e-{field}"' in wrong.text and 'aria-invalid="true"' in wrong.text
        assert "{" not in _text(wrong.text)  # a page, never raw JSON
        api_params = {"actor_id" if k == "employee" else k: v for k, v in params.items()}
        api = await admin_client.get("/api/v1/audit", params=api_params)
        assert 400 <= api.status_code < 500, params


async def test_a_custom_auditor_sees_only_orders_in_scope_and_fields_it_may_read(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    order = await _changed_order(admin_client)
    other = await intake(admin_client, await make_client(phone="+79160000002"))
    await StaffService(system_actor()).create_role(
        RoleCreate(
            name="Аудитор",
            code="auditor",
            permissions={
                Section.ORDERS.value: [Action.VIEW.value],
                Section.AUDIT.value: [Action.VIEW.value],
                "special": [Capability.ALL_ORDERS.value],
            },
            field_permissions={"order.technician_id": "hidden", "order.estimated_cost": "hidden"},
        )
    )
    await make_employee("auditor", roles=["auditor"])
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver.local"
    ) as viewer:
        await login_as(viewer, "auditor")
        seen = (await viewer.get("/api/v1/audit", params={"entity": "order"})).json()["items"]
        fields = {key for item in seen for key in item["changes"]}
        assert {"technician", "estimated_cost"}.isdisjoint(fields), fields
        titles = {item["title"] for item in seen}
        assert {f"Заказ {order['number']}", f"Заказ {other['number']}"} <= titles
        # The update touched only hidden fields: nothing of it is left to show.
        assert [i["action"] for i in seen if i["entity_id"] == str(order["id"])] == ["create"]
        page = _text((await viewer.get("/audit")).text)
        assert "Мастер: Иван Орлов" not in page and "1 500" not in page


async def test_an_auditor_without_all_orders_sees_no_entries_of_others_orders(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    order = await _changed_order(admin_client)
    await StaffService(system_actor()).create_role(
        RoleCreate(
            name="Аудитор своих",
            code="own_auditor",
            permissions={
                Section.ORDERS.value: [Action.VIEW.value],
                Section.AUDIT.value: [Action.VIEW.value],
            },
        )
    )
    await make_employee("own_auditor", roles=["own_auditor"])
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver.local"
    ) as viewer:
        await login_as(viewer, "own_auditor")
        seen = (await viewer.get("/api/v1/audit")).json()["items"]
        assert seen and not [i for i in seen if i["entity"] in ("order", "order_line")]
        assert str(order["number"]) not in (await viewer.get("/audit")).text
