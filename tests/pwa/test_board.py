"""The dispatcher's board in a real browser at 820 px: drag an order onto a master, plan the
day, accept, and the master's phone lists the new visits in order after its sync; warnings
before saving (cancel saves nothing); suggest and book with one tap."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.database import TEST_DATABASE
from tests.live import ServerProcess, fresh_database, query, servio
from tests.pwa.board import (
    Orders,
    drag,
    employee_id,
    open_board,
    planning_day,
    queue_item,
    touch_drag,
    visits_of,
    visits_of_order,
)
from tests.pwa.field import open_field_app, phone, wait_synced

TABLET: ViewportSize = {"width": 820, "height": 1180}


@pytest.fixture(scope="session")
def board_database() -> str:
    """A demo database of the board's own (plans change the day); made before the browser
    starts, like the package's (Playwright's loop must not be running then)."""
    url = fresh_database(f"{TEST_DATABASE}_board")
    servio("demo", database_url=url)
    return url


@pytest.fixture(scope="module")
def server(board_database: str) -> Iterator[ServerProcess]:
    """The server with solves of a second."""
    process = ServerProcess(board_database, env={"SERVIO_PLAN_SECONDS": "1"})
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def orders(server: ServerProcess) -> Iterator[Orders]:
    made = Orders(server.url, server.database_url)
    yield made
    made.http.close()


def tablet(browser: Browser) -> Page:
    context = browser.new_context(viewport=TABLET, locale="ru-RU", has_touch=True)
    return context.new_page()


def test_drag_plan_accept_and_the_phone_lists_the_visits_in_order(
    server: ServerProcess, browser: Browser, orders: Orders
) -> None:
    day = planning_day()
    master = employee_id(server.database_url, "field2")
    first, *others = orders.queue(4)
    page = tablet(browser)
    open_board(page, server.url, day)
    expect(queue_item(page, first["number"])).to_be_visible()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    drag(page, queue_item(page, first["number"]), master, 10 * 60)
    block = page.locator(f"[data-testid=visit-block][data-order='{first['id']}']")
    expect(block).to_be_visible()
    expect(block).to_have_attribute("data-start", "10:00")
    saved = visits_of_order(server.database_url, first["id"])
    assert [(v["master"], v["day"]) for v in saved] == [(master, day)]
    expect(queue_item(page, first["number"])).to_have_count(0)

    page.click("[data-testid=plan-day]")
    proposal = page.locator("[data-testid=proposal]")
    expect(proposal).to_be_visible(timeout=30000)
    expect(proposal.locator("[data-testid=proposal-master]").first).to_be_visible()
    shown = proposal.inner_text()
    assert "→" in shown and "км" in shown
    for order in others:
        assert order["number"] in shown, f"{order['number']} not in the proposal"
    assert all(not visits_of_order(server.database_url, o["id"]) for o in others), (
        "nothing is saved before accepting"
    )
    page.click("[data-testid=accept-all]")
    expect(proposal).to_be_hidden()
    planned = visits_of(server.database_url, master, day)
    assert planned, "field2 got visits"
    for visit in planned:
        expect(
            page.locator(f"[data-testid=visit-block][data-visit='{visit['id']}']")
        ).to_be_visible()
    placed = {o["id"] for o in [first, *others]}
    everyone = set()
    for login in ("field1", "field2", "field3"):
        someone = employee_id(server.database_url, login)
        everyone |= {v["order_id"] for v in visits_of(server.database_url, someone, day)}
    assert placed <= everyone, "every queued order got a visit"
    assert all(url.startswith(server.url) for url in requests), "a request left the server"
    page.context.close()

    context = phone(page.context.browser or browser)
    field = context.new_page()
    open_field_app(field, server.url, "field2")
    wait_synced(field)
    field.goto(f"{server.url}/field#/day/{day.isoformat()}")
    shown = field.locator(f"[data-testid=visits][data-day='{day.isoformat()}']")
    expect(shown).to_be_visible()
    hrefs = shown.locator("[data-testid=visit]").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert hrefs == [f"#/visit/{v['id']}" for v in planned], "the phone lists the route in order"
    context.close()


def test_a_warning_before_saving_and_cancel_saves_nothing(
    server: ServerProcess, browser: Browser, orders: Orders
) -> None:
    master = employee_id(server.database_url, "field2")
    busy_day = planning_day()
    taken = visits_of(server.database_url, master, busy_day)
    assert taken, "the first test planned field2's day"
    (order,) = orders.queue(1)
    page = tablet(browser)
    open_board(page, server.url, busy_day)
    start = page.locator(f"[data-testid=visit-block][data-visit='{taken[0]['id']}']").get_attribute(
        "data-start"
    )
    assert start is not None
    hours, minutes = map(int, start.split(":"))
    drag(page, queue_item(page, order["number"]), master, hours * 60 + minutes)
    dialog = page.locator("[data-testid=warn-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-testid=warning][data-kind=overlap]")).to_have_count(1)
    page.click("[data-testid=warn-cancel]")
    expect(dialog).to_have_count(0)
    expect(queue_item(page, order["number"])).to_be_visible()
    assert visits_of_order(server.database_url, order["id"]) == []

    sunday = busy_day + dt.timedelta(days=6 - busy_day.weekday())
    page.goto(f"{server.url}/dispatch?day={sunday.isoformat()}")
    page.wait_for_selector("[data-testid=lane-track]")
    touch_drag(page, queue_item(page, order["number"]), master, 11 * 60)  # a finger this time
    expect(dialog.locator("[data-testid=warning][data-kind=day_off]")).to_have_count(1)
    page.click("[data-testid=warn-cancel]")
    assert visits_of_order(server.database_url, order["id"]) == []
    drag(page, queue_item(page, order["number"]), master, 11 * 60)
    page.click("[data-testid=warn-save]")
    expect(page.locator(f"[data-testid=visit-block][data-order='{order['id']}']")).to_be_visible()
    assert [v["day"] for v in visits_of_order(server.database_url, order["id"])] == [sunday]
    page.context.close()


def test_suggest_then_one_tap_books(
    server: ServerProcess, browser: Browser, orders: Orders
) -> None:
    day = planning_day() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    (order,) = orders.queue(1)
    page = tablet(browser)
    open_board(page, server.url, day)
    queue_item(page, order["number"]).locator("[data-testid=suggest]").click()
    options = page.locator("[data-testid=suggestion]")
    expect(options.first).to_be_visible()
    master = int(options.first.get_attribute("data-master") or 0)
    options.first.click()
    block = page.locator(f"[data-testid=visit-block][data-order='{order['id']}']")
    expect(block).to_be_visible()
    assert [(v["master"], v["day"]) for v in visits_of_order(server.database_url, order["id"])] == [
        (master, day)
    ]

    (card_order,) = orders.queue(1)
    page.goto(f"{server.url}/orders/{card_order['id']}")
    block = page.locator("[data-testid=suggest-block]")
    block.locator("input[type=date]").fill(day.isoformat())
    block.locator("[data-testid=suggest-visit]").click()
    block.locator("[data-testid=suggestion]").first.click()
    expect(block.locator("[role=status]")).to_contain_text("Записано")
    assert len(visits_of_order(server.database_url, card_order["id"])) == 1
    page.context.close()


def test_the_queue_shows_the_clients_wish_and_books_the_proposed_master(
    server: ServerProcess, browser: Browser, orders: Orders
) -> None:
    database = server.database_url
    query(database, "UPDATE order_type SET auto_assign = true WHERE id = $1", orders.order_type)
    try:
        (order,) = orders.queue(1, visit_from="14:00", visit_to="16:00")
    finally:
        query(
            database, "UPDATE order_type SET auto_assign = false WHERE id = $1", orders.order_type
        )
    proposal: list[dict[str, object]] = []
    for _ in range(150):  # the server's worker proposes a master
        proposal = query(database, 'SELECT * FROM master_proposal WHERE "order" = $1', order["id"])
        if proposal:
            break
        time.sleep(0.2)
    assert proposal and proposal[0]["master"], proposal
    page = tablet(browser)
    open_board(page, server.url, planning_day())
    item = queue_item(page, order["number"])
    expect(item.locator("[data-testid=wish]")).to_contain_text("14:00–16:00")
    expect(item.locator("[data-testid=proposal]")).to_contain_text("Предложено")
    item.locator("[data-testid=book-proposal]").click()
    expect(queue_item(page, order["number"])).to_have_count(0)
    saved = visits_of_order(database, order["id"])
    assert [v["master"] for v in saved] == [proposal[0]["master"]]
    assert [v["day"] for v in saved] == [proposal[0]["day"]]
    page.context.close()


def test_queued_orders_and_visit_blocks_show_their_sla_clock(
    server: ServerProcess, browser: Browser, orders: Orders
) -> None:
    database = server.database_url
    day = planning_day()
    order, visited = orders.queue(2)
    made = orders.http.post(
        "/api/v1/visits",
        json={
            "order_id": visited["id"],
            "day": day.isoformat(),
            "master_id": employee_id(database, "field2"),
        },
    )
    assert made.status_code == 201, made.text
    query(
        database,
        "INSERT INTO sla_policy (name, order_type, priority, accept_minutes, first_visit_minutes,"
        " warn_percent, pause_statuses, is_active, updated_at)"
        " VALUES ('Выезд', $1, '', 100000, 100000, 80, '{}', true, now())",
        orders.order_type,
    )
    try:
        page = tablet(browser)
        open_board(page, server.url, day)
        chip = queue_item(page, order["number"]).locator("[data-testid=sla]")
        expect(chip).to_have_attribute("data-state", "on_track")
        expect(chip).to_contain_text("В срок")
        expect(chip).to_contain_text("осталось")
        block = page.locator(f"[data-testid=visit-block][data-order='{visited['id']}']")
        expect(block.locator("[data-testid=sla]")).to_contain_text("осталось")
        assert "sla-on_track" in (block.get_attribute("class") or "")
        page.context.close()
    finally:
        query(database, "DELETE FROM sla_policy WHERE name = 'Выезд'")
