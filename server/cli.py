"""The `servio` command: serve, worker, migrate, demo, createadmin, backup, restore, replica,
geocode."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")

T = TypeVar("T")


def _run(make: Callable[[], Awaitable[T]]) -> T:
    """Run one coroutine with the database engine ready."""
    from server.db import resolve_database_url

    resolve_database_url()

    async def with_pool() -> T:
        return await make()

    return asyncio.run(with_pool())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Servio: management of a repair service center and its field technicians."""


@main.command()
def migrate() -> None:
    """Apply pending database migrations and create the built-in roles."""
    from server.setup import migrate as run_migrations

    _run(run_migrations)
    click.echo("database is up to date")


async def _load_demo() -> list[str]:
    from fixtures.demo import load_demo
    from server.setup import is_empty

    if not await is_empty():
        raise click.ClickException(
            "the database already has data; demo data loads only into an empty one"
        )
    return await load_demo()


@main.command()
@click.option(
    "--orders",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 5_000_000),
    help="Orders to generate (a client per 5 orders, 2 devices per client); "
    "e.g. 100000 for benchmarks.",
)
@click.option("--seed", default=20261123, show_default=True, type=int, help="Random seed.")
def demo(orders: int, seed: int) -> None:
    """Load the demo service center into an empty database (after migrating it)."""
    from fixtures.demo import DEMO_PASSWORD, DemoSummary, build_demo
    from server.setup import is_empty
    from server.setup import migrate as run_migrations

    async def go() -> DemoSummary:
        await run_migrations()
        if not await is_empty():
            raise click.ClickException(
                "the database already has data; demo data loads only into an empty one"
            )
        return await build_demo(orders, seed, progress=lambda text: click.echo(f"  {text}"))

    summary = _run(go)
    click.echo(f"demo data loaded: {summary.text()}")
    click.echo(f"logins: {', '.join(summary.logins)}; password: {DEMO_PASSWORD}")


@main.command()
@click.option("--login", required=True, help="Login of the new administrator.")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--email", default="", help="Email (optional).")
@click.option(
    "--password-env",
    default="SERVIO_ADMIN_PASSWORD",
    show_default=True,
    help="Environment variable holding the password; asked for when it is not set.",
)
def createadmin(login: str, full_name: str, email: str, password_env: str) -> None:
    """Create an employee with the administrator role."""
    password = os.environ.get(password_env) or getpass.getpass("Password: ")

    async def go() -> int:
        from server.errors import DomainError
        from server.setup import migrate as run_migrations
        from server.staff import api as staff
        from server.staff.schemas import EmployeeCreate
        from server.staff.services import StaffService, system_actor

        await run_migrations()
        admin_role = await staff.role_id("admin")
        assert admin_role is not None
        data = EmployeeCreate(
            login=login,
            full_name=full_name,
            password=password,
            email=email or None,
            role_ids=[admin_role],
        )
        try:
            employee = await StaffService(system_actor()).create_employee(data)
        except DomainError as error:
            raise click.ClickException(error.text()) from None
        return employee.id

    employee_id = _run(go)
    click.echo(f"administrator {login} created (id {employee_id})")


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program (see server.backup.dump.pg_tool); a ClickException if none."""
    from server.backup.dump import BackupError, pg_tool

    try:
        return pg_tool(name)
    except BackupError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--rotate",
    is_flag=True,
    help="Into the backup folder, then delete the backups rotation does not keep "
    "(SERVIO_BACKUP_KEEP_DAILY, SERVIO_BACKUP_KEEP_WEEKLY): what the daily job does.",
)
def backup(file: Path | None, rotate: bool) -> None:
    """Write a backup of the database (pg_dump custom format) to FILE (default: a new
    servio-<time>.dump in SERVIO_BACKUP_DIR)."""
    from server.backup.dump import BackupError, BackupReport, backup_and_rotate, dump, new_file
    from server.config import get_settings
    from server.db import resolve_database_url

    if file is not None and rotate:
        raise click.UsageError("--rotate writes into the backup folder: leave FILE out")
    url = resolve_database_url()
    settings = get_settings()
    target = file or new_file(settings)

    async def go() -> BackupReport:
        return await (backup_and_rotate(url, settings) if rotate else dump(url, target))

    try:
        report = asyncio.run(go())
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {report.file} ({report.size} bytes)")
    if rotate:
        click.echo(f"rotation deleted: {', '.join(report.deleted) or 'nothing'}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database's contents with a backup made by `servio backup`."""
    from server.db import resolve_database_url

    if not yes:
        click.confirm("This replaces all current data with the backup. Continue?", abort=True)
    url = resolve_database_url()
    result = subprocess.run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            f"--dbname={url}",
            str(file),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise click.ClickException(f"pg_restore failed:\n{result.stderr.strip()}")
    click.echo(f"restored from {file}")


