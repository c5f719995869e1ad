"""Shared pytest setup: async tests run on asyncio through anyio's plugin."""

from __future__ import annotations

import inspect
from typing import Any

import pytest


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Every async test runs on asyncio."""
    return "asyncio"


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: Any, name: str, obj: Any) -> None:
    """Mark coroutine tests for anyio as if decorated, before pytest builds their items."""
    if collector.funcnamefilter(name) and inspect.iscoroutinefunction(obj):
        pytest.mark.anyio(obj)
