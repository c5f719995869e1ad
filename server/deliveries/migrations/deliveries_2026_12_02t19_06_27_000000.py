"""Deliveries: what the tables cannot say through Piccolo columns — the list's keyset index,
the search index, the refresh's index of open shipments with a carrier, and the checks on
costs, weights and places.

(A separate migration: Piccolo runs a migration's raw statements before its new tables.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T19:06:27:000000"
VERSION = "1.38.0"
DESCRIPTION = "deliveries: list and search indexes, open shipments, checks"

STATEMENTS = (
    "CREATE INDEX delivery_shipment_listed ON delivery_shipment (created_at DESC, id DESC)",
    "CREATE INDEX delivery_shipment_search ON delivery_shipment"
    " USING gin (to_tsvector('simple', search_text))",
    "CREATE INDEX delivery_shipment_open ON delivery_shipment (carrier, carrier_checked_at)"
    " WHERE status IN ('draft', 'sent', 'in_transit') AND tracking_number <> ''",
    "CREATE INDEX delivery_shipment_event_of ON delivery_shipment_event (shipment, at, id)",
    "ALTER TABLE delivery_shipment ADD CONSTRAINT delivery_shipment_cost_not_negative"
    " CHECK (cost IS NULL OR cost >= 0)",
    "ALTER TABLE delivery_shipment ADD CONSTRAINT delivery_shipment_weight_not_negative"
    " CHECK (weight_kg IS NULL OR weight_kg >= 0)",
    "ALTER TABLE delivery_shipment ADD CONSTRAINT delivery_shipment_places_positive"
    " CHECK (places >= 1)",
)


async def add_indexes() -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in STATEMENTS:
        await engine.run_querystring(QueryString(statement))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="deliveries", description=DESCRIPTION)
    manager.add_raw(add_indexes)
    return manager