@main.group()
def replica() -> None:
    """A streaming hot standby of the database, for the single-site case (production: Patroni
    or a managed cluster; see the README's Failover)."""


def _replica_run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a replica step; what goes wrong is told in words, never as a traceback."""
    from server.replica.errors import ReplicaError

    try:
        return asyncio.run(make())
    except (ReplicaError, OSError) as error:  # OSError: a folder that cannot be written
        raise click.ClickException(str(error)) from None


@replica.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", default=5433, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--host",
    default=None,
    help="Where the servers reach the standby: an address it listens on, or a socket folder "
    "(default: a socket in FOLDER when the primary is reached through a socket, else localhost).",
)
@click.option(
    "--slot", default="servio_standby", show_default=True, help="The replication slot's name."
)
@click.option(
    "--synchronous",
    is_flag=True,
    help="The primary's commits wait for the standby: an acknowledged write survives the loss "
    "of the primary (each write waits a round trip more; writes stop while the standby is away).",
)
def replica_init(folder: Path, port: int, host: str | None, slot: str, synchronous: bool) -> None:
    """Make a streaming standby of the database's primary in FOLDER and start it."""
    from server.replica.errors import ReplicaError
    from server.replica.standby import StandbyMade, make_standby
    from server.replica.target import configured_url

    try:
        url = configured_url(start=True)  # before the loop: it may start the embedded database
    except ReplicaError as error:
        raise click.ClickException(str(error)) from None

    async def go() -> StandbyMade:
        return await make_standby(
            url, folder, port=port, host=host, slot=slot, synchronous=synchronous
        )

    made = _replica_run(go)
    from server.db import keep_embedded

    for pgdata in keep_embedded():
        click.echo(f"the embedded PostgreSQL in {pgdata} stays running for its standby")
    kind = "synchronous" if made.synchronous else "asynchronous"
    click.echo(f"standby in {made.folder} streams ({kind}); it answers at {made.standby_url}")
    for warning in made.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"servers that should follow a promotion use\nDATABASE_URL={made.database_url}")


@replica.command("status")
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), required=False, default=None
)
def replica_status(folder: Path | None) -> None:
    """Print each server's role, the replication lag and sync state (the servers of
    DATABASE_URL, and the standby in FOLDER if given); exit code 0 when a standby streams."""
    from server.replica.cluster import DataFolder
    from server.replica.status import Status, lines, status
    from server.replica.target import configured_url

    async def go() -> Status:
        url = configured_url(start=False)
        extra = None
        if folder is not None and DataFolder(folder).running():
            extra = DataFolder(folder).listening(url.endpoints)
        return await status(url, extra)

    report = _replica_run(go)
    click.echo("\n".join(lines(report)))
    sys.exit(0 if report.streaming else 1)


