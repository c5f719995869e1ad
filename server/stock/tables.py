"""Stock as stored in PostgreSQL: warehouses, items, levels, posted documents and their moves.

Levels are the running totals of the moves; both are written in the one transaction that
posts a document, under a row lock on each level touched, so two people taking the last part
at once cannot both succeed. Posted documents are never edited: a mistake is put right by
another document.
"""

from decimal import Decimal

from piccolo.columns import (
    Array,
    BigInt,
    BigSerial,
    Boolean,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

QUANTITY = (12, 3)
MONEY = (12, 2)
ZERO = Decimal("0")


class Warehouse(Table, tablename="stock_warehouse"):
    """A store of the center, or a field master's van."""

    id = Serial(primary_key=True)
    kind = Varchar(length=10, help_text="store | van")
    name = Varchar(length=200)
    address = Text(default="")
    master_id = Integer(null=True, default=None, help_text="The field master whose van it is.")
    keeper_ids = Array(
        base_column=Integer(),
        default=[],
        help_text="Employees who see and keep it without seeing every warehouse.",
    )
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class StockItem(Table, tablename="stock_item"):
    """A good or part kept in stock; `price_item_id` links it to the price list it is sold by."""

    id = Serial(primary_key=True)
    price_item_id = Integer(null=True, default=None, unique=True)
    kind = Varchar(length=10, default="part", help_text="good | part")
    name = Varchar(length=300, index=True, help_text="Lists of items and levels are by name.")
    article = Varchar(length=100, default="", index=True)
    manufacturer_codes = Array(base_column=Varchar(length=100), default=[])
    compatible = Array(
        base_column=Varchar(length=200), default=[], help_text="Brands and models it fits."
    )
    barcode = Varchar(length=64, default="", index=True)
    unit = Varchar(length=20, default="шт")
    whole = Boolean(default=True, help_text="Counted in whole units only.")
    min_level = Numeric(digits=QUANTITY, default=ZERO)
    serial_tracked = Boolean(default=False)
    is_active = Boolean(default=True)
    search_text = Text(
        default="", help_text="Name, article, codes, barcode and models, lowercased."
    )
    created_at = Timestamptz()
    updated_at = Timestamptz()


class StockLevel(Table, tablename="stock_level"):
    """How much of an item a warehouse holds, how much of it orders have reserved, and its
    moving-average cost. One row per (warehouse, item), made on its first move."""

    id = Serial(primary_key=True)
    warehouse_id = Integer(index=True)
    item_id = Integer(index=True)
    on_hand = Numeric(digits=QUANTITY, default=ZERO)
    reserved = Numeric(digits=QUANTITY, default=ZERO)
    avg_cost = Numeric(digits=MONEY, default=ZERO)
    updated_at = Timestamptz()


class StockDocument(Table, tablename="stock_document"):
    """A posted document: its lines moved stock at `posted_at`, all at once."""

    id = Serial(primary_key=True)
    number = Varchar(length=30, unique=True)
    kind = Varchar(length=20, index=True)
    warehouse_id = Integer(index=True, help_text="Where stock comes from or arrives.")
    to_warehouse_id = Integer(null=True, default=None, help_text="A transfer's destination.")
    supplier = Varchar(length=200, default="")
    supplier_document = Varchar(length=100, default="", help_text="The supplier's invoice no.")
    order_id = Integer(null=True, default=None, index=True)
    order_number = Varchar(length=30, default="")
    reason = Varchar(length=300, default="")
    note = Text(default="")
    corrects_id = Integer(null=True, default=None, help_text="The document this one corrects.")
    author_id = Integer(null=True, default=None)
    posted_at = Timestamptz(index=True)


class StockDocumentLine(Table, tablename="stock_document_line"):
    """One item of a document: how many, at what cost, which serial numbers."""

    id = Serial(primary_key=True)
    document_id = Integer(index=True)
    item_id = Integer(index=True)
    quantity = Numeric(digits=QUANTITY, help_text="Moved (a stocktake: the difference, signed).")
    expected = Numeric(digits=QUANTITY, null=True, default=None, help_text="Stocktake: on hand.")
    counted = Numeric(digits=QUANTITY, null=True, default=None, help_text="Stocktake: counted.")
    unit_cost = Numeric(digits=MONEY, default=ZERO)
    serials = Array(base_column=Varchar(length=100), default=[])
    order_line_id = Integer(null=True, default=None)


class StockMove(Table, tablename="stock_move"):
    """One change of one level: the ledger an item's history is read from."""

    id = BigSerial(primary_key=True)
    document_id = Integer(index=True)
    line_id = Integer()
    warehouse_id = Integer()
    item_id = Integer()
    quantity = Numeric(digits=QUANTITY, help_text="Signed: + in, - out.")
    unit_cost = Numeric(digits=MONEY, default=ZERO)
    on_hand_after = Numeric(digits=QUANTITY)
    at = Timestamptz(help_text="When it was posted: the ledger of a period is read by (at, id).")


class StockReservation(Table, tablename="stock_reservation"):
    """Units of a warehouse held for an order's part line until the order consumes them."""

    id = Serial(primary_key=True)
    warehouse_id = Integer()
    item_id = Integer(index=True)
    order_id = Integer(index=True)
    order_number = Varchar(length=30, default="")
    order_line_id = Integer(unique=True)
    quantity = Numeric(digits=QUANTITY, help_text="What the line needs.")
    held = Numeric(
        digits=QUANTITY,
        default=ZERO,
        help_text="Of it, held on the warehouse's level; the rest waits.",
    )
    serials = Array(
        base_column=Varchar(length=100),
        default=[],
        help_text="Of a serial-tracked item: the serials chosen for the line, written off with it.",
    )
    created_at = Timestamptz()


class StockCounter(Table, tablename="stock_number_counter"):
    """The last number given per prefix (a document kind and year)."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = BigInt(default=0)
