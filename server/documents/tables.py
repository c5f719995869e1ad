"""Print templates, the service center's printed details, and prepared downloads.

The employee a row points at is named through the staff app (a lazy reference), so this
module imports no other domain's tables; the foreign keys in the database are the same.
"""

from piccolo.columns import (
    JSONB,
    Array,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

EMPLOYEE = LazyTableReference("Employee", app_name="staff")


class PrintTemplate(Table):
    """An HTML+CSS template of one document kind, optionally limited to order types and brands."""

    id = Serial(primary_key=True)
    kind = Varchar(length=30, index=True, help_text="receipt | handover-act | work-act | ...")
    name = Varchar(length=200)
    source = Text(help_text="Jinja HTML+CSS, checked by printforms.validate_template on save.")
    order_types = Array(
        base_column=Varchar(length=50), default=[], help_text="Order type codes; empty: any."
    )
    manufacturers = Array(
        base_column=Varchar(length=100), default=[], help_text="Brands; empty: any."
    )
    is_default = Boolean(default=False, help_text="At most one default per kind.")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    updated_by: ForeignKey[Table] = ForeignKey(references=EMPLOYEE, null=True)


class CenterSettings(Table):
    """The service center as printed on documents (one row)."""

    id = Serial(primary_key=True)
    name = Varchar(length=300, default="")
    legal_name = Varchar(length=500, default="")
    inn = Varchar(length=12, default="")
    kpp = Varchar(length=9, default="")
    ogrn = Varchar(length=15, default="")
    address = Text(default="")
    phone = Varchar(length=50, default="")
    email = Varchar(length=254, default="")
    website = Varchar(length=300, default="")
    hours = Varchar(length=300, default="", help_text="Opening hours, e.g. «Пн–Пт 10:00–20:00».")
    bank_name = Varchar(length=300, default="")
    bik = Varchar(length=9, default="")
    account = Varchar(length=20, default="")
    corr_account = Varchar(length=20, default="")
    director = Varchar(length=200, default="")
    accountant = Varchar(length=200, default="")
    vat_rate = Numeric(digits=(5, 2), null=True, default=None, help_text="Empty: «Без НДС».")
    terms = Text(default="", help_text="Intake terms on the receipt; empty: built-in text.")
    warranty_terms = Text(default="", help_text="Warranty terms on acts; empty: built-in text.")
    updated_at = Timestamptz()


class Download(Table):
    """A file prepared in the background for one employee (a big export)."""

    id = Serial(primary_key=True)
    employee: ForeignKey[Table] = ForeignKey(references=EMPLOYEE, null=False, index=True)
    file_name = Varchar(length=200)
    status = Varchar(length=10, default="pending", help_text="pending | done | failed")
    path = Varchar(length=500, default="", help_text="Relative to the data folder.")
    error = Text(default="")
    rows = Integer(default=0)
    size = BigInt(default=0)
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    spec = JSONB(default={}, help_text="What to export: list, filters, sort, columns, language.")
