"""Indexes Piccolo's auto migrations cannot express."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T11:13:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def add_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_querystring(
            QueryString("CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC)")
        )

    manager.add_raw(add_indexes)
    return manager
