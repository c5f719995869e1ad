"""Load on a live server: staff sessions of mixed roles and field masters' phones at once.

Used by the load bench (tests/perf/bench_load.py, full size) and the smoke test
(tests/server/test_load_smoke.py, a few users for a few seconds). Every user is an asyncio
task with its own HTTP client (cookies, one keep-alive connection), as each browser tab and
phone has; all of them run at once from one event loop, with a think time between a user's
requests (uniform from 0 to twice `think`). Each request is recorded with its kind, status
and latency; each acknowledged write is noted so that a test can look for it afterwards.

Staff (the pages a browser loads, and the API the card's scripts call):
  orders.list    /orders with a quick filter, a search or a sort
  orders.api     /api/v1/orders filtered and sorted (the board's and the scripts' list)
  order.card     /orders/{id}
  order.timeline /orders/{id}/events (the card's live feed asking for new events)
  order.get      /api/v1/orders/{id} (read before an edit, for its version)
  clients.search /clients?q=...
  timeline.comment, order.edit (PATCH with the version read), order.create  (writes)
Phones (field masters, the sync protocol of server/sync/PROTOCOL.md):
  sync.pull_full the first pull; sync.pull with the cursor; sync.push comments with fresh
  mutation ids, and now and then the same batch again (a retry after a lost answer: every
  result must be "duplicate").
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "servio-demo"
STAFF_LOGINS = ("receiver", "manager", "dispatcher", "master1", "admin", "receiver", "master2")
PHONE_LOGINS = ("field1", "field2", "field3")
WRITERS = {"receiver", "manager", "dispatcher", "admin"}  # may create and edit orders
READ_KINDS = (
    "orders.list",
    "orders.api",
    "order.card",
    "order.timeline",
    "order.get",
    "clients.search",
    "sync.pull_full",
    "sync.pull",
)
WRITE_KINDS = ("timeline.comment", "order.edit", "order.create", "sync.push")
GROUPS = ("new", "in_work", "waiting", "ready", "mine", "overdue")
SORTS = ("-created", "due", "-priority", "number", "status")
API_GROUPS = ("new", "in_work", "waiting", "ready")


@dataclass
class Sample:
    """One request: what it was, its status (0: no answer), seconds until the whole answer."""

    kind: str
    status: int
    seconds: float
    detail: str = ""


@dataclass
class Acknowledged:
    """Writes the server answered 2xx to, to be found in the database afterwards."""

    comments: list[tuple[int, str]] = field(default_factory=list)  # (order id, text)
    orders: list[int] = field(default_factory=list)  # created order ids
    edits: dict[int, str] = field(default_factory=dict)  # order id -> last appearance sent
    mutations: list[str] = field(default_factory=list)  # applied mutation ids


@dataclass
class Recorder:
    """What all users of one process saw; in-flight counts for the concurrency reached."""

    samples: list[Sample] = field(default_factory=list)
    acknowledged: Acknowledged = field(default_factory=Acknowledged)
    in_flight: int = 0
    max_in_flight: int = 0
    busy_area: float = 0.0  # integral of in-flight over time, for the mean
    _since: float = 0.0

    def _tick(self, change: int) -> None:
        now = time.perf_counter()
        if self._since:
            self.busy_area += self.in_flight * (now - self._since)
        self._since = now
        self.in_flight += change
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    async def request(
        self, kind: str, send: Callable[[], Awaitable[httpx.Response]]
    ) -> httpx.Response | None:
        """Send one request and note it; None when no answer came (a transport error)."""
        self._tick(+1)
        started = time.perf_counter()
        try:
            answer = await send()
        except httpx.HTTPError as error:
            self.samples.append(Sample(kind, 0, time.perf_counter() - started, repr(error)))
            return None
        finally:
            self._tick(-1)
        seconds = time.perf_counter() - started
        detail = "" if answer.status_code < 400 else answer.text[:200]
        self.samples.append(Sample(kind, answer.status_code, seconds, detail))
        return answer


def client(url: str, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """One user's HTTP client: its own cookies and one keep-alive connection (or a transport
    into an app in this process)."""
    return httpx.AsyncClient(
        base_url=url,
        timeout=60,
        headers={"Origin": url},
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        transport=transport,
    )


async def log_in(http: httpx.AsyncClient, login: str) -> None:
    """Log in and send the CSRF token with every later request."""
    answer = await http.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
    answer.raise_for_status()
    http.headers["X-CSRFToken"] = http.cookies["csrftoken"]


class Staff:
    """A browser tab of an employee: lists, cards, their feeds, searches, comments, edits."""

    def __init__(
        self,
        url: str,
        login: str,
        index: int,
        rng: random.Random,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.http = client(url, transport)
        self.login = login
        self.index = index
        self.rng = rng
        self.order_ids: list[int] = []
        self.client_ids: list[int] = []
        self.terms: list[str] = []

    async def prepare(self) -> None:
        """Log in and learn which orders and clients this employee sees (not recorded)."""
        await log_in(self.http, self.login)
        orders = (await self.http.get("/api/v1/orders", params={"limit": 100})).json()
        self.order_ids = [o["id"] for o in orders["items"]]
        clients = (await self.http.get("/api/v1/clients", params={"limit": 100})).json()
        self.client_ids = [c["id"] for c in clients["items"]]
        self.terms = sorted({c["name"].split()[0][:5] for c in clients["items"] if c["name"]})

    def actions(self) -> list[tuple[float, Callable[[Recorder], Awaitable[None]]]]:
        """Weighted actions of this role: reads mostly, writes for those who may."""
        made: list[tuple[float, Callable[[Recorder], Awaitable[None]]]] = [
            (20, self.orders_list),
            (8, self.orders_api),
            (20, self.order_card),
            (20, self.order_timeline),
            (10, self.client_search),
            (6, self.comment),
        ]
        if self.login in WRITERS:
            made += [(4, self.edit), (2, self.create)]
        return made

    def _order(self) -> int:
        return self.rng.choice(self.order_ids)

    async def orders_list(self, rec: Recorder) -> None:
        """The orders page with a quick filter, a search or a sort."""
        how = self.rng.random()
        params: dict[str, str] = {}
        if how < 0.35:
            params["group"] = self.rng.choice(GROUPS)
        elif how < 0.6 and self.terms:
            params["q"] = self.rng.choice(self.terms)
        if self.rng.random() < 0.5:
            params["sort"] = self.rng.choice(SORTS)
        await rec.request("orders.list", lambda: self.http.get("/orders", params=params))

    async def orders_api(self, rec: Recorder) -> None:
        """The JSON list filtered by a status group and sorted."""
        params = {
            "status_group": self.rng.choice(API_GROUPS),
            "sort": self.rng.choice(SORTS),
            "limit": "50",
        }
        await rec.request("orders.api", lambda: self.http.get("/api/v1/orders", params=params))

    async def order_card(self, rec: Recorder) -> None:
        """An order's card page."""
        order_id = self._order()
        await rec.request("order.card", lambda: self.http.get(f"/orders/{order_id}"))

    async def order_timeline(self, rec: Recorder) -> None:
        """The card's feed asking for its events."""
        order_id = self._order()
        await rec.request("order.timeline", lambda: self.http.get(f"/orders/{order_id}/events"))

    async def client_search(self, rec: Recorder) -> None:
        """The clients page searching by the start of a name."""
        if not self.terms:
            return
        term = self.rng.choice(self.terms)
        await rec.request("clients.search", lambda: self.http.get("/clients", params={"q": term}))

    async def comment(self, rec: Recorder) -> None:
        """A comment on an order's timeline."""
        order_id = self._order()
        text = f"Нагрузка: комментарий {uuid.uuid4().hex[:12]}"
        body = {"kind": "comment", "text": text}
        answer = await rec.request(
            "timeline.comment",
            lambda: self.http.post(f"/api/v1/orders/{order_id}/timeline", json=body),
        )
        if answer is not None and answer.is_success:
            rec.acknowledged.comments.append((order_id, text))

    async def edit(self, rec: Recorder) -> None:
        """Read an order, then change its appearance with the version read."""
        mine = [i for i in self.order_ids if i % 7 == self.index % 7] or self.order_ids
        order_id = self.rng.choice(mine)
        got = await rec.request("order.get", lambda: self.http.get(f"/api/v1/orders/{order_id}"))
        if got is None or not got.is_success:
            return
        appearance = f"Нагрузка {uuid.uuid4().hex[:8]}"
        body = {"version": got.json()["version"], "appearance": appearance}
        answer = await rec.request(
            "order.edit", lambda: self.http.patch(f"/api/v1/orders/{order_id}", json=body)
        )
        if answer is not None and answer.is_success:
            rec.acknowledged.edits[order_id] = appearance

    async def create(self, rec: Recorder) -> None:
        """Take a device in for a known client."""
        body = {
            "client_id": self.rng.choice(self.client_ids),
            "declared_fault": f"Нагрузка: не включается {uuid.uuid4().hex[:6]}",
        }
        answer = await rec.request(
            "order.create", lambda: self.http.post("/api/v1/orders", json=body)
        )
        if answer is not None and answer.is_success:
            rec.acknowledged.orders.append(answer.json()["id"])

    async def step(self, rec: Recorder) -> None:
        """One action chosen by weight."""
        weights, actions = zip(*self.actions(), strict=True)
        await self.rng.choices(actions, weights=weights)[0](rec)


