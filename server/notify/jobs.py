"""The notify worker: a job queued with the events of each transaction (in that transaction:
no lock shared between emitters, so none waits for another) and a periodic one each minute
for delays, repeats, retries and the end of quiet hours."""

from __future__ import annotations

from server.jobs.queue import TASKS
from server.notify import engine

QUEUE = "notify"


@TASKS.task(name="notify_pending", queue=QUEUE)
async def notify_pending() -> None:
    """Process new events and send what is due."""
    await engine.run_all()


@TASKS.periodic(cron="* * * * *", periodic_id="notify")
@TASKS.task(name="notify_every_minute", queue=QUEUE, queueing_lock="notify-minute")
async def notify_every_minute(timestamp: int) -> None:
    """Timers: delayed and repeated fires, retries, leases run out, the outbox once set."""
    await engine.release()
    await engine.run_all()
