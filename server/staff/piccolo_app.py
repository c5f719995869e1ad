"""Piccolo app of the staff domain: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="staff",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=table_finder(modules=["server.staff.tables"], exclude_imported=True),
    migration_dependencies=["server.partners.piccolo_app"],
    commands=[],
)
