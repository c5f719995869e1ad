"""The engine's transaction on the real test database (server/db.py)."""

from __future__ import annotations

import asyncio

from piccolo.querystring import QueryString

from server.piccolo_conf import DB


async def test_queries_of_one_transaction_from_two_tasks_take_turns(db: None) -> None:
    """Tasks inheriting a transaction (a task group, dependencies resolved side by side) may
    ask at once; asyncpg refused the second ("another operation is in progress": a 500)."""
    async with DB.transaction():

        async def slow(value: int) -> int:
            query = QueryString("SELECT {}::int AS v, pg_sleep(0.05)", value)
            rows = await DB.run_querystring(query)
            return int(rows[0]["v"])

        assert await asyncio.gather(*(slow(i) for i in range(4))) == [0, 1, 2, 3]
