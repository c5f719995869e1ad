"""Stock tests: a storekeeper's client beside the administrator's."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from server.staff.tables import Role
from tests.server.builders import login_as, make_employee


async def storekeeper_role(
    code: str = "storekeeper", special: tuple[str, ...] = ("all_warehouses",)
) -> None:
    """A role that keeps stock (view, create, edit, export) without taking it below zero."""
    now = dt.datetime.now(dt.UTC)
    await Role(
        code=code,
        name="Кладовщик",
        description="",
        is_builtin=False,
        permissions={"stock": ["view", "create", "edit", "export"], "special": list(special)},
        field_permissions={},
        created_at=now,
        updated_at=now,
    ).save()


@pytest.fixture
async def keeper(
    admin_client: httpx.AsyncClient, app: Litestar
) -> AsyncIterator[httpx.AsyncClient]:
    """A second client, logged in as a storekeeper (every warehouse, never below zero)."""
    await storekeeper_role()
    await make_employee("keeper", roles=["storekeeper"])
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        await login_as(http, "keeper")
        yield http
