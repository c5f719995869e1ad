"""The seeded world of the matrix: objects, who may read which, and the markers they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.actor import Actor
from server.fieldaccess import FIELD_CATALOGUE
from server.staff.permissions import Action, Capability, Section
from tests.server.leaks.markers import Marker, Owner

# What of a client, device or employee an order's answers must not show when hidden.
CONTEXT_LABELS = ("client name", "device serial", "device model", "staff name")


@dataclass
class Obj:
    """A seeded record: what it is, what it hangs on, and who it belongs to."""

    key: str
    kind: str  # order, client, device, line, visit, file, event, reminder, download, employee
    id: Any
    parent: str | None = None  # the order of a line, visit, file, event; the client of others
    technician: int | None = None
    manager: int | None = None
    is_field: bool = False
    created_by: int | None = None
    master: int | None = None
    people: frozenset[int] = frozenset()  # a reminder's author and assignee, a download's owner
    hidden_from_roles: frozenset[str] = frozenset()
    identity: list[str] = field(default_factory=list)  # what shows it was found (number, name)
    label: str = ""
    source_org: int | None = None  # the partner who filed an order or a request
    service_center: int | None = None  # the partner service center it is assigned to


@dataclass
class Viewer:
    """An employee the matrix logs in as, with what the product says they may do."""

    login: str
    role: str
    employee_id: int
    roles: frozenset[str]
    all_orders: bool
    edits_clients: bool
    hidden: frozenset[str]  # "entity.field" hidden from them
    organization_id: int | None = None  # a partner's employee: the partner's work only
    sees_requests: bool = False
    sees_stock: bool = False
    all_warehouses: bool = False
    sees_deliveries: bool = False
    sees_purchasing: bool = False
    sees_finance: bool = False
    sees_payroll: bool = False

    @property
    def restricted(self) -> bool:
        """Some rows or fields are not theirs: what filters, search, paging and sorting test."""
        return bool(self.hidden) or not self.all_orders

    @classmethod
    def of(cls, login: str, role: str, actor: Actor) -> Viewer:
        """The viewer of a loaded actor; field access read from the role, entity by entity."""
        hidden = {
            f"{entity}.{name}"
            for entity, fields in FIELD_CATALOGUE.items()
            for name in fields
            if actor.field_permissions.get(f"{entity}.{name}") == "hidden"
        }
        return cls(
            login=login,
            role=role,
            employee_id=actor.employee_id,
            roles=frozenset(actor.role_codes),
            all_orders=actor.has(Capability.ALL_ORDERS),
            edits_clients=actor.can(Section.CLIENTS, Action.EDIT),
            hidden=frozenset(hidden),
            organization_id=actor.organization_id,
            sees_requests=actor.can(Section.REQUESTS, Action.VIEW),
            sees_stock=actor.can(Section.STOCK, Action.VIEW),
            all_warehouses=actor.has(Capability.ALL_WAREHOUSES),
            sees_deliveries=actor.can(Section.DELIVERIES, Action.VIEW),
            sees_purchasing=actor.can(Section.PURCHASING, Action.VIEW),
            sees_finance=actor.can(Section.FINANCE, Action.VIEW),
            sees_payroll=actor.can(Section.PAYROLL, Action.VIEW),
        )


@dataclass
class World:
    """Everything seeded, with the markers planted in it."""

    objects: dict[str, Obj] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)
    employees: dict[str, int] = field(default_factory=dict)  # login -> id
    viewers: dict[str, Viewer] = field(default_factory=dict)  # role code -> viewer
    admin_orders: dict[int, dict[str, Any]] = field(default_factory=dict)  # as the admin saw them
    admin_clients: dict[int, dict[str, Any]] = field(default_factory=dict)
    template_ids: list[int] = field(default_factory=list)
    role_ids: list[int] = field(default_factory=list)
    order_type_ids: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # seeding that did not go as planned
    organizations: dict[str, int] = field(default_factory=dict)  # "A", "B" -> partner id

    def add(self, obj: Obj) -> Obj:
        """Remember a seeded object."""
        self.objects[obj.key] = obj
        return obj

    def mark(self, kind: str, value: str, pattern: str, label: str, *owners: Owner) -> Marker:
        """Plant a marker (or add owners to the one with the same value)."""
        for marker in self.markers:
            if marker.kind == kind and marker.value == value:
                marker.owners += [o for o in owners if o not in marker.owners]
                return marker
        marker = Marker(kind, value, pattern, label, list(owners))
        self.markers.append(marker)
        return marker

    def of_kind(self, kind: str) -> list[Obj]:
        """Seeded objects of a kind, in the order they were made."""
        return [o for o in self.objects.values() if o.kind == kind]

    # ---- scope: the policy the matrix holds the product to ---------------------------------

    def in_scope(self, viewer: Viewer, key: str) -> bool:
        """May the viewer see this object at all (its rows, its identity)?"""
        obj = self.objects[key]
        parent = obj.parent
        if obj.kind == "order":
            return (
                viewer.all_orders
                or viewer.employee_id in (obj.technician, obj.created_by)
                or self.of_partner(viewer, obj)
            )
        if obj.kind == "request":
            if not viewer.sees_requests:
                return False
            return (
                viewer.all_orders
                or viewer.employee_id in obj.people
                or self.of_partner(viewer, obj)
            )
        if obj.kind == "client":
            return viewer.all_orders or any(
                self.in_scope(viewer, o.key) for o in self.of_kind("order") if o.parent == key
            )
        if obj.kind in ("device", "line", "payment", "file"):
            assert parent is not None
            return self.in_scope(viewer, parent)
        if obj.kind == "event":
            assert parent is not None
            return self.in_scope(viewer, parent) and not (viewer.roles & obj.hidden_from_roles)
        if obj.kind == "visit":
            assert parent is not None
            mine = viewer.all_orders or obj.master == viewer.employee_id
            return mine and self.in_scope(viewer, parent)
        if obj.kind == "reminder":
            assert parent is not None
            mine = viewer.employee_id in obj.people or viewer.edits_clients
            return mine and self.in_scope(viewer, parent)
        if obj.kind == "download":
            return viewer.employee_id in obj.people
        if obj.kind == "plan":
            return viewer.all_orders  # planners: dispatch edit among those who see all orders
        if obj.kind == "warehouse":
            return viewer.sees_stock and (viewer.all_warehouses or obj.master == viewer.employee_id)
        if obj.kind == "stock_item":
            return viewer.sees_stock  # the catalogue; levels follow the warehouses
        if obj.kind == "stock_document":  # seen with any of its warehouses (ids in `people`)
            places = [o for o in self.of_kind("warehouse") if o.id in obj.people]
            return any(self.in_scope(viewer, o.key) for o in places)
        if obj.kind == "shipment":  # the section's own; its order and client follow theirs
            return viewer.sees_deliveries
        if obj.kind in ("supplier", "supplier_order"):  # the section's own; repairs follow theirs
            return viewer.sees_purchasing
        if obj.kind in (
            "cash_desk",
            "cash_shift",
            "expense",
            "partner_account",
        ):  # the section's own; orders follow theirs
            return viewer.sees_finance
        if obj.kind == "payroll_period":
            return viewer.sees_payroll
        if obj.kind == "employee":
            return True  # names of colleagues are no secret, but see order_context
        raise AssertionError(f"no scope rule for {obj.kind}")

    @staticmethod
    def of_partner(viewer: Viewer, obj: Obj) -> bool:
        """Whether the object is the work of the viewer's partner organization."""
        org = viewer.organization_id
        return org is not None and org in (obj.source_org, obj.service_center)

    def readable(self, viewer: Viewer, owner: Owner) -> bool:
        """May the viewer read this owner's value?"""
        if not self.in_scope(viewer, owner.obj):
            return False
        return owner.field is None or owner.field not in viewer.hidden

    def forbidden(self, viewer: Viewer) -> list[Marker]:
        """Markers the viewer may not see anywhere."""
        return [m for m in self.markers if not any(self.readable(viewer, o) for o in m.owners)]

    def why(self, viewer: Viewer, marker: Marker) -> str:
        """Why a marker is forbidden: whose it is (out of scope) or which field is hidden."""
        outside, hidden = [], []
        for owner in marker.owners:
            name = owner.obj
            if not self.in_scope(viewer, owner.obj):
                outside.append(name)
            else:
                hidden.append(f"{owner.field} of {name}")
        parts = []
        if outside:
            parts.append("out of scope: " + ", ".join(dict.fromkeys(outside)))
        if hidden:
            parts.append("hidden: " + ", ".join(dict.fromkeys(hidden)))
        return "; ".join(parts)

    def order_context(self, viewer: Viewer, *, names: bool) -> dict[str, tuple[Marker, str]]:
        """Markers forbidden in answers about orders (their card, lines, timeline, lists,
        exports, documents) though readable elsewhere: the client's name and the device of an
        order whose `client` or `device` is hidden, and (with `names`) the names of its
        technician and manager when those are hidden. Names are not checked in HTML pages:
        their filters list every technician."""
        owners: dict[str, str] = {}
        for order in self.of_kind("order"):
            if not self.in_scope(viewer, order.key):
                continue
            if "order.client" in viewer.hidden and order.parent:
                owners[order.parent] = f"order.client is hidden (client {order.parent})"
            if "order.device" in viewer.hidden:
                owners[f"{order.key}-device"] = f"order.device is hidden (order {order.key})"
            people = {"order.technician_id": order.technician, "order.manager_id": order.manager}
            for name, employee in people.items():
                if not names or name not in viewer.hidden or employee in (None, viewer.employee_id):
                    continue
                if order.is_field and name == "order.technician_id":
                    continue  # a field order names its master on its visits and photos
                login = next(k for k, v in self.employees.items() if v == employee)
                owners[f"employee-{login}"] = f"{name} is hidden ({login})"
        return {
            m.value: (m, owners[next(o.obj for o in m.owners if o.obj in owners)])
            for m in self.markers
            if m.label in CONTEXT_LABELS and any(o.obj in owners for o in m.owners)
        }
