"""The shipped «Ready» status writes the parts reserved for an order off the stock.

Only lines that come from a warehouse (new with stock) are affected, so adding the rule to an
existing workflow changes nothing else; a fresh database gets it from the defaults.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T18:50:45:000000"
VERSION = "1.38.0"
DESCRIPTION = "the ready status consumes reserved parts"

ADD_RULE = """
UPDATE order_status SET rules = array_append(rules, 'consumes_parts')
WHERE code = 'ready' AND NOT ('consumes_parts' = ANY(rules))
"""


async def add_rule() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_querystring(QueryString(ADD_RULE))


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="orders", description=DESCRIPTION)
    manager.add_raw(add_rule)
    return manager
