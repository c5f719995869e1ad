"""Helpers of the dispatcher's board tests and bench: a planning day on a demo database, field
orders waiting in the queue, logging in, and gestures on the lanes (mouse or touch)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Locator, Page

from tests.live import query
from tests.pwa.field import PASSWORD

ZONE = ZoneInfo("Europe/Moscow")  # the demo center's
# Devices the demo's field2 (Морозов: fridges and washers of LG, Atlant, Haier) may service,
# at clients whose address has coordinates.
FIELD2_DEVICES = """
SELECT d.id AS device_id, d.client AS client_id FROM device d
JOIN device_type t ON t.id = d.device_type
JOIN brand b ON b.id = d.brand
WHERE t.name IN ('Холодильник', 'Стиральная машина') AND b.name IN ('LG', 'Atlant', 'Haier')
  AND EXISTS (SELECT 1 FROM client_address a WHERE a.client = d.client AND a.lat IS NOT NULL)
ORDER BY d.id
"""


def planning_day(today: dt.date | None = None) -> dt.date:
    """A weekday three to five days ahead: past the demo's planned days, within the week the
    phones keep."""
    day = (today or dt.datetime.now(ZONE).date()) + dt.timedelta(days=3)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def employee_id(database_url: str, login: str) -> int:
    """An employee's id by login."""
    return int(query(database_url, "SELECT id FROM employee WHERE login = $1", login)[0]["id"])


def api_session(url: str, login: str = "dispatcher") -> httpx.Client:
    """An HTTP session logged in like the web app (the CSRF header from its cookie)."""
    http = httpx.Client(base_url=url, timeout=30)
    answer = http.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
    return http


class Orders:
    """Field orders put in the queue through the API, each at another field2 client."""

    def __init__(self, url: str, database_url: str) -> None:
        self.http = api_session(url)
        self.devices = query(database_url, FIELD2_DEVICES)
        kind = query(database_url, "SELECT id FROM order_type WHERE is_field ORDER BY id LIMIT 1")
        self.order_type = int(kind[0]["id"])
        self.used = 0

    def queue(self, count: int = 1, **fields: Any) -> list[dict[str, Any]]:
        """`count` new field orders waiting for a visit (with more of the order's fields)."""
        made = []
        for _ in range(count):
            device = self.devices[self.used % len(self.devices)]
            self.used += 1
            answer = self.http.post(
                "/api/v1/orders",
                json={
                    "client_id": device["client_id"],
                    "device_id": device["device_id"],
                    "order_type_id": self.order_type,
                    "declared_fault": "Не морозит",
                    **fields,
                },
            )
            assert answer.status_code == 201, answer.text
            made.append(answer.json())
        return made


def open_board(page: Page, url: str, day: dt.date, login: str = "dispatcher") -> None:
    """Log in and open the board of the day, until its lanes are drawn."""
    page.goto(f"{url}/login?next=/dispatch%3Fday%3D{day.isoformat()}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=lane-track]")


def lane_point(page: Page, master_id: int, minutes: int) -> tuple[float, float]:
    """Where on screen a master's lane shows that time (scrolled into view first)."""
    track = page.locator(f"[data-testid=lane-track][data-master='{master_id}']")
    start = int(track.get_attribute("data-from") or 0)
    ppm = float(track.get_attribute("data-ppm") or 1)
    page.evaluate(
        "([id, x]) => { const s = document.querySelector('.lanes-scroll');"
        " s.scrollLeft = Math.max(0, x - s.clientWidth / 2); }",
        [master_id, (minutes - start) * ppm],
    )
    box = track.bounding_box()
    assert box is not None
    return box["x"] + (minutes - start) * ppm + 4, box["y"] + box["height"] / 2


def queue_item(page: Page, number: str) -> Locator:
    """An order of the queue by number."""
    return page.locator(f"[data-testid=queue-item][data-number='{number}']")


def drag(page: Page, source: Locator, master_id: int, minutes: int) -> None:
    """Press on `source`, move onto the lane at that time, release: one gesture."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 14, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] / 2 + 20, steps=4)
    x, y = lane_point(page, master_id, minutes)
    page.mouse.move(x, y, steps=8)
    page.mouse.up()


def tap_lane(page: Page, master_id: int, minutes: int) -> None:
    """Tap a master's lane at that time."""
    x, y = lane_point(page, master_id, minutes)
    page.mouse.click(x, y)


def visits_of(database_url: str, master_id: int, day: dt.date) -> list[dict[str, Any]]:
    """A master's live visits of the day in route order."""
    return query(
        database_url,
        'SELECT id, "order" AS order_id, planned_start, sequence FROM visit'
        " WHERE master = $1 AND day = $2 AND status NOT IN ('failed', 'cancelled')"
        " ORDER BY sequence, id",
        master_id,
        day,
    )


def visits_of_order(database_url: str, order_id: int) -> list[dict[str, Any]]:
    """Every visit of an order."""
    return query(
        database_url,
        'SELECT id, master, day, planned_start FROM visit WHERE "order" = $1',
        order_id,
    )


def touch_drag(page: Page, source: Locator, master_id: int, minutes: int) -> None:
    """The same gesture with a finger (touch events through the browser's input, so the page
    gets real touch pointers): press the item's handle, slide onto the lane, lift."""
    handle = source.locator("[data-drag-handle]")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    assert box is not None
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    x, y = lane_point(page, master_id, minutes)
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    for step in range(1, 13):
        point = {"x": x0 + (x - x0) * step / 12, "y": y0 + (y - y0) * step / 12}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
