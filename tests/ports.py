"""Free TCP ports for servers a test starts, disjoint between parallel test workers.

A port is found free and then bound by someone else (a `servio serve` process, the SMTP
server's thread), so two workers probing at once could both be handed the same one by the
kernel. Under pytest-xdist each worker (PYTEST_XDIST_WORKER=gwN) therefore takes its ports
from a range of its own, below the kernel's ephemeral range (32768 and up, where outgoing
connections take theirs); a run without workers asks the kernel as before.
"""

from __future__ import annotations

import os
import random
import socket

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_FIRST = 20000  # gw0 takes 20000-21999, gw1 22000-23999, ... (six workers fit below 32768)
_SPAN = 2000
_next: list[int] = []  # the next port this worker tries


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now (this worker's own range)."""
    if not _WORKER.removeprefix("gw").isdigit():
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])
    low = _FIRST + int(_WORKER.removeprefix("gw")) * _SPAN
    if low + _SPAN > 32768:
        raise RuntimeError(f"no port range for worker {_WORKER}: use at most six workers")
    if not _next:  # a random start: another run's worker of the same number may be running
        _next.append(random.randrange(_SPAN))
    for _ in range(_SPAN):
        port = low + _next[0] % _SPAN
        _next[0] += 1  # never the same port twice in a row: a stopped server's may linger
        if _bindable(port):
            return port
    raise RuntimeError(f"no free port in {low}-{low + _SPAN - 1}")
