"""The cash desk as stored in PostgreSQL: desks, shifts, money documents and their parts.

A document is posted once, in one transaction with its parts, and never edited: a mistake is
put right by another document (a refund, a cash in or out). Orders and employees belong to
other domains and are kept here by id (and the order's number as it was when paid).
"""

from decimal import Decimal

from piccolo.columns import (
    JSONB,
    Boolean,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

MONEY = (12, 2)
ZERO = Decimal("0")


class CashDesk(Table, tablename="cashdesk_desk"):
    """A cash desk at the counter, or the cash a field master carries (one per master)."""

    id = Serial(primary_key=True)
    kind = Varchar(length=10, default="counter", help_text="counter | field")
    name = Varchar(length=200)
    master_id = Integer(
        null=True, default=None, unique=True, help_text="The field master whose cash it is."
    )
    is_active = Boolean(default=True)
    created_at = Timestamptz()


class CashShift(Table, tablename="cashdesk_shift"):
    """A shift of a counter desk: opened with the cash in the drawer, closed with the cash
    counted; what was expected and the difference are kept at closing. One open per desk."""

    id = Serial(primary_key=True)
    desk_id = Integer(index=True)
    number = Integer(help_text="The desk's own count of shifts.")
    opened_by = Integer()
    opened_at = Timestamptz()
    opening_balance = Numeric(digits=MONEY, default=ZERO)
    closed_by = Integer(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    expected = Numeric(digits=MONEY, null=True, default=None)
    counted = Numeric(digits=MONEY, null=True, default=None)
    difference = Numeric(digits=MONEY, null=True, default=None)
    close_comment = Text(default="")


class CashDocument(Table, tablename="cashdesk_document"):
    """Money in or out: a payment for an order (prepayment included), a refund, or cash put
    into or taken out of the drawer. `amount` is always positive; the kind says which way."""

    id = Serial(primary_key=True)
    number = Varchar(length=40, unique=True)
    kind = Varchar(length=10, help_text="payment | refund | cash_in | cash_out")
    desk_id = Integer(index=True)
    shift_id = Integer(null=True, default=None, index=True)
    order_id = Integer(null=True, default=None, index=True)
    order_number = Varchar(length=40, default="")
    client_id = Integer(null=True, default=None, index=True)
    prepayment = Boolean(default=False, help_text="Taken at intake, before the work is done.")
    refund_of = Integer(null=True, default=None, help_text="The payment a refund gives back.")
    amount = Numeric(digits=MONEY)
    reason = Text(default="")
    author_id = Integer(null=True, default=None)
    at = Timestamptz(index=True)


class CashDocumentPart(Table, tablename="cashdesk_document_part"):
    """How much of a document went by one payment method (a payment may be split)."""

    id = Serial(primary_key=True)
    document_id = Integer(index=True)
    method = Varchar(length=10, help_text="cash | card | sbp | transfer")
    amount = Numeric(digits=MONEY)


class CashNumberCounter(Table, tablename="cashdesk_number_counter"):
    """Last cash document number given per prefix."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = Integer(default=0)


class CashReceipt(Table, tablename="cashdesk_receipt"):
    """The fiscal receipt of a payment or refund, sent to the online cash register under its
    own uuid (sent again under the same uuid until the register answers: one receipt however
    many tries), with the fiscal data the register gave."""

    id = Serial(primary_key=True)
    document_id = Integer(unique=True)
    uuid = Varchar(length=36, unique=True)
    kind = Varchar(length=12, help_text="sell | sellReturn")
    state = Varchar(length=10, default="pending", help_text="pending | sent | done | failed")
    task = JSONB(default={}, help_text="The register's task as sent.")
    fiscal = JSONB(default={}, help_text="fiscalParams as the register answered.")
    attempts = Integer(default=0)
    error = Text(default="")
    created_at = Timestamptz()
    done_at = Timestamptz(null=True, default=None)
