"""The job queue: tasks are declared on TASKS by their domains, run by a worker.

`servio serve` runs a worker inside each server process (unless SERVIO_WORKER=0), so a
single-machine install needs nothing more; `servio worker` runs dedicated ones. Jobs live in
the procrastinate tables of the same database, so a job deferred by one process is run by
any worker, and survives restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import json
import logging
import os
from typing import Any

import procrastinate

log = logging.getLogger("servio.jobs")
TASKS = procrastinate.Blueprint()
TASK_MODULES = (
    "server.documents.jobs",
    "server.clients.jobs",
    "server.dispatch.jobs",
    "server.notify.jobs",
    "server.sla.jobs",
    "server.acts.jobs",
    "server.ratings.jobs",
    "server.cabinet.jobs",
)
_opened_in: list[asyncio.AbstractEventLoop] = []


@functools.cache
def jobs_app() -> procrastinate.App:
    """The procrastinate app of this process, with every domain's tasks."""
    from server.db import resolve_database_url

    for module in TASK_MODULES:
        importlib.import_module(module)
    connector = procrastinate.PsycopgConnector(
        conninfo=resolve_database_url(), min_size=1, max_size=4
    )
    app = procrastinate.App(connector=connector)
    app.add_tasks_from(TASKS, namespace="servio")
    return app


async def open_jobs() -> None:
    """Connect the queue on this event loop (once)."""
    loop = asyncio.get_running_loop()
    if loop in _opened_in:
        return
    try:
        await jobs_app().open_async()
    except BaseException:
        with contextlib.suppress(Exception):  # a half-opened pool would be taken for open
            await jobs_app().close_async()
        raise
    _opened_in[:] = [loop]


async def close_jobs() -> None:
    """Disconnect the queue."""
    if _opened_in:
        _opened_in.clear()
        await jobs_app().close_async()


def worker_in_process() -> bool:
    """Whether `servio serve` runs a worker in each server process (SERVIO_WORKER, default 1)."""
    return os.environ.get("SERVIO_WORKER", "1").strip() not in {"0", "false", "no"}


async def run_worker(*, wait: bool = True, name: str = "worker", signals: bool = False) -> None:
    """Run jobs until stopped (wait) or until none is left (not wait); `signals`: stop
    gracefully on SIGINT/SIGTERM (a process of its own)."""
    await open_jobs()
    await jobs_app().run_worker_async(
        wait=wait,
        name=name,
        concurrency=2,
        install_signal_handlers=signals,
        shutdown_graceful_timeout=30,
        delete_jobs="successful",
    )


class InProcessWorker:
    """A worker running beside the web app in the same event loop."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start it in the background if enabled: the app never waits for the queue."""
        if worker_in_process():
            self.task = asyncio.create_task(self._keep_running())

    async def _keep_running(self) -> None:
        """Run the worker; while the database is unreachable, try again later."""
        delay = 1.0
        while True:
            try:
                await run_worker(name=f"serve-{os.getpid()}")
                return
            except Exception as error:  # the web app goes on; /health tells the rest
                log.error("job worker stopped: %s; starting again in %.0f s", error, delay)
                await close_jobs()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def stop(self) -> None:
        """Stop taking jobs, let running ones finish (up to 30 s), disconnect."""
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None
        await close_jobs()


DEFER_IN_TRANSACTION = (
    "INSERT INTO procrastinate_jobs (queue_name, task_name, queueing_lock, args)"
    " VALUES ({}, {}, {}, {}::jsonb)"
    " ON CONFLICT (queueing_lock) WHERE status = 'todo' DO NOTHING"
)


async def defer_in_transaction(
    task: str, *, queue: str, queueing_lock: str | None = None, **kwargs: Any
) -> None:
    """Queue a job through the caller's database transaction: it exists exactly when that
    commits (procrastinate's trigger wakes the workers then), and a job already waiting
    under the same queueing lock makes this a no-op."""
    from piccolo.querystring import QueryString

    from server.piccolo_conf import DB

    await DB.run_querystring(
        QueryString(
            DEFER_IN_TRANSACTION, queue, f"servio:{task}", queueing_lock, json.dumps(kwargs)
        )
    )


async def defer(task: str, **kwargs: Any) -> None:
    """Queue a job of a servio task by its name, for a domain that may not import the domain
    that owns the task (orders asking dispatch for a master, say)."""
    await open_jobs()
    await jobs_app().configure_task(f"servio:{task}").defer_async(**kwargs)
