"""Shared pytest setup: async tests run on asyncio through anyio's plugin."""

from __future__ import annotations

import inspect
import logging
import os
from typing import Any

import pytest

# httpx logs every request at INFO, and the app's logging config sends INFO through its queue
# handler and pytest's capture: about 1 ms of CPU for each of the suite's many requests, for a
# line nobody reads (the test says which request failed). Warnings and errors still show.
logging.getLogger("httpx").setLevel(logging.WARNING)
# Apps built in the test process log to pytest's capture, shown with a failing test, not to
# stderr between tests (a `servio` the tests start logs as usual: tests/live.py drops this).
os.environ["SERVIO_LOG"] = "off"


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Every async test runs on asyncio."""
    return "asyncio"


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: Any, name: str, obj: Any) -> None:
    """Mark coroutine tests for anyio as if decorated, before pytest builds their items."""
    if collector.funcnamefilter(name) and inspect.iscoroutinefunction(obj):
        pytest.mark.anyio(obj)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with a test marked `slow` run first: the test workers share them out at the
    start instead of one worker finishing a five-minute sweep alone at the end."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)
