"""Bringing a database up to date: migrations, then the built-in records every install needs."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from server.staff import api as staff

MIGRATION_LOCK = 0x5E7210  # the advisory lock key held while a process migrates


@asynccontextmanager
async def _one_at_a_time() -> AsyncIterator[None]:
    """Held by one process at a time: server processes started together on one database
    migrate one after the other (the later ones find nothing left to do)."""
    from server.db import connect, resolve_database_url

    conn = await connect(resolve_database_url())
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        yield
    finally:
        await conn.close()  # a session's advisory locks end with it


async def migrate() -> None:
    """Apply every pending migration of every app, then ensure built-in roles."""
    os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from server.notify import vapid
    from server.notify.defaults import ensure_default_rules
    from server.orders.defaults import ensure_order_defaults
    from server.staff.services import ensure_builtin_roles

    async with _one_at_a_time():
        response = await run_forwards(app_name="all", fake=False)
        if not response.success:
            raise RuntimeError(f"migrations failed: {response.message}")
        await ensure_builtin_roles()
        await ensure_order_defaults()
        await ensure_default_rules()
        await vapid.keys()  # made on the first start, kept in the database


async def is_empty() -> bool:
    """True when no employee exists yet (a fresh install)."""
    return not await staff.any_employee()
