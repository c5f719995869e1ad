from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T23:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "client addresses keep their geocoding state"

COMMON = {
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="clients", description=DESCRIPTION)

    manager.add_column(
        table_class_name="ClientAddress",
        tablename="client_address",
        column_name="geo_status",
        db_column_name="geo_status",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 12, "default": "pending", "null": False, **COMMON},
        schema=None,
    )
    manager.add_column(
        table_class_name="ClientAddress",
        tablename="client_address",
        column_name="geocoded_at",
        db_column_name="geocoded_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={"default": None, "null": True, **COMMON},
        schema=None,
    )
    manager.add_column(
        table_class_name="ClientAddress",
        tablename="client_address",
        column_name="geo_note",
        db_column_name="geo_note",
        column_class_name="Text",
        column_class=Text,
        params={"default": "", "null": False, **COMMON},
        schema=None,
    )

    return manager
