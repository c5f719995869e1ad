"""What every request pays before its handler runs: the session and the actor, two queries."""

from __future__ import annotations

import httpx

from tests.querycount import count_queries


async def test_a_request_reads_its_session_and_actor_in_two_queries(
    admin_client: httpx.AsyncClient,
) -> None:
    await admin_client.get("/api/v1/order-statuses")  # warm up
    with count_queries() as bare:
        answer = await admin_client.get("/api/v1/order-statuses")
    assert answer.status_code == 200
    session_and_actor = [s for s in bare.statements if "session" in s or "employee" in s]
    assert len(session_and_actor) == 2, bare.report()


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
