"""Waiting for a server process a test started to answer."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

import httpx


class NotUp(RuntimeError):
    """The process ended, or did not answer in time."""


def wait_until_up(
    process: subprocess.Popen[bytes],
    probe: str,
    *,
    within: float,
    ready: Callable[[int], bool] = lambda status: status == 200,
    name: str = "the server",
) -> None:
    """Poll `probe` until its status is `ready`; NotUp if the process ends or time runs out."""
    deadline = time.monotonic() + within
    while True:
        try:
            if ready(httpx.get(probe, timeout=2).status_code):
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise NotUp(f"{name} did not start (exit code {process.poll()})")
        time.sleep(0.1)
