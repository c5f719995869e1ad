"""Cash desk: what the tables cannot say through Piccolo columns — one open shift per desk,
shift numbers unique per desk, positive amounts and known kinds and methods, whatever path
wrote them.

(A separate migration: Piccolo runs a migration's raw statements before its new tables.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T15:36:51:000000"
VERSION = "1.38.0"
DESCRIPTION = "cash desk: one open shift per desk, amount and kind checks"

STATEMENTS = (
    "CREATE UNIQUE INDEX cashdesk_shift_one_open ON cashdesk_shift (desk_id)"
    " WHERE closed_at IS NULL",
    "CREATE UNIQUE INDEX cashdesk_shift_number ON cashdesk_shift (desk_id, number)",
    "CREATE INDEX cashdesk_document_listed ON cashdesk_document (at DESC, id DESC)",
    "ALTER TABLE cashdesk_document ADD CONSTRAINT cashdesk_document_amount_positive"
    " CHECK (amount > 0)",
    "ALTER TABLE cashdesk_document ADD CONSTRAINT cashdesk_document_kind_known"
    " CHECK (kind IN ('payment', 'refund', 'cash_in', 'cash_out'))",
    "ALTER TABLE cashdesk_document_part ADD CONSTRAINT cashdesk_document_part_amount_positive"
    " CHECK (amount > 0)",
    "ALTER TABLE cashdesk_document_part ADD CONSTRAINT cashdesk_document_part_method_known"
    " CHECK (method IN ('cash', 'card', 'sbp', 'transfer'))",
    "ALTER TABLE cashdesk_shift ADD CONSTRAINT cashdesk_shift_opening_not_negative"
    " CHECK (opening_balance >= 0)",
)


async def add_constraints() -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in STATEMENTS:
        await engine.run_querystring(QueryString(statement))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cashdesk", description=DESCRIPTION)
    manager.add_raw(add_constraints)
    return manager
