"""Assignment rules applied to new orders through the real app: precedence per role, stop,
the least open work with a deterministic tie-break, manufacturer restriction, zones by polygon
and by city, problem classes by descendant, a field condition sending to the director's queue."""

from __future__ import annotations

import httpx

from tests.server.responsibles.builders import (
    center,
    order_for,
    person,
    preview,
    problem_class,
    rule,
)

MOSCOW_CENTER = [[55.80, 37.50], [55.80, 37.75], [55.70, 37.75], [55.70, 37.50]]


async def test_first_rule_wins_per_role_and_a_later_one_fills_the_rest(
    admin_client: httpx.AsyncClient,
) -> None:
    first, second, expert, manager = [await person(n) for n in ("t1", "t2", "ex", "mg")]
    a = await rule(admin_client, "Samsung", conditions={"brands": ["samsung"]},
                   targets={"technician": [first]})  # fmt: skip
    b = await rule(admin_client, "Everything", targets={
        "technician": [second], "expert": [expert], "manager": [manager]})  # fmt: skip
    order = await order_for(admin_client, "Samsung")
    assert order["technician_id"] == a["targets"]["technician"][0]
    assert order["expert_id"] == b["targets"]["expert"][0]
    assert order["manager_id"] == b["targets"]["manager"][0]
    assert order["assignment"]["technician"] == {"rule_id": a["id"], "rule_name": "Samsung"}
    assert order["assignment"]["expert"]["rule_name"] == "Everything"

    other = await order_for(admin_client, "Bosch")
    assert other["technician_id"] == b["targets"]["technician"][0], "the first rule did not match"

    given = await order_for(admin_client, "Samsung", technician_id=b["targets"]["technician"][0])
    assert given["technician_id"] == b["targets"]["technician"][0], "a person's choice stays"
    assert "technician" not in given["assignment"]


async def test_a_stopping_rule_ends_the_walk(admin_client: httpx.AsyncClient) -> None:
    first, second = await person("t1"), await person("t2")
    await rule(admin_client, "Stop here", targets={"technician": [first]}, stop=True)
    await rule(admin_client, "Never", targets={"technician": [second], "expert": [second]})
    order = await order_for(admin_client)
    assert order["technician_id"] == first
    assert order.get("expert_id") is None
    seen = await preview(admin_client, kind="order", brand="Samsung")
    assert [s["matched"] for s in seen["steps"]] == [True, False]
    assert "Stop here" in seen["steps"][1]["reason"]


async def test_least_open_work_wins_with_a_deterministic_tie_break(
    admin_client: httpx.AsyncClient,
) -> None:
    busy, free = await person("busy"), await person("free")
    await order_for(admin_client, technician_id=busy)  # busy has one open order
    await rule(admin_client, "Pool", targets={"technician": [busy, free]})
    first = await order_for(admin_client)
    assert first["technician_id"] == free, "the one with less open work"
    # now both have one open order: the one chosen longest ago (busy was never chosen)
    second = await order_for(admin_client)
    assert second["technician_id"] == busy
    third = await order_for(admin_client)
    assert third["technician_id"] == free, "equal work: the one chosen longest ago"


async def test_ties_between_never_chosen_go_to_the_lowest_id(
    admin_client: httpx.AsyncClient,
) -> None:
    low, high = await person("low"), await person("high")
    await rule(admin_client, "Pool", targets={"technician": [high, low]})
    seen = await preview(admin_client, kind="order")
    assert seen["chosen"][0]["id"] == min(low, high)
    assert (await preview(admin_client, kind="order"))["chosen"] == seen["chosen"], (
        "a preview records nothing"
    )


async def test_a_samsung_only_technician_never_gets_an_apple_order(
    admin_client: httpx.AsyncClient,
) -> None:
    samsung = await person("sam", manufacturers=["Samsung"])
    anyone = await person("any")
    await order_for(admin_client, technician_id=anyone)
    await order_for(admin_client, technician_id=anyone)  # the unrestricted one is busier
    await rule(admin_client, "Pool", targets={"technician": [samsung, anyone]})
    for _ in range(3):
        apple = await order_for(admin_client, "Apple")
        assert apple["technician_id"] == anyone
    assert (await order_for(admin_client, "Samsung"))["technician_id"] == samsung
    seen = await preview(admin_client, kind="order", brand="Apple")
    assert "Samsung" in seen["steps"][0]["roles"][0]["reason"] or seen["chosen"][0]["id"] == anyone


async def test_only_restricted_and_inactive_candidates_leave_the_role_to_later_rules(
    admin_client: httpx.AsyncClient,
) -> None:
    samsung = await person("sam", manufacturers=["Samsung"])
    gone = await person("gone")
    fallback = await person("fallback")
    answer = await admin_client.patch(f"/api/v1/employees/{gone}", json={"is_active": False})
    assert answer.status_code == 200, answer.text
    await rule(admin_client, "Restricted", targets={"technician": [samsung, gone]})
    await rule(admin_client, "Fallback", targets={"technician": [fallback]})
    apple = await order_for(admin_client, "Apple")
    assert apple["technician_id"] == fallback
    assert apple["assignment"]["technician"]["rule_name"] == "Fallback"
    seen = await preview(admin_client, kind="order", brand="Apple")
    step = seen["steps"][0]["roles"][0]
    assert step["outcome"] == "no_candidate"


