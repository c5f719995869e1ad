"""The cash desk's jobs: sending a fiscal receipt once its payment is posted, and each minute
trying again those the register has not answered."""

from __future__ import annotations

from server.cashdesk import fiscal
from server.jobs.queue import TASKS


@TASKS.task(name="fiscal_send", queue=fiscal.QUEUE)
async def fiscal_send(receipt_id: int) -> None:
    """Send one receipt."""
    await fiscal.send(receipt_id)


@TASKS.periodic(cron="* * * * *", periodic_id="fiscal")
@TASKS.task(name="fiscal_every_minute", queue=fiscal.QUEUE, queueing_lock="fiscal-minute")
async def fiscal_every_minute(timestamp: int) -> None:
    """Receipts whose try failed or whose result was not ready yet, tried again."""
    if not fiscal.enabled():
        return
    for receipt_id in await fiscal.unsent():
        await fiscal.send(receipt_id)
