"""The data migration that lets field masters of an existing install record payments."""

from __future__ import annotations

import importlib
import json

from server.staff.tables import Role

MIGRATION = importlib.import_module(
    "server.dispatch.migrations.dispatch_2026_11_23t16_00_00_000000"
)


async def _permissions() -> dict[str, list[str]]:
    row = await Role.select(Role.permissions).where(Role.code == "field_technician").first()
    assert row is not None
    stored = row["permissions"]
    return stored if isinstance(stored, dict) else json.loads(stored)


async def test_adds_only_the_missing_action_and_keeps_the_admins_edits(db: None) -> None:
    edited = {"orders": ["view"], "reports": ["view"], "special": ["locked_note"]}
    await Role.update({Role.permissions: edited}).where(Role.code == "field_technician")
    await MIGRATION.grant_payments()
    assert await _permissions() == {**edited, "finance": ["create"]}
    await MIGRATION.grant_payments()
    assert (await _permissions())["finance"] == ["create"]


async def test_keeps_other_finance_actions(db: None) -> None:
    await Role.update({Role.permissions: {"finance": ["view"]}}).where(
        Role.code == "field_technician"
    )
    await MIGRATION.grant_payments()
    assert (await _permissions())["finance"] == ["view", "create"]
