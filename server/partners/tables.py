"""Partner organizations as stored in PostgreSQL."""

from piccolo.columns import Array, Boolean, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class Organization(Table, tablename="partner_organization"):
    """A dealer or a partner service center; its employees log in and see only its work."""

    id = Serial(primary_key=True)
    kind = Varchar(length=20, help_text="dealer | service_center")
    name = Varchar(length=200)
    legal_name = Varchar(length=300, default="")
    inn = Varchar(length=12, default="")
    phone = Varchar(length=32, default="")
    email = Varchar(length=254, default="")
    address = Text(default="")
    manufacturers = Array(
        base_column=Varchar(length=100),
        default=[],
        help_text="Brands a service center is authorized for (empty: all).",
    )
    note = Text(default="")
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()
