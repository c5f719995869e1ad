"""procrastinate's schema (tables, types, functions) for the locked procrastinate version.

A later procrastinate upgrade brings its own SQL migrations (procrastinate/sql/migrations);
they are applied by a new migration here, in the order procrastinate lists them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "job queue schema"


async def apply_schema() -> None:
    from procrastinate.schema import SchemaManager

    engine = engine_finder()
    assert engine is not None
    conn = await engine.get_new_connection()  # type: ignore[attr-defined]
    try:
        exists = await conn.fetchval("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        if not exists:
            await conn.execute(SchemaManager.get_schema())  # many statements: simple protocol
    finally:
        await conn.close()


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="jobs", description=DESCRIPTION)
    manager.add_raw(apply_schema)
    return manager
