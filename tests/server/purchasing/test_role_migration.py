"""The staff migration that gives the built-in roles of an existing database the purchasing
section: roles without it get it, a role an administrator already set is left as it is."""

from __future__ import annotations

import importlib

from server.staff.tables import Role

MIGRATION = importlib.import_module("server.staff.migrations.staff_2026_12_03t09_56_00_000000")


async def _permissions() -> dict[str, dict[str, list[str]]]:
    rows = await Role.select(Role.code, Role.permissions).output(load_json=True)
    return {r["code"]: r["permissions"] for r in rows}


async def test_existing_roles_get_the_purchasing_section(db: None) -> None:
    for code, stored in (await _permissions()).items():
        kept = {k: v for k, v in stored.items() if k != "purchasing"}
        if code == "receiver":
            kept["purchasing"] = []  # an administrator took it away
        await Role.update({Role.permissions: kept}).where(Role.code == code)
    await MIGRATION.grant_purchasing()
    got = {code: stored.get("purchasing") for code, stored in (await _permissions()).items()}
    assert got["manager"] == ["view", "create", "edit", "delete", "export"]
    assert got["technician"] == ["view", "create"]
    assert got["receiver"] == []
    assert got["field_technician"] is None and got["dealer"] is None
