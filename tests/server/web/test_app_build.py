"""What starting the app costs: no thread per app built, no PDF engine until a document."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading

from server.app import create_app


def test_building_apps_does_not_leave_a_thread_behind_each() -> None:
    create_app()
    before = threading.active_count()
    for _ in range(5):
        create_app()
    assert threading.active_count() == before


def test_a_record_logged_after_many_apps_reaches_one_handler_once() -> None:
    for _ in range(3):
        create_app()
    queues = [h for h in logging.getLogger().handlers if type(h).__name__ == "QueueHandler"]
    assert len(queues) == 1


def test_the_server_starts_without_loading_the_pdf_engine() -> None:
    engines = ("weasyprint", "fontTools")
    code = f"import sys, server.app; print([m for m in {engines!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
