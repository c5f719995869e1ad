"""Other domains' hold on stock items and warehouses.

Other domains keep items and warehouses by their id (an order's part line names the warehouse
it takes from; a supplier order its items and the warehouse it is received into). Stock reads
none of their data and imports none of them (they import stock.api): each such domain registers
here, through stock.api, a check saying whether it still holds an id, with the message that
tells why it cannot go. Stock asks them before it deletes an item or a warehouse.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Holds = Callable[[int], Awaitable[bool]]


@dataclass(frozen=True)
class Holder:
    """A domain's check, and the message id told when it holds the record."""

    message: str
    holds: Holds


ITEM_HOLDERS: list[Holder] = []
WAREHOUSE_HOLDERS: list[Holder] = []


def item_kept_by(message: str, holds: Holds) -> None:
    """Register another domain's check: does it still hold this stock item?"""
    ITEM_HOLDERS.append(Holder(message, holds))


def warehouse_kept_by(message: str, holds: Holds) -> None:
    """Register another domain's check: does it still hold this warehouse?"""
    WAREHOUSE_HOLDERS.append(Holder(message, holds))


async def held(holders: list[Holder], record_id: int) -> str | None:
    """The message of the first domain holding the record; None when none does."""
    for holder in holders:
        if await holder.holds(record_id):
            return holder.message
    return None
