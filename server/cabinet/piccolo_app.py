"""Piccolo app of the customer cabinet: its links, sessions and throttle log."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="cabinet",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.cabinet.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
