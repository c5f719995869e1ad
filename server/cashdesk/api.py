"""What other domains use of the cash desk: taking a payment for an order and giving money
back, in the caller's transaction. The cash desk never reads other domains' data: the orders
domain passes what it knows of the order."""

from __future__ import annotations

from server.cashdesk.choices import METHOD_LABELS, Method
from server.cashdesk.desks import open_desks
from server.cashdesk.fiscal import enabled as receipts_on
from server.cashdesk.payments import OrderRef, refund, take_payment
from server.cashdesk.posting import Part, Posted, checked_parts
from server.cashdesk.receipts import ReceiptLine
from server.cashdesk.totals import money_by_day

__all__ = [
    "METHOD_LABELS",
    "Method",
    "OrderRef",
    "Part",
    "Posted",
    "ReceiptLine",
    "checked_parts",
    "money_by_day",
    "open_desks",
    "receipts_on",
    "refund",
    "take_payment",
]
