"""Big stock exports run as jobs, as the orders' do: past the threshold the levels and the moves
answer 202 and become downloads of whoever asked, written by the worker with their permissions
(a keeper's holds only their store), served from /api/v1/downloads when ready."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from litestar import Litestar

from tests.server.builders import login_as, make_employee
from tests.server.stock.conftest import storekeeper_role
from tests.server.stock.helpers import item, receive, warehouse
from tests.server.stock.test_exports import sheet


async def _done(client: httpx.AsyncClient, download_id: int) -> dict[str, Any]:
    for _ in range(300):
        items = (await client.get("/api/v1/downloads")).json()["items"]
        found = [d for d in items if d["id"] == download_id]
        if found and found[0]["status"] != "pending":
            return dict(found[0])
        await asyncio.sleep(0.05)
    raise AssertionError("the export did not finish")


@pytest.mark.app_worker  # the export is the worker's job
async def test_big_levels_and_moves_exports_become_downloads_of_their_owner(
    admin_client: httpx.AsyncClient, app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVIO_EXPORT_BACKGROUND_ROWS", "1")
    monkeypatch.setattr("server.stock.exports.PAGE_SIZE", 1)  # the ledger read page by page
    admin = admin_client
    await storekeeper_role("one_store", special=())
    keeper = await make_employee("keeper1", roles=["one_store"])
    mine = await warehouse(admin, "Склад на Ленина", keeper_ids=[keeper.id])
    other = await warehouse(admin, "Склад на Мира")
    pump, hose = await item(admin, "Насос сливной"), await item(admin, "Шланг заливной", unit="м")
    await receive(admin, mine["id"], pump["id"], "2", "1000")
    await receive(admin, mine["id"], hose["id"], "5", "80")
    await receive(admin, other["id"], pump["id"], "7", "1000")

    started = await admin.get("/api/v1/stock/moves.xlsx")
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "pending" and started.headers["location"] == (
        "/api/v1/downloads"
    )
    done = await _done(admin, started.json()["id"])
    assert (done["status"], done["rows"]) == ("done", 3), done
    rows = sheet(await admin.get(done["url"]))
    assert sorted((r[3], r[5], r[6]) for r in rows[1:]) == [
        ("Насос сливной", "Склад на Ленина", 2),
        ("Насос сливной", "Склад на Мира", 7),
        ("Шланг заливной", "Склад на Ленина", 5),
    ]
    one = await admin.get("/api/v1/stock/moves.xlsx", params={"warehouse_id": other["id"]})
    assert one.status_code == 200  # one row: under the threshold, sent at once
    assert len(sheet(one)) == 2

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50011))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        await login_as(http, "keeper1")
        asked = await http.get("/api/v1/stock/levels.xlsx")
        assert asked.status_code == 202, asked.text
        levels = await _done(http, asked.json()["id"])
        assert (levels["status"], levels["rows"]) == ("done", 2), levels
        rows = sheet(await http.get(levels["url"]))
        assert {(r[0], r[2]) for r in rows[1:]} == {
            ("Насос сливной", "Склад на Ленина"),
            ("Шланг заливной", "Склад на Ленина"),
        }
        assert (await http.get(done["url"])).status_code == 404  # the administrator's file
        assert [d["id"] for d in (await http.get("/api/v1/downloads")).json()["items"]] == [
            asked.json()["id"]
        ]
