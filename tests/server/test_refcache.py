"""The reference cache: small tables read once per process and read again once they change,
whoever changed them (another server process, this request, a transaction)."""

from __future__ import annotations

import datetime as dt
import os

import asyncpg
import httpx
import pytest
from piccolo.querystring import QueryString

from server import clock, refcache
from server.orders import prices
from server.piccolo_conf import DB
from server.staff import api as staff
from server.staff.services import load_actor
from server.staff.tables import Employee
from tests.querycount import count_queries
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device, price_item


async def test_every_table_a_cached_reader_names_has_its_trigger(db: None) -> None:
    import server.app  # noqa: F401  # every domain's readers registered

    rows = await DB.run_querystring(
        QueryString(
            "SELECT tgrelid::regclass::text AS name FROM pg_trigger"
            " WHERE tgname = 'ref_generation_mark'"
        )
    )
    assert refcache.WATCHED
    assert not refcache.WATCHED - {r["name"] for r in rows}, "a watched table has no trigger"


async def test_a_change_made_elsewhere_is_seen_by_the_next_request(
    admin_client: httpx.AsyncClient,
) -> None:
    client_id = await make_client()
    order = await intake(admin_client, client_id, device_id=await make_device(client_id))
    item = await price_item("DIAG")
    await admin_client.get(f"/orders/{order['id']}")

    with count_queries() as counted:
        page = await admin_client.get(f"/orders/{order['id']}")
    assert item["name"] in page.text
    assert not [s for s in counted.statements if 'FROM "price_item"' in s], "read from memory"
    assert sum("ref_generation" in s for s in counted.statements) == 1, counted.report()

    await _elsewhere("UPDATE price_item SET name = 'Диагностика плюс' WHERE id = $1", item["id"])
    with count_queries() as counted:
        page = await admin_client.get(f"/orders/{order['id']}")
    assert "Диагностика плюс" in page.text
    assert [s for s in counted.statements if 'FROM "price_item"' in s], "read again"


async def test_a_request_reads_its_own_change_at_once(db: None) -> None:
    worker = await make_employee("worker", full_name="Иван Старый")
    marks = refcache.start_request()
    try:
        assert (await staff.names([worker.id]))[worker.id] == "Иван Старый"
        await Employee.update({Employee.full_name: "Иван Новый"}).where(Employee.id == worker.id)
        assert (await staff.names([worker.id]))[worker.id] == "Иван Новый"
    finally:
        refcache.end_request(marks)


async def test_one_query_of_marks_serves_every_cached_reader_of_a_request(db: None) -> None:
    await make_employee("worker")
    await staff.role_names()
    await staff.names()
    marks = refcache.start_request()
    try:
        with count_queries() as counted:
            await staff.role_names()
            await staff.names()
            await staff.active_employees()
        assert len(counted) == 1, counted.report()  # the marks: every answer from memory
    finally:
        refcache.end_request(marks)


class Rollback(Exception):
    pass


async def test_a_transaction_reads_past_the_cache_and_leaves_it_clean(db: None) -> None:
    item = await price_item("DIAG")
    await prices._active_items()
    with pytest.raises(Rollback):
        async with DB.transaction():
            await DB.run_querystring(
                QueryString("UPDATE price_item SET name = 'Черновик' WHERE id = {}", item["id"])
            )
            inside = {r["id"]: r["name"] for r in await prices._active_items()}
            assert inside[item["id"]] == "Черновик"  # its own change, not the cached one
            raise Rollback
    after = {r["id"]: r["name"] for r in await prices._active_items()}
    assert after[item["id"]] == item["name"]


async def test_answers_are_shared_copies_the_caller_may_change(db: None) -> None:
    worker = await make_employee("worker")
    every = await staff.names()
    every.clear()
    assert worker.id in await staff.names()
    roles = await staff.role_names()
    roles.clear()
    assert await staff.role_names()


async def _elsewhere(sql: str, *args: object) -> None:
    other = await asyncpg.connect(os.environ["DATABASE_URL"])  # as another server would
    try:
        await other.execute(sql, *args)
    finally:
        await other.close()


async def test_a_deactivated_employee_or_a_removed_role_counts_at_the_next_request(
    client: httpx.AsyncClient,
) -> None:
    receiver = await make_employee("receiver", roles=["receiver"])
    await login_as(client, "receiver")
    assert (await client.get("/api/v1/orders")).status_code == 200
    assert (await client.get("/api/v1/orders")).status_code == 200  # now from memory

    await _elsewhere("DELETE FROM employee_role WHERE employee = $1", receiver.id)
    assert (await client.get("/api/v1/orders")).status_code == 403

    await _elsewhere("UPDATE employee SET is_active = false WHERE id = $1", receiver.id)
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def test_a_masters_days_follow_an_exception_added_elsewhere(db: None) -> None:
    master = await make_employee("field9", roles=["field_technician"])
    actor = await load_actor(master.id)
    assert actor is not None
    day = clock.today() + dt.timedelta(days=3)
    before = await staff.own_days(actor, day, day)
    assert before[0].absence != "vacation"
    await _elsewhere(
        "INSERT INTO calendar_exception (employee, first_day, last_day, kind, comment, created_at)"
        " VALUES ($1, $2, $2, 'vacation', '', now())",
        master.id,
        day,
    )
    after = await staff.own_days(actor, day, day)
    assert (after[0].works, after[0].absence) == (False, "vacation")
