"""Stock: what the tables cannot say through Piccolo columns — one level per (warehouse,
item), the indexes an item's history and a warehouse's levels are read by, and the checks that
keep reservations within what they need.

(A separate migration: Piccolo runs a migration's raw statements before its new tables.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T18:13:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "stock: unique levels, history indexes, reservation checks"

INDEXES = (
    "CREATE UNIQUE INDEX stock_level_place ON stock_level (warehouse_id, item_id)",
    "CREATE INDEX stock_move_item ON stock_move (item_id, id)",
    "CREATE INDEX stock_move_place ON stock_move (warehouse_id, item_id, id)",
    "CREATE INDEX stock_reservation_place ON stock_reservation (warehouse_id, item_id)",
    "ALTER TABLE stock_level ADD CONSTRAINT stock_level_reserved_not_negative"
    " CHECK (reserved >= 0)",
    "ALTER TABLE stock_reservation ADD CONSTRAINT stock_reservation_held"
    " CHECK (quantity > 0 AND held >= 0 AND held <= quantity)",
)


async def add_indexes() -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in INDEXES:
        await engine.run_querystring(QueryString(statement))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="stock", description=DESCRIPTION)
    manager.add_raw(add_indexes)
    return manager
