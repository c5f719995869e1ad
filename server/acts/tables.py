"""Act kinds, the kinds each order type's visits must end with, and the open requests."""

from piccolo.columns import Boolean, Date, ForeignKey, Serial, SmallInt, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.dispatch.tables import Visit
from server.orders.tables import Order, OrderType
from server.staff.tables import Employee


class ActKind(Table, tablename="act_kind"):
    """A kind of document (акт): work completion, reclamation... switched off, never deleted."""

    id = Serial(primary_key=True)
    code = Varchar(length=50, unique=True, help_text="Latin letters, digits, _ and -.")
    name = Varchar(length=100, help_text="Shown to people (a shipped one is translated).")
    is_active = Boolean(default=True)
    sort = SmallInt(default=0)


class OrderTypeAct(Table, tablename="order_type_act"):
    """An act kind every visit of orders of the type must end with, from `created_at`'s day."""

    id = Serial(primary_key=True)
    order_type = ForeignKey(references=OrderType, null=False, on_delete=OnDelete.cascade)
    act_kind = ForeignKey(references=ActKind, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(help_text="Visits of days before this one are not asked for it.")


class ActRequest(Table, tablename="act_request"):
    """The assignee of a visit asked for an act: open until it is attached (or not needed)."""

    id = Serial(primary_key=True)
    visit = ForeignKey(references=Visit, null=False, on_delete=OnDelete.cascade)
    act_kind = ForeignKey(references=ActKind, null=False, on_delete=OnDelete.cascade)
    order = ForeignKey(references=Order, null=False, index=True, on_delete=OnDelete.cascade)
    employee = ForeignKey(references=Employee, null=True, index=True)
    visit_day = Date()
    opened_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None, index=True)
    round = SmallInt(default=1, help_text="How many times it was opened (the reminders' key).")
    closed_reason = Varchar(
        length=20, default="", help_text="attached | cancelled | not_required (when closed)."
    )
