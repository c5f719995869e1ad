"""Server processes a test starts: waiting until they answer, stopping them."""

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


def stop(process: subprocess.Popen[bytes], within: float = 10) -> None:
    """SIGTERM, and SIGKILL if it has not ended within `within` seconds."""
    process.terminate()
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
