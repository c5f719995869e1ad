"""Small reference tables (statuses, roles, price items, employees' names, …) read once per
process and read again when they change.

A trigger on each watched table (`server/refcache/migrations`) writes a new random mark for
the table into `ref_generation` in the same transaction as every change to it. A cached
reader keeps what it read with the marks of its tables; before answering from memory it
compares them with the stored ones, read once per request (one query for every cached reader
of the request) and read again after any write the request makes. So a change is seen by the
next request of every server process, and by the rest of the request that made it. The marks
are random, not counters, so a database recreated from a template never matches what a
process read from another copy.

Inside a transaction nothing is cached or answered from memory: what it reads may be its own
uncommitted change.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Hashable
from contextvars import ContextVar, Token
from typing import Any, ParamSpec, TypeVar

from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

P = ParamSpec("P")
T = TypeVar("T")

WATCHED: set[str] = set()  # every table a cached reader names (the triggers must cover these)
_memory: dict[Hashable, tuple[tuple[str, ...], Any]] = {}

MARKS_SQL = "SELECT name, mark FROM ref_generation"
MAX_ENTRIES = 4096  # readers keyed by arguments (a master's days, kept technicians) stay bounded


class _Seen:
    """The stored marks as one request last read them (None: to be read)."""

    def __init__(self) -> None:
        self.marks: dict[str, Any] | None = None


_request: ContextVar[_Seen | None] = ContextVar("refcache_request", default=None)


def start_request() -> Token[_Seen | None]:
    """Begin a request's view of the marks (read at its first cached read)."""
    return _request.set(_Seen())


def end_request(token: Token[_Seen | None]) -> None:
    """The request is answered: its view of the marks goes."""
    _request.reset(token)


def forget_marks() -> None:
    """The request wrote something (db.py says so): read the marks again before answering
    from memory."""
    seen = _request.get()
    if seen is not None:
        seen.marks = None


def reads(*tables: str) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Cache an async reader whose answer depends only on its arguments and on `tables`.

    Its answer is shared by every later call: it must not be changed by the caller, so readers
    return frozen structs, tuples or fresh containers of immutable values."""
    WATCHED.update(tables)

    def wrap(read: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        name = f"{read.__module__}.{read.__qualname__}"

        @functools.wraps(read)
        async def cached(*args: P.args, **kwargs: P.kwargs) -> T:
            engine = engine_finder()
            if engine is None or engine.current_transaction.get() is not None:
                return await read(*args, **kwargs)
            key = (name, args, tuple(sorted(kwargs.items())))
            marks = await _marks(engine)
            now = tuple(marks.get(t, "") for t in tables)
            held = _memory.get(key)
            if held is not None and held[0] == now:
                return held[1]  # type: ignore[no-any-return]
            answer = await read(*args, **kwargs)
            _memory.pop(key, None)
            if len(_memory) >= MAX_ENTRIES:  # the longest unchanged first (insertion order)
                del _memory[next(iter(_memory))]
            _memory[key] = (now, answer)
            return answer

        return cached

    return wrap


async def _marks(engine: Any) -> dict[str, Any]:
    """The stored marks: as this request read them, or read now (and kept for the request)."""
    seen = _request.get()
    if seen is not None and seen.marks is not None:
        return seen.marks
    rows = await engine.run_querystring(QueryString(MARKS_SQL))
    marks = {r["name"]: r["mark"] for r in rows}
    if seen is not None:
        seen.marks = marks
    return marks


def clear() -> None:
    """Forget everything cached (tests that swap the database under the process)."""
    _memory.clear()
