"""Field masters take payments at the client's: the built-in role gains finance: create.

Only the missing action is added, so an administrator's other edits of the role stay; a fresh
database has no roles yet at this point and gets them from ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "field technicians may record payments"

GRANT_PAYMENTS = """
UPDATE role
SET permissions = jsonb_set(
    permissions, ARRAY['finance'],
    COALESCE(permissions -> 'finance', '[]'::jsonb) || '["create"]'::jsonb
)
WHERE code = 'field_technician' AND is_builtin
  AND NOT COALESCE(permissions -> 'finance', '[]'::jsonb) @> '["create"]'::jsonb
"""


async def grant_payments() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_querystring(QueryString(GRANT_PAYMENTS))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="dispatch", description=DESCRIPTION)
    manager.add_raw(grant_payments)
    return manager
