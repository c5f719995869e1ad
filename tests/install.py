"""A private Servio install: its own data folder and embedded PostgreSQL, as an operator has.

`servio createadmin` with no DATABASE_URL makes the data folder, starts the embedded cluster in
it, migrates and adds an administrator, then stops the cluster again; `servio serve` started
afterwards starts the cluster itself, as `make run` does. The test owns the cluster: it can stop
and start it under the running server (`stop_database`, `start_database`) without touching the
PostgreSQL that other test workers share.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.database import TEST_DATA_DIR, TEST_DATABASE
from tests.live import SERVIO
from tests.ports import free_port
from tests.processes import NotUp, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "boss"
PASSWORD = "boss-password-1"


def _pg_user() -> str | None:
    """The system user pgserver runs PostgreSQL as (a user of its own when we are root)."""
    return "pgserver" if os.geteuid() == 0 else None


@dataclass
class Install:
    """A data folder with an embedded cluster and one administrator."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def pgdata(self) -> Path:
        """The embedded cluster's folder."""
        return self.data_dir / "pgdata"

    def _pg_ctl(self, *args: str) -> int:
        from pgserver._commands import POSTGRES_BIN_PATH

        # No pipes: the postmaster inherits them and a reader would wait for it to exit.
        command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.pgdata), *args]
        return subprocess.run(
            command,
            user=_pg_user(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        ).returncode

    def database_running(self) -> bool:
        """Whether the cluster's postmaster runs."""
        return self._pg_ctl("status") == 0

    def stop_database(self) -> None:
        """Stop the cluster the way an operator or a crash would: sessions are cut at once."""
        assert self._pg_ctl("-w", "-m", "fast", "stop") == 0
        assert not self.database_running()

    def start_database(self) -> None:
        """Start the cluster again on the same socket folder (the server's URL stays valid)."""
        socket_dir = self._socket_dir or self.pgdata
        started = self._pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(self.pgdata / "log"), "start"
        )
        assert started == 0, (self.pgdata / "log").read_text()[-2000:]

    _socket_dir: str | None = None

    def remember_socket(self) -> None:
        """Note where the running cluster listens (postmaster.pid's fifth line)."""
        self._socket_dir = (self.pgdata / "postmaster.pid").read_text().splitlines()[4]

    def serve(self, *args: str, log: Path | None = None) -> Serving:
        """Start `servio serve` on this install and wait until /health answers 200."""
        port = free_port()
        out = open(log or self.data_dir / "serve.log", "ab")  # noqa: SIM115 - closed by Serving
        process = subprocess.Popen(
            [SERVIO, "serve", "--port", str(port), *args],
            env=self.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        serving = Serving(process=process, url=f"http://127.0.0.1:{port}", log=out)
        try:
            wait_until_up(process, f"{serving.url}/health", within=90, name="servio serve")
        except NotUp as error:
            serving.kill()
            raise NotUp(f"{error}: {self.log_tail()}") from None
        self.remember_socket()
        return serving

    def log_tail(self, size: int = 4000) -> str:
        """The end of the servers' log, for assertion messages."""
        path = self.data_dir / "serve.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""


@dataclass
class Serving:
    """A running `servio serve` process."""

    process: subprocess.Popen[bytes]
    url: str
    log: object

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10) -> int | None:
        """Send `sig`; the exit code, or None when it did not exit within `timeout` seconds."""
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """Make sure the process is gone."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.log.close()  # type: ignore[attr-defined]


def make_install(name: str) -> Install:
    """A fresh private install named `name` (under this session's test folder)."""
    data_dir = TEST_DATA_DIR / f"{TEST_DATABASE}_install_{name}"
    leftover = Install(data_dir)
    if leftover.pgdata.exists() and leftover.database_running():
        leftover.stop_database()
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    skip = {"DATABASE_URL", "SERVIO_WORKER", "SERVIO_LOG", "SERVIO_TEST_ADMIN_DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(SERVIO_DATA_DIR=str(data_dir), SERVIO_ADMIN_PASSWORD=PASSWORD)
    install = Install(data_dir, env)
    subprocess.run(
        [SERVIO, "createadmin", "--login", ADMIN, "--name", "Boss"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert not install.database_running()  # createadmin stopped the cluster it started
    return install


@contextmanager
def login(url: str) -> Iterator[httpx.Client]:
    """An HTTP client logged in as the install's administrator, sending the CSRF header."""
    with httpx.Client(base_url=url, timeout=60, headers={"Origin": url}) as client:
        answer = client.post("/api/v1/auth/login", json={"login": ADMIN, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        yield client