async def test_service_centers_by_brand_and_workload(admin_client: httpx.AsyncClient) -> None:
    lg_only = await center(admin_client, "АСЦ LG", ["LG"])
    general = await center(admin_client, "АСЦ Общий")
    await rule(admin_client, "Centers", targets={"service_center": [lg_only, general]})
    lg = await order_for(admin_client, "LG")
    assert lg["service_center_id"] == lg_only, "lowest id among equal (no) work"
    other = await order_for(admin_client, "Bosch")
    assert other["service_center_id"] == general, "the LG center only gets LG"
    again = await order_for(admin_client, "LG")
    assert again["service_center_id"] == lg_only, "equal work: the one chosen longest ago"
    third = await order_for(admin_client, "LG")
    assert third["service_center_id"] == general, "the LG center has more open work now"


async def test_zone_by_polygon_and_by_city(admin_client: httpx.AsyncClient) -> None:
    inner, north = await person("inner"), await person("north")
    drawn = await admin_client.post(
        "/api/v1/assignment-zones", json={"name": "Центр", "polygon": MOSCOW_CENTER}
    )
    assert drawn.status_code == 201, drawn.text
    named = await admin_client.post(
        "/api/v1/assignment-zones", json={"name": "Север", "places": ["Химки", "Долгопрудный"]}
    )
    assert named.status_code == 201, named.text
    await rule(admin_client, "Center", conditions={"zone_ids": [drawn.json()["id"]]},
               targets={"technician": [inner]})  # fmt: skip
    await rule(admin_client, "North", conditions={"zone_ids": [named.json()["id"]]},
               targets={"technician": [north]})  # fmt: skip
    inside = await order_for(admin_client, address="Тверская, 1", lat=55.76, lon=37.61)
    assert inside["technician_id"] == inner
    outside = await order_for(admin_client, address="Зеленоград", lat=55.98, lon=37.18)
    assert outside.get("technician_id") is None
    khimki = await order_for(admin_client, address="г. ХИМКИ, ул. Ленина, 5", lat=55.89, lon=37.44)
    assert khimki["technician_id"] == north
    not_a_word = await order_for(admin_client, address="ул. Химкинская, 3")
    assert not_a_word.get("technician_id") is None, "a place matches as whole words"


async def test_a_rule_on_a_class_matches_its_descendants(admin_client: httpx.AsyncClient) -> None:
    expert = await person("ex")
    washing = await problem_class(admin_client, "Стиральные машины")
    drain = await problem_class(admin_client, "Не сливает воду", washing)
    pump = await problem_class(admin_client, "Насос", drain)
    other = await problem_class(admin_client, "Холодильники")
    await rule(admin_client, "Washing", conditions={"problem_class_ids": [washing]},
               targets={"expert": [expert]})  # fmt: skip
    deep = await preview(admin_client, kind="request", problem_class_id=pump)
    assert [c["id"] for c in deep["chosen"]] == [expert]
    assert (await preview(admin_client, kind="request", problem_class_id=other))["chosen"] == []
    tree = (await admin_client.get("/api/v1/problem-classes")).json()["items"]
    assert [c["path"] for c in tree] == [
        "Стиральные машины",
        "Стиральные машины / Не сливает воду",
        "Стиральные машины / Не сливает воду / Насос",
        "Холодильники",
    ]
    loop = await admin_client.patch(f"/api/v1/problem-classes/{washing}", json={"parent_id": pump})
    assert loop.status_code == 422 and loop.json()["errors"][0]["field"] == "parent_id"


async def test_a_request_to_the_director_goes_to_the_director_queue(
    admin_client: httpx.AsyncClient,
) -> None:
    director = await person("dir", roles=["manager"])
    await rule(admin_client, "To the director", applies_to="request",
               conditions={"fields": {"addressee": "director"}},
               targets={"manager": [director]}, queue="director", stop=True)  # fmt: skip
    seen = await preview(admin_client, kind="request", fields={"addressee": "Director"})
    assert seen["queue"] == "director"
    assert seen["chosen"][0]["id"] == director
    plain = await preview(admin_client, kind="request", fields={"addressee": "service"})
    assert plain["queue"] == "" and plain["chosen"] == []
    order = await preview(admin_client, kind="order", fields={"addressee": "director"})
    assert order["queue"] == "" and "заявок" in order["steps"][0]["reason"]


async def test_a_custom_field_of_an_order_is_a_rule_field(admin_client: httpx.AsyncClient) -> None:
    vip = await person("vip")
    made = await admin_client.post(
        "/api/v1/settings/orders/custom-fields",
        json={"entity": "order", "code": "segment", "label": "Сегмент", "kind": "text"},
    )
    assert made.status_code == 201, made.text
    await rule(admin_client, "VIP", conditions={"fields": {"segment": "vip"}},
               targets={"technician": [vip]}, queue="director")  # fmt: skip
    order = await order_for(admin_client, custom={"segment": "VIP"})
    assert order["technician_id"] == vip
    assert order["assignment"]["queue"] == "director"
