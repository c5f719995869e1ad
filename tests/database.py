"""The test database: a private embedded PostgreSQL with a fresh `servio_test` database
(`servio_test_gw0`, ... for each worker of a parallel run).

Imported by the conftest of every test package that needs the server, before the server's
modules: it sets the environment the server reads (database URL, cheap password hashing).

Test databases commit without waiting for the WAL flush (`synchronous_commit = off`, set on
each database, not on the cluster others share): what is committed is seen by every other
connection at once as before, only a crash of PostgreSQL itself could lose the last commits.
A commit costs about 0.1 ms instead of 3.5 ms on this kind of machine, and tests commit a lot.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA_DIR = ROOT / "var" / "test"
# Each pytest-xdist worker (PYTEST_XDIST_WORKER=gw0, gw1, ...) has a database of its own,
# and the live tests' databases are named under it (tests/live.py).
BASE_DATABASE = os.environ.get("SERVIO_TEST_DATABASE", "servio_test")
TEST_DATABASE = BASE_DATABASE
if os.environ.get("PYTEST_XDIST_WORKER"):
    TEST_DATABASE = f"{BASE_DATABASE}_{os.environ['PYTEST_XDIST_WORKER']}"

os.environ["SERVIO_DATA_DIR"] = str(TEST_DATA_DIR)
os.environ.setdefault("SERVIO_ARGON2_TIME_COST", "1")
os.environ.setdefault("SERVIO_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("SERVIO_ARGON2_PARALLELISM", "1")
os.environ.setdefault("SERVIO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SERVIO_BACKUP_AT", "off")  # servers the tests start make no nightly dumps
os.environ["PICCOLO_CONF"] = "server.piccolo_conf"

_prepared: list[str] = []


async def recreate_database(admin_uri: str, name: str, template: str | None = None) -> None:
    """Drop and create database `name` (a copy of `template` if given) for tests."""
    conn = await asyncpg.connect(admin_uri)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()


def prepare_test_database() -> str:
    """Start the embedded server, recreate the test database, migrate it; returns its URL."""
    if _prepared:
        return _prepared[0]
    from server.db import start_embedded, with_database

    admin_uri = os.environ.get("SERVIO_TEST_ADMIN_DATABASE_URL") or start_embedded(
        TEST_DATA_DIR / "pgdata"
    )
    asyncio.run(recreate_database(admin_uri, TEST_DATABASE))
    url = with_database(admin_uri, TEST_DATABASE)
    os.environ["DATABASE_URL"] = url

    from server.setup import migrate

    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo prints every migration
        asyncio.run(migrate())
    _prepared.append(url)
    return url


_emptying: list[str] = []  # the script that empties the tables, found once


async def _emptying_script(conn: asyncpg.Connection) -> str:
    """DELETE from every table of the app (and every table referring to one, as TRUNCATE ...
    CASCADE would) and restart the sequences they own, as one script."""
    from piccolo.conf.apps import Finder

    if _emptying:
        return _emptying[0]
    names = sorted(t._meta.tablename for t in Finder().get_table_classes())
    names.append("sync_change")  # the change log of server/sync, a raw-SQL table
    names += [f"procrastinate_{name}" for name in ("jobs", "events", "periodic_defers", "workers")]
    tables = await conn.fetch(
        """
        WITH RECURSIVE reach(oid) AS (
            SELECT c.oid FROM pg_class c
            WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace
            UNION
            SELECT f.conrelid FROM pg_constraint f JOIN reach ON f.confrelid = reach.oid
            WHERE f.contype = 'f'
        )
        SELECT oid::regclass::text AS name,
            ARRAY(SELECT s.oid::regclass::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
                  WHERE d.refobjid = reach.oid AND d.classid = 'pg_class'::regclass
                  AND s.relkind = 'S' AND d.deptype IN ('a', 'i')) AS sequences
        FROM reach ORDER BY 1
        """,
        names,
    )
    assert len(tables) >= len(names), "a table to empty is missing"
    script = [f"DELETE FROM {t['name']}" for t in tables]
    script.append("DELETE FROM ref_generation")  # triggers are off: the reference cache's marks
    script += [f"ALTER SEQUENCE {s} RESTART" for t in tables for s in t["sequences"]]
    _emptying.append(";\n".join(script))
    return _emptying[0]


async def reset_database() -> None:
    """Empty every table (but the migration records) and recreate the built-in roles.

    DELETE with triggers and foreign keys off (a replica's session role) leaves the tables as
    TRUNCATE ... RESTART IDENTITY CASCADE does, in a few milliseconds instead of half a second:
    TRUNCATE makes new files for each of the 40-odd tables and must flush them at commit.
    Where the role may not do that (a cluster of SERVIO_TEST_ADMIN_DATABASE_URL) it truncates.
    """
    from server import refcache
    from server.notify.defaults import ensure_default_rules
    from server.orders.defaults import ensure_order_defaults
    from server.staff.services import ensure_builtin_roles

    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        script = await _emptying_script(conn)
        try:
            for attempt in range(5):  # the app's job worker may be writing meanwhile
                try:
                    async with conn.transaction():
                        await conn.execute("SET LOCAL session_replication_role = replica")
                        await conn.execute(script)
                    break
                except asyncpg.DeadlockDetectedError:
                    if attempt == 4:
                        raise
        except asyncpg.InsufficientPrivilegeError:
            tables = [line.removeprefix("DELETE FROM ") for line in script.split(";\n")]
            tables = [t for t in tables if not t.startswith("ALTER SEQUENCE")]
            await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
    refcache.clear()  # what this process read of the tables just emptied
    await ensure_builtin_roles()
    await ensure_order_defaults()
    await ensure_default_rules()
