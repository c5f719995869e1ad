"""The dispatcher's day page: plan by form, errors next to the field, replan, cancel."""

from __future__ import annotations

import httpx

from server.dispatch.services import today
from server.dispatch.tables import Visit
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.builders import field_order


async def _csrf(client: httpx.AsyncClient) -> dict[str, str]:
    return {"_csrf_token": client.cookies["csrftoken"]}


async def test_a_dispatcher_plans_replans_and_cancels_a_visit_by_form(
    client: httpx.AsyncClient,
) -> None:
    master = await make_employee("field1", roles=["field_technician"], full_name="Мастер Один")
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    day = today().isoformat()
    page = await client.get("/dispatch")
    assert page.status_code == 200 and "Мастер Один" in page.text

    wrong = await client.post(
        "/dispatch/visits",
        data={**await _csrf(client), "order_number": "00-999999", "master_id": str(master.id),
              "day": day, "comment": "Домофон 12"},
    )  # fmt: skip
    assert wrong.status_code == 400
    assert "Домофон 12" in wrong.text and 'id="e-order_number"' in wrong.text
    assert f'<option value="{master.id}" selected>' in wrong.text  # the choice is kept
    assert 'value="60"' in page.text and "Пусто — адрес клиента" in page.text

    planned = await client.post(
        "/dispatch/visits",
        data={**await _csrf(client), "order_number": order["number"], "master_id": str(master.id),
              "day": day, "window_start": "10:00", "window_end": "12:00", "duration_min": "60",
              "comment": "Домофон 12"},
    )  # fmt: skip
    assert planned.status_code in (302, 303), planned.text
    board = await client.get(f"/dispatch?day={day}")
    assert order["number"] in board.text and "10:00–12:00" in board.text
    visit = await Visit.select().first()
    assert visit is not None and visit["master"] == master.id

    card = await client.get(f"/orders/{order['id']}")
    assert 'data-testid="order-visits"' in card.text and "Мастер Один" in card.text

    stale = await client.post(
        f"/dispatch/visits/{visit['id']}",
        data={**await _csrf(client), "version": "99", "master_id": str(master.id), "day": day,
              "window_start": "14:00", "window_end": "16:00", "duration_min": "90",
              "address": visit["address"], "comment": "после обеда"},
    )  # fmt: skip
    assert stale.status_code == 400 and "после обеда" in stale.text
    assert f'<option value="{master.id}" selected>' in stale.text
    edit = await client.get(f"/dispatch/visits/{visit['id']}")
    assert f'<option value="{master.id}" selected>' in edit.text
    moved = await client.post(
        f"/dispatch/visits/{visit['id']}",
        data={**await _csrf(client), "version": "1", "master_id": str(master.id), "day": day,
              "window_start": "14:00", "window_end": "16:00", "duration_min": "90",
              "address": visit["address"], "comment": "после обеда"},
    )  # fmt: skip
    assert moved.status_code in (302, 303), moved.text
    cancelled = await client.post(
        f"/dispatch/visits/{visit['id']}/cancel", data=await _csrf(client)
    )
    assert cancelled.status_code in (302, 303)
    row = await Visit.select(Visit.status, Visit.window_start).first()
    assert row is not None and row["status"] == "cancelled"
    assert row["window_start"].strftime("%H:%M") == "14:00"


async def test_a_receiver_may_not_open_the_day_page(client: httpx.AsyncClient) -> None:
    await make_employee("rec", roles=["receiver"])
    await login_as(client, "rec")
    assert (await client.get("/dispatch")).status_code == 403
    assert 'href="/dispatch"' not in (await client.get("/")).text


async def test_the_day_page_colours_statuses_and_a_master_sees_only_own_visits(
    client: httpx.AsyncClient,
) -> None:
    first = await make_employee("field1", roles=["field_technician"], full_name="Мастер Один")
    second = await make_employee("field2", roles=["field_technician"], full_name="Мастер Два")
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    day = today().isoformat()
    mine = await field_order(client)
    theirs = await field_order(client, "Анна Иванова")
    for order, master in ((mine, first), (theirs, second)):
        body = {"order_id": order["id"], "master_id": master.id, "day": day}
        assert (await client.post("/api/v1/visits", json=body)).status_code == 201
    page = await client.get(f"/dispatch?day={day}")
    assert page.text.count('data-testid="visit-status"') == 2
    assert 'data-color="#00acc1"' in page.text
    assert 'href="/dispatch"' in (await client.get("/")).text  # the navigation entry
    visit = await Visit.select(Visit.id).where(Visit.master == first.id).first()
    assert visit is not None
    form = await client.get(f"/dispatch/visits/{visit['id']}")
    assert form.status_code == 200 and mine["number"] in form.text

    await login_as(client, "field1")
    own = await client.get(f"/dispatch?day={day}")
    assert own.status_code == 200
    assert mine["number"] in own.text and theirs["number"] not in own.text
    assert 'id="plan"' not in own.text
    read_only = await client.get(f"/dispatch/visits/{visit['id']}")
    assert (
        read_only.status_code == 200
        and '<form method="post" action="/dispatch' not in read_only.text
    )
    assert f"<p>{today():%d.%m.%Y} " in read_only.text  # the day as every page shows days
    other = await Visit.select(Visit.id).where(Visit.master == second.id).first()
    assert other is not None
    assert (await client.get(f"/dispatch/visits/{other['id']}")).status_code == 404
    refused = await client.post(f"/dispatch/visits/{other['id']}/cancel", data=await _csrf(client))
    assert refused.status_code == 404
