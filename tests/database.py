"""The test database: a private embedded PostgreSQL with a fresh `servio_test` database.

Imported by the conftest of every test package that needs the server, before the server's
modules: it sets the environment the server reads (database URL, cheap password hashing).
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
TEST_DATABASE = os.environ.get("SERVIO_TEST_DATABASE", "servio_test")

os.environ["SERVIO_DATA_DIR"] = str(TEST_DATA_DIR)
os.environ.setdefault("SERVIO_ARGON2_TIME_COST", "1")
os.environ.setdefault("SERVIO_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("SERVIO_ARGON2_PARALLELISM", "1")
os.environ.setdefault("SERVIO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ["PICCOLO_CONF"] = "server.piccolo_conf"

_prepared: list[str] = []


async def _recreate(admin_uri: str) -> None:
    conn = await asyncpg.connect(admin_uri)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{TEST_DATABASE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{TEST_DATABASE}"')
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
    asyncio.run(_recreate(admin_uri))
    url = with_database(admin_uri, TEST_DATABASE)
    os.environ["DATABASE_URL"] = url

    from server.setup import migrate

    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo prints every migration
        asyncio.run(migrate())
    _prepared.append(url)
    return url


async def reset_database() -> None:
    """Empty every table (but the migration records) and recreate the built-in roles."""
    from piccolo.conf.apps import Finder

    from server.orders.defaults import ensure_order_defaults
    from server.piccolo_conf import DB
    from server.staff.services import ensure_builtin_roles

    names = sorted(t._meta.tablename for t in Finder().get_table_classes())
    names.append("sync_change")  # the change log of server/sync, a raw-SQL table
    names += [f"procrastinate_{name}" for name in ("jobs", "events", "periodic_defers", "workers")]
    await DB.run_ddl(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
    await ensure_builtin_roles()
    await ensure_order_defaults()
