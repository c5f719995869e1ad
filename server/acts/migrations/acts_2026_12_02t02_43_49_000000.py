"""A kind is asked of an order type once, a visit's act is requested once, and the open
requests per employee read a partial index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T02:43:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "acts constraints"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="acts", description=DESCRIPTION)

    async def constraints() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in (
            "ALTER TABLE order_type_act ADD CONSTRAINT order_type_act_once"
            " UNIQUE (order_type, act_kind)",
            "ALTER TABLE act_request ADD CONSTRAINT act_request_once UNIQUE (visit, act_kind)",
            "CREATE INDEX act_request_open ON act_request (employee) WHERE closed_at IS NULL",
        ):
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(constraints)
    return manager
