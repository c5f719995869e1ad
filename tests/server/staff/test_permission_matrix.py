"""Generated matrix: every built-in role × every section × every action, allowed and refused.

The expected table is written here by hand, apart from the code, as the product's promise.
V view, C create, E edit, D delete, X export; "-" refused.
"""

from __future__ import annotations

import httpx
import pytest

from server.errors import Forbidden
from server.staff.permissions import Action, Section
from server.staff.services import load_actor
from tests.server.builders import login_as, make_employee

EXPECTED_TABLE = """
role             orders requests clients stock deliveries purchasing finance payroll reports dispatch staff settings audit
admin            VCEDX  VCEDX    VCEDX   VCEDX VCEDX      VCEDX      VCEDX   VCEDX   VCEDX   VCEDX    VCEDX VCEDX    VCEDX
manager          VCEDX  VCEDX    VCEDX   VCEDX VCEDX      VCEDX      VCE-X   VCE-X   V---X   VCEDX    V---- V----    -----
receiver         VCE--  VCEDX    VCE--   V---- VCE--      V----      VC---   -----   -----   -----    ----- -----    -----
technician       V-E--  -----    V----   V---- V----      VC---      -----   -----   -----   -----    ----- -----    -----
field_technician V-E--  -----    V----   V---- -----      -----      -C---   -----   -----   V----    ----- -----    -----
dispatcher       VCE--  VCEDX    VCE--   ----- -----      -----      -----   -----   -----   VCEDX    V---- -----    -----
dealer           VCE--  VC---    VC---   ----- -----      -----      -----   -----   -----   -----    ----- -----    -----
"""  # noqa: E501
LETTERS = {
    "V": Action.VIEW,
    "C": Action.CREATE,
    "E": Action.EDIT,
    "D": Action.DELETE,
    "X": Action.EXPORT,
}


def expected() -> dict[tuple[str, Section, Action], bool]:
    """The table as {(role, section, action): allowed}."""
    lines = [line.split() for line in EXPECTED_TABLE.strip().splitlines()]
    sections = [Section(name) for name in lines[0][1:]]
    table = {}
    for role, *cells in lines[1:]:
        for section, cell in zip(sections, cells, strict=True):
            for letter, action in LETTERS.items():
                table[(role, section, action)] = letter in cell
    return table


EXPECTED = expected()


def test_table_covers_every_builtin_role_section_and_action() -> None:
    from server.staff.permissions import BUILTIN_ROLES

    assert {r for r, _, _ in EXPECTED} == set(BUILTIN_ROLES)
    assert len(EXPECTED) == len(BUILTIN_ROLES) * len(Section) * len(Action)


ROLES = sorted({r for r, _, _ in EXPECTED})


@pytest.mark.parametrize("role", ROLES)
async def test_builtin_role_permissions_cell_by_cell(db: None, role: str) -> None:
    """All 45 cells of one role: can() and require() agree with the table."""
    employee = await make_employee("someone", roles=[role])
    actor = await load_actor(employee.id)
    assert actor is not None
    wrong = []
    for section in Section:
        for action in Action:
            allowed = EXPECTED[(role, section, action)]
            try:
                actor.require(section, action)
                refused = False
            except Forbidden:
                refused = True
            if actor.can(section, action) is not allowed or refused is allowed:
                wrong.append(f"{section.value}/{action.value}: expected allowed={allowed}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.parametrize("role", ROLES)
async def test_staff_and_audit_endpoints_follow_the_matrix(
    client: httpx.AsyncClient, role: str
) -> None:
    """The same matrix, seen through the HTTP API of the sections that already have endpoints."""
    await make_employee("boss", roles=["admin"])  # so that one admin always remains
    target = await make_employee("target", roles=["technician"])
    await make_employee("someone", roles=[role])
    await login_as(client, "someone")

    def allowed(section: Section, action: Action, success: int = 200) -> int:
        return success if EXPECTED[(role, section, action)] else 403

    assert (await client.get("/api/v1/employees")).status_code == allowed(
        Section.STAFF, Action.VIEW
    )
    assert (await client.get("/api/v1/roles")).status_code == allowed(Section.STAFF, Action.VIEW)
    created = await client.post(
        "/api/v1/employees",
        json={"login": "newbie", "full_name": "Новый Сотрудник", "password": "long-enough-pass"},
    )
    assert created.status_code == allowed(Section.STAFF, Action.CREATE, success=201)
    edited = await client.patch(
        f"/api/v1/employees/{target.id}", json={"position": "Старший мастер"}
    )
    assert edited.status_code == allowed(Section.STAFF, Action.EDIT)
    deactivated = await client.patch(f"/api/v1/employees/{target.id}", json={"is_active": False})
    can_deactivate = (
        EXPECTED[(role, Section.STAFF, Action.EDIT)]
        and EXPECTED[(role, Section.STAFF, Action.DELETE)]
    )
    assert deactivated.status_code == (200 if can_deactivate else 403)
    assert (await client.get("/api/v1/audit")).status_code == allowed(Section.AUDIT, Action.VIEW)
    # visits: a missing order or visit is 404 past the permission check, 403 before it
    assert (await client.get("/api/v1/visits")).status_code == allowed(
        Section.DISPATCH, Action.VIEW
    )
    planned = await client.post("/api/v1/visits", json={"order_id": 999999, "day": "2026-12-01"})
    assert planned.status_code == allowed(Section.DISPATCH, Action.CREATE, success=404)
    replanned = await client.patch("/api/v1/visits/999999", json={"comment": "x"})
    assert replanned.status_code == allowed(Section.DISPATCH, Action.EDIT, success=404)
    # everyone may always read themselves
    assert (await client.get("/api/v1/auth/me")).status_code == 200
