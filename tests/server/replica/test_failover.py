"""A primary, a synchronous standby made by `servio replica init`, and a `servio serve` on the
URL naming both with target_session_attrs=read-write (issue #15).

The commands first: status tells both sides, init and promote refuse what would break things,
in words. Then the failover under load: staff keep creating clients while the primary's
postmaster is killed (SIGKILL), `servio replica promote` makes the standby the primary, and the
same server process serves again by itself — every answer meanwhile a 503 with Retry-After,
never a 500, and every write it acknowledged is on the new primary (synchronous replication:
none lost). A job queued afterwards runs (the worker's listener found the new primary too).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.install import login
from tests.live import query
from tests.server.replica.conftest import Pair, replica

pytestmark = pytest.mark.slow

WRITERS = 3  # staff creating clients at once
READY_ACKS = 30  # acknowledged writes before the primary is killed
SERVES_AGAIN_WITHIN = 60  # seconds from the promotion to writes acknowledged again
ACKS_AFTER = 20  # acknowledged writes after the promotion that show the service is back


def test_status_tells_both_sides_and_the_sync_state(pair: Pair) -> None:
    shown = replica("status", str(pair.standby.path), database_url=pair.database_url)
    assert shown.exit_code == 0, shown.output
    assert "primary (synchronous standbys: servio_standby, synchronous_commit on)" in shown.output
    assert "standby servio_standby (local socket): streaming, sync, lag" in shown.output
    assert "standby, WAL receiver streaming" in shown.output
    assert shown.output.rstrip().endswith("a standby is streaming")

    alone = replica("status", database_url=pair.primary_url)  # the primary says it too
    assert alone.exit_code == 0 and "streaming, sync" in alone.output, alone.output

    away = replica("status", database_url="postgresql://postgres@/servio?host=/nowhere")
    assert away.exit_code == 1
    assert "unreachable" in away.output and "no standby is streaming" in away.output


def _refused(result_output: str, exit_code: int, exception: BaseException | None) -> str:
    assert exit_code != 0
    assert isinstance(exception, SystemExit), exception  # a message, never a traceback
    assert "Traceback" not in result_output
    return result_output


def test_init_refuses_what_it_cannot_do_and_says_why(pair: Pair, tmp_path: Path) -> None:
    def init(folder: Path, *args: str, url: str = pair.primary_url) -> str:
        done = replica("init", str(folder), *args, database_url=url)
        return _refused(done.output, done.exit_code, done.exception)

    assert "already holds a PostgreSQL data folder" in init(pair.standby.path)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    assert "is not an empty folder" in init(tmp_path / "busy")
    assert "already streams from the primary through slot servio_standby" in init(tmp_path / "b")
    assert not (tmp_path / "b").exists()  # nothing made
    assert "a slot name is" in init(tmp_path / "c", "--slot", "Bad name")
    assert "no primary answers" in init(
        tmp_path / "d", url="postgresql://postgres@/servio?host=/nowhere"
    )
    assert "is a standby" in init(tmp_path / "e", url=pair.standby_url)
    assert "not a port" in init(tmp_path / "f", url="postgresql://postgres@db:x/servio")


def test_promote_refuses_a_primary_and_a_standby_whose_primary_answers(pair: Pair) -> None:
    def promote(folder: Path) -> str:
        done = replica("promote", str(folder), database_url=pair.database_url)
        return _refused(done.output, done.exit_code, done.exception)

    assert "holds a primary, not a standby" in promote(pair.install.pgdata)
    assert "not a PostgreSQL data folder" in promote(pair.install.data_dir / "nothing")
    assert "the primary still answers" in promote(pair.standby.path)
    assert pair.standby.is_standby()


class Load:
    """Staff creating clients through the API; a write counts once it answered 201."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stopping = threading.Event()
        self.acked: list[tuple[float, str]] = []  # (when, client name)
        self.seen: Counter[int] = Counter()
        self.odd: list[str] = []  # anything but 201, or 503 with Retry-After
        self.pool = ThreadPoolExecutor(WRITERS)
        self.running = [self.pool.submit(self._write, n) for n in range(WRITERS)]

    def _write(self, writer: int) -> None:
        with login(self.url) as http:
            for n in range(1_000_000):
                if self.stopping.is_set():
                    return
                name = f"Failover {writer}-{n}"
                try:
                    answer = http.post("/api/v1/clients", json={"kind": "person", "name": name})
                except httpx.TransportError as error:  # the server itself must stay up
                    self.odd.append(f"{name}: {error!r}")
                    continue
                self.seen[answer.status_code] += 1
                if answer.status_code == 201:
                    self.acked.append((time.monotonic(), name))
                elif answer.status_code != 503 or not answer.headers.get("retry-after"):
                    self.odd.append(f"{name}: {answer.status_code} {answer.text[:300]}")
                else:
                    time.sleep(0.05)  # pacing while the database is away, not a wait for it

    def wait_for(self, count: int, *, after: float, within: float) -> None:
        """Until `count` writes were acknowledged after the moment `after`."""
        deadline = time.monotonic() + within
        while sum(1 for when, _ in self.acked if when > after) < count:
            if time.monotonic() > deadline or any(f.done() for f in self.running):
                raise AssertionError(f"{count} writes not acknowledged in time: {self.seen}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop writing; the writers' own failures surface here."""
        self.stopping.set()
        for future in self.running:
            future.result()
        self.pool.shutdown()


def test_the_primary_killed_under_load_the_promoted_standby_has_every_acknowledged_write(
    pair: Pair,
) -> None:
    pair.install.env.update(DATABASE_URL=pair.database_url, SERVIO_EXPORT_BACKGROUND_ROWS="0")
    serving = pair.install.serve()
    load = None
    try:
        load = Load(serving.url)
        load.wait_for(READY_ACKS, after=0, within=60)
        killed = time.monotonic()
        pair.kill_primary()
        promoted = replica("promote", str(pair.standby.path), database_url=pair.database_url)
        assert promoted.exit_code == 0, promoted.output
        assert "is the primary now" in promoted.output
        load.wait_for(ACKS_AFTER, after=time.monotonic(), within=SERVES_AGAIN_WITHIN)
        load.stop()
        with login(serving.url) as http:
            _a_job_queued_now_runs(http)
    finally:
        if load is not None:
            load.stopping.set()
        code = serving.stop()
        serving.kill()

    assert not load.odd, load.odd[:5]
    assert load.seen[503], load.seen  # the gap was seen, and answered 503
    back = min(when for when, _ in load.acked if when > killed)
    acked = {name for _, name in load.acked}
    kept = {
        row["name"]
        for row in query(pair.standby_url, "SELECT name FROM client WHERE name LIKE 'Failover %'")
    }
    lost = acked - kept
    print(
        f"\nfailover: {back - killed:.1f} s without service, {len(lost)} of {len(acked)} "
        f"acknowledged writes lost, answers {dict(load.seen)}"
    )
    assert not lost, sorted(lost)[:10]
    assert code == 0, pair.install.log_tail()


def _a_job_queued_now_runs(http: httpx.Client) -> None:
    """An export queued after the failover is prepared by the server's own worker."""
    export = http.get("/api/v1/clients/export")
    assert export.status_code == 202, export.text
    deadline = time.monotonic() + 60
    while (items := http.get("/api/v1/downloads").json()["items"])[0]["status"] != "done":
        assert time.monotonic() < deadline, (
            f"the export queued after the failover never ran: {items}"
        )
        time.sleep(0.2)
