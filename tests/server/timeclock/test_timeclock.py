"""The time clock: checking in and out at the desk (in after out, out after in), a field master's
check from the phone taken offline and synced later without a duplicate, with its position;
lateness against the working calendar; a manager's corrections with the reason on the audit
log (nobody else may); and payroll paying per shift by the days the clock saw."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from server import clock
from server.audit.tables import AuditEntry
from server.timeclock.tables import TimeEntry
from tests.server.builders import login_as, make_employee
from tests.server.sync.builders import mutation, push

WEDNESDAY = dt.date(2026, 11, 18)  # a working day of the shipped calendar: 09:00–18:00


def _at(day: dt.date, hour: int, minute: int = 0) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute), clock.zone()).isoformat()


async def _correct(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/api/v1/timeclock/corrections", json=body)


async def _days(client: httpx.AsyncClient, day: dt.date) -> list[dict[str, Any]]:
    answer = await client.get(
        "/api/v1/timeclock/days", params={"date_from": day.isoformat(), "date_to": day.isoformat()}
    )
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_desk_checks_follow_each_other(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    out_first = await client.post("/api/v1/timeclock/check", json={"kind": "out"})
    assert out_first.status_code == 409
    came = await client.post("/api/v1/timeclock/check", json={"kind": "in"})
    assert came.status_code == 201, came.text
    assert came.json()["checked_in"] is True
    twice = await client.post("/api/v1/timeclock/check", json={"kind": "in"})
    assert twice.status_code == 409
    left = await client.post("/api/v1/timeclock/check", json={"kind": "out"})
    assert left.status_code == 201 and left.json()["checked_in"] is False
    [day] = left.json()["days"]
    assert [e["kind"] for e in day["entries"]] == ["in", "out"] and not day["still_in"]
    bad = await client.post("/api/v1/timeclock/check", json={"kind": "in", "latitude": 91})
    assert bad.status_code == 400
    page = await client.get("/timeclock")
    assert page.status_code == 200 and 'data-testid="my-days"' in page.text
    others = await client.get("/api/v1/timeclock/days", params={"employee_id": 999})
    assert others.status_code == 403  # only one's own without the payroll section


async def test_a_field_check_taken_offline_syncs_once(client: httpx.AsyncClient) -> None:
    master = await make_employee("field1", roles=["field_technician"])
    await login_as(client, "field1")
    taken = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    check = mutation(
        "timeclock.check", master.id, {"kind": "in", "latitude": 55.75, "longitude": 37.61},
        at=taken.isoformat(),
    )  # fmt: skip
    first = await push(client, check)
    assert [r["result"] for r in first] == ["applied"], first
    again = await push(client, check)  # the answer was lost: the phone sends it again
    assert [r["result"] for r in again] == ["duplicate"]
    rows = await TimeEntry.select().where(TimeEntry.employee_id == master.id)
    assert len(rows) == 1
    assert (rows[0]["source"], rows[0]["latitude"]) == ("field", 55.75)
    assert abs((rows[0]["at"] - taken).total_seconds()) < 1  # the phone's time, not the sync's
    other = await push(client, mutation("timeclock.check", master.id + 1, {"kind": "out"}))
    assert other[0]["result"] != "applied"  # one checks in only oneself
    mine = (await client.get("/api/v1/timeclock/me")).json()
    assert mine["checked_in"] is True
    pulled = await client.get("/api/v1/sync/pull")  # what the phone shows once nothing waits
    assert pulled.status_code == 200, pulled.text
    clock = pulled.json()["me"]["clock"]
    assert clock["checked_in"] is True
    assert abs((dt.datetime.fromisoformat(clock["since"]) - taken).total_seconds()) < 1


async def test_corrections_lateness_and_pay_per_shift(client: httpx.AsyncClient) -> None:
    await make_employee("chief", roles=["manager"])
    tech = await make_employee("tech1", roles=["technician"], full_name="Иван Первый")
    await login_as(client, "tech1")
    refused = await _correct(
        client, employee_id=tech.id, kind="in", at=_at(WEDNESDAY, 9), reason="Забыл"
    )
    assert refused.status_code == 403
    await login_as(client, "chief")
    late = await _correct(
        client, employee_id=tech.id, kind="in", at=_at(WEDNESDAY, 9, 40), reason="Забыл"
    )
    assert late.status_code == 201, late.text
    gone = await _correct(
        client, employee_id=tech.id, kind="out", at=_at(WEDNESDAY, 18, 10), reason="Забыл"
    )
    [day] = gone.json()["items"]
    assert (day["late_minutes"], day["expected_start"]) == (40, "09:00")
    assert day["worked_minutes"] == 8 * 60 + 30
    entry = day["entries"][0]["id"]
    moved = await _correct(
        client, employee_id=tech.id, kind="in", at=_at(WEDNESDAY, 9, 2), corrects_id=entry,
        reason="Пропуск показал 9:02",
    )  # fmt: skip
    [day] = moved.json()["items"]
    assert (day["late_minutes"], day["worked_minutes"]) == (0, 9 * 60 + 8)  # 2 min: no lateness
    assert await AuditEntry.count().where(AuditEntry.entity == "time_entry") == 3
    no_reason = await _correct(client, employee_id=tech.id, kind="in", at=_at(WEDNESDAY, 8))
    assert no_reason.status_code == 400
    thursday = WEDNESDAY + dt.timedelta(days=1)
    for hour, kind in ((9, "in"), (13, "out")):
        made = await _correct(client, employee_id=tech.id, kind=kind, at=_at(thursday, hour),
                              reason="Журнал")  # fmt: skip
        assert made.status_code == 201
    wrong = await _days(client, thursday)
    removed = await _correct(client, employee_id=tech.id, kind="void", reason="Ошибка",
                             corrects_id=wrong[0]["entries"][-1]["id"])  # fmt: skip
    assert removed.status_code == 201
    [thu] = await _days(client, thursday)
    assert [e["kind"] for e in thu["entries"]] == ["in"]  # the out removed, the in stays

    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    rule = {"role_code": "technician", "base_kind": "shift", "base_amount": "2500"}
    assert (await client.post("/api/v1/payroll/rules", json=rule)).status_code == 201
    first = WEDNESDAY.replace(day=1)
    period = await client.post(
        "/api/v1/payroll/periods",
        json={"first_day": first.isoformat(), "last_day": (first.replace(day=30)).isoformat()},
    )
    assert period.status_code == 201, period.text
    [paid] = [p for p in period.json()["payees"] if p["name"] == "Иван Первый"]
    assert paid["by_kind"] == {"base": "5000.00"}  # two days checked in × 2500
