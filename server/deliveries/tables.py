"""Shipments as stored in PostgreSQL: the shipment, its status history and the numbering."""

from piccolo.columns import (
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

from server.clients.tables import Client
from server.orders.tables import Order
from server.partners.tables import Organization
from server.staff.tables import Employee


class Shipment(Table, tablename="delivery_shipment"):
    """A parcel on its way to or from a client, a partner or a supplier (отправление)."""

    id = Serial(primary_key=True)
    number = Varchar(length=30, unique=True, help_text="ОТ-000001")
    direction = Varchar(
        length=20,
        help_text="to_client | from_client | to_partner | from_partner | to_supplier | "
        "from_supplier",
    )
    client_id = ForeignKey(references=Client, null=True, on_delete=OnDelete.set_null, index=True)
    partner_id = ForeignKey(
        references=Organization, null=True, on_delete=OnDelete.set_null, index=True
    )
    supplier_name = Varchar(length=200, default="", help_text="For to/from a supplier.")
    order_id = ForeignKey(references=Order, null=True, on_delete=OnDelete.set_null, index=True)
    carrier = Varchar(length=20, help_text="cdek | own_courier | other")
    carrier_name = Varchar(length=100, default="", help_text="The other carrier's name.")
    tracking_number = Varchar(length=50, default="", index=True)
    status = Varchar(
        length=20, index=True, help_text="draft | sent | in_transit | delivered | returned | lost"
    )
    from_address = Text(default="")
    to_address = Text(default="")
    contact = Varchar(length=300, default="", help_text="The recipient's name and phone.")
    weight_kg = Numeric(digits=(10, 3), null=True, default=None)
    places = Integer(default=1)
    cost = Numeric(digits=(12, 2), null=True, default=None, help_text="What the delivery costs.")
    sent_on = Date(null=True, default=None)
    expected_on = Date(null=True, default=None)
    delivered_at = Timestamptz(null=True, default=None)
    note = Text(default="")
    carrier_uuid = Varchar(length=64, default="", help_text="The carrier's own id of it.")
    carrier_status = Varchar(length=300, default="", help_text="The carrier's status text.")
    carrier_status_code = Varchar(length=100, default="")
    carrier_status_at = Timestamptz(null=True, default=None)
    carrier_checked_at = Timestamptz(
        null=True, default=None, help_text="The last refresh from the carrier (or its try)."
    )
    carrier_error = Text(default="", help_text="Why the last refresh failed; empty when it worked.")
    search_text = Text(default="", help_text="Number, tracking number, supplier, addresses.")
    created_by = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ShipmentEvent(Table, tablename="delivery_shipment_event"):
    """One change of a shipment's status (ours or the carrier's), when and from whom."""

    id = Serial(primary_key=True)
    shipment = ForeignKey(references=Shipment, null=False, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    source = Varchar(length=10, help_text="person | carrier")
    author = ForeignKey(references=Employee, null=True, on_delete=OnDelete.set_null)
    status_from = Varchar(length=20, default="")
    status_to = Varchar(length=20, default="")
    carrier_status = Varchar(length=300, default="")
    carrier_status_code = Varchar(length=100, default="")
    carrier_at = Timestamptz(null=True, default=None, help_text="When the carrier says it was.")
    city = Varchar(length=200, default="")
    note = Text(default="")


class ShipmentNumberCounter(Table, tablename="delivery_number_counter"):
    """The last shipment number given per prefix."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = Integer(default=0)
