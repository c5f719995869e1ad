"""Sections, actions and the built-in roles: the one place that says who may do what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from server.i18n import N_


class Section(StrEnum):
    """Parts of the product a permission is about."""

    ORDERS = "orders"
    REQUESTS = "requests"
    CLIENTS = "clients"
    STOCK = "stock"
    DELIVERIES = "deliveries"
    PURCHASING = "purchasing"
    FINANCE = "finance"
    PAYROLL = "payroll"
    REPORTS = "reports"
    DISPATCH = "dispatch"
    STAFF = "staff"
    SETTINGS = "settings"
    AUDIT = "audit"


class Action(StrEnum):
    """What may be done in a section."""

    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    EXPORT = "export"


SECTION_LABELS: dict[Section, str] = {
    Section.ORDERS: N_("Orders"),
    Section.REQUESTS: N_("Requests"),
    Section.CLIENTS: N_("Clients"),
    Section.STOCK: N_("Stock"),
    Section.DELIVERIES: N_("Deliveries"),
    Section.PURCHASING: N_("Purchasing"),
    Section.FINANCE: N_("Finance"),
    Section.PAYROLL: N_("Payroll"),
    Section.REPORTS: N_("Reports"),
    Section.DISPATCH: N_("Dispatch"),
    Section.STAFF: N_("Staff"),
    Section.SETTINGS: N_("Settings"),
    Section.AUDIT: N_("Audit log"),
}

ACTION_LABELS: dict[Action, str] = {
    Action.VIEW: N_("View"),
    Action.CREATE: N_("Create"),
    Action.EDIT: N_("Edit"),
    Action.DELETE: N_("Delete"),
    Action.EXPORT: N_("Export"),
}


class Capability(StrEnum):
    """Permissions that are not an action on a section; stored under "special" in a role."""

    ALL_ORDERS = (
        "all_orders"  # without it, only orders (and their clients) one is assigned to or created
    )
    FREE_PRICE = "free_price"  # may price a line freely instead of from the price list
    CLOSE_UNPAID = "close_unpaid"  # may close an order that still has an amount due
    LOCKED_NOTE = "locked_note"  # may read the device PIN/password note of an order
    LOCK_EVENTS = "lock_events"  # may hide timeline events from chosen roles
    ALL_WAREHOUSES = "all_warehouses"  # without it, only one's own van and the stores one keeps
    NEGATIVE_STOCK = "negative_stock"  # may take more than a warehouse holds (levels below zero)
    ISSUE_LATER = "issue_later"  # may use a part the van lacks: it is issued to the van later
    REFUND = "refund"  # may give money back to a client


CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.ALL_ORDERS: N_("Sees all orders and clients, not only those of assigned orders"),
    Capability.FREE_PRICE: N_("May set any price on a line"),
    Capability.CLOSE_UNPAID: N_("May close an order with an amount due"),
    Capability.LOCKED_NOTE: N_("May read the device password note"),
    Capability.LOCK_EVENTS: N_("May hide timeline events from chosen roles"),
    Capability.ALL_WAREHOUSES: N_("Sees every warehouse, not only own van and kept stores"),
    Capability.NEGATIVE_STOCK: N_("May take more than a warehouse holds"),
    Capability.ISSUE_LATER: N_("May use a part the van lacks, to be issued to the van later"),
    Capability.REFUND: N_("May refund money to a client"),
}

# Roles with these capabilities oversee other people's work: no change is hidden from them.
SUPERVISING = (Capability.ALL_ORDERS, Capability.LOCK_EVENTS)

BUILTIN_CAPABILITIES: dict[str, tuple[Capability, ...]] = {
    "admin": tuple(Capability),
    "manager": tuple(Capability),
    "receiver": (Capability.ALL_ORDERS, Capability.LOCKED_NOTE, Capability.ALL_WAREHOUSES),
    "technician": (Capability.LOCKED_NOTE, Capability.ALL_WAREHOUSES),
    "field_technician": (Capability.LOCKED_NOTE,),
    "dispatcher": (Capability.ALL_ORDERS, Capability.LOCK_EVENTS),
    "dealer": (),
}

# Field permissions the built-in roles start with: what they may not see or change.
BUILTIN_FIELD_PERMISSIONS: dict[str, dict[str, str]] = {
    "technician": {"order_line.purchase_price": "hidden"},
    "field_technician": {"order_line.purchase_price": "hidden"},
    "dealer": {"order_line.purchase_price": "hidden"},
}

PermissionSet = frozenset[tuple[Section, Action]]

_ALL = "*"
_V, _C, _E, _D, _X = Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE, Action.EXPORT

# Built-in roles: code -> (name, {section: actions}). Admin holds everything, always.
BUILTIN_ROLES: dict[str, tuple[str, dict[Section, tuple[Action, ...]] | str]] = {
    "admin": (N_("Administrator"), _ALL),
    "manager": (
        N_("Manager"),
        {
            Section.ORDERS: (_V, _C, _E, _D, _X),
            Section.REQUESTS: (_V, _C, _E, _D, _X),
            Section.CLIENTS: (_V, _C, _E, _D, _X),
            Section.STOCK: (_V, _C, _E, _D, _X),
            Section.DELIVERIES: (_V, _C, _E, _D, _X),
            Section.PURCHASING: (_V, _C, _E, _D, _X),
            Section.FINANCE: (_V, _C, _E, _X),
            Section.PAYROLL: (_V, _C, _E, _X),
            Section.REPORTS: (_V, _X),
            Section.DISPATCH: (_V, _C, _E, _D, _X),
            Section.STAFF: (_V,),
            Section.SETTINGS: (_V,),
        },
    ),
    "receiver": (
        N_("Receiver"),
        {
            Section.ORDERS: (_V, _C, _E),
            Section.REQUESTS: (_V, _C, _E, _D, _X),
            Section.CLIENTS: (_V, _C, _E),
            Section.STOCK: (_V,),
            Section.DELIVERIES: (_V, _C, _E),
            Section.PURCHASING: (_V,),  # sees what is ordered and when it comes
            Section.FINANCE: (_V, _C),
        },
    ),
    "technician": (
        N_("Technician"),
        {
            Section.ORDERS: (_V, _E),
            Section.CLIENTS: (_V,),
            Section.STOCK: (_V,),
            Section.DELIVERIES: (_V,),  # parts on their way; order links of own orders only
            Section.PURCHASING: (_V, _C),  # the technical expert orders the parts a repair needs
        },
    ),
    "field_technician": (
        N_("Field technician"),
        {
            Section.ORDERS: (_V, _E),
            Section.CLIENTS: (_V,),
            Section.STOCK: (_V,),
            Section.FINANCE: (_C,),  # the payment taken at the client's
            Section.DISPATCH: (_V,),
        },
    ),
    "dispatcher": (
        N_("Dispatcher"),
        {
            Section.ORDERS: (_V, _C, _E),
            Section.REQUESTS: (_V, _C, _E, _D, _X),
            Section.CLIENTS: (_V, _C, _E),
            Section.DISPATCH: (_V, _C, _E, _D, _X),
            Section.STAFF: (_V,),
        },
    ),
    "dealer": (
        N_("Dealer"),
        {
            Section.ORDERS: (_V, _C, _E),
            Section.REQUESTS: (_V, _C),  # their own organization's requests only
            Section.CLIENTS: (_V, _C),
        },
    ),
}


def all_permissions() -> PermissionSet:
    """Every section with every action."""
    return frozenset((s, a) for s in Section for a in Action)


def builtin_permissions(code: str) -> dict[str, list[str]]:
    """The stored form ({section: [actions], "special": [...]}) of a built-in role's permissions."""
    spec = BUILTIN_ROLES[code][1]
    if spec == _ALL:
        stored = {s.value: [a.value for a in Action] for s in Section}
    else:
        assert isinstance(spec, dict)
        stored = {s.value: [a.value for a in actions] for s, actions in spec.items()}
    stored[SPECIAL] = [c.value for c in BUILTIN_CAPABILITIES[code]]
    return stored


