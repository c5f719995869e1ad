"""The refund capability for the built-in manager role of an existing database.

Only a role missing it gets it, so an administrator's other edits of a role stay; the admin
role holds every capability anyway, and a fresh database gets its roles from
ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T15:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "refund capability for the built-in manager role"

GRANT = """
UPDATE role
SET permissions = jsonb_set(
    permissions, ARRAY['special'],
    COALESCE(permissions -> 'special', '[]'::jsonb) || jsonb_build_array('refund'::text)
)
WHERE code = 'manager' AND is_builtin
  AND NOT COALESCE(permissions -> 'special', '[]'::jsonb) @> jsonb_build_array('refund'::text)
"""


async def grant_refund() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_querystring(QueryString(GRANT))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(grant_refund)
    return manager
