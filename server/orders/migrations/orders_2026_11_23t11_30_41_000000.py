"""Indexes Piccolo's auto migrations cannot express (full-text, multi-column, descending)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T11:30:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes"

STATEMENTS = (
    "CREATE INDEX service_order_search ON service_order USING gin (to_tsvector('simple', search_text))",
    "CREATE INDEX service_order_keyset ON service_order (created_at DESC, id DESC)",
    "CREATE INDEX service_order_status_keyset ON service_order (status, created_at DESC, id DESC)",
    "CREATE INDEX service_order_client ON service_order (client)",
    "CREATE INDEX service_order_device ON service_order (device)",
    'CREATE INDEX timeline_event_order_at ON timeline_event ("order", at)',
    "CREATE UNIQUE INDEX list_columns_employee ON list_columns (employee, list_name)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="orders", description=DESCRIPTION)

    async def add_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(add_indexes)
    return manager
