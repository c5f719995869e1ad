"""Orders and everything that hangs on them."""

from decimal import Decimal

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    SmallInt,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.clients.tables import Client, Device
from server.partners.tables import Organization
from server.staff.tables import Employee

ZERO = Decimal("0")

MONEY = (12, 2)


class OrderType(Table):
    """In-shop repair, field visit, warranty repair, maintenance... each with its workflow."""

    id = Serial(primary_key=True)
    code = Varchar(length=50, unique=True)
    name = Varchar(length=100)
    is_field = Boolean(default=False, help_text="Orders of this type are served at the client's.")
    auto_assign = Boolean(
        default=False, help_text="Field orders of this type get a master proposed on intake."
    )
    default_deadline_days = Integer(default=7)
    initial_status = Integer(null=True, default=None, help_text="Status id new orders get.")
    is_active = Boolean(default=True)
    sort = SmallInt(default=0)


class OrderStatus(Table):
    """A status of the workflow, with its group and the rules checked on entering it."""

    id = Serial(primary_key=True)
    code = Varchar(length=50, unique=True)
    name = Varchar(length=100)
    color = Varchar(length=7, default="#607d8b")
    group = Varchar(length=20, help_text="new | in_work | waiting | ready | closed | cancelled")
    rules = Array(base_column=Varchar(length=30), default=[])
    sort = SmallInt(default=0)
    is_active = Boolean(default=True)


class StatusTransition(Table):
    """An allowed move between statuses for an order type, optionally limited to roles."""

    id = Serial(primary_key=True)
    order_type = ForeignKey(references=OrderType, null=False)
    from_status = ForeignKey(references=OrderStatus, null=False)
    to_status = ForeignKey(references=OrderStatus, null=False)
    role_codes = Array(base_column=Varchar(length=50), default=[], help_text="Empty: any role.")


class PriceItem(Table):
    """The price list: services, goods and parts."""

    id = Serial(primary_key=True)
    kind = Varchar(length=10, help_text="service | good | part")
    code = Varchar(length=50, default="")
    name = Varchar(length=300)
    price = Numeric(digits=MONEY)
    purchase_price = Numeric(digits=MONEY, default=ZERO)
    warranty_days = Integer(default=0)
    unit = Varchar(length=20, default="шт")
    is_active = Boolean(default=True)


class Order(Table, tablename="service_order"):
    """One repair job (заказ-наряд)."""

    id = Serial(primary_key=True)
    number = Varchar(length=30, unique=True)
    public_code = Varchar(length=12, help_text="Printed on the receipt for the status lookup.")
    order_type = ForeignKey(references=OrderType, null=False)
    status = ForeignKey(references=OrderStatus, null=False)
    priority = Varchar(length=10, default="normal")
    client = ForeignKey(references=Client, null=False)
    device = ForeignKey(references=Device, null=True)
    declared_fault = Text(default="")
    appearance = Text(default="", help_text="Condition on intake: scratches, dents...")
    accessories = Text(default="", help_text="What was handed over with the device.")
    locked_note = Text(default="", secret=True, help_text="PIN or password of the device.")
    estimated_cost = Numeric(digits=MONEY, null=True, default=None)
    due_at = Timestamptz(null=True, default=None, index=True)
    visit_day = Date(null=True, default=None, help_text="The day the client asked for a visit.")
    visit_from = Time(null=True, default=None, help_text="The client's preferred time, from.")
    visit_to = Time(null=True, default=None)
    prepayment = Numeric(digits=MONEY, default=ZERO)
    manager = ForeignKey(references=Employee, null=True)
    technician = ForeignKey(references=Employee, null=True, index=True)
    expert = ForeignKey(references=Employee, null=True, help_text="The technical expert.")
    source_org = ForeignKey(
        references=Organization, null=True, index=True, help_text="The partner who filed it."
    )
    service_center = ForeignKey(
        references=Organization,
        null=True,
        index=True,
        help_text="The partner service center the repair is assigned to.",
    )
    channel = Varchar(
        length=20, default="counter", help_text="counter | phone | website | partner | api"
    )
    assignment = JSONB(
        default={},
        help_text="{role: {rule_id, rule_name} | {by: employee_id}}: what set each responsible.",
    )
    discount_percent = Numeric(digits=(5, 2), default=ZERO, help_text="Client discount applied.")
    discount_reason = Varchar(length=200, default="")
    subtotal = Numeric(digits=MONEY, default=ZERO, help_text="Lines before the client discount.")
    discount_amount = Numeric(digits=MONEY, default=ZERO)
    total = Numeric(digits=MONEY, default=ZERO)
    paid = Numeric(digits=MONEY, default=ZERO)
    amount_due = Numeric(digits=MONEY, default=ZERO)
    custom = JSONB(default={})
    search_text = Text(default="", help_text="Own words and the client's, searched by lists.")
    search_own = Text(default="", help_text="The order's own words, kept to rebuild search_text.")
    version = Integer(default=1, help_text="Raised on every change (optimistic concurrency, sync).")
    created_by = ForeignKey(references=Employee, null=True)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)


