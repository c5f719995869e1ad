"""Purchasing as stored in PostgreSQL: suppliers, supplier orders with their lines, status
history and receipts, and the numbering.

Stock items, warehouses, stock documents and repair orders belong to other domains: they are
kept here by id only (read through those domains' api.py), as stock keeps orders.
"""

from decimal import Decimal

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.staff.tables import Employee

QUANTITY = (12, 3)
MONEY = (12, 2)
ZERO = Decimal("0")


class Supplier(Table, tablename="purchasing_supplier"):
    """A company parts are bought from (поставщик)."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    inn = Varchar(length=12, default="", help_text="10 or 12 digits with valid check digits.")
    contact_person = Varchar(length=200, default="")
    phone = Varchar(length=20, default="", help_text="E.164 (+7…).")
    email = Varchar(length=254, default="")
    note = Text(default="")
    is_active = Boolean(default=True)
    search_text = Text(default="", help_text="Name, INN, contact, phone and email words.")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SupplierOrder(Table, tablename="purchasing_order"):
    """An order placed with a supplier, received into one warehouse (заказ поставщику)."""

    id = Serial(primary_key=True)
    number = Varchar(length=30, unique=True, help_text="ЗП-000001")
    supplier = ForeignKey(references=Supplier, null=False, on_delete=OnDelete.restrict, index=True)
    warehouse_id = Integer(index=True, help_text="The stock warehouse it is received into.")
    status = Varchar(
        length=20,
        index=True,
        help_text="draft | sent | confirmed | partly_received | received | cancelled",
    )
    expected_on = Date(null=True, default=None)
    note = Text(default="")
    search_text = Text(default="", help_text="Number, supplier and note words.")
    created_by = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SupplierOrderLine(Table, tablename="purchasing_order_line"):
    """A stock item ordered: how many, at what price, how many arrived; optionally the repair
    order line it is for."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=SupplierOrder, null=False, on_delete=OnDelete.cascade, index=True)
    item_id = Integer(index=True, help_text="The stock item.")
    quantity = Numeric(digits=QUANTITY)
    unit_price = Numeric(digits=MONEY, default=ZERO, help_text="The purchase price per unit.")
    received = Numeric(digits=QUANTITY, default=ZERO)
    repair_order_id = Integer(null=True, default=None, index=True, help_text="A repair order.")
    repair_line_id = Integer(null=True, default=None, index=True, help_text="Its part line.")
    created_at = Timestamptz()


class SupplierOrderEvent(Table, tablename="purchasing_order_event"):
    """One change of a supplier order's status, when and by whom."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=SupplierOrder, null=False, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    author = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    status_from = Varchar(length=20, default="")
    status_to = Varchar(length=20, default="")
    note = Text(default="")


class SupplierReceipt(Table, tablename="purchasing_receipt"):
    """A stock receipt posted for a supplier order (what arrived is on the stock document)."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=SupplierOrder, null=False, on_delete=OnDelete.cascade, index=True)
    document_id = Integer(help_text="The stock document (kind receipt).")
    document_number = Varchar(length=30)
    supplier_document = Varchar(length=100, default="", help_text="The supplier's invoice no.")
    author = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz()


class PurchaseNumberCounter(Table, tablename="purchasing_number_counter"):
    """The last supplier order number given per prefix."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = Integer(default=0)


class PartExpertise(Table, tablename="purchasing_expertise"):
    """The expertise of a defective part before its replacement is ordered: the expert asks the
    field master or the partner for the part (its shipment, if any, is tracked in deliveries),
    then records whether the defect is confirmed. Not confirmed: the line is taken off."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=SupplierOrder, null=False, on_delete=OnDelete.cascade, index=True)
    line_id = Integer(
        null=True, default=None, index=True, help_text="The line; none once taken off."
    )
    item_id = Integer(help_text="The stock item the line ordered.")
    repair_order_id = Integer(null=True, default=None, help_text="The repair it is for.")
    source = Varchar(length=10, help_text="field | partner: who sends the defective part.")
    status = Varchar(length=20, help_text="requested | confirmed | not_confirmed")
    shipment_id = Integer(null=True, default=None, help_text="The part's shipment (deliveries).")
    note = Text(default="")
    result_note = Text(default="")
    requested_by = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    requested_at = Timestamptz()
    decided_by = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)
