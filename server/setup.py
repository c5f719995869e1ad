"""Bringing a database up to date: migrations, then the built-in records every install needs."""

from __future__ import annotations

import os

from server.staff import api as staff


async def migrate() -> None:
    """Apply every pending migration of every app, then ensure built-in roles."""
    os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from server.notify import vapid
    from server.notify.defaults import ensure_default_rules
    from server.orders.defaults import ensure_order_defaults
    from server.staff.services import ensure_builtin_roles

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
