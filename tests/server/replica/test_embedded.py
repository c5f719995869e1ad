"""`servio replica init` with no DATABASE_URL makes a standby of the embedded PostgreSQL (a
socket in its data folder only, so the standby lives on the same machine), and leaves the
embedded server it had to start running for it: the command's exit must not stop the primary
its standby streams from (pgserver stops what a process started when it exits)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from server.replica.cluster import DataFolder, run_tool
from tests.database import ROOT, TEST_DATA_DIR, TEST_DATABASE
from tests.live import SERVIO
from tests.ports import free_port

pytestmark = pytest.mark.slow


def test_init_of_the_embedded_database_keeps_it_running_for_its_standby() -> None:
    data_dir = TEST_DATA_DIR / f"{TEST_DATABASE}_replica_embedded"
    primary, standby = DataFolder(data_dir / "pgdata"), DataFolder(data_dir / "standby")
    skip = {"DATABASE_URL", "SERVIO_TEST_ADMIN_DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in skip} | {
        "SERVIO_DATA_DIR": str(data_dir)
    }
    shutil.rmtree(data_dir, ignore_errors=True)
    try:
        made = subprocess.run(
            [SERVIO, "replica", "init", str(standby.path), "--port", str(free_port())],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert f"the embedded PostgreSQL in {primary.path} stays running" in made.stdout
        assert f"host={primary.path},{standby.path}&port=5432," in made.stdout
        shown = subprocess.run(
            [SERVIO, "replica", "status", str(standby.path)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert shown.returncode == 0, shown.stdout + shown.stderr
        assert "standby servio_standby (local socket): streaming, async" in shown.stdout
    finally:
        for folder in (standby, primary):
            if folder.running():
                run_tool("pg_ctl", "stop", "-m", "immediate", "-D", str(folder.path), quiet=True)
        shutil.rmtree(data_dir, ignore_errors=True)
