"""Both cores for ruin and recreate: one search here, one with another seed in a forked process.

pyvroom holds the GIL while VROOM solves, so a second search in a thread would only take
turns with the first; a forked process runs beside it on the other core. Each process
follows its own seed until the same deadline and the better plan (by Found.key: priority
served, visits left, cost) is kept. The child only runs VROOM and Python on data it inherited
and sends its answer through a pipe; a child that fails, hangs or cannot start (no fork on the
platform, a daemonic caller) costs nothing: the plan is then the one found here.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from routing.vroomstart import Found

GRACE_S = 0.3  # how long past the deadline the child's answer is waited for


def best_of(
    run: Callable[[int], Found], deadline: float, processes: int = 2, grace_s: float = GRACE_S
) -> Found:
    """run(0) here and, with `processes` >= 2, run(1) in a forked process; the better answer.

    `deadline` (perf_counter) is the one `run` keeps; the child is stopped `grace_s` after it.
    """
    child = _start(run) if processes >= 2 else None
    mine = run(0)
    if child is None:
        return mine
    process, pipe = child
    other: Found | None = None
    try:
        if pipe.poll(max(0.0, deadline - time.perf_counter()) + grace_s):
            other = pipe.recv()
    except (EOFError, OSError):
        other = None
    finally:
        pipe.close()
        process.join(0.05)
        if process.is_alive():
            process.kill()
            process.join()
    if isinstance(other, Found) and other.key < mine.key:
        return other
    return mine


def _start(
    run: Callable[[int], Found],
) -> tuple[multiprocessing.process.BaseProcess, Connection] | None:
    """The forked child running run(1), and the end of its pipe; None where it cannot start."""
    try:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(run, send), daemon=True)
        process.start()
    except (ValueError, AssertionError, OSError):  # no fork here, a daemonic caller, no memory
        return None
    send.close()
    return process, receive


def _child(run: Callable[[int], Found], send: Connection) -> None:
    try:
        send.send(run(1))
    finally:
        send.close()
