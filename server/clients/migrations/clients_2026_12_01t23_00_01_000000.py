"""Existing addresses get their geocoding state: coordinates already there were typed by a
person (manual, never overwritten); the others wait for the geocoder (pending). A lone latitude
or longitude (the old form allowed one) is dropped: a point needs both.

The index serves the geocoding job (pending and failed ones, oldest first) and the list of
addresses without coordinates.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-01T23:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "geocoding state of existing addresses"

STATEMENTS = (
    "UPDATE client_address SET lat = NULL, lon = NULL WHERE (lat IS NULL) <> (lon IS NULL)",
    "UPDATE client_address SET geo_status = 'manual' WHERE lat IS NOT NULL AND lon IS NOT NULL",
    "UPDATE client_address SET geo_status = 'pending' WHERE lat IS NULL",
    "CREATE INDEX client_address_unlocated ON client_address (geo_status, id) "
    "WHERE geo_status IN ('pending', 'not_found', 'failed')",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="clients", description=DESCRIPTION)

    async def set_states() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(set_states)
    return manager
