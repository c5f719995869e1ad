"""A private primary (its own data folder and PostgreSQL, not the cluster other tests share)
with a synchronous standby made by `servio replica init --synchronous`."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from server.cli import main
from server.dburl import DatabaseUrl, render
from server.replica.cluster import DataFolder
from tests.install import Install, make_install
from tests.ports import free_port


def replica(*args: str, database_url: str) -> Result:
    """`servio replica ARGS` (in this process, as the command line runs it) on a database."""
    return CliRunner().invoke(main, ["replica", *args], env={"DATABASE_URL": database_url})


@dataclass
class Pair:
    """The primary's install, the standby's folder and the URLs to reach them."""

    install: Install
    standby: DataFolder
    primary_url: str
    standby_url: str
    database_url: str  # both hosts, target_session_attrs=read-write

    def kill_primary(self) -> None:
        """SIGKILL to the primary's postmaster, as a crash of its machine would end it."""
        pid = int((self.install.pgdata / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)


def _stop(folder: Path) -> None:
    if DataFolder(folder).running():
        from server.replica.cluster import run_tool

        run_tool("pg_ctl", "stop", "-m", "immediate", "-D", str(folder), quiet=True)


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    """A primary and a synchronous standby streaming from it; tests that kill the primary
    come last in their module."""
    install = make_install("failover")
    install.start_database()
    install.remember_socket()
    where = DataFolder(install.pgdata).listening()
    primary_url = render(DatabaseUrl(endpoints=(where,), database="servio", user="postgres"))
    standby = DataFolder(install.data_dir / "standby")
    try:
        made = replica(
            "init", str(standby.path), "--synchronous", "--port", str(free_port()),
            database_url=primary_url,
        )  # fmt: skip
        assert made.exit_code == 0, made.output
        urls = dict(re.findall(r"(DATABASE_URL)=(\S+)", made.output))
        standby_url = re.search(r"answers at (\S+)", made.output)
        assert standby_url and urls, made.output
        yield Pair(install, standby, primary_url, standby_url.group(1), urls["DATABASE_URL"])
    finally:
        _stop(standby.path)
        _stop(install.pgdata)
