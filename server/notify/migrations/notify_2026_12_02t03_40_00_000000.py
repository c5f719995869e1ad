"""Settling events by key prefix reads an index: the keys in byte order ("C" collation),
where a prefix is a range."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T03:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "notify event keys in byte order"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="notify", description=DESCRIPTION)

    async def index() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_querystring(
            QueryString(
                "CREATE INDEX IF NOT EXISTS notify_event_key_bytes"
                ' ON notify_event ((key COLLATE "C")) WHERE settled_at IS NULL'
            )
        )

    manager.add_raw(index)
    return manager
