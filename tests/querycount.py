"""Counting the SQL statements the app sends through the Piccolo engine (measurement only).

    with count_queries() as counted:
        await client.get("/api/v1/orders/1")
    assert len(counted) == 5

Every query of the app goes through `PostgresEngine.run_querystring` (ORM queries, raw
queries) or `run_ddl`; both pick the transaction's connection, the pool or a new
connection themselves, so wrapping these two entry points counts each statement once,
wherever it runs. BEGIN/COMMIT of `DB.transaction()` are not counted: they are not queries
the code chose to make. The wrappers call the originals unchanged and are removed on exit.

Only statements of the counting code's context are counted: the request it makes and the
tasks that request starts (they inherit the context), not a job worker running beside the
app in the same process (its tasks began before the count).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Counted:
    """The statements seen, in order."""

    statements: list[str] = field(default_factory=list)
    raw: list[Any] = field(default_factory=list)  # QueryString objects (or DDL strings)

    def __len__(self) -> int:
        return len(self.statements)

    def report(self) -> str:
        """The statements, one per line, for an assertion message."""
        return "\n".join(f"{i + 1}. {s[:300]}" for i, s in enumerate(self.statements))


_active: list[tuple[Any, Counted]] = []
_counting: ContextVar[tuple[Counted, ...]] = ContextVar("counting", default=())


def _note(engine: Any, statement: Any) -> None:
    mine = _counting.get()
    for watched, counted in _active:
        if watched is engine and counted in mine:
            counted.statements.append(str(statement))
            counted.raw.append(statement)


@contextmanager
def count_queries(engine: Any = None) -> Iterator[Counted]:
    """Record every statement run through the engine (the app's `DB` by default).

    The engine class uses __slots__, so the entry points are wrapped on the class (once, while
    any count is active) and statements are noted for the watched engine only.
    """
    if engine is None:
        from server.piccolo_conf import DB

        engine = DB
    cls = type(engine)
    counted = Counted()
    if not _active:
        run_querystring = cls.run_querystring
        run_ddl = cls.run_ddl

        async def counting_querystring(self: Any, querystring: Any, *a: Any, **k: Any) -> Any:
            _note(self, querystring)
            return await run_querystring(self, querystring, *a, **k)

        async def counting_ddl(self: Any, ddl: str, *a: Any, **k: Any) -> Any:
            _note(self, ddl)
            return await run_ddl(self, ddl, *a, **k)

        cls.run_querystring = counting_querystring
        cls.run_ddl = counting_ddl
        _originals[:] = [cls, run_querystring, run_ddl]
    _active.append((engine, counted))
    token = _counting.set((*_counting.get(), counted))
    try:
        yield counted
    finally:
        _counting.reset(token)
        _active.remove((engine, counted))
        if not _active:
            original_cls, run_querystring, run_ddl = _originals
            original_cls.run_querystring = run_querystring
            original_cls.run_ddl = run_ddl
            _originals.clear()


_originals: list[Any] = []
