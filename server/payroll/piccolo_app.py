"""Piccolo app of the payroll domain: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="payroll",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.payroll.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
