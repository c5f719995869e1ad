"""Reference cache: the expense categories are watched too (read three times per finance
page before)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T20:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reference cache: expense categories"

TABLES = ("finance_expense_category",)

TRIGGER = """
CREATE OR REPLACE TRIGGER ref_generation_mark
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION ref_generation_mark()
"""


async def create() -> None:
    engine = engine_finder()
    assert engine is not None
    for table in TABLES:
        await engine.run_ddl(TRIGGER.format(table=table))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="refcache", description=DESCRIPTION)
    manager.add_raw(create)
    return manager
