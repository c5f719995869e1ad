"""Upload names: no control characters stored or served, a Content-Disposition that is safe."""

from __future__ import annotations

import uuid

import httpx
import pytest

from server.files.services import clean_name
from server.files.tables import StoredFile
from tests.server.orders.builders import intake, make_client

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("акт\r\nSet-Cookie: x=1.pdf", "акт Set-Cookie x1.pdf"),
        ("a\tb\x0bc\x1fd\x85e\u2028f.pdf", "a b c d e f.pdf"),
        ("\u202egpj.exe.pdf", "gpj.exe.pdf"),
        ('"quoted"; name=x.pdf', "quoted namex.pdf"),
        ("\r\n", "file.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
    ],
)
def test_clean_name_keeps_no_control_or_format_characters(name: str, expected: str) -> None:
    assert clean_name(name, "pdf") == expected


async def test_an_upload_name_with_line_breaks_is_stored_and_served_without_them(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await intake(admin_client, await make_client())
    uploaded = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("акт\r\nX-Injected: 1\r\n.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    name = uploaded.json()["name"]
    assert "\r" not in name and "\n" not in name
    row = await StoredFile.select(StoredFile.name).first()
    assert row is not None and "\n" not in row["name"] and "\r" not in row["name"]
    served = await admin_client.get(f"/api/v1/files/{uploaded.json()['id']}")
    assert served.status_code == 200
    assert "x-injected" not in served.headers
    disposition = served.headers["content-disposition"]
    assert disposition.startswith('inline; filename="')
    assert "filename*=UTF-8''" in disposition
    assert all(32 <= ord(ch) < 127 for ch in disposition)


async def test_a_name_stored_before_the_fix_is_served_safely(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await intake(admin_client, await make_client())
    uploaded = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("scan.pdf", PDF, "application/pdf")},
    )
    file_id = uuid.UUID(uploaded.json()["id"])
    await StoredFile.update({StoredFile.name: 'old\r\nname";\x7f.pdf'}).where(
        StoredFile.id == file_id
    )
    served = await admin_client.get(f"/api/v1/files/{file_id}")
    assert served.status_code == 200
    disposition = served.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2
    assert all(32 <= ord(ch) < 127 for ch in disposition)
