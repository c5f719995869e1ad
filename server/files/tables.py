"""Stored files and what they belong to."""

from piccolo.columns import UUID, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.acts.tables import ActKind
from server.dispatch.tables import Visit
from server.orders.tables import Order
from server.staff.tables import Employee


class StoredFile(Table, tablename="stored_file"):
    """A file kept in the file store; `storage_key` is its name there."""

    id = UUID(primary_key=True)
    order = ForeignKey(references=Order, null=True, index=True)
    name = Varchar(length=200, help_text="Name shown to people (the uploaded one, cleaned).")
    content_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)
    storage_key = Varchar(length=100, unique=True)
    created_by = ForeignKey(references=Employee, null=True)
    created_at = Timestamptz()
    act_kind = ForeignKey(
        references=ActKind, null=True, default=None, help_text="The act this document is."
    )
    act_visit = ForeignKey(
        references=Visit,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        help_text="The visit the act is for (empty: every visit of the order).",
    )
