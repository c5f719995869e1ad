"""The daily backup job in this process against the test database: a complete file at its
hour and nothing at the others, rotation of our files only, and the administrators told
when the backup fails."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server.backup.dump import pg_tool
from server.backup.jobs import backup_daily
from server.config import get_settings
from server.notify import engine
from server.notify.tables import Message
from tests.server.builders import make_employee


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The backup folder, the job at 03:00 Moscow time keeping 2 days and no weeks."""
    backups = tmp_path / "backups"
    monkeypatch.setenv("SERVIO_BACKUP_DIR", str(backups))
    monkeypatch.setenv("SERVIO_BACKUP_AT", "03:00")
    monkeypatch.setenv("SERVIO_TIMEZONE", "Europe/Moscow")
    monkeypatch.setenv("SERVIO_BACKUP_KEEP_DAILY", "2")
    monkeypatch.setenv("SERVIO_BACKUP_KEEP_WEEKLY", "0")
    get_settings.cache_clear()
    yield backups
    monkeypatch.undo()
    get_settings.cache_clear()


def _tick(hour: int) -> int:
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()
    return int(dt.datetime.combine(today, dt.time(hour), ZoneInfo("Europe/Moscow")).timestamp())


def _lay(folder: Path, names: list[str]) -> None:
    folder.mkdir()
    for name in names:
        (folder / name).write_text("x")


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _restore_listing(file: Path) -> str:
    listing = subprocess.run(
        [pg_tool("pg_restore"), "--list", str(file)], capture_output=True, text=True
    )
    assert listing.returncode == 0, listing.stderr
    return listing.stdout


async def test_the_job_backs_up_at_its_hour_and_rotates_only_its_own_files(
    db: None, folder: Path
) -> None:
    old = ["servio-20200101-030000.dump", "servio-20200102-030000.dump"]
    theirs = ["before-upgrade.dump", "servio-20200101-030000.dump.partial", "notes.txt"]
    _lay(folder, old + theirs)
    await backup_daily(_tick(2))
    assert _names(folder) == {*old, *theirs}
    await backup_daily(_tick(3))
    made = sorted(_names(folder) - set(old) - set(theirs))
    assert len(made) == 1 and made[0].startswith("servio-") and made[0].endswith(".dump")
    assert _names(folder) == {made[0], "servio-20200102-030000.dump", *theirs}  # 2 days stay
    assert "TABLE public service_order" in _restore_listing(folder / made[0])


async def test_a_failed_backup_tells_the_administrators_and_keeps_the_old_ones(
    db: None, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await make_employee("chief", ["admin"])
    await make_employee("desk", ["receiver"])
    _lay(folder, ["servio-20200101-030000.dump"])
    gone = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/servio_no_such_database"
    monkeypatch.setenv("DATABASE_URL", gone)  # pg_dump's database; this process keeps its pool
    await backup_daily(_tick(3))
    await backup_daily(_tick(3))  # the same tick again: told once
    assert _names(folder) == {"servio-20200101-030000.dump"}
    await engine.run_all()
    told = await Message.select().where(Message.channel == "inapp")
    assert [m["employee"] for m in told] == [admin.id]
    assert told[0]["subject"] == "Резервная копия базы данных не создана"
    assert "servio_no_such_database" in told[0]["body"]
    assert str(folder) in told[0]["body"]
