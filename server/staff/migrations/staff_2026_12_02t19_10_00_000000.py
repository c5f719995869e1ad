"""The deliveries section for the built-in roles of an existing database: managers do
everything with shipments, receivers view, create and edit them, bench technicians view them.

Only a role that has no deliveries entry yet gets one, so an administrator's later edits of a
role stay; the admin role holds every section anyway, and a fresh database gets its roles from
ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T19:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "deliveries section for the built-in roles"

GRANTS = {
    "manager": ["view", "create", "edit", "delete", "export"],
    "receiver": ["view", "create", "edit"],
    "technician": ["view"],
}

GRANT = """
UPDATE role
SET permissions = jsonb_set(permissions, ARRAY['deliveries'], to_jsonb({}::text[]))
WHERE code = {} AND is_builtin AND NOT permissions ? 'deliveries'
"""


async def grant_deliveries() -> None:
    engine = engine_finder()
    assert engine is not None
    for role, actions in GRANTS.items():
        await engine.run_querystring(QueryString(GRANT, actions, role))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(grant_deliveries)
    return manager
