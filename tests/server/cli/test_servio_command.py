"""The `servio` command, run as a real process against a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live import fresh_database, query, servio

COMMANDS = ("serve", "worker", "migrate", "demo", "createadmin", "backup", "restore")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = servio(command, "--help", database_url="postgresql://unused/unused")
    assert result.returncode == 0
    assert "Usage: servio " + command in result.stdout


def _count(url: str, sql: str) -> int:
    (row,) = query(url, sql)
    return int(next(iter(row.values())))


def test_demo_loads_an_empty_database_once_and_logins_work(tmp_path: Path) -> None:
    url = fresh_database("servio_cli_demo")
    first = servio("demo", database_url=url)
    assert "servio-demo" in first.stdout
    logins = {
        "admin",
        "manager",
        "receiver",
        "master1",
        "master2",
        "field1",
        "field2",
        "dispatcher",
    }
    count = _count(url, f"SELECT count(*) FROM employee WHERE login IN {tuple(sorted(logins))}")
    assert count == len(logins)
    again = servio("demo", database_url=url, check=False)
    assert again.returncode != 0
    assert "empty" in again.stderr


def test_createadmin_backup_and_restore_round_trip(tmp_path: Path) -> None:
    url = fresh_database("servio_cli_backup")
    created = servio(
        "createadmin", "--login", "chief", "--name", "Главный Инженер",
        database_url=url, env_password="a-strong-admin-pass",
    )  # fmt: skip
    assert "chief" in created.stdout
    weak = servio(
        "createadmin", "--login", "weak", "--name", "Слабый", database_url=url,
        check=False, env_password="12345678",
    )  # fmt: skip
    assert weak.returncode != 0
    assert "распространён" in weak.stderr
    dump = tmp_path / "servio.dump"
    servio("backup", str(dump), database_url=url)
    assert dump.stat().st_size > 1000
    _count(url, "SELECT count(*) FROM (SELECT 1) AS x")
    query(url, "TRUNCATE employee CASCADE")
    assert _count(url, "SELECT count(*) FROM employee") == 0
    servio("restore", "--yes", str(dump), database_url=url)
    assert _count(url, "SELECT count(*) FROM employee WHERE login = 'chief'") == 1


def test_migrate_is_idempotent() -> None:
    url = fresh_database("servio_cli_migrate")
    servio("migrate", database_url=url)
    again = servio("migrate", database_url=url)
    assert "up to date" in again.stdout
    assert _count(url, "SELECT count(*) FROM role WHERE is_builtin") == 7