class Phone:
    """A field master's phone: pulls with its cursor and pushes its outbox."""

    def __init__(
        self,
        url: str,
        login: str,
        index: int,
        rng: random.Random,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.http = client(url, transport)
        self.login = login
        self.index = index
        self.rng = rng
        self.cursor: str | None = None
        self.order_ids: list[int] = []
        self.last_batch: list[dict[str, Any]] = []

    async def prepare(self) -> None:
        """Log in (the first pull is part of the load)."""
        await log_in(self.http, self.login)

    async def pull(self, rec: Recorder) -> None:
        """A pull: the whole working set the first time, then what changed."""
        kind = "sync.pull" if self.cursor else "sync.pull_full"
        params = {"cursor": self.cursor} if self.cursor else {}
        answer = await rec.request(kind, lambda: self.http.get("/api/v1/sync/pull", params=params))
        if answer is None or not answer.is_success:
            return
        body = answer.json()
        self.cursor = body["cursor"]
        if body.get("reset"):
            self.order_ids = sorted({v["order_id"] for v in body["visits"]})

    async def push(self, rec: Recorder) -> None:
        """One to three notes on the working set's orders, or the last batch again."""
        if self.last_batch and self.rng.random() < 0.15:
            batch, again = self.last_batch, True
        elif self.order_ids:
            batch = [
                {
                    "id": str(uuid.uuid4()),
                    "kind": "order.comment",
                    "entity_id": self.rng.choice(self.order_ids),
                    "change": {"text": f"Нагрузка: с телефона {uuid.uuid4().hex[:10]}"},
                }
                for _ in range(self.rng.randint(1, 3))
            ]
            again = False
        else:
            return
        body = {"mutations": batch}
        answer = await rec.request(
            "sync.push", lambda: self.http.post("/api/v1/sync/push", json=body)
        )
        if answer is None or not answer.is_success:
            return
        results = answer.json()["results"]
        expected = "duplicate" if again else "applied"
        wrong = [r for r in results if r["result"] != expected]
        if wrong:  # a 200 whose results break the protocol counts as an error of its own
            rec.samples.append(Sample("sync.push", 299, 0.0, repr(wrong[0])[:200]))
            return
        if not again:
            rec.acknowledged.mutations += [m["id"] for m in batch]
            rec.acknowledged.comments += [(m["entity_id"], m["change"]["text"]) for m in batch]
            self.last_batch = batch

    async def step(self, rec: Recorder) -> None:
        """Pull, and push every other time."""
        if self.cursor is None or self.rng.random() < 0.5:
            await self.pull(rec)
        else:
            await self.push(rec)


async def _run_user(user: Staff | Phone, rec: Recorder, until: float, think: float) -> None:
    await asyncio.sleep(user.rng.uniform(0, 2 * think))  # users do not start in step
    while (left := until - time.perf_counter()) > 0:
        await user.step(rec)
        await asyncio.sleep(min(left, user.rng.uniform(0, 2 * think)))


def make_users(
    url: str,
    sessions: Iterable[int],
    phones: Iterable[int],
    seed: int = 15,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Staff | Phone]:
    """Staff number `i` of `sessions` and phone number `j` of `phones` (global numbering, so
    that users split over processes are the same users)."""
    users: list[Staff | Phone] = []
    for i in sessions:
        login = STAFF_LOGINS[i % len(STAFF_LOGINS)]
        users.append(Staff(url, login, i, random.Random(seed * 1000 + i), transport))
    for j in phones:
        login = PHONE_LOGINS[j % len(PHONE_LOGINS)]
        users.append(Phone(url, login, j, random.Random(seed * 2000 + j), transport))
    return users


async def prepare(users: list[Staff | Phone], at_once: int = 8) -> None:
    """Log every user in (a few at a time: a login hashes a password)."""
    gate = asyncio.Semaphore(at_once)

    async def one(user: Staff | Phone) -> None:
        async with gate:
            await user.prepare()

    await asyncio.gather(*(one(u) for u in users))


async def drive(users: list[Staff | Phone], seconds: float, think: float) -> Recorder:
    """Run every user at once for `seconds`; what they saw."""
    rec = Recorder()
    until = time.perf_counter() + seconds
    try:
        await asyncio.gather(*(_run_user(u, rec, until, think) for u in users))
    finally:
        await asyncio.gather(*(u.http.aclose() for u in users))
    rec._tick(0)
    return rec


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share 0.95 for p95); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def is_error(sample: Sample) -> bool:
    """An answer a real user would see as a failure: no answer, or not 2xx/3xx."""
    return sample.status == 0 or sample.status >= 400 or sample.status == 299
