"""`servio demo`: a lived-in center whose every order is consistent, and a big one on demand."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest

from fixtures.planning import solver_plans_today
from server.clients import validation as check
from server.clients.services import _search_words
from server.orders.money import order_totals
from server.orders.related import device_title
from server.orders.search_text import order_search_text
from tests.live import LiveServer, fresh_database, live_server, query, servio


@pytest.fixture(scope="module")
def demo() -> Iterator[LiveServer]:
    """`servio demo` into a fresh database, then `servio serve` on it."""
    with live_server("servio_test_demo_data") as server:
        yield server


def test_demo_has_clients_devices_and_orders_of_every_status_and_type(demo: LiveServer) -> None:
    url = demo.database_url
    counts = query(
        url,
        "SELECT (SELECT count(*) FROM client) AS clients, (SELECT count(*) FROM device) "
        "AS devices, (SELECT count(*) FROM service_order) AS orders, "
        "(SELECT count(*) FROM client WHERE kind = 'company') AS companies",
    )[0]
    assert 180 <= counts["clients"] <= 220
    assert 340 <= counts["devices"] <= 460
    assert counts["orders"] == 1000
    assert counts["companies"] >= 10
    covered = query(
        url,
        "SELECT s.code AS status, t.code AS type FROM service_order o "
        "JOIN order_status s ON s.id = o.status JOIN order_type t ON t.id = o.order_type",
    )
    statuses = {r["code"] for r in query(url, "SELECT code FROM order_status")}
    types = {r["code"] for r in query(url, "SELECT code FROM order_type")}
    assert {r["status"] for r in covered} == statuses
    assert {r["type"] for r in covered} == types
    lines = query(url, 'SELECT count(DISTINCT "order") AS n, count(*) AS lines FROM order_line')
    assert lines[0]["lines"] > 1500
    for table in ("timeline_event", "order_payment", "device_model"):
        assert query(url, f"SELECT count(*) AS n FROM {table}")[0]["n"] > 20


def test_requisites_and_contacts_pass_the_clients_validation(demo: LiveServer) -> None:
    url = demo.database_url
    companies = query(url, "SELECT * FROM client WHERE kind = 'company'")
    assert any(len(c["inn"]) == 10 for c in companies)
    assert any(len(c["inn"]) == 12 for c in companies)
    for c in companies:
        assert check.inn(c["inn"]) == c["inn"] and check.ogrn(c["ogrn"]) == c["ogrn"]
        assert check.kpp(c["kpp"]) == c["kpp"] and check.bik(c["bik"]) == c["bik"]
        for field in ("bank_account", "corr_account"):
            assert check.account(c[field], field) == c[field]
            check.account_matches_bik(c["bik"], c[field], field)
    for row in query(url, "SELECT number FROM client_phone"):
        assert check.phone(row["number"]) == row["number"]
    for row in query(url, "SELECT email FROM client_email"):
        assert check.email(row["email"]) == row["email"]
    places = query(url, "SELECT lat, lon, geo_status, is_primary FROM client_address")
    for row in places:
        if row["geo_status"] == "found":
            assert 56.2 < row["lat"] < 56.4 and 43.8 < row["lon"] < 44.1
        else:  # a few country plots the geocoder did not find: the list to fix has some
            assert (row["geo_status"], row["lat"], row["is_primary"]) == ("not_found", None, False)
    assert 1 <= sum(r["geo_status"] == "not_found" for r in places) <= 10


def test_every_order_adds_up(demo: LiveServer) -> None:
    url = demo.database_url
    orders = query(
        url,
        "SELECT o.*, s.group AS status_group FROM service_order o "
        "JOIN order_status s ON s.id = o.status",
    )
    lines: dict[int, list[Decimal]] = {}
    for row in query(url, 'SELECT "order", total FROM order_line'):
        lines.setdefault(row["order"], []).append(row["total"])
    paid: Counter[int] = Counter()
    for row in query(url, 'SELECT "order", amount FROM order_payment'):
        paid[row["order"]] += row["amount"]
    for order in orders:
        expected = order_totals(
            lines.get(order["id"], []), order["discount_percent"], Decimal(paid[order["id"]])
        )
        fields = ("subtotal", "discount_amount", "total", "paid")
        got = tuple(order[k] for k in fields)
        assert got == tuple(getattr(expected, k) for k in fields), order["number"]
        assert order["amount_due"] == order["total"] - order["paid"] >= 0, order["number"]
        if order["status_group"] == "closed":
            assert order["amount_due"] == 0 and order["closed_at"] is not None, order["number"]
        if order["status_group"] not in ("closed", "cancelled"):
            assert order["closed_at"] is None, order["number"]


def test_status_history_follows_the_workflow(demo: LiveServer) -> None:
    url = demo.database_url
    allowed = {
        (r["type"], r["source"], r["target"])
        for r in query(
            url,
            "SELECT t.order_type AS type, f.name AS source, s.name AS target "
            "FROM status_transition t JOIN order_status f ON f.id = t.from_status "
            "JOIN order_status s ON s.id = t.to_status",
        )
    }
    current = {
        r["id"]: (r["order_type"], r["name"], r["technician"])
        for r in query(
            url,
            "SELECT o.id, o.order_type, s.name, o.technician FROM service_order o "
            "JOIN order_status s ON s.id = o.status",
        )
    }
    moves: dict[int, list[list[str]]] = {}
    for row in query(
        url,
        "SELECT entity_id, changes FROM audit_log WHERE entity = 'order' AND action = 'status' "
        "ORDER BY at, id",
    ):
        moves.setdefault(int(row["entity_id"]), []).append(json.loads(row["changes"])["status"])
    assert len(moves) > 900
    for order_id, (order_type, status_name, _) in current.items():
        path = moves.get(order_id, [])
        state = "New"
        for source, target in path:
            assert source == state, order_id
            assert (order_type, source, target) in allowed, (order_id, source, target)
            state = target
        assert state == status_name, order_id
    staff = {r["id"]: r["login"] for r in query(url, "SELECT id, login FROM employee")}
    technicians = query(
        url,
        "SELECT t.is_field, o.technician FROM service_order o "
        "JOIN order_type t ON t.id = o.order_type WHERE o.technician IS NOT NULL",
    )
    for row in technicians:
        expected = ("field1", "field2") if row["is_field"] else ("master1", "master2")
        assert staff[row["technician"]] in expected


def test_search_words_are_those_the_services_compute(demo: LiveServer) -> None:
    url = demo.database_url
    clients = {r["id"]: r for r in query(url, "SELECT * FROM client")}
    phones: dict[int, list[str]] = {}
    for row in query(url, "SELECT client, number FROM client_phone ORDER BY id"):
        phones.setdefault(row["client"], []).append(row["number"])
    emails: dict[int, list[str]] = {}
    for row in query(url, "SELECT client, email FROM client_email ORDER BY id"):
        emails.setdefault(row["client"], []).append(row["email"])
    for client_id, row in clients.items():
        values = {**row, "custom": {}}
        words = _search_words(values, phones.get(client_id, []), emails.get(client_id, []))
        assert row["search_text"] == words, row["name"]
    devices = {
        r["id"]: {**r, "title": device_title(r)}
        for r in query(
            url,
            "SELECT d.id, d.serial, d.model_name, t.name AS type_name, b.name AS brand_name, "
            "m.name AS model_dir FROM device d LEFT JOIN device_type t ON t.id = d.device_type "
            "LEFT JOIN brand b ON b.id = d.brand LEFT JOIN device_model m ON m.id = d.model",
        )
    }
    orders = query(url, "SELECT * FROM service_order ORDER BY id")
    for order in orders:
        expected = order_search_text(
            order["number"],
            clients[order["client"]],
            devices.get(order["device"]),
            order["declared_fault"],
            {},
        )
        assert order["search_text"] == expected, order["number"]
    assert all(re.fullmatch(r"\d\d-\d{6}", o["number"]) for o in orders)
    assert all(re.fullmatch(r"[2-9A-Z]{6}", o["public_code"]) for o in orders)
    assert len({o["number"] for o in orders}) == len(orders)


def test_the_api_serves_the_demo_and_the_next_intake_continues_numbering(
    demo: LiveServer,
) -> None:
    counters = {
        r["prefix"]: r["last"]
        for r in query(demo.database_url, "SELECT prefix, last FROM order_number_counter")
    }
    numbers = query(demo.database_url, "SELECT number FROM service_order")
    for prefix, last in counters.items():
        assert f"{prefix}{last:06d}" in {r["number"] for r in numbers}
    with httpx.Client(base_url=demo.url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"login": "admin", "password": "servio-demo"})
        assert login.status_code == 200, login.text
        http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
        page = http.get("/api/v1/orders", params={"status": "in_repair"}).json()
        assert page["items"] and {o["status"]["code"] for o in page["items"]} == {"in_repair"}
        first = page["items"][0]
        surname = first["client"]["name"].split()[0].removeprefix("ООО").strip("«»")
        found = http.get("/api/v1/orders", params={"q": surname}).json()["items"]
        assert first["id"] in {o["id"] for o in found} or len(found) == 50
        timeline = http.get(f"/api/v1/orders/{first['id']}/timeline").json()["items"]
        assert {"create", "status"} <= {e["kind"] for e in timeline}
        created = http.post("/api/v1/orders", json={"client_id": first["client"]["id"]})
        assert created.status_code == 201, created.text
    number = created.json()["number"]
    prefix, _, sequence = number.rpartition("-")
    assert int(sequence) == counters.get(f"{prefix}-", 0) + 1


def test_demo_with_more_orders_scales_clients_and_devices() -> None:
    url = fresh_database("servio_test_demo_2000")
    result = servio("demo", "--orders", "2000", database_url=url)
    assert "2000 orders" in result.stdout
    counts = query(
        url,
        "SELECT (SELECT count(*) FROM client) AS clients, (SELECT count(*) FROM device) "
        "AS devices, (SELECT count(*) FROM service_order) AS orders, "
        "(SELECT max(id) FROM service_order) AS top",
    )[0]
    assert counts["orders"] == 2000 == counts["top"]
    assert counts["clients"] == 400
    assert 700 <= counts["devices"] <= 900


def test_field_masters_have_visits_today_on_their_own_field_orders(demo: LiveServer) -> None:
    rows = query(
        demo.database_url,
        "SELECT e.login, v.day - (now() AT TIME ZONE 'Europe/Moscow')::date AS offset,"
        " o.technician = v.master AS own,"
        " t.is_field, v.latitude IS NOT NULL AS placed"
        " FROM visit v JOIN employee e ON e.id = v.master"
        " JOIN service_order o ON o.id = v.order JOIN order_type t ON t.id = o.order_type",
    )
    today = Counter(r["login"] for r in rows if r["offset"] == 0)
    working = _working_today(demo)
    local = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()
    if solver_plans_today(local):  # planned by the scheduler: each working master has a day
        assert all(today[login] >= 3 for login in working), (working, today)
    else:  # a field app master is off (the weekend): written by hand, as the demo needs
        assert today["field1"] >= 5 and today["field2"] >= 5, today
    # a past visit may be another master's when the order was handed over since
    assert all(r["own"] for r in rows if r["offset"] >= 0)
    assert all(r["is_field"] and r["placed"] for r in rows)


def _working_today(demo: LiveServer) -> set[str]:
    """Logins of the demo masters who work today by their calendars (vacations included)."""
    from fixtures.masters import MASTERS

    away = query(
        demo.database_url,
        "SELECT e.login FROM calendar_exception x JOIN employee e ON e.id = x.employee"
        " WHERE (now() AT TIME ZONE 'Europe/Moscow')::date BETWEEN x.first_day AND x.last_day"
        " AND x.kind IN ('vacation', 'sick', 'day_off')",
    )
    weekday = dt.datetime.now(ZoneInfo("Europe/Moscow")).weekday()
    on_leave = {r["login"] for r in away}
    return {m.login for m in MASTERS if weekday in m.week} - on_leave


def test_the_sync_change_log_tracks_again_after_the_bulk_load(demo: LiveServer) -> None:
    triggers = query(
        demo.database_url,
        "SELECT c.relname, t.tgenabled::text AS tgenabled FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE t.tgname = 'sync_track'",
    )
    assert len(triggers) == 11 and {t["tgenabled"] for t in triggers} == {"O"}


def test_a_demo_masters_today_is_a_full_day_and_no_day_is_overbooked() -> None:
    from fixtures.visits import DAYS, PER_DAY, TODAY_AT_LEAST, _spread

    for count in range(DAYS * PER_DAY + 5):
        days = _spread(count)
        assert sum(days) == min(count, DAYS * PER_DAY) and max(days) <= PER_DAY, days
        assert days[0] >= min(count, TODAY_AT_LEAST) and days[0] >= max(days), days
