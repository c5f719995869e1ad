"""Statement counts: the list, the report and the invitation sweep read in a fixed number of
statements, however many ratings or orders."""

from __future__ import annotations

import httpx

from server.ratings import invite
from tests.querycount import count_queries
from tests.server.builders import make_employee
from tests.server.ratings.builders import closed_order, rate


async def _counts(staff: httpx.AsyncClient) -> tuple[int, int]:
    with count_queries() as listed:
        assert (await staff.get("/api/v1/ratings")).status_code == 200
    with count_queries() as reported:
        assert (await staff.get("/api/v1/ratings/report")).status_code == 200
    return len(listed), len(reported)


async def test_reads_and_the_sweep_take_the_same_statements_for_1_and_4(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    masters = [(await make_employee(f"q{n}", roles=["technician"])).id for n in range(4)]
    order = await closed_order(admin_client, "q0@example.ru", masters[0])
    with count_queries() as one_sweep:
        assert await invite.sweep() == 1
    await rate(visitor, order["id"], 4)
    await _counts(admin_client)  # the reference cache filled
    one = await _counts(admin_client)
    orders = [await closed_order(admin_client, f"q{n}@example.ru", masters[n]) for n in (1, 2, 3)]
    with count_queries() as three_sweep:
        assert await invite.sweep() == 3
    assert len(three_sweep) == len(one_sweep), three_sweep.report()
    for made in orders:
        await rate(visitor, made["id"], 3)
    assert await _counts(admin_client) == one
