"""The payroll pages: a period made and opened from the list, a bonus without a reason and a
rule with a wrong percentage refused next to the field with what was typed kept, the rule
saved, and one's own figures for anyone."""

from __future__ import annotations

import re

import httpx

from tests.server.builders import login_as, make_employee
from tests.server.web.test_pages import csrf_of


def _error(html: str, name: str) -> str:
    found = re.search(rf'<div class="error" id="e-{name}">([^<]*)</div>', html)
    assert found, f"no error shown at {name}"
    return found.group(1)


async def test_periods_rules_and_errors_in_place(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    await make_employee("tech1", roles=["technician"], full_name="Иван Первый")
    page = await client.get("/payroll")
    assert page.status_code == 200 and "Периодов пока нет" in page.text
    token = csrf_of(page.text)
    made = await client.post("/payroll/periods", data={"_csrf_token": token})
    assert made.status_code in (302, 303), made.text
    url = made.headers["location"]
    opened = await client.get(url)
    assert opened.status_code == 200 and "Расчётные листы" in opened.text
    no_reason = await client.post(
        f"{url}/adjust", data={"_csrf_token": token, "kind": "bonus", "amount": "500"}
    )
    assert no_reason.status_code == 400 and _error(no_reason.text, "reason")
    assert 'value="500"' in no_reason.text

    rules = await client.get("/payroll/rules")
    assert rules.status_code == 200
    form = {"_csrf_token": token, "target": "role:technician", "base_kind": "month",
            "base_amount": "30000", "work_percent": "150"}  # fmt: skip
    wrong = await client.post("/payroll/rules", data=form)
    assert wrong.status_code == 400 and _error(wrong.text, "work_percent")
    assert 'value="30000"' in wrong.text
    saved = await client.post("/payroll/rules", data={**form, "work_percent": "10"})
    assert saved.status_code in (302, 303), saved.text
    listed = (await client.get("/payroll/rules")).text
    assert "оклад 30\u00a0000,00\u00a0₽ в месяц" in listed and "10\u00a0% от работ" in listed
    computed = await client.post(f"{url}/compute", data={"_csrf_token": token})
    assert computed.status_code in (302, 303)
    summary = (await client.get(url)).text
    assert "Иван Первый" in summary and "<table" not in summary  # totals; lines on demand
    tech = re.search(r'href="\?employee_id=(\d+)"', summary)
    assert tech
    lines = (await client.get(f"{url}?employee_id={tech.group(1)}")).text
    assert "<table" in lines and "30\u00a0000,00\u00a0₽ в месяц" in lines

    await login_as(client, "tech1")
    mine = await client.get("/payroll/me")
    assert mine.status_code == 200 and 'data-testid="earned"' in mine.text
    assert 'href="/payroll/me"' in (await client.get("/")).text
    assert 'href="/payroll"' not in (await client.get("/")).text
