"""The daily backup job: at SERVIO_BACKUP_AT (03:00 in the center's zone by default) a backup
into SERVIO_BACKUP_DIR, then rotation. A failure is logged and told to the administrators."""

from __future__ import annotations

import logging

from server.backup import schedule
from server.backup.dump import BackupError, backup_and_rotate
from server.config import get_settings
from server.jobs.queue import TASKS

log = logging.getLogger("servio.backup")
LOCK = "backup"
_settings = get_settings()


@TASKS.periodic(cron=schedule.cron(_settings.backup_at, _settings.timezone), periodic_id="backup")
@TASKS.task(name="backup_daily", queue="backup", lock=LOCK, queueing_lock=LOCK)
async def backup_daily(timestamp: int) -> None:
    """Every hour: at the backup's hour make it and rotate the folder; otherwise nothing."""
    settings = get_settings()
    if not schedule.is_due(timestamp, settings.backup_at, settings.timezone):
        return
    await make_daily_backup(str(timestamp))


async def make_daily_backup(occurrence: str) -> bool:
    """Back up and rotate; on failure log it and tell the administrators (once per
    `occurrence`). Returns whether the backup was made."""
    from server.db import resolve_database_url

    settings = get_settings()
    try:
        await backup_and_rotate(resolve_database_url(), settings)
    except BackupError as error:
        log.error("the scheduled backup failed: %s", error)
        await _tell_admins(occurrence, str(error), str(settings.backup_dir))
        return False
    return True


async def _tell_admins(occurrence: str, reason: str, folder: str) -> None:
    """The `backup.failed` event (the administrators' rule); the database may be what failed,
    so not reaching it is logged and no more."""
    from server.notify import api as notify
    from server.notify import events

    try:
        await notify.emit(
            events.BACKUP_FAILED,
            key=f"backup.failed:{occurrence}",
            context={"backup": {"error": reason[:2000], "folder": folder}},
        )
    except Exception as error:  # the log line above is the report then
        log.error("administrators not told of the failed backup: %s", error)
