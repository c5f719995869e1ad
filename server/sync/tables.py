"""The record of pushed mutations and of the conflicts they met.

The change log read by pulls (`sync_change`: entity, entity_id, xid, filled by triggers on the
tracked tables) is created by raw SQL in the migrations: it is written by the database, not by
Python, and read by one query in server/sync/pull.py.
"""

from piccolo.columns import JSONB, UUID, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from server.orders.tables import Order
from server.staff.tables import Employee


class SyncMutation(Table, tablename="sync_mutation"):
    """A mutation id seen once: it is never applied again; `answer` is repeated to retries."""

    id = UUID(primary_key=True)
    employee = ForeignKey(references=Employee, null=False, index=True)
    kind = Varchar(length=30)
    entity_id = Integer()
    result = Varchar(length=10, help_text="applied | conflict | rejected")
    answer = JSONB(default={})
    received_at = Timestamptz()


class SyncConflict(Table, tablename="sync_conflict"):
    """A master's change that met a newer server value; shown to the dispatcher on the order."""

    id = Serial(primary_key=True)
    mutation = UUID()
    order = ForeignKey(references=Order, null=False, index=True)
    employee = ForeignKey(references=Employee, null=False)
    fields = JSONB(default={}, help_text="{field: {base, mine, server}}")
    note = Text(default="")
    created_at = Timestamptz()
    resolved_at = Timestamptz(null=True, default=None)
