"""Kinds of warehouses and of stock documents, with their labels and number prefixes."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class WarehouseKind(StrEnum):
    """Where stock is kept."""

    STORE = "store"  # a room or shelf of the center
    VAN = "van"  # a field master's vehicle: seen by that master

    @property
    def label(self) -> str:
        """The message id of the kind's name."""
        return WAREHOUSE_LABELS[self]


WAREHOUSE_LABELS = {
    WarehouseKind.STORE: N_("Store"),
    WarehouseKind.VAN: N_("Master's van"),
}


class DocumentKind(StrEnum):
    """A stock document: what it does to the levels."""

    RECEIPT = "receipt"  # from a supplier, with purchase prices: + to the warehouse
    TRANSFER = "transfer"  # from one warehouse to another (issue parts to an engineer)
    CONSUMPTION = "consumption"  # into an order (its part lines): - from the warehouse
    ORDER_RETURN = "order_return"  # back from an order: + to the warehouse
    SUPPLIER_RETURN = "supplier_return"  # back to the supplier: - from the warehouse
    WRITE_OFF = "write_off"  # broken, lost, used up, with a reason: - from the warehouse
    STOCKTAKE = "stocktake"  # counted against expected: the difference, + or -

    @property
    def label(self) -> str:
        """The message id of the kind's name."""
        return DOCUMENT_LABELS[self]

    @property
    def prefix(self) -> str:
        """The letters that start the kind's numbers."""
        return DOCUMENT_PREFIXES[self]

    @property
    def sign(self) -> int:
        """+1 when the document brings stock into its warehouse, -1 when it takes it out
        (0: a stocktake, whose lines say which way)."""
        return DOCUMENT_SIGNS[self]


DOCUMENT_LABELS = {
    DocumentKind.RECEIPT: N_("Receipt from a supplier"),
    DocumentKind.TRANSFER: N_("Transfer"),
    DocumentKind.CONSUMPTION: N_("Write-off into an order"),
    DocumentKind.ORDER_RETURN: N_("Return from an order"),
    DocumentKind.SUPPLIER_RETURN: N_("Return to a supplier"),
    DocumentKind.WRITE_OFF: N_("Write-off"),
    DocumentKind.STOCKTAKE: N_("Stocktaking"),
}

DOCUMENT_PREFIXES = {
    DocumentKind.RECEIPT: "ПР",
    DocumentKind.TRANSFER: "ПМ",
    DocumentKind.CONSUMPTION: "РЗ",
    DocumentKind.ORDER_RETURN: "ВЗ",
    DocumentKind.SUPPLIER_RETURN: "ВП",
    DocumentKind.WRITE_OFF: "СП",
    DocumentKind.STOCKTAKE: "ИН",
}

DOCUMENT_SIGNS = {
    DocumentKind.RECEIPT: 1,
    DocumentKind.TRANSFER: -1,  # from its warehouse; + to the target
    DocumentKind.CONSUMPTION: -1,
    DocumentKind.ORDER_RETURN: 1,
    DocumentKind.SUPPLIER_RETURN: -1,
    DocumentKind.WRITE_OFF: -1,
    DocumentKind.STOCKTAKE: 0,
}

# Documents only the orders domain posts (through stock.api), never typed in by hand.
ORDER_DOCUMENTS = frozenset({DocumentKind.CONSUMPTION, DocumentKind.ORDER_RETURN})
# Units counted in whole pieces; any other unit (m, kg, l...) takes fractions.
WHOLE_UNITS = frozenset({"шт", "шт.", "pcs", "pc", "компл", "компл.", "упак", "упак."})
