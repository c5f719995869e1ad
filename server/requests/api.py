"""What other domains read of requests: a customer's requests (the cabinet) and open work
per employee (the responsibles' workload)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from piccolo.columns.combination import Or, WhereRaw

from server.i18n import gettext
from server.requests import assign
from server.requests.choices import RequestStatus
from server.requests.schemas import ContactRequestOut
from server.requests.services import link_of, new_token, now
from server.requests.tables import RequestLink, ServiceRequest

__all__ = ["ContactRequestOut", "counts_open", "for_contact", "open_for_contact"]


def _of_contact(email: str, phone: str) -> Any | None:
    """The condition "sent with this email or phone (E.164)", or None for neither."""
    email, phone = email.strip().lower(), phone.strip()
    conditions = []
    if email:
        conditions.append(ServiceRequest.email == email)
    if phone:
        conditions.append(ServiceRequest.phone == phone)
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else Or(conditions[0], conditions[1])


async def for_contact(email: str, phone: str) -> list[ContactRequestOut]:
    """The requests sent with this email or phone, newest first (one statement; the private
    link of one is made only when the customer opens it: `open_for_contact`)."""
    condition = _of_contact(email, phone)
    if condition is None:
        return []
    rows = await (
        ServiceRequest.select(
            ServiceRequest.number,
            ServiceRequest.status,
            ServiceRequest.device,
            ServiceRequest.created_at,
            ServiceRequest.updated_at,
        )
        .where(condition)
        .order_by(ServiceRequest.created_at, ascending=False)
        .limit(100)
    )
    return [
        ContactRequestOut(
            number=row["number"],
            status=row["status"],
            status_label=gettext(RequestStatus(row["status"]).label),
            device=row["device"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
        for row in rows
    ]


async def open_for_contact(number: str, email: str, phone: str) -> str | None:
    """A fresh private link to the request of this number when it was sent with this email
    or phone; None otherwise (links are stored hashed, so an old one cannot be shown again)."""
    condition = _of_contact(email, phone)
    if condition is None:
        return None
    row = await (
        ServiceRequest.select(ServiceRequest.id)
        .where(condition, ServiceRequest.number == number[:30])
        .first()
    )
    if row is None:
        return None
    token, hashed = new_token()
    await RequestLink(request=row["id"], token_hash=hashed, created_at=now()).save()
    return link_of(token)


async def counts_open(employee_ids: Iterable[int]) -> dict[int, int]:
    """{employee id: open requests (new, in review, accepted) they are responsible for}."""
    return await assign.open_requests(sorted(set(employee_ids)))


async def custom_value_exists(code: str) -> bool:
    """True when some request holds a value of the custom field `code` (it is archived, not
    deleted, then)."""
    found = await ServiceRequest.exists().where(
        WhereRaw("jsonb_exists(service_request.custom, {})", code)
    )
    return bool(found)
