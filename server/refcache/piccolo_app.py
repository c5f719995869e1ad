"""Piccolo app of the reference cache: the marks table and the triggers that keep it (no
tables of its own for Piccolo; it runs after the apps whose tables it watches)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="refcache",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[],
    migration_dependencies=[
        "server.staff.piccolo_app",
        "server.partners.piccolo_app",
        "server.orders.piccolo_app",
        "server.acts.piccolo_app",
        "server.documents.piccolo_app",
        "server.sla.piccolo_app",
        "server.stock.piccolo_app",
    ],
    commands=[],
)
