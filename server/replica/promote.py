"""`servio replica promote`: the standby becomes the primary.

It refuses while the old primary still answers (two primaries would each take writes the
other never sees) unless forced. The new primary gets no synchronous standby of its own: its
commits must not wait for a standby it does not have yet.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import asyncpg
import msgspec

from server.dburl import DatabaseUrl, render
from server.replica.cluster import DataFolder, run_tool
from server.replica.errors import ReplicaError, connected

PRIMARY_CONNINFO = re.compile(r"^\s*primary_conninfo\s*=\s*'((?:[^']|'')*)'", re.MULTILINE)
ALIVE_WITHIN = 3  # seconds pg_isready waits for the old primary


class Promoted(msgspec.Struct, frozen=True):
    """The new primary and the URLs to reach it."""

    folder: Path
    primary_url: str
    started: bool  # it was not running and was started first


def primary_conninfo(folder: DataFolder) -> str:
    """Where the standby takes its WAL from (the last primary_conninfo of its settings)."""
    found = ""
    for name in ("postgresql.conf", "postgresql.auto.conf"):
        try:
            text = (folder.path / name).read_text()
        except OSError:
            continue
        for match in PRIMARY_CONNINFO.finditer(text):
            found = match.group(1).replace("''", "'")
    return found


def old_primary_answers(folder: DataFolder) -> bool:
    """Whether the server the standby follows still accepts connections."""
    conninfo = primary_conninfo(folder)
    if not conninfo:
        return False
    ready = run_tool("pg_isready", "-q", "-t", str(ALIVE_WITHIN), "-d", conninfo, timeout=30)
    return ready.returncode == 0


async def promote(url: DatabaseUrl, folder_path: Path, *, force: bool = False) -> Promoted:
    """Promote the standby in `folder_path`; `url` gives the database and the user."""
    folder = DataFolder(folder_path)
    if not folder.exists():
        raise ReplicaError(f"{folder.path} is not a PostgreSQL data folder")
    if not folder.is_standby():
        raise ReplicaError(f"{folder.path} holds a primary, not a standby: nothing to promote")
    started = not await asyncio.to_thread(folder.running)
    if started:
        await asyncio.to_thread(folder.start)
    standby = url.one(await asyncio.to_thread(folder.listening, url.endpoints))
    async with connected(standby, "the standby") as conn:
        if not force and await _primary_alive(conn, folder):
            raise ReplicaError(
                "the primary still answers (the standby streams from it): promoting now would "
                "make two primaries. Stop the old primary first, or pass --force if it is "
                "really gone"
            )
        await asyncio.to_thread(folder.promote)
        if await conn.fetchval("SELECT pg_is_in_recovery()"):
            raise ReplicaError(f"the server in {folder.path} is still a standby after pg_ctl")
        if await conn.fetchval("SELECT current_setting('synchronous_standby_names')"):
            await conn.execute("ALTER SYSTEM RESET synchronous_standby_names")
            await conn.execute("SELECT pg_reload_conf()")
    return Promoted(folder=folder.path, primary_url=render(standby), started=started)


async def _primary_alive(conn: asyncpg.Connection, folder: DataFolder) -> bool:
    """Whether the old primary still answers. A primary that has just died may still look
    streaming for a moment (its WAL sender's connection not closed yet): waited for, briefly."""
    deadline = time.monotonic() + ALIVE_WITHIN
    while await conn.fetchval("SELECT status FROM pg_stat_wal_receiver") == "streaming":
        if time.monotonic() > deadline:
            return True
        await asyncio.sleep(0.1)
    return await asyncio.to_thread(old_primary_answers, folder)