class OrderLine(Table):
    """A service, good or part on an order; money computed by the service with Decimal."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, index=True)
    kind = Varchar(length=10)
    price_item = ForeignKey(references=PriceItem, null=True)
    name = Varchar(length=300)
    quantity = Numeric(digits=(10, 3), default=Decimal("1"))
    unit_price = Numeric(digits=MONEY)
    list_price = Numeric(digits=MONEY, null=True, default=None)
    price_reason = Varchar(length=300, default="", help_text="Why the price differs from the list.")
    discount_percent = Numeric(digits=(5, 2), default=ZERO)
    warranty_days = Integer(default=0)
    purchase_price = Numeric(digits=MONEY, default=ZERO)
    total = Numeric(digits=MONEY, default=ZERO)
    warehouse_id = Integer(
        null=True, default=None, help_text="The warehouse its good or part comes from (stock)."
    )
    created_by = ForeignKey(references=Employee, null=True)
    created_at = Timestamptz()


class OrderPayment(Table):
    """Money taken for an order (prepayment included), or given back (a negative amount): one
    row per payment method of a cash desk document, whose number it keeps."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, index=True)
    amount = Numeric(digits=MONEY)
    method = Varchar(length=20, default="cash", help_text="cash | card | sbp | transfer")
    document_id = Integer(null=True, default=None, help_text="The cash desk document.")
    document_number = Varchar(length=40, default="")
    comment = Varchar(length=300, default="")
    author = ForeignKey(references=Employee, null=True)
    at = Timestamptz()


class TimelineEvent(Table):
    """A comment, call, task or attachment on an order (changes come from the audit log)."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, index=True)
    kind = Varchar(length=20)
    text = Text(default="")
    data = JSONB(default={})
    author = ForeignKey(references=Employee, null=True)
    hidden_from_roles = Array(base_column=Varchar(length=50), default=[])
    at = Timestamptz()


class OrderNumberCounter(Table):
    """Last order number given per prefix (e.g. the year '26')."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = Integer(default=0)


class StatusLookup(Table):
    """Tries of the public status lookup, for throttling by address and by number."""

    id = Serial(primary_key=True)
    at = Timestamptz(index=True)
    ip = Varchar(length=64, index=True)
    number = Varchar(length=30, index=True)
    success = Boolean(default=False)


class CustomField(Table):
    """A custom field of orders (of one type or all) or of clients."""

    id = Serial(primary_key=True)
    entity = Varchar(length=10, help_text="order | client")
    order_type = ForeignKey(references=OrderType, null=True)
    code = Varchar(length=50)
    label = Varchar(length=100)
    kind = Varchar(length=10, help_text="text | number | date | choice | checkbox")
    choices = Array(base_column=Varchar(length=100), default=[])
    required = Boolean(default=False)
    sort = SmallInt(default=0)
    is_active = Boolean(default=True)


class SavedFilter(Table):
    """A quick filter an employee saved for a list."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False)
    list_name = Varchar(length=30)
    name = Varchar(length=100)
    query = JSONB(default={})


class ListColumns(Table):
    """Which columns, in which order, an employee wants in a list."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False)
    list_name = Varchar(length=30)
    columns = Array(base_column=Varchar(length=50), default=[])