@replica.command("promote")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Promote even though the old primary answers.")
def replica_promote(folder: Path, force: bool) -> None:
    """Make the standby in FOLDER the primary (after the primary is lost)."""
    from server.replica.promote import Promoted, promote
    from server.replica.target import configured_url

    async def go() -> Promoted:
        return await promote(configured_url(start=False), folder, force=force)

    done = _replica_run(go)
    if done.started:
        click.echo(f"the standby in {done.folder} was not running: started it first")
    click.echo(
        f"{done.folder} is the primary now. Servers on a DATABASE_URL listing it with "
        "target_session_attrs=read-write reconnect to it by themselves; others use\n"
        f"DATABASE_URL={done.primary_url}\n"
        "The old primary must not start again as a primary: move its folder away, and make a "
        "new standby with servio replica init."
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--setup", is_flag=True, help="Migrate and load the demo data into an empty database first."
)
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes.")
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Proxies whose X-Forwarded-For/Proto headers are trusted.",
)
def serve(host: str, port: int, setup: bool, workers: int, forwarded_allow_ips: str) -> None:
    """Serve the web app and the API."""
    import uvicorn

    from fixtures.demo import DEMO_EMPLOYEES, DEMO_PASSWORD
    from server.config import get_settings
    from server.setup import migrate as run_migrations

    async def prepare() -> bool:
        from server.staff import api as staff

        await run_migrations()
        if setup:
            from server.setup import is_empty

            if await is_empty():
                await _load_demo()
                click.echo("demo data loaded into the empty database")
        return await staff.login_exists("master1")

    has_demo = _run(prepare)
    url = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}"
    click.echo(f"\nServio is running at {url}\n")
    if not os.environ.get("SERVIO_PUBLIC_URL"):  # links in mail and push point here
        os.environ["SERVIO_PUBLIC_URL"] = url
        get_settings.cache_clear()
    if has_demo:
        logins = ", ".join(row[0] for row in DEMO_EMPLOYEES)
        click.echo(f"demo logins: {logins}\ndemo password: {DEMO_PASSWORD}\n")
    sys.stdout.flush()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "factory": True,
        "workers": workers,
        # uvloop and httptools: the load bench's reads p95 424 -> 235-263 ms (#15, 2 cores).
        "loop": "asyncio" if sys.platform == "win32" else "uvloop",
        "http": "httptools",
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
        "log_level": "info",
        # Requests in flight get this long after SIGTERM or Ctrl+C; then the worker and the
        # pools stop (bounded too), so the server is gone within 10 s.
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
    }
    with _stopping_calmly():
        uvicorn.run("server.app:create_app", **options)
    from server.db import stop_embedded

    stop_embedded()  # the embedded PostgreSQL, when this process started it (or was its last user)
    sys.exit(0)


GRACEFUL_SECONDS = 5


@contextlib.contextmanager
def _stopping_calmly() -> Iterator[None]:
    """SIGTERM and SIGINT are uvicorn's to handle while it runs; it then raises the signal it
    got once more, which by default would kill this process before the embedded PostgreSQL is
    stopped (or, for Ctrl+C, print a traceback). Here they are noted and the stop goes on."""
    calm = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in calm.items():
            signal.signal(sig, handler)


@main.command()
@click.option(
    "--retry",
    is_flag=True,
    help="Ask again for addresses not found or failed before (e.g. after changing geocoder).",
)
@click.option(
    "--max-seconds",
    default=None,
    type=click.FloatRange(min=1),
    help="Stop after this long (the rest waits for the next run).",
)
def geocode(retry: bool, max_seconds: float | None) -> None:
    """Geocode client addresses that wait for coordinates, now, within the rate limit."""
    from server import geo
    from server.clients import geocoding
    from server.clients.address_schemas import GeocodeReport
    from server.piccolo_conf import DB

    try:
        configured = geo.configured()
    except geo.GeocoderConfigError as error:
        raise click.ClickException(str(error)) from None

    async def go() -> tuple[int, GeocodeReport]:
        await DB.start_connection_pool(min_size=1, max_size=2)
        try:
            again = await geocoding.requeue_unlocated() if retry and configured else 0
            return again, await geocoding.geocode_due(max_seconds=max_seconds)
        finally:
            await DB.close_connection_pool()

    again, report = _run(go)
    if not configured:
        click.echo(
            f"no geocoder configured (SERVIO_GEOCODER): {report.left} addresses wait for "
            "coordinates typed by hand (/clients/addresses/unlocated)"
        )
        return
    if report.skipped:
        click.echo(f"nothing done: {report.skipped}")
        return
    if again:
        click.echo(f"asking again for {again} addresses")
    click.echo(
        f"found {report.found}, not found {report.not_found}, failed {report.failed}; "
        f"{report.left} left"
    )
    if report.stopped:
        click.echo(f"stopped: {report.stopped}")


@main.command()
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then exit.")
def worker(once: bool) -> None:
    """Run background jobs (big exports) beside or instead of the servers' own workers.

    `servio serve` runs a worker in each server process unless SERVIO_WORKER=0.
    """
    from server.jobs.queue import close_jobs, run_worker
    from server.piccolo_conf import DB

    async def go() -> None:
        await DB.start_connection_pool(min_size=1, max_size=4)
        try:
            await run_worker(wait=not once, name=f"worker-{os.getpid()}", signals=not once)
        finally:
            await close_jobs()
            await DB.close_connection_pool()

    _run(go)
    if once:
        click.echo("no job is waiting")


if __name__ == "__main__":
    main()
