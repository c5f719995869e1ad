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
    "server.backup.jobs",
    "server.deliveries.jobs",
    "server.stock.jobs",
    "server.cashdesk.jobs",
)
_opened_in: list[asyncio.AbstractEventLoop] = []
POOL_TIMEOUT = 5.0  # seconds to wait for a connection of the queue's pool
RESTART_FIRST = 1.0  # seconds before the in-process worker starts again after a failure
RESTART_LATEST = 10.0  # the longest wait between two starts while the database is away
JOBS_FINISH_WITHIN = 3.0  # seconds running jobs get when the server stops
STOP_WITHIN = 6.0  # the in-process worker's whole stop, disconnecting included
CLOSE_WITHIN = 2.0  # closing the queue's connections


@functools.cache
def jobs_app() -> procrastinate.App:
    """The procrastinate app of this process, with every domain's tasks."""
    from server.db import libpq_url, resolve_database_url

    for module in TASK_MODULES:
        importlib.import_module(module)
    # timeout: how long taking a connection may wait; during an outage a request deferring a
    # job answers 503 after it, a stopping worker gives up on the database after it.
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_url(resolve_database_url()), min_size=1, max_size=4, timeout=POOL_TIMEOUT
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
    """Disconnect the queue (within CLOSE_WITHIN seconds: a dead database is not waited for)."""
    if _opened_in:
        _opened_in.clear()
        try:
            await asyncio.wait_for(jobs_app().close_async(), CLOSE_WITHIN)
        except TimeoutError:
            log.warning("the job queue's connections did not close within %s s", CLOSE_WITHIN)


def worker_in_process() -> bool:
    """Whether `servio serve` runs a worker in each server process (SERVIO_WORKER, default 1)."""
    return os.environ.get("SERVIO_WORKER", "1").strip() not in {"0", "false", "no"}


async def run_worker(
    *, wait: bool = True, name: str = "worker", signals: bool = False, graceful: float = 30
) -> None:
    """Run jobs until stopped (wait) or until none is left (not wait); `signals`: stop
    gracefully on SIGINT/SIGTERM (a process of its own); `graceful`: seconds running jobs
    get to finish when stopped."""
    await open_jobs()
    await jobs_app().run_worker_async(
        wait=wait,
        name=name,
        concurrency=2,
        install_signal_handlers=signals,
        shutdown_graceful_timeout=graceful,
        delete_jobs="successful",
    )


class InProcessWorker:
    """A worker running beside the web app in the same event loop.

    It outlives the database: when PostgreSQL goes away procrastinate stops the worker (its
    LISTEN connection failed), and it is started again until the database answers, so jobs
    queued after an outage run. Stopping it is bounded (STOP_WITHIN), whatever the database
    does: the server's stop must not wait on a dead connection.
    """

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start it in the background if enabled: the app never waits for the queue."""
        if worker_in_process():
            self.task = asyncio.create_task(self._keep_running())

    async def _keep_running(self) -> None:
        """Run the worker; whenever it stops (only `stop` cancels this), start it again.

        procrastinate stops a worker whose LISTEN connection failed as if asked to: the run
        returns, or raises when the database is still away while it unregisters.
        """
        delay = RESTART_FIRST
        while True:
            began = asyncio.get_running_loop().time()
            try:
                await run_worker(name=f"serve-{os.getpid()}", graceful=JOBS_FINISH_WITHIN)
                reason = "its listener or a side task failed"
            except Exception as error:  # the web app goes on; /health tells the rest
                reason = str(error) or type(error).__name__
            if asyncio.get_running_loop().time() - began > RESTART_LATEST:
                delay = RESTART_FIRST  # it ran a while: a new outage, start over quickly
            log.error("job worker stopped: %s; starting again in %.0f s", reason, delay)
            await close_jobs()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RESTART_LATEST)

    async def stop(self) -> None:
        """Stop taking jobs, give running ones JOBS_FINISH_WITHIN seconds, disconnect; all of
        it within STOP_WITHIN seconds."""
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=STOP_WITHIN - CLOSE_WITHIN)
            if not done:
                log.warning("the job worker did not stop within %s s", STOP_WITHIN)
                task.cancel()  # again: procrastinate shields its loop from the first cancel
            elif not task.cancelled() and task.exception() is not None:
                log.error("the job worker failed while stopping: %s", task.exception())
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
