"""What starting the app costs, in a fresh `servio`-like process: no thread per app built,
one log handler however many apps, no PDF engine until the first document."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, logging, sys, threading
from server.app import create_app
create_app()
first = threading.active_count()
for _ in range(5):
    create_app()
print(json.dumps({
    "threads": [first, threading.active_count()],
    "queue_handlers": sum(type(h).__name__ == "QueueHandler" for h in logging.getLogger().handlers),
    "engines": [m for m in ("weasyprint", "fontTools") if m in sys.modules],
}))
"""


@pytest.fixture(scope="module")
def started() -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "SERVIO_LOG"}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(probe.stdout)  # type: ignore[no-any-return]


def test_building_apps_does_not_leave_a_thread_behind_each(started: dict[str, object]) -> None:
    first, after_six = started["threads"]  # type: ignore[misc]
    assert after_six == first


def test_records_go_through_one_queue_however_many_apps(started: dict[str, object]) -> None:
    assert started["queue_handlers"] == 1


def test_the_server_starts_without_loading_the_pdf_engine(started: dict[str, object]) -> None:
    assert started["engines"] == []
