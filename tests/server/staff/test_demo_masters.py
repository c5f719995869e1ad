"""The demo center's field masters plan like real ones: homes, a depot, skills, a vacation."""

from __future__ import annotations

import datetime as dt

from fixtures.demo import build_demo
from fixtures.masters import next_week
from server import clock
from server.staff import api as staff
from server.staff.services import load_actor
from server.staff.tables import Employee


async def test_demo_masters_have_profiles_the_planner_can_use(db: None) -> None:
    await build_demo(orders=40)
    dispatcher = await Employee.select(Employee.id).where(Employee.login == "dispatcher").first()
    assert dispatcher is not None
    actor = await load_actor(dispatcher["id"])
    assert actor is not None
    today = clock.today()
    monday, friday = next_week(today)
    days = await staff.master_days(actor, today, friday)
    by_master: dict[str, list[staff.MasterDay]] = {}
    for day in days:
        by_master.setdefault(day.full_name, []).append(day)
    assert len(by_master) == 3
    first = {name: rows[0] for name, rows in by_master.items()}
    assert all(d.start_lat and d.start_lon and d.end_lat for d in first.values())
    sokolov = first["Дмитрий Александрович Соколов"]
    morozov = first["Алексей Игоревич Морозов"]
    egorov = by_master["Павел Сергеевич Егоров"]
    assert morozov.start_address != morozov.end_address and "склад" in morozov.start_address
    assert sokolov.start_address == sokolov.end_address
    assert morozov.max_visits == 6 and sokolov.max_visits is None
    assert sokolov.brand_ids and set(sokolov.brand_ids).isdisjoint(morozov.brand_ids)
    assert first["Павел Сергеевич Егоров"].brand_ids == ()
    assert 0 < len(first["Павел Сергеевич Егоров"].device_type_ids) < len(sokolov.device_type_ids)
    vacation = [d for d in egorov if monday <= d.day <= friday]
    assert vacation and all(d.absence == "vacation" for d in vacation)
    assert egorov[0].absence == "vacation"  # from today: the demo's first days go to the others
    short = [d for d in by_master["Дмитрий Александрович Соколов"] if d.shift_end == dt.time(14)]
    assert short and short[0].day > today
