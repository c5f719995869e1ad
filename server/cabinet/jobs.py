"""Jobs of the customer cabinet: expired links and sessions and old asks removed, hourly."""

from __future__ import annotations

from server.cabinet import services
from server.jobs.queue import TASKS

LOCK = "cabinet-purge"


@TASKS.periodic(cron="17 * * * *", periodic_id="cabinet")
@TASKS.task(name="cabinet_purge", queue="cabinet", lock=LOCK, queueing_lock=LOCK)
async def cabinet_purge(timestamp: int) -> None:
    """Every hour: forget what no longer works (the throttle needs only the last window)."""
    await services.purge()
