"""A small load against `servio serve --workers 2` (issue #15; the full one is the load bench).

Seven staff sessions of mixed roles and three field phones (tests/load.py: lists, cards,
timelines, searches, comments, edits, intake, pulls and pushes, retried pushes) for a few
seconds: no answer is an error, none a 5xx, and every write the server acknowledged is in
the database afterwards.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.live import demo_database, query, serve
from tests.load import Recorder, drive, is_error, make_users, prepare

pytestmark = pytest.mark.slow

SECONDS = 8
THINK = 0.2  # seconds between a user's requests, on average


def test_a_small_load_has_no_errors_and_keeps_every_acknowledged_write() -> None:
    database_url = demo_database("load_smoke")
    with serve(database_url, args=("--workers", "2")) as server:
        users = make_users(server.url, range(7), range(3))

        async def run() -> Recorder:
            await prepare(users)
            return await drive(users, SECONDS, THINK)

        rec = asyncio.run(run())
    kinds = {s.kind for s in rec.samples}
    assert {"orders.list", "order.card", "sync.pull", "sync.push"} <= kinds, kinds
    errors = [f"{s.kind} {s.status}: {s.detail}" for s in rec.samples if is_error(s)]
    assert not errors, errors[:5]
    written = rec.acknowledged
    assert written.comments and written.mutations, "the load wrote nothing"
    _comments_are_kept(database_url, written.comments)
    stored = query(database_url, "SELECT id::text FROM sync_mutation")
    assert set(written.mutations) <= {r["id"] for r in stored}
    if written.orders:
        rows = query(
            database_url, "SELECT id FROM service_order WHERE id = ANY($1)", written.orders
        )
        assert len(rows) == len(written.orders)
    for order_id, appearance in written.edits.items():
        row = query(database_url, "SELECT appearance FROM service_order WHERE id = $1", order_id)
        assert row[0]["appearance"] == appearance, order_id


def _comments_are_kept(database_url: str, comments: list[tuple[int, str]]) -> None:
    rows = query(
        database_url,
        'SELECT "order", text FROM timeline_event WHERE text = ANY($1)',
        [text for _, text in comments],
    )
    assert {(r["order"], r["text"]) for r in rows} == set(comments)
