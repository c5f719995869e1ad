"""Indexes Piccolo's auto migrations cannot express (full-text, multi-column, descending)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T11:30:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes"

STATEMENTS = (
    "CREATE INDEX client_search ON client USING gin (to_tsvector('simple', search_text))",
    "CREATE INDEX client_name_prefix ON client (lower(name) text_pattern_ops)",
    "CREATE INDEX client_phone_client ON client_phone (client)",
    "CREATE INDEX client_email_client ON client_email (client)",
    "CREATE INDEX client_address_client ON client_address (client)",
    "CREATE INDEX device_client ON device (client)",
    "CREATE INDEX reminder_assignee_due ON reminder (assignee, due_at) WHERE done_at IS NULL",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="clients", description=DESCRIPTION)

    async def add_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(add_indexes)
    return manager
