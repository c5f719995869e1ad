"""Who is calling: the employee behind the request, with the permissions already resolved."""

from __future__ import annotations

from dataclasses import dataclass, field

from server.errors import Forbidden
from server.i18n import Msg
from server.staff.permissions import (
    ACTION_LABELS,
    SECTION_LABELS,
    Action,
    Capability,
    PermissionSet,
    Section,
)


@dataclass(frozen=True)
class Actor:
    """The logged-in employee as services see it."""

    employee_id: int
    login: str
    full_name: str
    language: str
    role_codes: frozenset[str]
    permissions: PermissionSet
    manufacturers: tuple[str, ...] = ()
    ip_allowlist: tuple[str, ...] = ()
    session_id: str = ""
    ip: str = ""
    field_permissions: dict[str, str] = field(default_factory=dict)
    capabilities: frozenset[Capability] = frozenset()
    organization_id: int | None = None  # a partner's employee: sees only that partner's work

    @property
    def is_admin(self) -> bool:
        """True for holders of the built-in admin role."""
        return "admin" in self.role_codes

    def can(self, section: Section, action: Action) -> bool:
        """True when the employee may do `action` in `section`."""
        return (section, action) in self.permissions

    def has(self, capability: Capability) -> bool:
        """True when one of the employee's roles grants the capability.

        A partner's employee never sees all orders, whatever the role: only the partner's.
        """
        if capability is Capability.ALL_ORDERS and self.organization_id is not None:
            return False
        return self.is_admin or capability in self.capabilities

    def require(self, section: Section, action: Action) -> None:
        """Raise Forbidden unless the employee may do `action` in `section`."""
        if not self.can(section, action):
            raise Forbidden(
                "You have no permission for «{action}» in section «{section}»",
                action=Msg(ACTION_LABELS[action]),
                section=Msg(SECTION_LABELS[section]),
            )
