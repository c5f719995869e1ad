"""Exports of lists: filters, chosen columns, hidden fields, the permission, background files."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from server.orders.tables import ListColumns
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.documents.builders import order_with_lines
from tests.server.orders.builders import intake, make_client


def sheet_rows(content: bytes) -> list[list[Any]]:
    """Every row of the first sheet."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


async def test_export_follows_filters_and_columns(admin_client: httpx.AsyncClient) -> None:
    first = await order_with_lines(admin_client, name="Сидоров Семён")
    other = await make_client("Кузнецова Анна", phone="+79035550000")
    second = await intake(admin_client, other, declared_fault="Не включается")
    response = await admin_client.get(
        "/api/v1/orders/export", params={"columns": "number,client,total", "sort": "created"}
    )
    assert response.status_code == 200, response.text
    assert "orders-" in response.headers["content-disposition"]
    rows = sheet_rows(response.content)
    assert rows[0] == ["Номер", "Клиент", "Итого"]
    assert [r[0] for r in rows[1:]] == [first["number"], second["number"]]
    assert rows[1][1] == "Сидоров Семён" and float(rows[1][2]) == 4900.0
    filtered = await admin_client.get("/api/v1/orders/export", params={"q": "Кузнецова"})
    numbers = [r[0] for r in sheet_rows(filtered.content)[1:]]
    assert numbers == [second["number"]]


async def test_export_uses_the_chosen_columns(admin_client: httpx.AsyncClient) -> None:
    await order_with_lines(admin_client)
    await ListColumns(employee=1, list_name="orders", columns=["client", "number"]).save()
    response = await admin_client.get("/api/v1/orders/export")
    assert sheet_rows(response.content)[0] == ["Клиент", "Номер"]


async def test_unknown_column_and_format_are_refused(admin_client: httpx.AsyncClient) -> None:
    bad_column = await admin_client.get("/api/v1/orders/export", params={"columns": "secret"})
    assert bad_column.status_code == 422 and "number" in bad_column.json()["detail"]
    bad_format = await admin_client.get("/api/v1/orders/export", params={"format": "csv"})
    assert bad_format.status_code == 422


async def test_hidden_field_is_never_exported(admin_client: httpx.AsyncClient) -> None:
    await order_with_lines(admin_client)
    await Role.update(
        {
            Role.field_permissions: {"order.total": "hidden"},
            Role.permissions: {"orders": ["view", "export"], "special": ["all_orders"]},
        }
    ).where(Role.code == "receiver")
    await make_employee("anna", roles=["receiver"])
    await login_as(admin_client, "anna")
    chosen = await admin_client.get("/api/v1/orders/export")
    assert chosen.status_code == 200
    text = str(sheet_rows(chosen.content))
    assert "Итого" not in text and "4900" not in text
    asked = await admin_client.get("/api/v1/orders/export", params={"columns": "number,total"})
    assert asked.status_code == 422


async def test_export_needs_the_export_permission(admin_client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await login_as(admin_client, "anna")
    assert (await admin_client.get("/api/v1/orders/export")).status_code == 403
    assert (await admin_client.get("/api/v1/clients/export")).status_code == 403


async def test_clients_export(admin_client: httpx.AsyncClient) -> None:
    await make_client("Кузнецова Анна", phone="+79035550000")
    await make_client("Борисов Борис", phone="+79035550001")
    response = await admin_client.get("/api/v1/clients/export", params={"q": "Борисов"})
    assert response.status_code == 200, response.text
    rows = sheet_rows(response.content)
    assert rows[0][0] == "Название" and [r[0] for r in rows[1:]] == ["Борисов Борис"]


async def wait_done(client: httpx.AsyncClient) -> dict[str, Any]:
    for _ in range(200):
        items = (await client.get("/api/v1/downloads")).json()["items"]
        if items and items[0]["status"] != "pending":
            return dict(items[0])
        await asyncio.sleep(0.05)
    raise AssertionError("the export did not finish")


@pytest.mark.app_worker  # the export is the worker's job
async def test_big_export_becomes_a_download_of_its_owner(
    admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVIO_EXPORT_BACKGROUND_ROWS", "1")
    monkeypatch.setattr("server.documents.exports.PAGE_SIZE", 1)
    first = await order_with_lines(admin_client)
    second = await intake(admin_client, await make_client("Кузнецова Анна"))
    started = await admin_client.get("/api/v1/orders/export", params={"columns": "number"})
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "pending"
    done = await wait_done(admin_client)
    assert done["status"] == "done" and done["rows"] == 2 and done["size"] > 0
    file = await admin_client.get(done["url"])
    assert file.status_code == 200
    numbers = {r[0] for r in sheet_rows(file.content)[1:]}
    assert numbers == {first["number"], second["number"]}
    page = await admin_client.get("/downloads")
    assert page.status_code == 200 and done["file_name"] in page.text
    await make_employee("mike", roles=["manager"])
    await login_as(admin_client, "mike")
    assert (await admin_client.get(done["url"])).status_code == 404
    assert (await admin_client.get("/api/v1/downloads")).json()["items"] == []


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app starts without its worker: queued jobs wait until the test runs them."""
    monkeypatch.setenv("SERVIO_WORKER", "0")
    monkeypatch.setenv("SERVIO_EXPORT_BACKGROUND_ROWS", "1")


async def test_a_queued_export_runs_with_the_permissions_of_when_it_runs(
    no_worker: None, admin_client: httpx.AsyncClient
) -> None:
    from server.jobs.queue import run_worker
    from server.staff.tables import Employee

    await order_with_lines(admin_client)
    await intake(admin_client, await make_client("Кузнецова Анна"))
    mike = await make_employee("mike", roles=["manager"])
    await login_as(admin_client, "mike")
    export = {"columns": "number"}
    assert (await admin_client.get("/api/v1/orders/export", params=export)).status_code == 202
    assert [d["status"] for d in (await admin_client.get("/api/v1/downloads")).json()["items"]] == [
        "pending"
    ]
    await run_worker(wait=False)
    assert (await admin_client.get("/api/v1/orders/export", params=export)).status_code == 202
    await Employee.update({Employee.permission_overrides: {"orders": {"export": False}}}).where(
        Employee.id == mike.id
    )
    await run_worker(wait=False)
    refused, done = (await admin_client.get("/api/v1/downloads")).json()["items"]
    assert done["status"] == "done" and done["rows"] == 2, done
    assert refused["status"] == "failed" and refused["url"] is None, refused
    assert refused["error"] == "Нет права «Экспорт» в разделе «Заказы»"
