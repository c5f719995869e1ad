"""The change log read by pulls, filled by triggers on every table the field app mirrors.

Each row says: entity `entity`/`entity_id` was last changed by transaction `xid`. A pull
returns the entities with xid ≥ its cursor's watermark and sets the next watermark to the
oldest transaction still running (server/sync/pull.py explains why nothing is missed).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T13:44:56:000000"
VERSION = "1.38.0"
DESCRIPTION = "sync change log and its triggers"

# table -> (entity, column holding the entity's id)
TRACKED = {
    "visit": ("visit", "id"),
    "service_order": ("order", "id"),
    "order_line": ("order", "order"),
    "order_payment": ("order", "order"),
    "timeline_event": ("order", "order"),
    "client": ("client", "id"),
    "client_phone": ("client", "client"),
    "client_email": ("client", "client"),
    "client_address": ("client", "client"),
    "device": ("device", "id"),
    "price_item": ("price_item", "id"),
}

SETUP = (
    """CREATE TABLE IF NOT EXISTS sync_change (
    entity varchar(20) NOT NULL,
    entity_id bigint NOT NULL,
    xid bigint NOT NULL,
    PRIMARY KEY (entity, entity_id)
)""",
    "CREATE INDEX IF NOT EXISTS sync_change_xid ON sync_change (xid)",
    """CREATE OR REPLACE FUNCTION sync_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
    key bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
    key := (changed ->> TG_ARGV[1])::bigint;
    IF key IS NOT NULL THEN
        INSERT INTO sync_change (entity, entity_id, xid)
        VALUES (TG_ARGV[0], key, pg_current_xact_id()::text::bigint)
        ON CONFLICT (entity, entity_id) DO UPDATE SET xid = EXCLUDED.xid
        WHERE sync_change.xid <> EXCLUDED.xid;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_ARGV[1] <> 'id' THEN
        key := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
        IF key IS NOT NULL THEN
            INSERT INTO sync_change (entity, entity_id, xid)
            VALUES (TG_ARGV[0], key, pg_current_xact_id()::text::bigint)
            ON CONFLICT (entity, entity_id) DO UPDATE SET xid = EXCLUDED.xid
            WHERE sync_change.xid <> EXCLUDED.xid;
        END IF;
    END IF;
    RETURN NULL;
END $$""",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="sync", description=DESCRIPTION)

    async def setup() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in SETUP:
            await engine.run_querystring(QueryString(statement))
        for table, (entity, column) in TRACKED.items():
            await engine.run_querystring(
                QueryString(f"DROP TRIGGER IF EXISTS sync_track ON {table}")
            )
            await engine.run_querystring(
                QueryString(
                    f"CREATE TRIGGER sync_track AFTER INSERT OR UPDATE OR DELETE ON {table}"
                    f" FOR EACH ROW EXECUTE FUNCTION sync_track('{entity}', '{column}')"
                )
            )

    manager.add_raw(setup)
    return manager
