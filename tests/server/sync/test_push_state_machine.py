"""Random duplicates, reorders and lost answers never apply a mutation twice or lose one."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.database import TEST_DATABASE
from tests.live import LiveServer, live_server, query


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(f"{TEST_DATABASE}_push_machine") as running:
        yield running


def test_push_applies_each_mutation_at_most_once_and_keeps_every_acknowledged_one(
    server: LiveServer,
) -> None:
    http = httpx.Client(base_url=server.url, timeout=30)
    assert (
        http.post(
            "/api/v1/auth/login", json={"login": "field1", "password": "servio-demo"}
        ).status_code
        == 200
    )
    http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
    pulled = http.get("/api/v1/sync/pull").json()
    order_ids = sorted({v["order_id"] for v in pulled["visits"]})[:2]
    price_id = next(p["id"] for p in pulled["price_items"] if p["kind"] == "service")

    class PushMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.made: list[dict[str, Any]] = []
            self.acknowledged: set[str] = set()
            self.prefix = f"sm-{uuid.uuid4().hex[:8]}-"
            self.started = dt.datetime.now(dt.UTC)

        @rule(order=st.sampled_from(order_ids), line=st.booleans())
        def make(self, order: int, line: bool) -> None:
            mutation_id = str(uuid.uuid4())
            if line:
                kind, change = "order.line", {"price_item_id": price_id, "quantity": "1"}
            else:
                kind, change = "order.comment", {"text": self.prefix + mutation_id}
            at = dt.datetime.now(dt.UTC).isoformat()
            self.made.append(
                {"id": mutation_id, "kind": kind, "entity_id": order, "change": change, "at": at}
            )

        @precondition(lambda self: bool(self.made))
        @rule(
            picks=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
            seed=st.integers(),
            lose=st.booleans(),
        )
        def send(self, picks: list[int], seed: int, lose: bool) -> None:
            batch = [self.made[p % len(self.made)] for p in picks]  # duplicates allowed
            random.Random(seed).shuffle(batch)
            response = http.post("/api/v1/sync/push", json={"mutations": batch})
            assert response.status_code == 200, response.text
            if lose:
                return  # the answer never reached the phone
            for result in response.json()["results"]:
                assert result["result"] in ("applied", "duplicate"), result
                self.acknowledged.add(result["id"])

        @invariant()
        def nothing_twice_nothing_lost(self) -> None:
            if not self.made:
                return
            ids = [m["id"] for m in self.made]
            recorded = query(
                server.database_url,
                "SELECT id::text AS id, kind, result FROM sync_mutation WHERE id::text = ANY($1)",
                ids,
            )
            assert {r["id"] for r in recorded} >= self.acknowledged
            comments = query(
                server.database_url,
                "SELECT text, count(*) AS n FROM timeline_event WHERE text LIKE $1 GROUP BY text",
                self.prefix + "%",
            )
            assert all(c["n"] == 1 for c in comments), comments
            commented = {c["text"].removeprefix(self.prefix) for c in comments}
            assert commented == {r["id"] for r in recorded if r["kind"] == "order.comment"}
            applied_lines = sum(1 for r in recorded if r["kind"] == "order.line")
            lines = query(
                server.database_url,
                'SELECT count(*) AS n FROM order_line WHERE "order" = ANY($1) AND created_at > $2',
                order_ids,
                self.started,
            )
            assert lines[0]["n"] == applied_lines

    PushMachine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=12,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        PushMachine.TestCase().runTest()
    finally:
        http.close()
