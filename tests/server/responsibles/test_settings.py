"""The settings of automatic responsibles: bad input refused next to its field, the pages and
their forms (a rule, a zone pasted, a class), the «test a request» box, and who may change."""

from __future__ import annotations

import httpx
import pytest

from tests.server.builders import login_as, make_employee
from tests.server.responsibles.builders import center, person, problem_class, rule
from tests.server.responsibles.test_orders import csrf


def field_of(answer: httpx.Response) -> str:
    """The field a refusal names."""
    assert 400 <= answer.status_code < 500, answer.text
    return str(answer.json()["errors"][0]["field"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "  ", "targets": {"technician": [1]}}, "name"),
        ({"name": "X", "targets": {"technician": [999999]}}, "targets.technician"),
        ({"name": "X", "targets": {"service_center": [999999]}}, "targets.service_center"),
        ({"name": "X", "targets": {}}, "targets"),
        ({"name": "X", "queue": "Директор", "targets": {}}, "queue"),
        ({"name": "X", "applies_to": "visits", "queue": "director"}, "applies_to"),
        ({"name": "X", "queue": "director", "conditions": {"zone_ids": [999999]}},
         "conditions.zone_ids"),
        ({"name": "X", "queue": "director", "conditions": {"problem_class_ids": [999999]}},
         "conditions.problem_class_ids"),
        ({"name": "X", "queue": "director", "conditions": {"channels": ["fax"]}},
         "conditions.channels"),
        ({"name": "X", "queue": "director", "conditions": {"source_org_ids": [999999]}},
         "conditions.source_org_ids"),
        ({"name": "X", "queue": "director", "conditions": {"fields": {" ": "a"}}},
         "conditions.fields"),
        ({"name": "X", "queue": "director", "extra": 1}, "extra"),
    ],
)  # fmt: skip
async def test_a_bad_rule_is_refused_at_its_field(
    admin_client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    answer = await admin_client.post("/api/v1/assignment-rules", json=body)
    assert field_of(answer) == field


async def test_a_service_center_target_must_be_a_service_center(
    admin_client: httpx.AsyncClient,
) -> None:
    dealer = await admin_client.post("/api/v1/partners/", json={"kind": "dealer", "name": "Дилер"})
    assert dealer.status_code == 201, dealer.text
    answer = await admin_client.post(
        "/api/v1/assignment-rules",
        json={"name": "X", "targets": {"service_center": [dealer.json()["id"]]}},
    )
    assert field_of(answer) == "targets.service_center"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "places": ["Химки"]}, "name"),
        ({"name": "Z"}, "polygon"),
        ({"name": "Z", "polygon": [[55.7, 37.5], [55.8, 37.6]]}, "polygon"),
        ({"name": "Z", "polygon": [[55.7, 37.5], [55.7, 37.5], [55.7, 37.5]]}, "polygon"),
        ({"name": "Z", "polygon": [[95, 37.5], [55.8, 37.6], [55.9, 37.7]]}, "polygon"),
        ({"name": "Z", "polygon": [[55.7], [55.8, 37.6], [55.9, 37.7]]}, "polygon[0]"),
        ({"name": "Z", "polygon": "55.7 37.5"}, "polygon"),
    ],
)
async def test_a_bad_zone_is_refused_at_its_field(
    admin_client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    answer = await admin_client.post("/api/v1/assignment-zones", json=body)
    assert field_of(answer) == field


async def test_bad_classes_previews_and_missing_records(admin_client: httpx.AsyncClient) -> None:
    assert field_of(await admin_client.post("/api/v1/problem-classes", json={"name": " "})) == (
        "name"
    )
    unknown_parent = await admin_client.post(
        "/api/v1/problem-classes", json={"name": "A", "parent_id": 999999}
    )
    assert field_of(unknown_parent) == "parent_id"
    preview = await admin_client.post("/api/v1/assignment-rules/preview", json={"kind": "visit"})
    assert field_of(preview) == "kind"
    unknown = await admin_client.post(
        "/api/v1/assignment-rules/preview", json={"problem_class_id": 999999}
    )
    assert field_of(unknown) == "problem_class_id"
    far = await admin_client.post("/api/v1/assignment-rules/preview", json={"latitude": 91})
    assert field_of(far) == "latitude"
    for path in ("/api/v1/assignment-rules/999999", "/api/v1/assignment-zones/999999"):
        assert (await admin_client.get(path)).status_code == 404
    assert (await admin_client.delete("/api/v1/assignment-rules/999999")).status_code == 404
    patch = await admin_client.patch("/api/v1/problem-classes/999999", json={"name": "A"})
    assert patch.status_code == 404


async def test_a_rule_is_changed_reordered_and_removed(admin_client: httpx.AsyncClient) -> None:
    one, two = await person("one"), await person("two")
    first = await rule(admin_client, "First", targets={"technician": [one]})
    second = await rule(admin_client, "Second", targets={"technician": [two]})
    assert second["sort"] > first["sort"]
    moved = await admin_client.patch(f"/api/v1/assignment-rules/{second['id']}", json={"sort": 0})
    assert moved.status_code == 200, moved.text
    listed = (await admin_client.get("/api/v1/assignment-rules")).json()["items"]
    assert [r["name"] for r in listed] == ["Second", "First"]
    emptied = await admin_client.patch(
        f"/api/v1/assignment-rules/{second['id']}", json={"targets": {}}
    )
    assert field_of(emptied) == "targets"
    gone = await admin_client.delete(f"/api/v1/assignment-rules/{second['id']}")
    assert gone.status_code == 204
    listed = (await admin_client.get("/api/v1/assignment-rules")).json()["items"]
    assert [r["name"] for r in listed] == ["First"]


async def test_only_settings_editors_change_rules(admin_client: httpx.AsyncClient) -> None:
    await make_employee("receiver1", roles=["receiver"])
    await login_as(admin_client, "receiver1")
    refused = await admin_client.post(
        "/api/v1/assignment-rules", json={"name": "X", "queue": "director"}
    )
    assert refused.status_code == 403
    assert (await admin_client.get("/api/v1/problem-classes")).status_code == 200


async def test_the_rules_page_adds_a_rule_and_tests_a_request(
    admin_client: httpx.AsyncClient,
) -> None:
    director = await person("dir", full_name="Дмитрий Директоров")
    repair = await problem_class(admin_client, "Ремонт")
    await center(admin_client, "АСЦ Юг")
    token = await csrf(admin_client, "/settings/assignment-rules")
    bad = await admin_client.post(
        "/settings/assignment-rules",
        data={"_csrf_token": token, "name": "", "targets.manager[]": str(director)},
    )
    assert bad.status_code == 400 and 'id="e-name"' in bad.text
    sent = await admin_client.post(
        "/settings/assignment-rules",
        data={"_csrf_token": token, "name": "Директору", "applies_to": "request",
              "queue": "director", "stop": "1", "is_active": "1",
              "fields": "addressee = director", "problem_class_ids[]": str(repair),
              "targets.manager[]": str(director)},
    )  # fmt: skip
    assert sent.status_code in (302, 303), sent.text
    (made,) = (await admin_client.get("/api/v1/assignment-rules")).json()["items"]
    assert made["conditions"] == {"fields": {"addressee": "director"},
                                  "problem_class_ids": [repair]}  # fmt: skip
    assert made["targets"]["manager"] == [director] and made["stop"] is True
    page = await admin_client.get("/settings/assignment-rules")
    assert "Директору" in page.text and "Дмитрий Директоров" in page.text
    tried = await admin_client.post(
        "/settings/assignment-rules/preview",
        data={"_csrf_token": token, "kind": "request", "problem_class_id": str(repair),
              "fields": "addressee = director"},
    )  # fmt: skip
    assert tried.status_code == 200, tried.text
    shown = tried.text.split('data-testid="preview"', 1)[1]
    assert "Дмитрий Директоров" in shown and "по правилу «Директору»" in shown
    assert 'data-testid="preview-queue"' in shown
    wrong = await admin_client.post(
        "/settings/assignment-rules/preview",
        data={"_csrf_token": token, "latitude": "север"},
    )
    assert wrong.status_code == 400
    edit = await admin_client.get(f"/settings/assignment-rules/{made['id']}")
    assert edit.status_code == 200 and "addressee = director" in edit.text


async def test_the_zones_page_takes_pasted_points_and_the_classes_page_a_tree(
    admin_client: httpx.AsyncClient,
) -> None:
    token = await csrf(admin_client, "/settings/assignment-zones")
    sent = await admin_client.post(
        "/settings/assignment-zones",
        data={"_csrf_token": token, "name": "Центр", "places": "Москва",
              "polygon": "55.80, 37.50\n55.80 37.75\n[55.70, 37.75]"},
    )  # fmt: skip
    assert sent.status_code in (302, 303), sent.text
    (zone,) = (await admin_client.get("/api/v1/assignment-zones")).json()["items"]
    assert zone["polygon"] == [[55.8, 37.5], [55.8, 37.75], [55.7, 37.75]]
    assert zone["places"] == ["Москва"]
    bad = await admin_client.post(
        "/settings/assignment-zones",
        data={"_csrf_token": token, "name": "Плохая", "polygon": "55.8; юг"},
    )
    assert bad.status_code == 400 and "55.75, 37.61" in bad.text
    page = await admin_client.get("/settings/assignment-zones")
    assert 'data-testid="zone-map"' in page.text and "/static/js/zones.js" in page.text

    token = await csrf(admin_client, "/settings/problem-classes")
    top = await admin_client.post(
        "/settings/problem-classes", data={"_csrf_token": token, "name": "Холодильники"}
    )
    assert top.status_code in (302, 303), top.text
    (node,) = (await admin_client.get("/api/v1/problem-classes")).json()["items"]
    child = await admin_client.post(
        "/settings/problem-classes",
        data={"_csrf_token": token, "name": "Не морозит", "parent_id": str(node["id"])},
    )
    assert child.status_code in (302, 303), child.text
    nodes = (await admin_client.get("/api/v1/problem-classes")).json()["items"]
    assert [n["path"] for n in nodes] == ["Холодильники", "Холодильники / Не морозит"]
    off = await admin_client.post(
        f"/settings/problem-classes/{node['id']}",
        data={"_csrf_token": token, f"c{node['id']}-name": "Холодильники",
              f"c{node['id']}-sort": "0"},
    )  # fmt: skip
    assert off.status_code in (302, 303), off.text
    page = await admin_client.get("/settings/problem-classes")
    assert "Не морозит" in page.text and "Выключен" in page.text
