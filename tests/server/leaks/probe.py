"""Fetch every generated request as one viewer and collect what leaks."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from tests.server.leaks import markers as mk
from tests.server.leaks.bodies import kind_of, read
from tests.server.leaks.markers import Marker
from tests.server.leaks.routes import (
    Route,
    fill_path,
    filter_values,
    format_values,
    sort_candidates,
    with_query,
)
from tests.server.leaks.scan import Scanner
from tests.server.leaks.world import Viewer, World

MAX_PAGES = 60
PAGE = 3  # small pages, so every list is read through its cursor (pages of one for those who
# see only their own few orders, so that they get cursors too)
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@dataclass(frozen=True)
class Leak:
    """One thing a viewer got that they may not have."""

    role: str
    login: str
    route: str
    url: str
    status: int
    what: str
    why: str


SUMMARY_KEYS = frozenset({"first_day", "last_day", "step", "points"})  # FinanceSummary
POINT_KEYS = frozenset({"start", "income", "expenses"})  # one of its points


class Probe:
    """The requests of one viewer, and the leaks found in the answers."""

    def __init__(self, world: World, viewer: Viewer, http: httpx.AsyncClient) -> None:
        self.world = world
        self.viewer = viewer
        self.http = http
        self.forbidden = world.forbidden(viewer)
        self.scanner = Scanner(self.forbidden)
        # answers about orders: hidden client, device, technician, manager (names: not HTML)
        self.context = world.order_context(viewer, names=True)
        self.order_scanners = {
            names: Scanner(
                self.forbidden + [m for m, _ in world.order_context(viewer, names=names).values()]
            )
            for names in (False, True)
        }
        self.leaks: list[Leak] = []
        self.unfilled: list[str] = []
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.per_route: Counter[str] = Counter()
        self.seconds: dict[str, float] = defaultdict(float)  # route -> time spent on it
        self.orders = {o.id: o for o in world.of_kind("order")}
        self.clients = {o.id: o for o in world.of_kind("client")}
        self.lines = {o.id: o for o in world.of_kind("line")}
        self.expenses = {o.id: o for o in world.of_kind("expense")}

    def leak(self, route: Route, url: str, status: int, what: str, why: str) -> None:
        v = self.viewer
        self.leaks.append(Leak(v.role, v.login, route.path, url, status, what, why))

    # ---- one request -----------------------------------------------------------------------

    async def get(
        self, route: Route, url: str, *, search: Marker | None = None
    ) -> tuple[httpx.Response, Any]:
        started = time.monotonic()
        response = await self.http.get(url)
        self.requests += 1
        self.seconds[route.path] += time.monotonic() - started
        self.per_route[route.path] += 1
        status = response.status_code
        self.statuses[status] += 1
        if status >= 500:
            self.leak(route, url, status, "server error", response.text[:200])
        if status >= 300:
            return response, None  # refused, missing or redirected: nothing shown
        try:
            text, data = read(response)
        except Exception as error:
            self.leak(route, url, status, "unreadable answer", repr(error)[:200])
            return response, None
        if search is not None:  # the page may echo what was typed
            text = re.sub(re.escape(search.value), " ", text, flags=re.IGNORECASE)
        self.scan(route, url, status, text, response)
        self.structure(route, url, status, data)
        if search is not None:
            self.found(route, url, status, text, search)
        return response, data

    def scan(
        self, route: Route, url: str, status: int, text: str, response: httpx.Response
    ) -> None:
        scanner = self.scanner
        if route.about_orders:
            scanner = self.order_scanners[kind_of(response) != "html"]
        for marker in scanner.find(text):
            why = None if marker in self.forbidden else self.context[marker.value][1]
            self.leak(
                route, url, status, marker.describe(), why or self.world.why(self.viewer, marker)
            )

    def structure(self, route: Route, url: str, status: int, data: Any) -> None:
        """Keys of hidden fields in JSON objects that are a seeded order, line or client."""
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack += item
                continue
            if not isinstance(item, dict):
                continue
            stack += list(item.values())
            entity, label = self._entity_of(item)
            if entity is None:
                continue
            for key in self.viewer.hidden:
                ent, _, name = key.partition(".")
                if ent == entity and item.get(name) is not None:
                    self.leak(
                        route, url, status, f"JSON key «{name}» of {label}", f"{key} is hidden"
                    )

    def _entity_of(self, item: dict[str, Any]) -> tuple[str | None, str]:
        if (item.keys() >= SUMMARY_KEYS and isinstance(item["first_day"], str)) or (
            isinstance(item.get("start"), str) and item.keys() <= POINT_KEYS
        ):  # (not the schema's description of them)
            return "finance", "the finance summary"
        ident = item.get("id")
        if not isinstance(ident, int):
            return None, ""
        expense = self.expenses.get(ident)
        if expense and item.get("number") in expense.identity:
            return "expense", expense.label
        order = self.orders.get(ident)
        if order and item.get("number") == order.identity[0]:
            return "order", order.label
        line = self.lines.get(ident)
        if line and "quantity" in item:
            return "order_line", line.label
        client = self.clients.get(ident)
        name = item.get("name")
        if client and isinstance(name, str) and client.identity[0] in name:
            return "client", client.label
        return None, ""

    def found(self, route: Route, url: str, status: int, text: str, marker: Marker) -> None:
        """A search by a word the viewer may not read must find nothing it belongs to."""
        lowered = text.lower()
        for owner in marker.owners:
            obj = self.world.objects[owner.obj]
            target = obj
            while not target.identity and target.parent:
                target = self.world.objects[target.parent]
            for token in target.identity:
                if token.lower() in lowered:
                    self.leak(
                        route,
                        url,
                        status,
                        f"search for {marker.describe()} found {target.label}",
                        self.world.why(self.viewer, marker),
                    )

    # ---- a route with its variants ---------------------------------------------------------

    async def route(self, route: Route) -> None:
        urls, missing = fill_path(route, self.world, self.viewer)
        for name in missing:
            self.unfilled.append(f"{route.path}: add a filler for parameter {name}")
        for url, _objs in urls:
            response, data = await self.get(route, url)
            if response.status_code >= 300:
                continue
            await self.variants(route, url, data)

    async def variants(self, route: Route, url: str, data: Any) -> None:
        default_format = route.query.get("format")
        for fmt in format_values(route, url):
            if fmt != default_format:
                await self.get(route, with_query(url, format=fmt))
        for flag in route.flags:
            await self.get(route, with_query(url, **{flag: "true"}))
        if not self.viewer.restricted:
            # sees every row and every field: the base answers (for errors) are enough
            return
        for name in ("client", "master", "assignee", "order", "phone", "email", "warehouse_id"):
            if name in route.query:
                for value in filter_values(name, self.world):
                    await self.get(route, with_query(url, **{name: value}))
        for name in (n for n in route.query if n == "q" or n.endswith("_q")):
            for marker in self.search_words():
                await self.get(route, with_query(url, **{name: marker.value}), search=marker)
        paged = "limit" in route.query and "cursor" in route.query
        default = await self.follow(route, url, {}) if paged else None
        if not paged and isinstance(data, dict) and isinstance(data.get("cursor"), str):
            name = "cursor" if "cursor" in route.query else "after"
            if name in route.query:
                await self.get(route, with_query(url, **{name: data["cursor"]}))
        if "sort" in route.query:
            await self.sorts(route, url, default)

    async def follow(self, route: Route, url: str, params: dict[str, Any]) -> list[int] | None:
        """Read a list page by page through its cursor; the ids in the order given."""
        ids: list[int] = []
        cursor: Any = None
        for _ in range(MAX_PAGES):
            page = PAGE if self.viewer.all_orders else 1
            query = {**params, "limit": page, **({"cursor": cursor} if cursor else {})}
            response, data = await self.get(route, with_query(url, **query))
            if response.status_code >= 300 or not isinstance(data, dict):
                return ids or None
            ids += [i["id"] for i in data.get("items", []) if isinstance(i, dict) and "id" in i]
            cursor = data.get("next")
            if not cursor:
                break
        return ids

    async def sorts(self, route: Route, url: str, default: list[int] | None) -> None:
        """Sorting by a hidden field is refused or does not order by it; every offered sort
        is tried (the cursor of each is decoded by the body reader)."""
        candidates = sort_candidates(route, self.viewer)
        offered = await self.offered_sorts(route, url)
        candidates += [(value, "") for value in offered if value not in dict(candidates)]
        paged = "limit" in route.query and "cursor" in route.query
        for value, hidden in candidates:
            if not paged:
                await self.get(route, with_query(url, sort=value))
                continue
            ids = await self.follow(route, url, {"sort": value})
            if not hidden or ids is None or ids == default:
                continue
            if self.ordered_by(ids, hidden):
                self.leak(
                    route,
                    with_query(url, sort=value),
                    200,
                    f"list ordered by hidden «{hidden}» (sort={value})",
                    f"{hidden} is hidden",
                )

    async def offered_sorts(self, route: Route, url: str) -> list[str]:
        """The sort values an unknown sort's error offers («choose one of: a, b»)."""
        response = await self.http.get(with_query(url, sort="zz-unknown"))
        self.requests += 1
        if response.status_code >= 500:
            self.leak(
                route,
                with_query(url, sort="zz-unknown"),
                response.status_code,
                "server error",
                response.text[:200],
            )
        match = re.search(r":\s*([\w\-]+(?:,\s*[\w\-]+)+)", response.text)
        return [v.strip() for v in match.group(1).split(",")] if match else []

    def ordered_by(self, ids: list[int], hidden: str) -> bool:
        entity, _, name = hidden.partition(".")
        source = self.world.admin_orders if entity == "order" else self.world.admin_clients
        values = []
        for ident in ids:
            if ident not in source:
                continue
            value = source[ident].get(name)
            if isinstance(value, dict):
                value = value.get("name") or value.get("id")
            if value is None:
                return False
            if isinstance(value, str) and _NUMBER.fullmatch(value):
                value = Decimal(value)
            values.append(value)
        if len(set(map(str, values))) < 2:
            return False
        try:
            return values == sorted(values) or values == sorted(values, reverse=True)
        except TypeError:
            return False

    def search_words(self) -> list[Marker]:
        """Forbidden words to search by: per kind of marker, one hidden in an object in scope
        and one of an object out of scope."""
        chosen: dict[tuple[str, bool], Marker] = {}
        for marker in self.forbidden:
            if marker.kind != mk.WORD or not _WORD.fullmatch(marker.value):
                continue
            inside = all(self.world.in_scope(self.viewer, o.obj) for o in marker.owners)
            chosen.setdefault((marker.label, inside), marker)
        return list(chosen.values())


def summary(leaks: list[Leak]) -> list[str]:
    """One line per (role, route, what): the objects it came from, how often, one URL."""
    groups: dict[tuple[str, str, str], list[Leak]] = defaultdict(list)
    for leak in leaks:
        what = re.sub(r" = '.*'$", "", leak.what)
        what = re.sub(r"zq[a-z]+\d{5}x", "…", what)
        groups[(leak.role, leak.route, what)].append(leak)
    lines = []
    for (role, route, what), found in sorted(groups.items()):
        reasons: dict[str, dict[str, None]] = defaultdict(dict)
        for leak in found:
            for part in leak.why.split("; "):
                head, _, names = part.partition(": ")
                reasons[head].update(dict.fromkeys(names.split(", ")) if names else {})
        why = "; ".join(f"{h}: {', '.join(n)}" if n else h for h, n in sorted(reasons.items()))
        example = found[0]
        lines.append(
            f"{role} ({example.login}) GET {route}: {what} — {why} "
            f"[{len(found)}×, e.g. {example.url} → {example.status}]"
        )
    return lines
