"""Purchasing: what the tables cannot say through Piccolo columns — the list's keyset index,
the search indexes, and the checks on quantities and prices (nothing received beyond what was
ordered, whatever path wrote it).

(A separate migration: Piccolo runs a migration's raw statements before its new tables.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-03T09:55:33:000000"
VERSION = "1.38.0"
DESCRIPTION = "purchasing: list and search indexes, quantity and price checks"

STATEMENTS = (
    "CREATE INDEX purchasing_order_listed ON purchasing_order (created_at DESC, id DESC)",
    "CREATE INDEX purchasing_order_search ON purchasing_order"
    " USING gin (to_tsvector('simple', search_text))",
    "CREATE INDEX purchasing_supplier_search ON purchasing_supplier"
    " USING gin (to_tsvector('simple', search_text))",
    'CREATE INDEX purchasing_order_event_of ON purchasing_order_event ("order", at, id)',
    "ALTER TABLE purchasing_order_line ADD CONSTRAINT purchasing_order_line_quantity_positive"
    " CHECK (quantity > 0)",
    "ALTER TABLE purchasing_order_line ADD CONSTRAINT purchasing_order_line_received_in_range"
    " CHECK (received >= 0 AND received <= quantity)",
    "ALTER TABLE purchasing_order_line ADD CONSTRAINT purchasing_order_line_price_not_negative"
    " CHECK (unit_price >= 0)",
)


async def add_indexes() -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in STATEMENTS:
        await engine.run_querystring(QueryString(statement))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="purchasing", description=DESCRIPTION)
    manager.add_raw(add_indexes)
    return manager
