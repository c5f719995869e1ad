"""Where the database is: DATABASE_URL, or an embedded PostgreSQL started in the data folder."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import asyncpg
import msgspec
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.querystring import QueryString

from server import refcache
from server.config import get_settings
from server.dburl import UrlError, parse, render

log = logging.getLogger("servio.db")
APP_DATABASE = "servio"
_embedded: dict[Path, Any] = {}


def start_embedded(pgdata: Path) -> str:
    """Start (or join) the embedded PostgreSQL in `pgdata` and return its admin URI."""
    if pgdata in _embedded:
        return str(_embedded[pgdata].get_uri())
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # platformdirs warns when XDG_RUNTIME_DIR is unset; give pgserver a private one.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import pgserver  # imported late: only needed without DATABASE_URL

    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _embedded[pgdata] = server
    return str(server.get_uri())


def stop_embedded() -> None:
    """Stop the embedded PostgreSQL this process started or joined, unless another live
    process still uses it.

    pgserver stops it at exit only while the postmaster it first saw still runs (not after a
    restart during an outage), never when a signal ends the process, and it counts the
    handles of processes that died without saying so: this forgets those and stops the
    cluster however it was restarted.
    """
    import atexit

    import psutil
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]  # made at import

    for pgdata, server in list(_embedded.items()):
        del _embedded[pgdata]
        atexit.unregister(server._cleanup)
        with server._lock:
            handles = server.global_process_id_list
            others = [p for p in handles.get() if p != os.getpid() and psutil.pid_exists(p)]
            handles.put(others)
            type(server)._instances.pop(pgdata, None)
            if others:
                log.info("embedded PostgreSQL left running for processes %s", others)
                continue
            try:
                stop = ["-w", "-m", "fast", "stop"]
                pg_ctl(stop, pgdata=pgdata, user=server.system_user, timeout=20)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                log.warning("embedded PostgreSQL in %s did not stop: %s", pgdata, error)
            else:
                log.info("embedded PostgreSQL in %s stopped", pgdata)


def keep_embedded() -> list[Path]:
    """Leave the embedded PostgreSQL this process started or joined running after it exits
    (a standby streams from it); returns the data folders left running."""
    import atexit

    kept = []
    for pgdata, server in list(_embedded.items()):
        del _embedded[pgdata]
        atexit.unregister(server._cleanup)
        with server._lock:
            server.global_process_id_list.get_and_remove(os.getpid())
        kept.append(pgdata)
    return kept


def with_database(uri: str, database: str) -> str:
    """The same server URI pointing at another database."""
    parsed = urlparse(uri)
    return parsed._replace(path=f"/{database}").geturl()


def ensure_database(admin_uri: str, database: str) -> None:
    """Create `database` on the server if it does not exist yet."""
    import asyncio

    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(admin_uri)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{database}"')
        finally:
            await conn.close()

    asyncio.run(create())


def resolve_database_url() -> str:
    """DATABASE_URL when set, else the embedded server's `servio` database (created on demand).

    Call it before any event loop runs: the first call may start PostgreSQL and create the
    database. Later calls (also from inside a loop) return the same URL.
    """
    from_env = os.environ.get("DATABASE_URL") or get_settings().database_url
    if from_env:
        return from_env
    admin_uri = start_embedded(get_settings().pgdata)
    ensure_database(admin_uri, APP_DATABASE)
    url = with_database(admin_uri, APP_DATABASE)
    os.environ["DATABASE_URL"] = url  # later calls and child processes see the same database
    return url


def socket_host(url: str) -> str | None:
    """The host of a URI, including a unix-socket folder given as ?host=..."""
    parsed = urlparse(url)
    hosts = parse_qs(parsed.query).get("host") or []
    return parsed.hostname or (hosts[0] if hosts else None)


class Transaction(PostgresTransaction):
    """Piccolo's transaction, made safe when the database goes away in the middle of it.

    Piccolo's own leaves its connection acquired and itself as the task's current transaction
    when BEGIN or ROLLBACK fails (the server is gone, or a cancelled query left the connection
    busy: asyncpg's "another operation is in progress"); the next query of the request then
    runs on that broken connection. Here the connection is always handed back (closed when it
    cannot be rolled back) and the original error is what the caller sees, so an outage
    answers 503.
    """

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.turn = asyncio.Lock()  # one query at a time on the connection (Engine)
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._hand_back(broken=True)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        broken = False
        try:
            if exception is not None:
                if not self._rolled_back:
                    try:
                        await self.rollback()
                    except Exception:
                        broken = True  # the original exception says what went wrong
            elif not self._committed and not self._rolled_back:
                try:
                    await self.commit()
                except BaseException:
                    broken = True
                    raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._hand_back(broken=broken)
        return exception is None

    async def _hand_back(self, *, broken: bool) -> None:
        import asyncpg

        # asyncpg may already have taken back a connection whose server went away.
        with contextlib.suppress(asyncpg.InterfaceError):
            if broken:
                self.connection.terminate()
        with contextlib.suppress(asyncpg.InterfaceError):
            if self.engine.pool:
                await self.engine.pool.release(self.connection)
            elif not broken:
                await self.connection.close()


CONNECT_TIMEOUT = 10.0  # seconds for each of several hosts, unless the URL says connect_timeout


async def connect(dsn: str, **kwargs: Any) -> asyncpg.Connection:
    """asyncpg.connect to the first host of the URL that takes us (target_session_attrs=
    read-write: the primary), each host within a timeout of its own, as libpq does.

    asyncpg's own timeout spans the whole host list: a host that hangs (a primary whose
    machine froze or fell off the network) took all of it, and the promoted standby named
    after it was never tried. libpq's connect_timeout, which psycopg and pg_dump read from the
    same URL, is taken as that per-host timeout here (asyncpg would send it to the server as a
    setting, refused).
    """
    try:
        url = parse(dsn)
    except UrlError:
        return await asyncpg.connect(dsn, **kwargs)  # asyncpg says what is wrong with it
    params = dict(url.params)
    given = params.pop("connect_timeout", "")
    url = msgspec.structs.replace(url, params=tuple(params.items()))
    if given:
        kwargs["timeout"] = float(given)
    if len(url.endpoints) < 2:
        return await asyncpg.connect(render(url) if given else dsn, **kwargs)
    kwargs.setdefault("timeout", CONNECT_TIMEOUT)
    last: BaseException | None = None
    for endpoint in url.endpoints:
        one = msgspec.structs.replace(url, endpoints=(endpoint,))
        try:
            return await asyncpg.connect(render(one), **kwargs)
        except (OSError, asyncpg.InternalClientError, asyncpg.PostgresError) as error:
            last = error  # refused, timed out, a standby, starting up: the next host
    assert last is not None  # a URL always names a host
    raise last


def libpq_url(url: str) -> str:
    """The URL for libpq (psycopg, pg_dump), giving up on a host that hangs after
    CONNECT_TIMEOUT seconds and trying the next, unless the URL says connect_timeout itself
    (libpq's default is to wait for ever)."""
    if "connect_timeout=" in url or not url.startswith(("postgresql://", "postgres://")):
        return url
    return f"{url}{'&' if '?' in url else '?'}connect_timeout={CONNECT_TIMEOUT:.0f}"


class Engine(PostgresEngine):
    """PostgresEngine with the outage-safe transaction, whose queries take turns.

    Piccolo sends every query of the current transaction straight to its connection. Tasks
    started inside a transaction inherit it (a task group, Litestar resolving dependencies
    side by side), and two of their queries at once made asyncpg refuse the second ("another
    operation is in progress") — a 500, and under an outage a connection left mid-operation.
    Here they wait for each other instead.
    """

    async def start_connection_pool(self, **kwargs: Any) -> None:
        """The pool, making its connections host by host (`connect`)."""
        await super().start_connection_pool(connect=connect, **kwargs)

    async def get_new_connection(self) -> asyncpg.Connection:
        """A connection outside the pool, made host by host (`connect`)."""
        return await connect(**self.config)

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        """A transaction (nested ones join the current one)."""
        return Transaction(engine=self, allow_nested=allow_nested)

    async def run_querystring(self, querystring: QueryString, in_pool: bool = True) -> Any:
        """Run a query; inside a transaction, after the transaction's query before it."""
        if querystring.template.lstrip()[:6].upper() != "SELECT":
            refcache.forget_marks()  # what this request reads next may have changed
        current = self.current_transaction.get()
        if not isinstance(current, Transaction):
            return await super().run_querystring(querystring, in_pool)
        async with current.turn:
            return await super().run_querystring(querystring, in_pool)

    async def run_ddl(self, ddl: str, in_pool: bool = True) -> Any:
        """Run DDL; inside a transaction, after the transaction's query before it."""
        refcache.forget_marks()
        current = self.current_transaction.get()
        if not isinstance(current, Transaction):
            return await super().run_ddl(ddl, in_pool)
        async with current.turn:
            return await super().run_ddl(ddl, in_pool)


def make_engine() -> PostgresEngine:
    """The Piccolo engine; no extensions because the embedded server ships none."""
    return Engine(config={"dsn": resolve_database_url()}, extensions=())
