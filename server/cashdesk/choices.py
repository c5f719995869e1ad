"""Payment methods, kinds of cash documents and of desks, with their labels."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class Method(StrEnum):
    """How money is paid."""

    CASH = "cash"
    CARD = "card"  # the desk's card terminal
    SBP = "sbp"  # the Faster Payments System, by QR code
    TRANSFER = "transfer"  # to the bank account, by invoice: no desk is involved


METHOD_LABELS = {
    Method.CASH: N_("Cash"),
    Method.CARD: N_("Card"),
    Method.SBP: N_("SBP (QR)"),
    Method.TRANSFER: N_("Bank transfer"),
}

# Methods taken at a desk (its drawer, terminal or QR): they need the desk's open shift.
AT_DESK = frozenset({Method.CASH, Method.CARD, Method.SBP})


class DocumentKind(StrEnum):
    """Which way money moves and why."""

    PAYMENT = "payment"  # from a client, for an order (a prepayment too)
    REFUND = "refund"  # back to a client
    CASH_IN = "cash_in"  # put into the drawer (change money, a master's takings)
    CASH_OUT = "cash_out"  # taken out of the drawer (to the bank, to the owner)


KIND_LABELS = {
    DocumentKind.PAYMENT: N_("Payment"),
    DocumentKind.REFUND: N_("Refund"),
    DocumentKind.CASH_IN: N_("Cash in"),
    DocumentKind.CASH_OUT: N_("Cash out"),
}

MONEY_OUT = frozenset({DocumentKind.REFUND, DocumentKind.CASH_OUT})


class DeskKind(StrEnum):
    """Where the money is."""

    COUNTER = "counter"  # at the center, worked in shifts
    FIELD = "field"  # the cash a field master carries until handed in at the counter


DESK_LABELS = {
    DeskKind.COUNTER: N_("Counter desk"),
    DeskKind.FIELD: N_("Master's cash"),
}
