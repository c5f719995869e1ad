"""The payroll section for the built-in manager role of an existing database.

Only a role that has no payroll entry yet gets one, so an administrator's later edits of a
role stay; the admin role holds every section anyway, and a fresh database gets its roles from
ensure_builtin_roles().
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "payroll section for the built-in manager role"

GRANT = """
UPDATE role
SET permissions = jsonb_set(permissions, ARRAY['payroll'], to_jsonb({}::text[]))
WHERE code = 'manager' AND is_builtin AND NOT permissions ? 'payroll'
"""


async def grant_payroll() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_querystring(QueryString(GRANT, ["view", "create", "edit", "export"]))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(grant_payroll)
    return manager
