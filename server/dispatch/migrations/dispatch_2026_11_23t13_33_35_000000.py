"""A master's day is read by (master, day): one index for it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T13:33:35:000000"
VERSION = "1.38.0"
DESCRIPTION = "visit (master, day) index"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="dispatch", description=DESCRIPTION)

    async def index() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_querystring(
            QueryString(
                "CREATE INDEX IF NOT EXISTS visit_master_day ON visit (master, day, sequence)"
            )
        )

    manager.add_raw(index)
    return manager
