"""Logging for the process: records go through one queue to stderr, off the event loop.

Litestar's own logging config starts a new queue listener thread every time an app is
built and never stops it; a process that builds many apps (the tests) piled up hundreds of
threads. The listener here is made once per process and stopped at exit.

SERVIO_LOG=off adds no handler: a process embedding the app (the tests) collects the records.
"""

import atexit
import logging
import os
import queue
import sys
from logging.handlers import QueueHandler, QueueListener

FORMAT = "%(levelname)s - %(asctime)s - %(name)s - %(message)s"

_listener: QueueListener | None = None


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record arrives, not when it was made."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr


def configure_logging(level: int = logging.INFO) -> None:
    """Route the root logger through a queue; calling it again changes nothing."""
    global _listener
    if _listener is not None or os.environ.get("SERVIO_LOG") == "off":
        return
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    console = StderrHandler()
    console.setFormatter(logging.Formatter(FORMAT))
    _listener = QueueListener(records, console, respect_handler_level=True)
    _listener.start()
    atexit.register(_listener.stop)
    root = logging.getLogger()
    root.addHandler(QueueHandler(records))
    root.setLevel(level)
