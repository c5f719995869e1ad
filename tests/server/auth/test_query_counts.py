"""What every request pays before its handler runs: its session, and the marks of the
reference cache, which serve the actor from memory while the employee and roles are unchanged
(server/refcache): two queries."""

from __future__ import annotations

import httpx

from server.staff.tables import Employee
from tests.querycount import count_queries


async def test_a_request_reads_its_session_and_the_marks_in_two_queries(
    admin_client: httpx.AsyncClient,
) -> None:
    await admin_client.get("/api/v1/order-statuses")  # warm up
    with count_queries() as bare:
        answer = await admin_client.get("/api/v1/order-statuses")
    assert answer.status_code == 200
    before_handler = [s for s in bare.statements if "session" in s or "ref_generation" in s]
    assert len(before_handler) == 2, bare.report()
    assert not [s for s in bare.statements if "FROM employee" in s], bare.report()

    await Employee.update({Employee.full_name: "Другой"}).where(Employee.login == "boss")
    with count_queries() as changed:
        answer = await admin_client.get("/api/v1/auth/me")
    assert answer.json()["full_name"] == "Другой"
    assert len([s for s in changed.statements if "FROM employee e" in s]) == 1, changed.report()


async def test_the_actor_has_the_permissions_of_every_role(client: httpx.AsyncClient) -> None:
    from tests.server.builders import login_as, make_employee

    await make_employee("tech", roles=["technician"])
    await make_employee("both", roles=["technician", "receiver"])
    body = {"kind": "person", "name": "Два"}
    await login_as(client, "tech")
    assert (await client.post("/api/v1/clients", json=body)).status_code == 403
    await login_as(client, "both")
    created = await client.post("/api/v1/clients", json=body)
    assert created.status_code == 201, created.text  # the receiver's permission
