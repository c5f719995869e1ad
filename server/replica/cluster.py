"""A PostgreSQL data folder on this machine: its programs, run as the user owning it; is it
running, where it listens, start, promote.

PostgreSQL never runs as root; when servio runs as root, the folder belongs to the system user
pgserver runs the embedded PostgreSQL as (`pgserver`), and so do the programs run on it.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

from server.dburl import Endpoint
from server.replica.errors import ReplicaError

SOCKET_PATH_MAX = 107  # bytes of a unix socket's path (sun_path less its final NUL)
START_WITHIN = 60  # seconds pg_ctl waits for a start or a promotion


def system_user() -> str | None:
    """The user PostgreSQL's programs run as: pgserver's when we are root, else ours."""
    return "pgserver" if os.geteuid() == 0 else None


def pg_tool(name: str) -> str:
    """A PostgreSQL program: the embedded one (matches the embedded server) or PATH's."""
    from server.backup.dump import BackupError
    from server.backup.dump import pg_tool as find

    try:
        with warnings.catch_warnings():  # platformdirs, imported by pgserver, on XDG_RUNTIME_DIR
            warnings.simplefilter("ignore")
            return find(name)
    except BackupError as error:
        raise ReplicaError(f"{error}: install the PostgreSQL server programs") from None


def run_tool(
    name: str, *args: str, timeout: float = 600, cwd: Path | None = None, quiet: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program as the system user; its output captured unless `quiet` (pg_ctl
    start: the postmaster would keep a pipe open, and a reader would wait for it to exit)."""
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    try:
        return subprocess.run(
            [pg_tool(name), *args],
            user=system_user(),
            cwd=cwd or "/",
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise ReplicaError(f"{name} did not finish within {timeout:.0f} s") from None


def server_major() -> int:
    """The major version of the PostgreSQL programs found here (16 for the embedded ones)."""
    answer = run_tool("postgres", "--version", timeout=30).stdout or ""
    digits = answer.strip().rsplit(" ", 1)[-1].split(".")[0]
    if not digits.isdigit():
        raise ReplicaError(f"cannot tell the version of PostgreSQL's programs: {answer!r}")
    return int(digits)


class DataFolder:
    """A PostgreSQL data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().absolute()

    @property
    def log(self) -> Path:
        """The server's log (pg_ctl -l), as pgserver names it."""
        return self.path / "log"

    def exists(self) -> bool:
        """Whether the folder holds a data folder."""
        return (self.path / "PG_VERSION").is_file()

    def is_standby(self) -> bool:
        """Whether PostgreSQL starts it as a standby (until promoted)."""
        return (self.path / "standby.signal").exists()

    def running(self) -> bool:
        """Whether its postmaster runs."""
        if not self.exists():
            return False
        return run_tool("pg_ctl", "status", "-D", str(self.path), timeout=30).returncode == 0

    def listening(self, known: tuple[Endpoint, ...] = ()) -> Endpoint:
        """Where the running server listens (postmaster.pid: port, socket folder, addresses):
        the first of `known` (the servers' URL) if it is one of them, else its first address,
        else its socket."""
        try:
            lines = (self.path / "postmaster.pid").read_text().splitlines()
        except OSError:
            raise ReplicaError(f"the server in {self.path} is not running") from None
        if len(lines) < 6:
            raise ReplicaError(f"the server in {self.path} is still starting")
        port, sockets, addresses = int(lines[3]), lines[4].strip(), lines[5].strip()
        hosts = [a.strip() for a in addresses.split(",") if a.strip()]
        hosts = ["127.0.0.1" if a in {"*", "0.0.0.0"} else a for a in hosts]
        found = [Endpoint(host, port) for host in [*hosts, sockets] if host]
        if not found:
            raise ReplicaError(f"the server in {self.path} listens nowhere")
        return next((e for e in known if e in found), found[0])

    def start(self) -> None:
        """Start it (waiting until it takes connections, or a standby is ready to)."""
        started = run_tool(
            "pg_ctl", "start", "-w", "-t", str(START_WITHIN), "-D", str(self.path),
            "-l", str(self.log), timeout=START_WITHIN + 10, quiet=True,
        )  # fmt: skip
        if started.returncode != 0:
            raise ReplicaError(f"PostgreSQL in {self.path} did not start:\n{self.log_tail()}")

    def promote(self) -> None:
        """Make the standby a primary (pg_ctl promote, waiting until it takes writes)."""
        done = run_tool(
            "pg_ctl", "promote", "-w", "-t", str(START_WITHIN), "-D", str(self.path),
            timeout=START_WITHIN + 10,
        )  # fmt: skip
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip()
            raise ReplicaError(f"pg_ctl promote failed: {reason}\n{self.log_tail()}")

    def log_tail(self, size: int = 1500) -> str:
        """The end of its log, for messages."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return text[-size:].strip()

    def add_settings(self, settings: dict[str, str | int]) -> None:
        """Append settings to postgresql.auto.conf (later lines win; ALTER SYSTEM keeps them)."""
        lines = [f"{key} = {_conf_value(value)}" for key, value in settings.items()]
        with open(self.path / "postgresql.auto.conf", "a") as conf:
            conf.write("\n" + "\n".join(lines) + "\n")


def _conf_value(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def socket_fits(folder: Path, port: int) -> bool:
    """Whether a socket file for `port` in `folder` has a path short enough."""
    return len(os.fsencode(folder / f".s.PGSQL.{port}")) <= SOCKET_PATH_MAX
