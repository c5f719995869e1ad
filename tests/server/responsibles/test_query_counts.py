"""The rules are applied in a fixed number of statements, however many rules, candidates,
zones and classes there are; with no rule an order's intake asks one question more."""

from __future__ import annotations

import httpx

from server.responsibles import api
from tests.querycount import count_queries
from tests.server.responsibles.builders import order_for, person, problem_class, rule


async def _statements(subject: api.Subject) -> int:
    async def load(ids: list[int]) -> dict[int, int]:
        return {}

    with count_queries() as counted:
        await api.assign(subject, load, org_load=load)
    return len(counted)


async def test_assigning_costs_the_same_for_one_rule_and_for_ten(
    admin_client: httpx.AsyncClient,
) -> None:
    assert await _statements(api.Subject(kind="order")) == 1, "no rule: only the rules are read"
    zone = await admin_client.post(
        "/api/v1/assignment-zones", json={"name": "Z", "places": ["Химки"]}
    )
    washing = await problem_class(admin_client, "Стиральные машины")
    subject = api.Subject(kind="order", brand="LG", problem_class_id=washing, city="Химки")
    zones = {"zone_ids": [zone.json()["id"]]}
    first = await person("p0")
    await rule(admin_client, "R0", conditions={**zones, "problem_class_ids": [washing]},
               targets={"technician": [first]})  # fmt: skip
    one = await _statements(subject)
    for n in range(1, 10):
        people = [await person(f"p{n}a"), await person(f"p{n}b")]
        await rule(admin_client, f"R{n}", conditions={"brands": ["LG"], **zones},
                   targets={"manager": people, "expert": people})  # fmt: skip
    ten = await _statements(subject)
    assert ten == one + 2, "two roles more chosen: two more last-chosen stamps, nothing else"


async def test_an_intake_with_no_rule_reads_nothing_of_the_subject(
    admin_client: httpx.AsyncClient,
) -> None:
    await order_for(admin_client)  # warm up whatever is read once
    with count_queries() as none:
        await order_for(admin_client)
    await rule(admin_client, "Never", conditions={"brands": ["Nokia"]},
               targets={"technician": [await person("tt")]})  # fmt: skip
    with count_queries() as some:
        await order_for(admin_client)
    assert len(some) > len(none), "with a rule the subject's facts are read"
    assert len(some) - len(none) <= 8, some.report()
