"""Existing orders get their own search words from their full ones (renewed at the next change)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T12:35:08:000000"
VERSION = "1.38.0"
DESCRIPTION = "backfill own search words"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="orders", description=DESCRIPTION)

    async def backfill() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_querystring(
            QueryString("UPDATE service_order SET search_own = search_text WHERE search_own = ''")
        )

    manager.add_raw(backfill)
    return manager
