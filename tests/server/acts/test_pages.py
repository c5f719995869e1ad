"""The acts pages: settings of the kinds and the acts per order type, the order card showing
which acts each visit still lacks and taking one, errors next to the field."""

from __future__ import annotations

import datetime as dt

import httpx

from server import clock
from server.acts import sweep
from server.acts.tables import ActRequest
from tests.server.acts.builders import kind_ids, visited_order
from tests.server.builders import make_employee
from tests.server.files.test_attachments import jpeg
from tests.server.web.test_pages import csrf_of, form_login


async def _boss(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]


async def test_settings_add_a_kind_and_choose_the_acts_of_a_type(
    client: httpx.AsyncClient,
) -> None:
    await _boss(client)
    page = await client.get("/settings/acts")
    assert page.status_code == 200 and "Акт рекламации" in page.text
    token = csrf_of(page.text)
    bad = await client.post(
        "/settings/acts/kinds", data={"_csrf_token": token, "name": "Акт", "code": "Б"}
    )
    assert bad.status_code == 400 and "Код" in bad.text and 'value="Акт"' in bad.text
    ok = await client.post(
        "/settings/acts/kinds",
        data={"_csrf_token": token, "name": "Акт приёма-передачи", "code": "handover"},
    )
    assert ok.status_code in (302, 303)
    kinds = await kind_ids(client)
    types = (await client.get("/api/v1/settings/orders/order-types")).json()["items"]
    field = next(t for t in types if t["code"] == "field")
    saved = await client.post(
        f"/settings/acts/types/{field['id']}",
        data={"_csrf_token": token, "act_kind_ids[]": [str(kinds["handover"])]},
    )
    assert saved.status_code in (302, 303)
    required = (await client.get(f"/api/v1/acts/order-types/{field['id']}")).json()
    assert required["act_kind_ids"] == [kinds["handover"]]
    wrong = await client.post(
        f"/settings/acts/types/{field['id']}",
        data={"_csrf_token": token, "act_kind_ids[]": ["x"]},
    )
    assert wrong.status_code == 400


async def test_the_order_card_shows_missing_acts_per_visit_and_takes_one(
    client: httpx.AsyncClient,
) -> None:
    await _boss(client)
    order, visit, _master = await visited_order(client)
    await sweep.sweep(clock.today() + dt.timedelta(days=1))
    card = await client.get(f"/orders/{order['id']}")
    assert card.status_code == 200
    assert 'data-testid="order-acts"' in card.text and "не хватает: 2" in card.text
    assert f'name="act_visit" value="{visit["id"]}"' in card.text
    kinds = await kind_ids(client)
    token = csrf_of(card.text)
    taken = await client.post(
        f"/orders/{order['id']}/attachments",
        data={
            "_csrf_token": token,
            "act_kind": str(kinds["reclamation"]),
            "act_visit": str(visit["id"]),
        },
        files={"file": ("акт.jpg", jpeg(), "image/jpeg")},
    )
    assert taken.status_code in (302, 303), taken.text
    card = await client.get(f"/orders/{order['id']}")
    assert "не хватает: 1" in card.text and "✓ Акт рекламации" in card.text
    assert "Акт: <strong>Акт рекламации</strong>" in card.text, "the timeline names the act"
    open_kinds = [
        r["act_kind"] for r in await ActRequest.select().where(ActRequest.closed_at.is_null())
    ]
    assert open_kinds == [kinds["work_completion"]]
    wrong = await client.post(
        f"/orders/{order['id']}/attachments",
        data={"_csrf_token": token, "act_kind": "abc"},
        files={"file": ("a.jpg", jpeg(), "image/jpeg")},
    )
    assert wrong.status_code == 400 and 'id="e-act-kind"' in wrong.text
