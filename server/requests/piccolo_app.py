"""Piccolo app of the requests domain: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="requests",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.requests.tables"], exclude_imported=True),
    migration_dependencies=[
        "server.partners.piccolo_app",
        "server.staff.piccolo_app",
        "server.orders.piccolo_app",
    ],
    commands=[],
)