SPECIAL = "special"


def parse_capabilities(stored: Mapping[str, Iterable[str]]) -> frozenset[Capability]:
    """Capabilities in a role's stored permissions, unknown names ignored."""
    known = {c.value for c in Capability}
    return frozenset(Capability(c) for c in stored.get(SPECIAL, ()) if c in known)


def parse_permissions(stored: Mapping[str, Iterable[str]]) -> PermissionSet:
    """Turn the stored form into a set, ignoring sections or actions this version does not know."""
    sections = {s.value for s in Section}
    actions = {a.value for a in Action}
    return frozenset(
        (Section(s), Action(a))
        for s, acts in stored.items()
        if s in sections
        for a in acts
        if a in actions
    )


def effective_permissions(
    role_permissions: Iterable[Mapping[str, Iterable[str]]],
    overrides: Mapping[str, Mapping[str, bool]],
    role_codes: Iterable[str] = (),
) -> PermissionSet:
    """Union of the roles' permissions, then personal overrides (true grants, false revokes)."""
    if "admin" in set(role_codes):
        return all_permissions()
    granted: set[tuple[Section, Action]] = set()
    for stored in role_permissions:
        granted |= parse_permissions(stored)
    for (section, action), allow in parse_overrides(overrides).items():
        if allow:
            granted.add((section, action))
        else:
            granted.discard((section, action))
    return frozenset(granted)


def parse_overrides(stored: Mapping[str, Mapping[str, bool]]) -> dict[tuple[Section, Action], bool]:
    """Overrides as {(section, action): allow}, unknown names ignored."""
    sections = {s.value for s in Section}
    actions = {a.value for a in Action}
    return {
        (Section(s), Action(a)): bool(allow)
        for s, acts in stored.items()
        if s in sections
        for a, allow in acts.items()
        if a in actions
    }


def to_stored(permissions: Iterable[tuple[Section, Action]]) -> dict[str, list[str]]:
    """A permission set in the stored form, in a stable order."""
    chosen = set(permissions)
    return {
        s.value: [a.value for a in Action if (s, a) in chosen]
        for s in Section
        if any((s, a) in chosen for a in Action)
    }
