"""The purchasing section for the built-in roles of an existing database: managers do
everything with suppliers and supplier orders, bench technicians (the technical experts) view
them and order the parts their repairs need, receivers view them.

Only a role that has no purchasing entry yet gets one, so an administrator's later edits of a
role stay; the admin role holds every section anyway, and a fresh database gets its roles from
ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T09:56:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "purchasing section for the built-in roles"

GRANTS = {
    "manager": ["view", "create", "edit", "delete", "export"],
    "technician": ["view", "create"],
    "receiver": ["view"],
}

GRANT = """
UPDATE role
SET permissions = jsonb_set(permissions, ARRAY['purchasing'], to_jsonb({}::text[]))
WHERE code = {} AND is_builtin AND NOT permissions ? 'purchasing'
"""


async def grant_purchasing() -> None:
    engine = engine_finder()
    assert engine is not None
    for role, actions in GRANTS.items():
        await engine.run_querystring(QueryString(GRANT, actions, role))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(grant_purchasing)
    return manager
