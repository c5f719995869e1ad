"""Files prepared for an employee: immediate exports, and big ones written in the background.

A big export is recorded in the `download` table with what was asked (ExportSpec) and handed
to the job queue by `jobs.start_background`; a worker of any process runs it as that employee,
with the permissions they have then, and any server process lists it and serves the file (the
files live in the file store, shared by every process). This module only stores: it knows
nothing of the queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import anyio
from litestar.background_tasks import BackgroundTask
from litestar.response import File

import printforms
from server.actor import Actor
from server.config import get_settings
from server.documents.exports import Rows, write_xlsx
from server.documents.schemas import DownloadOut
from server.documents.tables import Download
from server.errors import Conflict, NotFound
from server.files import store
from server.files.backend import Opened, open_local

log = logging.getLogger("servio.downloads")
XLSX = printforms.MEDIA_TYPES["xlsx"]
STALE_AFTER = dt.timedelta(hours=2)


def data_dir() -> Path:
    """The data folder (the downloads live in its `downloads/`)."""
    return get_settings().data_dir


def now() -> dt.datetime:
    """The time downloads are stamped with."""
    return dt.datetime.now(dt.UTC)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


async def export_now(
    columns: list[printforms.Column], rows: Rows, title: str, file_name: str
) -> File:
    """Write the export to a temporary file and send it; the file is removed afterwards."""
    folder = data_dir() / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        await write_xlsx(columns, rows, path, title)
    except BaseException:
        _remove(path)
        raise
    return File(path, filename=file_name, media_type=XLSX, background=BackgroundTask(_remove, path))


def download_out(row: dict[str, Any]) -> DownloadOut:
    """A download row as the API gives it."""
    done = row["status"] == "done"
    return DownloadOut(
        id=row["id"],
        file_name=row["file_name"],
        status=row["status"],
        error=row["error"],
        rows=row["rows"],
        size=row["size"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        url=f"/api/v1/downloads/{row['id']}/file" if done else None,
    )


async def fail_download(download_id: int, reason: str) -> None:
    """Mark a download failed with the reason its employee will read."""
    await Download.update(
        {Download.status: "failed", Download.error: reason[:500], Download.finished_at: now()}
    ).where(Download.id == download_id)


async def write_download(
    download_id: int, columns: list[printforms.Column], rows: Rows, title: str
) -> None:
    """Write the file of a pending download into the file store and record the outcome."""
    folder = data_dir() / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f"download-{download_id}-", suffix=".xlsx", dir=folder)
    os.close(handle)
    path = Path(name)
    key = uuid.uuid4().hex
    try:
        count = await write_xlsx(columns, rows, path, title)
        size = (await anyio.to_thread.run_sync(path.stat)).st_size
        await store.save_file(key, path)
    except Exception as error:
        log.exception("export %s failed", download_id)
        await fail_download(download_id, str(error) or type(error).__name__)
        return
    finally:
        _remove(path)
    try:
        await Download.update(
            {
                Download.status: "done",
                Download.path: key,
                Download.rows: count,
                Download.size: size,
                Download.finished_at: now(),
            }
        ).where(Download.id == download_id)
    except BaseException:  # not recorded: its bytes must not stay behind
        await store.discard(key)
        raise


class DownloadService:
    """An employee's own downloads."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def list_downloads(self) -> list[DownloadOut]:
        """The employee's downloads, newest first (a job lost with its process shows failed)."""
        await Download.update(
            {Download.status: "failed", Download.error: "interrupted", Download.finished_at: now()}
        ).where(Download.status == "pending", Download.created_at < now() - STALE_AFTER)
        rows = (
            await Download.select()
            .where(Download.employee == self.actor.employee_id)
            .order_by(Download.id, ascending=False)
            .limit(100)
        )
        return [download_out(r) for r in rows]

    async def file_of(self, download_id: int) -> tuple[Opened, str]:
        """One of the employee's finished files, opened, and its name (others' are 404)."""
        row = (
            await Download.select()
            .where(Download.id == download_id, Download.employee == self.actor.employee_id)
            .first()
        )
        if row is None:
            raise NotFound("No download with id {id}", id=download_id)
        if row["status"] != "done":
            raise Conflict("The file is not ready yet")
        opened = await _open(row["path"])
        if opened is None:
            raise NotFound("No download with id {id}", id=download_id)
        return opened, row["file_name"]


async def _open(stored: str) -> Opened | None:
    """A download's content: a key of the file store, or (files written before the store
    kept them) a path relative to this process's data folder."""
    if "/" in stored:
        return await anyio.to_thread.run_sync(open_local, data_dir() / stored)
    return await store.open_stored(stored)
