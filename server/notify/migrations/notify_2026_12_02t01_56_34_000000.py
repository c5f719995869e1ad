"""A rule works on an event once, a preference is one per employee and event, and the bell's
unread count reads a partial index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T01:56:34:000000"
VERSION = "1.38.0"
DESCRIPTION = "notify constraints"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="notify", description=DESCRIPTION)

    async def constraints() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in (
            "ALTER TABLE notify_rule_run ADD CONSTRAINT notify_rule_run_once"
            " UNIQUE (rule, notify_event)",
            "ALTER TABLE notify_preference ADD CONSTRAINT notify_preference_once"
            " UNIQUE (employee, event)",
            "CREATE INDEX notify_message_unread ON notify_message (employee)"
            " WHERE channel = 'inapp' AND read_at IS NULL",
            "CREATE INDEX notify_message_due ON notify_message (next_attempt_at)"
            " WHERE status = 'queued'",
        ):
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(constraints)
    return manager
