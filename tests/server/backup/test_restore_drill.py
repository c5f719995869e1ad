"""The restore drill: data made, the daily job's backup taken, the data changed, the backup
restored with `servio restore` into a fresh database, and that database is the backed-up one
(rows, and a `servio serve` on it letting the demo administrator in)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from fixtures.demo import DEMO_PASSWORD
from server.backup.jobs import backup_daily
from server.config import get_settings
from tests.live import demo_database, fresh_database, query, serve, servio

FACTS = (
    "SELECT count(*) AS orders, string_agg(number || ':' || declared_fault, ',' ORDER BY id)"
    " AS faults FROM service_order"
)


@pytest.fixture
def backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "backups"
    monkeypatch.setenv("SERVIO_BACKUP_DIR", str(folder))
    monkeypatch.setenv("SERVIO_BACKUP_AT", "03:00")
    monkeypatch.setenv("SERVIO_TIMEZONE", "Europe/Moscow")
    get_settings.cache_clear()
    yield folder
    monkeypatch.undo()
    get_settings.cache_clear()


def _three_oclock() -> int:
    zone = ZoneInfo("Europe/Moscow")
    return int(dt.datetime.combine(dt.datetime.now(zone).date(), dt.time(3), zone).timestamp())


def test_a_backup_of_the_daily_job_restores_into_a_fresh_database(
    backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = demo_database("backup_drill")
    (before,) = query(source, FACTS)
    assert before["orders"] == 1000
    monkeypatch.setenv("DATABASE_URL", source)  # the job dumps the database it is told of
    asyncio.run(backup_daily(_three_oclock()))
    (dump,) = backups.iterdir()

    query(source, "UPDATE service_order SET declared_fault = 'changed after the backup'")
    servio("createadmin", "--login", "late", "--name", "Поздний", database_url=source,
           env_password="a-strong-admin-pass")  # fmt: skip

    target = fresh_database("backup_drill_restored")
    restored = servio("restore", "--yes", str(dump), database_url=target)
    assert "restored from" in restored.stdout
    (after,) = query(target, FACTS)
    assert after == before
    assert query(target, "SELECT count(*) AS n FROM employee WHERE login = 'late'") == [{"n": 0}]
    assert query(source, FACTS)[0] != before  # the change stayed where it was made

    with (
        serve(target, env={"SERVIO_WORKER": "0"}) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        login = http.post("/api/v1/auth/login", json={"login": "admin", "password": DEMO_PASSWORD})
        assert login.status_code == 200, login.text
        orders = http.get("/api/v1/orders", params={"limit": 1})
        assert orders.status_code == 200, orders.text
        assert orders.json()["items"][0]["declared_fault"] != "changed after the backup"


def test_servio_backup_rotate_does_what_the_job_does(backups: Path) -> None:
    url = fresh_database("backup_rotate")
    servio("migrate", database_url=url)
    backups.mkdir()
    old = ["servio-20200101-030000.dump", "servio-20200102-030000.dump"]
    for name in [*old, "keep-me.dump"]:
        (backups / name).write_text("x")
    env_keep = {"SERVIO_BACKUP_KEEP_DAILY": "2", "SERVIO_BACKUP_KEEP_WEEKLY": "0"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env_keep.items():
            patch.setenv(name, value)
        made = servio("backup", "--rotate", database_url=url)
    assert "rotation deleted: servio-20200101-030000.dump" in made.stdout
    names = sorted(p.name for p in backups.iterdir())
    assert len(names) == 3 and "keep-me.dump" in names and old[1] in names
    both = servio("backup", "--rotate", str(backups / "x.dump"), database_url=url, check=False)
    assert both.returncode == 2 and "leave FILE out" in both.stderr
