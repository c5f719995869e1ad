"""Pull: the master's own schedule (`my_days`), whole with every pull, never another's."""

from __future__ import annotations

import datetime as dt

import httpx

from server.dispatch.services import today
from server.staff.tables import CalendarException
from tests.server.builders import login_as, make_employee


async def test_the_pull_carries_the_masters_own_fortnight(client: httpx.AsyncClient) -> None:
    master = await make_employee("field1", roles=["field_technician"])
    other = await make_employee("field2", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    start = today()
    tomorrow = start + dt.timedelta(days=1)
    await CalendarException(
        employee=master.id, kind="vacation", first_day=tomorrow, last_day=tomorrow
    ).save()
    await CalendarException(
        employee=master.id,
        kind="changed_hours",
        first_day=start + dt.timedelta(days=2),
        last_day=start + dt.timedelta(days=2),
        shift_start=dt.time(10),
        shift_end=dt.time(15),
    ).save()
    await CalendarException(employee=other.id, kind="sick", first_day=start, last_day=start).save()
    await login_as(client, "field1")
    first = (await client.get("/api/v1/sync/pull")).json()
    days = first["my_days"]
    assert [d["day"] for d in days] == [
        (start + dt.timedelta(days=n)).isoformat() for n in range(14)
    ]
    assert days[1]["works"] is False and days[1]["absence"] == "vacation"
    assert days[1]["absence_name"] == "Отпуск" and days[1]["shift_start"] is None
    assert (days[2]["shift_start"], days[2]["shift_end"]) == ("10:00", "15:00")
    assert days[2]["lunch_start"] == "13:00" and days[2]["lunch_minutes"] == 30
    assert days[0]["absence"] != "sick"  # field2's sick day is not field1's
    again = (await client.get("/api/v1/sync/pull", params={"cursor": first["cursor"]})).json()
    assert again["reset"] is False and again["my_days"] == days
    await login_as(client, "disp")
    assert (await client.get("/api/v1/sync/pull")).json()["my_days"] == []
