"""The public status lookup: any input is a 4xx at worst, and guessing codes from anywhere
never locks the real customer out."""

from __future__ import annotations

import httpx
from litestar import Litestar

from tests.server.orders.builders import intake, make_client

URL = "/api/v1/public/status"


def from_address(app: Litestar, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40002))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def test_non_ascii_and_control_characters_are_a_plain_miss_and_are_counted(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    async with from_address(app, "10.7.0.1") as guesser:
        for code in ("КОД123", "ÄÖÜ", "💥", "A\x00B", "\r\n"):
            answer = await guesser.post(URL, json={"number": order["number"], "code": code})
            assert answer.status_code == 200, (code, answer.text)
            assert answer.json()["found"] is False
        for number in ("№ 27-000001", "27\x00001", "\u202e27-1"):  # no such orders
            answer = await guesser.post(URL, json={"number": number, "code": "ABCDEF"})
            assert answer.status_code == 200, (number, answer.text)
        page = await guesser.get("/status")
        form = await guesser.post(
            "/status",
            data={
                "number": order["number"],
                "code": "ЖЖЖ",
                "_csrf_token": page.text.split('name="_csrf_token" value="')[1].split('"')[0],
            },
        )
        assert form.status_code in (200, 429), form.text[:300]
        # Those misses count like any other: the address runs out of tries on this number.
        answer = await guesser.post(URL, json={"number": order["number"], "code": "КОД"})
        assert answer.status_code == 429
        assert "мин" in answer.json()["detail"]


async def test_wrong_codes_from_other_addresses_do_not_lock_the_customer_out(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    lookup = {"number": order["number"], "code": order["public_code"]}
    async with from_address(app, "10.8.0.1") as attacker:
        for attempt in range(5):
            miss = await attacker.post(URL, json={**lookup, "code": f"WRONG{attempt}"})
            assert miss.status_code == 200
        # The guesser is stopped on this number, even with the right code...
        assert (await attacker.post(URL, json=lookup)).status_code == 429
    # ...but from anywhere else the number still works, even after a crowd of guessers.
    for n in range(2, 40):
        async with from_address(app, f"10.9.{n}.1") as crowd:
            for attempt in range(3):
                await crowd.post(URL, json={**lookup, "code": f"GUESS{attempt}"})
    async with from_address(app, "10.10.0.1") as customer:
        typo = await customer.post(URL, json={**lookup, "code": "TYPO00"})
        assert typo.status_code == 200 and typo.json()["found"] is False
        found = await customer.post(URL, json=lookup)
        assert found.status_code == 200, found.text
        assert found.json()["found"] is True


async def test_a_number_under_attack_gives_each_address_fewer_tries(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    lookup = {"number": order["number"], "code": order["public_code"]}
    for n in range(40):
        async with from_address(app, f"10.11.{n}.1") as crowd:
            await crowd.post(URL, json={**lookup, "code": "GUESS1"})
    async with from_address(app, "10.12.0.1") as newcomer:
        for attempt in range(2):
            assert (await newcomer.post(URL, json={**lookup, "code": f"X{attempt}"})).json() == {
                "found": False,
                "number": None,
                "device": None,
                "status": None,
                "status_group": None,
                "due_at": None,
                "amount_due": None,
                "visit_day": None,
                "visit_window_start": None,
                "visit_window_end": None,
            }
        assert (await newcomer.post(URL, json=lookup)).status_code == 429


async def test_an_address_guessing_across_numbers_is_stopped(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    async with from_address(app, "10.13.0.1") as scanner:
        for n in range(20):
            await scanner.post(URL, json={"number": f"SCAN-{n:06d}", "code": "AAAAAA"})
        blocked = await scanner.post(
            URL, json={"number": order["number"], "code": order["public_code"]}
        )
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
    async with from_address(app, "2001:db8:1:2::1") as v6:
        for n in range(20):
            await v6.post(URL, json={"number": f"SCAN-{n:06d}", "code": "AAAAAA"})
    # The next address of the same IPv6 /64 is the same guesser.
    async with from_address(app, "2001:db8:1:2::ffff") as same_network:
        refused = await same_network.post(URL, json={"number": "x", "code": "y"})
        assert refused.status_code == 429
