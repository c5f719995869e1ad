"""Helpers of the field app's browser tests: a phone, logging in, waiting for the sync."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Geolocation, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PASSWORD = "servio-demo"
NIZHNY: Geolocation = {"latitude": 56.30, "longitude": 43.99}  # where the demo clients live
SYNC = "document.getElementById('sync').dataset"


def phone(browser: Browser, **options: Any) -> BrowserContext:
    """A 360 px phone in Russian that lets the app read its position."""
    settings: dict[str, Any] = {
        "viewport": {"width": 360, "height": 740},
        "geolocation": NIZHNY,
        "permissions": ["geolocation", "background-sync"],
        "locale": "ru-RU",
        # A phone far east of the center: "today" must still be the center's day.
        "timezone_id": "Pacific/Kiritimati",
    }
    return browser.new_context(**(settings | options))


def open_field_app(page: Page, url: str, login: str) -> None:
    """Log in and open /field until the service worker controls it and visits are shown."""
    page.goto(f"{url}/login?next=/field")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    try:
        page.wait_for_url("**/field")
    except PlaywrightTimeoutError as error:  # say where the browser got stuck instead
        shown = page.inner_text("body")[:300] if page.url.startswith(url) else ""
        raise AssertionError(f"{login} not on /field but on {page.url}: {shown}") from error
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    page.wait_for_selector("[data-testid=visit]", timeout=20000)


def wait_synced(page: Page, timeout: float = 60000) -> None:
    """Until the indicator says: nothing waits, no problems, synced at least once."""
    page.wait_for_function(
        f"() => {SYNC}.waiting === '0' && {SYNC}.problems === '0' && {SYNC}.lastSync !== ''"
        f" && {SYNC}.running === 'no'",
        timeout=timeout,
    )


def wait_waiting(page: Page, count: int, timeout: float = 30000) -> None:
    """Until the indicator shows `count` changes waiting."""
    page.wait_for_function(f"() => {SYNC}.waiting === '{count}'", timeout=timeout)


def local_rows(page: Page, store: str) -> int:
    """Rows of a store of the app's IndexedDB."""
    return int(
        page.evaluate(
            "async (name) => (await (await import('/static/field/db.js')).all(name)).length", store
        )
    )


def first_visit(page: Page) -> int:
    """The id of the first visit on the Today list."""
    href = page.locator("[data-testid=visit]").first.get_attribute("href") or ""
    return int(href.rsplit("/", 1)[1])


def open_action(page: Page, name: str) -> None:
    """From the order card: the actions sheet, then one action's screen."""
    page.click("[data-testid=actions]")
    page.click(f"[data-open={name}]")


def jpeg(path: Path, size: tuple[int, int] = (2400, 1800)) -> Path:
    """A camera-sized JPEG fixture."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def draw_signature(page: Page) -> None:
    """A zigzag with the mouse across the signature pad."""
    box = page.locator("[data-testid=signature]").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 25)
    page.mouse.up()
