"""Locking timeline events becomes a capability: the built-in manager and dispatcher roles
gain it.

Only the missing capability is added, so an administrator's other edits of the role stay; the
admin role holds every capability anyway, and a fresh database gets its roles from
ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-01T20:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "managers and dispatchers may lock timeline events"

GRANT_LOCKING = """
UPDATE role
SET permissions = jsonb_set(
    permissions, ARRAY['special'],
    COALESCE(permissions -> 'special', '[]'::jsonb) || '["lock_events"]'::jsonb
)
WHERE code IN ('manager', 'dispatcher') AND is_builtin
  AND NOT COALESCE(permissions -> 'special', '[]'::jsonb) @> '["lock_events"]'::jsonb
"""


async def grant_locking() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_querystring(QueryString(GRANT_LOCKING))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(grant_locking)
    return manager
