"""The requests of the matrix, generated from the app's GET routes.

Each path parameter is filled by name from FILLERS with objects in and out of the caller's
scope; a parameter nobody knows how to fill is reported, so a new route cannot slip through.
Query variants come from the parameters each handler takes: `q`, `sort`, `cursor`/`limit`,
`format`, flags, and filters naming seeded objects.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from litestar import Litestar
from litestar.routes import HTTPRoute

import printforms
from server.app import PWA_DIR
from tests.server.leaks.world import Viewer, World

MAX_IN_SCOPE = 2  # in-scope objects tried per parameter (out-of-scope ones: every one; one for
# a viewer who sees every row and field, whose answers are only checked for errors)


@dataclass
class Route:
    """A GET route and what its handler takes."""

    path: str
    handler: str
    path_params: list[str]
    query: dict[str, Any]  # name -> default
    flags: list[str]  # boolean query parameters
    patterns: dict[str, str] = field(default_factory=dict)  # path parameter -> regex

    @property
    def about_orders(self) -> bool:
        """An answer about existing orders: card, lines, timeline, documents, list, export."""
        return bool(re.match(r"^(/api/v1)?/orders(/|$)", self.path)) and not self.path.endswith(
            ("/new", "/columns")
        )

    @property
    def entity(self) -> str | None:
        """The catalogue entity a list of this route holds (orders, clients), if any."""
        for word, entity in (("order", "order"), ("client", "client")):
            if word in self.path:
                return entity
        return None


def get_routes(app: Litestar) -> list[Route]:
    """Every GET route of the app with its path and query parameters."""
    routes = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if "GET" not in handler.http_methods:
                continue
            model = handler.create_kwargs_model(route.path_parameters)
            query = {p.field_alias: p.default for p in model.expected_query_params}
            signature = handler.parsed_fn_signature.parameters
            flags = [
                name
                for name in query
                if (name in signature and signature[name].annotation is bool)
                or isinstance(query[name], bool)
            ]
            patterns: dict[str, str] = {}
            for name in route.path_parameters:
                kwarg = signature[name].kwarg_definition if name in signature else None
                pattern = getattr(kwarg, "pattern", None)
                if isinstance(pattern, str):
                    patterns[name] = pattern
            routes.append(
                Route(
                    route.path,
                    handler.handler_name,
                    list(route.path_parameters),
                    query,
                    flags,
                    patterns,
                )
            )
    return routes


@dataclass(frozen=True)
class Fill:
    """A value for a path parameter, and the seeded object it names (if any)."""

    value: str
    obj: str | None = None


Filler = Callable[[World, Viewer], list[Fill]]


def _objects(kind: str) -> Filler:
    def fill(world: World, viewer: Viewer) -> list[Fill]:
        objs = world.of_kind(kind)
        most = MAX_IN_SCOPE if viewer.restricted else 1
        inside = [o for o in objs if world.in_scope(viewer, o.key)][:most]
        outside = [o for o in objs if not world.in_scope(viewer, o.key)]
        return [Fill(str(o.id), o.key) for o in [*inside, *outside]]

    return fill


def _static_file(world: World, viewer: Viewer) -> list[Fill]:
    first = next(p for p in sorted(PWA_DIR.rglob("*.js")) if p.is_file())
    return [Fill(first.relative_to(PWA_DIR).as_posix())]


FILLERS: dict[str, Filler] = {
    "order_id": _objects("order"),
    "client_id": _objects("client"),
    "device_id": _objects("device"),
    "visit_id": _objects("visit"),
    "file_id": _objects("file"),
    "download_id": _objects("download"),
    "plan_id": _objects("plan"),
    "request_id": _objects("request"),
    "warehouse_id": _objects("warehouse"),
    "item_id": _objects("stock_item"),
    "document_id": _objects("stock_document"),
    "shipment_id": _objects("shipment"),
    "supplier_id": _objects("supplier"),
    "supplier_order_id": _objects("supplier_order"),
    "desk_id": _objects("cash_desk"),
    "shift_id": _objects("cash_shift"),
    "period_id": _objects("payroll_period"),
    "partner_id": _objects("partner_account"),
    "employee_id": lambda w, v: [Fill(str(v.employee_id)), Fill(str(w.employees["boss"]))],
    "role_id": lambda w, v: [Fill(str(i)) for i in w.role_ids],
    "template_id": lambda w, v: [Fill(str(i)) for i in w.template_ids],
    "order_type_id": lambda w, v: [Fill(str(i)) for i in w.order_type_ids[:2]],
    "kind": lambda w, v: [Fill(k) for k in printforms.DOCUMENT_KINDS],
    "rule_id": lambda w, v: [Fill("1"), Fill("2")],  # shipped notification rules
    "zone_id": lambda w, v: [Fill("1")],  # the seeded zone (settings: no scope)
    "message_id": lambda w, v: [Fill(str(i)) for i in range(1, 6)],  # anyone's notifications
    "code": lambda w, v: [Fill("ru")],
    "file_path": _static_file,
    "path": lambda w, v: [Fill("openapi.yaml")],
    # A guessed link of a customer (rating, cabinet...): the neutral page, naming nothing.
    "token": lambda w, v: [Fill("A" * 43)],
}


def _alternatives(pattern: str) -> list[Fill]:
    """The values of a ^(a|b|c)$ pattern."""
    match = re.fullmatch(r"\^\(([\w\-|]+)\)\$", pattern)
    return [Fill(v) for v in match.group(1).split("|")] if match else []


def fill_path(
    route: Route, world: World, viewer: Viewer
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(url, objects named) for every combination of fillers; and the parameters not filled."""
    options: list[list[tuple[str, Fill]]] = []
    missing = []
    for name in route.path_params:
        if name in FILLERS:
            fills = FILLERS[name](world, viewer)
        else:
            fills = _alternatives(route.patterns.get(name, ""))
        if not fills:
            missing.append(name)
            continue
        options.append([(name, f) for f in fills])
    if missing:
        return [], missing
    urls = []
    for combo in itertools.product(*options):
        url = route.path
        for name, fill in combo:
            url = re.sub(r"\{" + name + r"(:[^}]*)?\}", fill.value, url)
        urls.append((url, [f.obj for _, f in combo if f.obj]))
    return urls, []


