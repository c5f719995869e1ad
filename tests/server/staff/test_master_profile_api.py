"""Managers edit a master's profile and calendar over HTTP; every bad field is named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from server.clients.tables import Brand, DeviceType
from tests.server.builders import login_as, make_employee

MONDAY = dt.date(2027, 3, 1)


def profile(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "shift_start": "08:00:00",
        "shift_end": "17:00:00",
        "lunch_start": "12:00:00",
        "lunch_end": "14:00:00",
        "lunch_minutes": 40,
        "start_address": "Казань, ул. Баумана, 10",
        "start_lat": 55.7887,
        "start_lon": 49.1221,
        "max_visits": 5,
        "weekdays": [
            {
                "weekday": d,
                "works": d not in (0, 6),
                **({"shift_end": "15:00:00"} if d == 5 else {}),
            }
            for d in range(7)
        ],
    }
    return {**body, **changes}


@pytest.fixture
async def master_id(admin_client: httpx.AsyncClient) -> int:
    return (await make_employee("fm", roles=["field_technician"], full_name="Иван Мастеров")).id


async def test_a_manager_saves_a_profile_and_the_calendar_follows(
    admin_client: httpx.AsyncClient, master_id: int
) -> None:
    washer = await DeviceType.insert(DeviceType(name="Стиральная машина")).returning(DeviceType.id)
    bosch = await Brand.insert(Brand(name="Bosch")).returning(Brand.id)
    url = f"/api/v1/staff/{master_id}/master-profile"
    before = (await admin_client.get(url)).json()
    assert before["is_default"] and before["shift_start"] == "09:00:00"
    body = profile(device_type_ids=[washer[0]["id"]], brand_ids=[bosch[0]["id"]])
    saved = await admin_client.put(url, json=body)
    assert saved.status_code == 200, saved.text
    out = saved.json()
    assert out["device_types"] == [{"id": washer[0]["id"], "name": "Стиральная машина"}]
    assert out["brands"][0]["name"] == "Bosch" and out["max_visits"] == 5
    assert out["end_address"] == "Казань, ул. Баумана, 10" and out["end_lat"] == 55.7887
    added = await admin_client.post(
        f"/api/v1/staff/{master_id}/calendar",
        json={"kind": "vacation", "first_day": "2027-03-03", "last_day": "2027-03-04"},
    )
    assert added.status_code == 201, added.text
    calendar = await admin_client.get(
        f"/api/v1/staff/{master_id}/calendar", params={"from": "2027-03-01", "to": "2027-03-07"}
    )
    assert calendar.status_code == 200, calendar.text
    days = calendar.json()["days"]
    assert [d["absence"] for d in days] == [
        "weekly_off",
        None,
        "vacation",
        "vacation",
        None,
        None,
        "weekly_off",
    ]
    assert days[5]["shift_end"] == "15:00:00" and days[4]["lunch_minutes"] == 40
    assert calendar.json()["exceptions"][0]["label"] == "Отпуск"
    removed = await admin_client.delete(f"/api/v1/staff/{master_id}/calendar/{added.json()['id']}")
    assert removed.status_code == 204
    again = await admin_client.get(
        f"/api/v1/staff/{master_id}/calendar", params={"from": "2027-03-03", "to": "2027-03-03"}
    )
    assert again.json()["days"][0]["works"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shift_end": "07:00:00"}, "shift_end"),
        ({"lunch_start": "07:30:00"}, "lunch_start"),
        ({"lunch_end": "18:00:00"}, "lunch_end"),
        ({"lunch_end": None}, "lunch_end"),
        ({"lunch_minutes": 150}, "lunch_minutes"),
        ({"lunch_minutes": 0}, "lunch_minutes"),
        ({"start_lat": 95.0}, "start_lat"),
        ({"start_lon": None}, "start_lon"),
        ({"end_same_as_start": False, "end_lat": 55.0}, "end_lon"),
        ({"device_type_ids": [4242]}, "device_type_ids"),
        ({"brand_ids": [4343]}, "brand_ids"),
        ({"max_visits": 0}, "max_visits"),
        ({"weekdays": [{"weekday": 1}, {"weekday": 1}]}, "weekdays"),
        ({"weekdays": [{"weekday": 1, "works": False}]}, "weekdays"),
        ({"weekdays": [{"weekday": 1, "shift_start": "18:00:00"}]}, "weekdays"),
        ({"weekdays": [{"weekday": 9}]}, "weekdays"),
        ({"shift_start": "25:00"}, "shift_start"),
        ({"start_lat": None, "start_lon": None}, "start_lat"),  # no geocoder configured
        ({"colour": "red"}, "colour"),
    ],
)
async def test_bad_profiles_are_refused_naming_the_field(
    admin_client: httpx.AsyncClient, master_id: int, changes: dict[str, Any], field: str
) -> None:
    response = await admin_client.put(
        f"/api/v1/staff/{master_id}/master-profile", json=profile(**changes)
    )
    assert response.status_code in (400, 422), response.text
    assert field in response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "vacation", "first_day": "2027-03-05", "last_day": "2027-03-01"}, "last_day"),
        ({"kind": "changed_hours", "first_day": "2027-03-05"}, "shift_start"),
        (
            {
                "kind": "changed_hours",
                "first_day": "2027-03-05",
                "shift_start": "12:00:00",
                "shift_end": "10:00:00",
            },
            "shift_end",
        ),
        ({"kind": "holiday", "first_day": "2027-03-05"}, "kind"),
        ({"kind": "sick", "first_day": "2027-03-05", "last_day": "2029-03-05"}, "last_day"),
    ],
)
async def test_bad_exceptions_are_refused_naming_the_field(
    admin_client: httpx.AsyncClient, master_id: int, body: dict[str, Any], field: str
) -> None:
    response = await admin_client.post(f"/api/v1/staff/{master_id}/calendar", json=body)
    assert response.status_code in (400, 422), response.text
    assert field in response.text


async def test_calendar_range_and_unknown_masters(
    admin_client: httpx.AsyncClient, master_id: int
) -> None:
    backwards = await admin_client.get(
        f"/api/v1/staff/{master_id}/calendar", params={"from": "2027-03-05", "to": "2027-03-01"}
    )
    assert backwards.status_code == 422 and "last_day" in backwards.text
    receiver = await make_employee("recv", roles=["receiver"])
    not_master = await admin_client.get(f"/api/v1/staff/{receiver.id}/master-profile")
    assert not_master.status_code == 404
    assert (await admin_client.delete(f"/api/v1/staff/{master_id}/calendar/999")).status_code == 404


async def test_a_master_reads_own_calendar_only_and_cannot_edit_it(
    client: httpx.AsyncClient,
) -> None:
    own = await make_employee("fm1", roles=["field_technician"])
    other = await make_employee("fm2", roles=["field_technician"])
    await login_as(client, "fm1")
    mine = await client.get(f"/api/v1/staff/{own.id}/calendar")
    assert mine.status_code == 200 and len(mine.json()["days"]) == 14
    assert (await client.get(f"/api/v1/staff/{other.id}/calendar")).status_code == 403
    assert (await client.get(f"/api/v1/staff/{other.id}/master-profile")).status_code == 403
    edit = await client.put(f"/api/v1/staff/{own.id}/master-profile", json=profile())
    assert edit.status_code == 403
    vacation = {"kind": "vacation", "first_day": "2027-03-05"}
    assert (await client.post(f"/api/v1/staff/{own.id}/calendar", json=vacation)).status_code == 403


async def test_planners_keep_every_masters_calendar_and_receivers_none(
    client: httpx.AsyncClient,
) -> None:
    master = await make_employee("fm1", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await make_employee("mgr", roles=["manager"])
    await make_employee("recv", roles=["receiver"])
    for planner in ("disp", "mgr"):  # those who plan the masters' days keep their calendars
        await login_as(client, planner)
        assert (await client.get(f"/api/v1/staff/{master.id}/calendar")).status_code == 200
        saved = await client.put(f"/api/v1/staff/{master.id}/master-profile", json=profile())
        assert saved.status_code == 200, saved.text
    await login_as(client, "recv")
    assert (await client.get(f"/api/v1/staff/{master.id}/calendar")).status_code == 403
    assert (await client.get(f"/api/v1/staff/{master.id}/master-profile")).status_code == 403
