"""Piccolo app of the deliveries domain: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="deliveries",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.deliveries.tables"], exclude_imported=True),
    migration_dependencies=[
        "server.clients.piccolo_app",
        "server.orders.piccolo_app",
        "server.partners.piccolo_app",
        "server.staff.piccolo_app",
    ],
    commands=[],
)
