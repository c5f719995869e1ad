"""Jobs of the ratings domain: the invitation sweep, every minute, one at a time."""

from __future__ import annotations

import logging

from server.jobs.queue import TASKS
from server.ratings import invite

log = logging.getLogger("servio.ratings")
LOCK = "ratings-sweep"


@TASKS.periodic(cron="* * * * *", periodic_id="ratings")
@TASKS.task(name="ratings_sweep", queue="ratings", lock=LOCK, queueing_lock=LOCK)
async def ratings_sweep(timestamp: int) -> None:
    """Every minute: send the rating links of orders that entered a trigger status."""
    invited = await invite.sweep()
    if invited:
        log.info("ratings: %s clients asked to rate their repair", invited)
