"""Indexes of master calendars: one weekly row per weekday, exceptions found by master and day."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-01T22:39:15:000000"
VERSION = "1.38.0"
DESCRIPTION = "master calendar indexes"

INDEXES = (
    "CREATE UNIQUE INDEX master_weekday_pair ON master_weekday (employee, weekday)",
    "CREATE INDEX calendar_exception_days ON calendar_exception (employee, last_day, first_day)",
    "ALTER TABLE master_weekday ADD CONSTRAINT master_weekday_range "
    "CHECK (weekday BETWEEN 0 AND 6)",
    "ALTER TABLE calendar_exception ADD CONSTRAINT calendar_exception_order "
    "CHECK (first_day <= last_day)",
)


async def add_indexes() -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in INDEXES:
        await engine.run_querystring(QueryString(statement))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)
    manager.add_raw(add_indexes)
    return manager
