"""What other domains read of requests: a customer's requests (the cabinet) and open work
per employee (the responsibles' workload)."""

from __future__ import annotations

from collections.abc import Iterable

from piccolo.columns.combination import Or

from server.i18n import gettext
from server.requests import assign
from server.requests.choices import RequestStatus
from server.requests.schemas import ContactRequestOut
from server.requests.services import link_of, new_token, now
from server.requests.tables import RequestLink, ServiceRequest

__all__ = ["ContactRequestOut", "counts_open", "for_contact"]


async def for_contact(email: str, phone: str) -> list[ContactRequestOut]:
    """The requests sent with this email or phone (E.164), newest first, each with a fresh
    private link (links are stored hashed: a new one is made for the list)."""
    email, phone = email.strip().lower(), phone.strip()
    conditions = []
    if email:
        conditions.append(ServiceRequest.email == email)
    if phone:
        conditions.append(ServiceRequest.phone == phone)
    if not conditions:
        return []
    condition = conditions[0] if len(conditions) == 1 else Or(conditions[0], conditions[1])
    rows = await (
        ServiceRequest.select(
            ServiceRequest.id,
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
    found = []
    moment = now()
    for row in rows:
        token, hashed = new_token()
        await RequestLink(request=row["id"], token_hash=hashed, created_at=moment).save()
        status = RequestStatus(row["status"])
        found.append(
            ContactRequestOut(
                number=row["number"],
                status=status.value,
                status_label=gettext(status.label),
                device=row["device"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
                link=link_of(token),
            )
        )
    return found


async def counts_open(employee_ids: Iterable[int]) -> dict[int, int]:
    """{employee id: open requests (new, in review, accepted) they are responsible for}."""
    return await assign.open_requests(sorted(set(employee_ids)))
