"""Document number counters: one row per prefix in a domain's own counter table, bumped in the
caller's transaction with one UPDATE ... RETURNING, so concurrent documents never share a number."""

from __future__ import annotations

from piccolo.table import Table


async def bump(counter: type[Table], prefix: str) -> int:
    """The next count under `prefix` in the counter table (prefix unique, last integer)."""
    name = counter._meta.tablename
    await counter.raw(
        f"INSERT INTO {name} (prefix, last) VALUES ({{}}, 0) ON CONFLICT (prefix) DO NOTHING",
        prefix,
    )
    rows = await counter.raw(
        f"UPDATE {name} SET last = last + 1 WHERE prefix = {{}} RETURNING last", prefix
    )
    return int(rows[0]["last"])


async def next_number(counter: type[Table], pattern: str) -> str:
    """The next number of a `{n}` pattern (ЗП-{n:06d}), counted under the text before {n}."""
    return pattern.format(n=await bump(counter, pattern.split("{n")[0][:20]))
