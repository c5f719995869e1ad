"""Stock capabilities for the built-in roles of an existing database: managers may see every
warehouse and take stock below zero; receivers and bench technicians see every warehouse
(field technicians keep to their own van).

Only missing capabilities are added, so an administrator's other edits of a role stay; the
admin role holds every capability anyway, and a fresh database gets its roles from
ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T18:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "stock capabilities for the built-in roles"

GRANTS = {
    "all_warehouses": ("manager", "receiver", "technician"),
    "negative_stock": ("manager",),
}

GRANT = """
UPDATE role
SET permissions = jsonb_set(
    permissions, ARRAY['special'],
    COALESCE(permissions -> 'special', '[]'::jsonb) || jsonb_build_array({}::text)
)
WHERE code = ANY({}::text[]) AND is_builtin
  AND NOT COALESCE(permissions -> 'special', '[]'::jsonb) @> jsonb_build_array({}::text)
"""


async def grant_stock_capabilities() -> None:
    engine = engine_finder()
    assert engine is not None
    for capability, roles in GRANTS.items():
        await engine.run_querystring(QueryString(GRANT, capability, list(roles), capability))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(grant_stock_capabilities)
    return manager
