"""Stock: an index on items' names, so the levels list (by item name) walks the items in
name order and stops at its page instead of joining and sorting every level (tests/perf/
bench_stock, 39,362 levels: its query 35-45 ms -> 5 ms).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-03T10:56:09:003156"
VERSION = "1.38.0"
DESCRIPTION = "stock: items by name, for the levels list"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="stock", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="StockItem",
        tablename="stock_item",
        column_name="name",
        db_column_name="name",
        params={"index": True},
        old_params={"index": False},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
