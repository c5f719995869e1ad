"""The staff migration that gives the built-in roles of an existing database the deliveries
section: roles without it get it, a role an administrator already set is left as it is."""

from __future__ import annotations

import importlib

from server.staff.tables import Role

MIGRATION = importlib.import_module("server.staff.migrations.staff_2026_12_02t19_10_00_000000")


async def _without_deliveries(code: str) -> None:
    row = (
        await Role.select(Role.permissions).where(Role.code == code).output(load_json=True).first()
    )
    assert row is not None
    stored = {k: v for k, v in row["permissions"].items() if k != "deliveries"}
    await Role.update({Role.permissions: stored}).where(Role.code == code)


async def test_existing_roles_get_the_deliveries_section(db: None) -> None:
    for code in ("manager", "receiver", "technician"):
        await _without_deliveries(code)
    row = (
        await Role.select(Role.permissions)
        .where(Role.code == "technician")
        .output(load_json=True)
        .first()
    )
    assert row is not None
    taken = {**row["permissions"], "deliveries": []}  # an administrator took it away
    await Role.update({Role.permissions: taken}).where(Role.code == "technician")
    await MIGRATION.grant_deliveries()
    rows = await Role.select(Role.code, Role.permissions).output(load_json=True)
    got = {r["code"]: r["permissions"].get("deliveries") for r in rows}
    assert got["manager"] == ["view", "create", "edit", "delete", "export"]
    assert got["receiver"] == ["view", "create", "edit"]
    assert got["technician"] == []
    assert got["dealer"] is None
