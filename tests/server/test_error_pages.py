"""An error page says when to try again, as the JSON answer does."""

from __future__ import annotations

from litestar.testing import RequestFactory

from server.errors import TooManyRequests, Unavailable, domain_error_handler


def test_a_page_of_a_part_that_is_away_says_when_to_try_again() -> None:
    page = domain_error_handler(RequestFactory().get("/orders/1"), Unavailable("away"))
    api = domain_error_handler(RequestFactory().get("/api/v1/orders/1"), Unavailable("away"))
    assert page.status_code == api.status_code == 503
    assert page.headers["Retry-After"] == api.headers["Retry-After"] == "30"


def test_a_throttled_page_says_how_long_to_wait() -> None:
    refusal = TooManyRequests("wait", retry_after=120)
    page = domain_error_handler(RequestFactory().get("/status"), refusal)
    assert page.status_code == 429 and page.headers["Retry-After"] == "120"