def with_query(url: str, **params: Any) -> str:
    """The URL with query parameters."""
    return f"{url}?{urlencode(params)}" if params else url


def sort_candidates(route: Route, viewer: Viewer) -> list[tuple[str, str]]:
    """(sort value, hidden field it names) for every hidden field of the route's entity: its
    name and its stem (due for due_at); a sort refused one way is refused the other."""
    entity = route.entity
    if entity is None:
        return []
    found = []
    for key in sorted(viewer.hidden):
        ent, _, name = key.partition(".")
        if ent != entity:
            continue
        stem = re.sub(r"_(at|id|cost|percent|amount)$", "", name)
        found += [(value, key) for value in dict.fromkeys([stem, name])]
    return found


def filter_values(name: str, world: World) -> list[str]:
    """Values for a query filter naming seeded objects (client, master, assignee, order) or
    their contacts (phone, email: who else has it)."""
    if name == "client":
        return [str(o.id) for o in world.of_kind("client")]
    if name == "master":
        return [str(world.employees[login]) for login in ("field1", "field2")]
    if name == "assignee":
        return ["me", str(world.employees["tech2"])]
    if name == "order":
        return [o.identity[0] for o in world.of_kind("order")]
    if name == "order_id":
        return [str(o.id) for o in world.of_kind("order")]
    if name == "client_id":
        return [str(o.id) for o in world.of_kind("client")]
    if name == "warehouse_id":
        return [str(o.id) for o in world.of_kind("warehouse")]
    if name == "phone":
        return [f"+7{m.value}" for m in world.markers if m.label == "client phone"]
    if name == "email":
        return [f"{m.value}@example.ru" for m in world.markers if m.label == "client email"]
    return []


def format_values(route: Route, url: str) -> list[str]:
    """Every format a document of this kind comes in (from printforms), or the default."""
    if "format" not in route.query:
        return []
    for kind, formats in printforms.FORMATS.items():
        if url.rstrip("/").endswith(f"/{kind}"):
            return list(formats)
    return [str(route.query["format"])] if route.query["format"] else []
