"""Piccolo app of the sync domain: its tables, the change log and its triggers."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="sync",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.sync.tables"], exclude_imported=True),
    migration_dependencies=[
        "server.dispatch.piccolo_app",
        "server.orders.piccolo_app",
        "server.clients.piccolo_app",
        "server.files.piccolo_app",
    ],
    commands=[],
)
