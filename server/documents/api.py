"""What other domains read of documents: the service center's public contacts."""

from __future__ import annotations

import msgspec

from server.documents.center import center_row


class CenterContacts(msgspec.Struct, frozen=True):
    """How customers reach the center and when it is open (empty until filled in)."""

    name: str
    phone: str
    email: str
    address: str
    hours: str
    website: str


async def center_contacts() -> CenterContacts:
    """The center's name, phone, email, address, opening hours and website, as stored."""
    row = await center_row()
    return CenterContacts(
        name=row["name"] or "",
        phone=row["phone"] or "",
        email=row["email"] or "",
        address=row["address"] or "",
        hours=row.get("hours") or "",
        website=row["website"] or "",
    )
