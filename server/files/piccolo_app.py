"""Piccolo app of the files domain: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="files",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.files.tables"], exclude_imported=True),
    migration_dependencies=["server.orders.piccolo_app", "server.acts.piccolo_app"],
    commands=[],
)
