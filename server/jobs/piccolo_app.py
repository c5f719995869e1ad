"""Piccolo app of the job queue: only its migrations (procrastinate's own tables)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="jobs",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[],
    migration_dependencies=[],
    commands=[],
)
