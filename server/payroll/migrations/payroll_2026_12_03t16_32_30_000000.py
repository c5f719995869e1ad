"""Payroll: what the tables cannot say through Piccolo columns — periods never overlap
(whatever path wrote them), and a period's lines are read by period and payee.

(A separate migration: Piccolo runs a migration's raw statements before its new tables.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T16:32:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "payroll: periods never overlap, lines by period and payee"

STATEMENTS = (
    "ALTER TABLE payroll_period ADD CONSTRAINT payroll_period_no_overlap"
    " EXCLUDE USING gist (daterange(first_day, last_day, '[]') WITH &&)",
    "ALTER TABLE payroll_period ADD CONSTRAINT payroll_period_in_order"
    " CHECK (last_day >= first_day)",
    "CREATE INDEX payroll_line_of ON payroll_line (period_id, payee, payee_id)",
    "CREATE INDEX payroll_line_corrects ON payroll_line (for_period_id)"
    " WHERE for_period_id IS NOT NULL",
)


async def add_constraints() -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in STATEMENTS:
        await engine.run_querystring(QueryString(statement))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="payroll", description=DESCRIPTION)
    manager.add_raw(add_constraints)
    return manager
