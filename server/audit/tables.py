"""The audit log table."""

from piccolo.columns import JSONB, Array, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.table import Table

from server.staff.tables import Employee


class AuditEntry(Table, tablename="audit_log"):
    """One change to one record: {field: [old, new]} in `changes`."""

    id = Serial(primary_key=True)
    at = Timestamptz(index=True)
    actor = ForeignKey(references=Employee, null=True)
    entity = Varchar(length=50, help_text="Kind of record, e.g. 'employee'.")
    entity_id = Varchar(length=50)
    action = Varchar(length=30, help_text="create, update, deactivate, login, ...")
    changes = JSONB(default={})
    ip = Varchar(length=64, default="")
    scope = Varchar(
        length=50,
        default="",
        index=True,
        help_text="Record this change belongs to, e.g. 'order:12'.",
    )
    hidden_from_roles = Array(base_column=Varchar(length=50), default=[])
