"""A planning day: field masters with profiles in one city and field orders at addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from server import clock
from server.actor import Actor
from server.clients.tables import ClientAddress
from server.orders.tables import OrderType
from server.staff.services import load_actor
from server.staff.tables import MasterProfile
from tests.server.builders import make_employee
from tests.server.orders.builders import intake, make_client, make_device

CENTER = (56.3269, 44.0059)  # Nizhny Novgorod


def next_weekday(weekday: int = 2) -> dt.date:
    """The next such weekday after today (Wednesday by default): a working day in the future."""
    today = clock.today()
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=ahead)


async def actor_of(login: str, roles: list[str], **fields: Any) -> Actor:
    """A new employee's actor."""
    employee = await make_employee(login, roles=roles, **fields)
    actor = await load_actor(employee.id)
    assert actor is not None
    return actor


async def master(
    login: str, lat: float, lon: float, *, full_name: str = "", **profile: Any
) -> Actor:
    """A field master living at (lat, lon), working by the default week."""
    fields: dict[str, Any] = {"full_name": full_name} if full_name else {}
    manufacturers = profile.pop("manufacturers", None)
    if manufacturers is not None:
        fields["manufacturers"] = manufacturers
    actor = await actor_of(login, ["field_technician"], **fields)
    await MasterProfile(
        employee=actor.employee_id,
        lunch_start=profile.pop("lunch_start", dt.time(13, 0)),
        lunch_end=profile.pop("lunch_end", dt.time(14, 0)),
        lunch_minutes=profile.pop("lunch_minutes", 30),
        start_address=f"Дом {login}",
        start_lat=lat,
        start_lon=lon,
        updated_at=dt.datetime.now(dt.UTC),
        **profile,
    ).save()
    return actor


async def field_order_at(
    client: httpx.AsyncClient,
    name: str,
    lat: float | None,
    lon: float | None,
    *,
    brand: str = "Bosch",
    **fields: Any,
) -> dict[str, Any]:
    """A field order (through the API) of a client at the given point (None: not located)."""
    client_id = await make_client(name)
    await ClientAddress(
        client=client_id, address=f"Нижний Новгород, {name}", lat=lat, lon=lon, is_primary=True
    ).save()
    device_id = await make_device(client_id, serial=f"SN-{name}", brand=brand)
    kind = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert kind is not None
    return await intake(
        client,
        client_id,
        order_type_id=kind["id"],
        device_id=device_id,
        declared_fault="Не греет",
        **fields,
    )


def around(i: int, spread: float = 0.01) -> tuple[float, float]:
    """A point near the center, different for each i."""
    return CENTER[0] + spread * ((i % 5) - 2), CENTER[1] + spread * ((i // 5) - 1)
