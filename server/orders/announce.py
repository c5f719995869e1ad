"""What the orders domain tells the notifications: an order taken in, a status entered (the
events of the status it left are settled, so their reminders stop)."""

from __future__ import annotations

from server.notify import api as notify
from server.notify import events
from server.notify.api import Event


async def order_received(order_id: int) -> None:
    await notify.emit(events.ORDER_RECEIVED, key=f"order:{order_id}:received", order_id=order_id)


async def status_entered(entered: list[tuple[int, str, int]]) -> None:
    """In the transaction of the change: each (order, status code, new version) left its
    status and entered this one (three statements however many orders)."""
    if not entered:
        return
    await notify.settle(*(f"order:{order_id}:status:" for order_id, _, _ in entered))
    await notify.emit_many(
        [
            Event(
                events.ORDER_STATUS,
                key=f"order:{order_id}:status:{code}:{version}",
                order_id=order_id,
                context={"status": code},
            )
            for order_id, code, version in entered
        ]
    )
