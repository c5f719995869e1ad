"""Small builders of test data and logged-in clients."""

from __future__ import annotations

from typing import Any

import httpx

from server.staff.schemas import EmployeeCreate, EmployeeOut
from server.staff.services import StaffService, system_actor
from server.staff.tables import Role

PASSWORD = "correct-horse-battery"


async def role_ids(codes: list[str]) -> list[int]:
    """Ids of roles by code."""
    rows = await Role.select(Role.id, Role.code).where(Role.code.is_in(codes)) if codes else []
    by_code = {r["code"]: r["id"] for r in rows}
    return [by_code[c] for c in codes]


async def make_employee(
    login: str, roles: list[str] | None = None, password: str = PASSWORD, **fields: Any
) -> EmployeeOut:
    """Create an employee through the service, as the system."""
    data = EmployeeCreate(
        login=login,
        full_name=fields.pop("full_name", f"Test {login}"),
        password=password,
        role_ids=await role_ids(roles or []),
        **fields,
    )
    return await StaffService(system_actor()).create_employee(data)


async def login_as(client: httpx.AsyncClient, login: str, password: str = PASSWORD) -> None:
    """Log the client in and make it send the CSRF header like the web app does."""
    response = await client.post("/api/v1/auth/login", json={"login": login, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]


async def open_cash_shift(
    client: httpx.AsyncClient, opening: str = "0", name: str = "Касса 1"
) -> dict[str, Any]:
    """A counter desk (made by the system if missing) with its shift opened through the API by
    the client's employee (who may take money); answers the shift's X report."""
    from server.cashdesk import desks
    from server.cashdesk.schemas import DeskIn
    from server.cashdesk.tables import CashDesk

    desk = await CashDesk.select(CashDesk.id).where(CashDesk.name == name).first()
    desk_id = desk["id"] if desk else (await desks.create_desk(system_actor(), DeskIn(name))).id
    opened = await client.post(
        f"/api/v1/cash/desks/{desk_id}/shifts",
        json={"opening_balance": opening},
        headers={"X-CSRFToken": client.cookies.get("csrftoken") or ""},
    )
    assert opened.status_code == 201, opened.text
    report: dict[str, Any] = opened.json()
    return report
