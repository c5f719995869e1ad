"""Reference cache: `ref_generation` holds a random mark per watched table, written anew by a
statement trigger in the same transaction as every change to the table (see server/refcache)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T13:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reference cache: marks of the watched tables"

TABLES = (
    "employee",
    "employee_role",
    "role",
    "master_profile",
    "master_weekday",
    "calendar_exception",
    "partner_organization",
    "order_status",
    "order_type",
    "status_transition",
    "custom_field",
    "price_item",
    "order_type_act",
    "act_kind",
    "print_template",
    "sla_work_week",
    "sla_calendar_day",
    "sla_policy",
    "stock_warehouse",
)

MARKS = """
CREATE TABLE IF NOT EXISTS ref_generation (
    name varchar(63) PRIMARY KEY,
    mark uuid NOT NULL
)
"""

MARKING = """
CREATE OR REPLACE FUNCTION ref_generation_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ref_generation (name, mark) VALUES (TG_TABLE_NAME, gen_random_uuid())
    ON CONFLICT (name) DO UPDATE SET mark = EXCLUDED.mark;
    RETURN NULL;
END
$$;
"""

TRIGGER = """
CREATE OR REPLACE TRIGGER ref_generation_mark
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION ref_generation_mark()
"""


async def create() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(MARKS)
    await engine.run_ddl(MARKING)
    for table in TABLES:
        await engine.run_ddl(TRIGGER.format(table=table))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="refcache", description=DESCRIPTION)
    manager.add_raw(create)
    return manager
