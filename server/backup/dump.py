"""Making a backup: `pg_dump` in its custom format into a `.partial` file, renamed when it is
complete (so a backup that failed or was cut short never counts), then the folder rotated.

pg_dump runs as a child process the event loop only waits for; cancelling the wait (the
server stopping) stops pg_dump and removes what it had written.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec

from server.backup.rotation import name_for, rotate, stamp_of
from server.config import Settings
from server.db import libpq_url

log = logging.getLogger("servio.backup")
PARTIAL = ".partial"
STALE_PARTIAL = 24 * 3600  # seconds: a `.partial` of ours this old was left by a killed run


class BackupError(Exception):
    """A backup could not be made; the message says why (pg_dump's own words)."""


class BackupReport(msgspec.Struct, frozen=True):
    """What one backup run did."""

    file: Path
    size: int
    seconds: float
    deleted: list[str] = msgspec.field(default_factory=list)


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: the embedded one (matches the embedded server) or PATH's."""
    try:
        from pgserver._commands import POSTGRES_BIN_PATH

        bundled = Path(POSTGRES_BIN_PATH) / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found")
    return found


def new_file(settings: Settings, now: dt.datetime | None = None) -> Path:
    """The next backup's path in the backup folder (named after the center's local time)."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(settings.timezone))
    return settings.backup_dir / name_for(moment)


async def dump(url: str, file: Path) -> BackupReport:
    """Write a backup of the database at `url` to `file`, whole or not at all."""
    began = time.monotonic()
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + PARTIAL)
    try:
        process = await asyncio.create_subprocess_exec(
            pg_tool("pg_dump"), "--format=custom", f"--file={partial}", libpq_url(url),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            _, errors = await process.communicate()
        except BaseException:  # cancelled: pg_dump must not go on writing
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await asyncio.shield(process.wait())
            raise
        if process.returncode != 0:
            reason = errors.decode(errors="replace").strip() or f"exit code {process.returncode}"
            raise BackupError(f"pg_dump failed: {reason}")
        size = await asyncio.to_thread(_finish, partial, file)
    except OSError as error:
        raise BackupError(f"the backup could not be written: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(file=file, size=size, seconds=time.monotonic() - began)


def _finish(partial: Path, file: Path) -> int:
    """The complete dump on the disk under its own name; returns its size."""
    _settle(partial)
    partial.replace(file)
    _settle(file.parent)
    return file.stat().st_size


def _settle(path: Path) -> None:
    """Flush a file or folder to the disk (the rename must not outrun the data)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rotate_folder(folder: Path, keep_daily: int, keep_weekly: int) -> list[str]:
    """Delete the backups of ours that rotation does not keep (and `.partial` files of ours
    left by a killed run a day ago); returns the names deleted."""
    if not folder.is_dir():
        return []
    names = [entry.name for entry in folder.iterdir() if entry.is_file()]
    deleted = rotate(names, keep_daily, keep_weekly).delete
    stale = time.time() - STALE_PARTIAL
    for name in names:
        ours = name.endswith(PARTIAL) and stamp_of(name.removesuffix(PARTIAL)) is not None
        if ours and (folder / name).stat().st_mtime < stale:
            deleted.append(name)
    for name in deleted:
        (folder / name).unlink(missing_ok=True)
    return deleted


async def backup_and_rotate(url: str, settings: Settings) -> BackupReport:
    """The daily job's work (and `servio backup --rotate`'s): a new backup in the backup
    folder, then rotation. Rotation runs only after a complete backup: a failing dump never
    costs an old one."""
    report = await dump(url, new_file(settings))
    try:
        deleted = await asyncio.to_thread(
            rotate_folder,
            settings.backup_dir,
            settings.backup_keep_daily,
            settings.backup_keep_weekly,
        )
    except OSError as error:
        raise BackupError(f"backup {report.file.name} made, rotation failed: {error}") from error
    log.info(
        "backup %s written (%s bytes in %.1f s); rotation deleted %s",
        report.file, report.size, report.seconds, ", ".join(deleted) or "nothing",
    )  # fmt: skip
    return msgspec.structs.replace(report, deleted=deleted)
