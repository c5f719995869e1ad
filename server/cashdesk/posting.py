"""Posting a money document with its parts, and reading documents back as the API shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.cashdesk.choices import KIND_LABELS, METHOD_LABELS, DocumentKind, Method
from server.cashdesk.numbering import next_number
from server.cashdesk.schemas import DocumentOut, FiscalOut, PartOut
from server.cashdesk.tables import CashDocument, CashDocumentPart, CashReceipt
from server.errors import InvalidInput
from server.i18n import gettext
from server.money import ZERO, checked, round_money
from server.staff import api as staff


@dataclass(frozen=True)
class Part:
    """A checked share of a document paid by one method."""

    method: Method
    amount: Decimal


@dataclass(frozen=True)
class Posted:
    """A document as posted: its id, number and parts."""

    id: int
    number: str
    amount: Decimal
    parts: tuple[Part, ...]


def checked_parts(given: Iterable[tuple[str, Decimal]], field: str = "parts") -> tuple[Part, ...]:
    """Amounts by method, each above zero, one entry per method; an error names the field."""
    merged: dict[Method, Decimal] = {}
    for index, (method, amount) in enumerate(given):
        name = f"{field}.{index}.amount" if field == "parts" else field
        if method not in Method._value2member_map_:
            raise InvalidInput("Choose one of the offered values", field=f"{field}.{index}.method")
        value = round_money(checked(amount, name, above_low=True))
        merged[Method(method)] = merged.get(Method(method), ZERO) + value
    if not merged:
        raise InvalidInput("Enter the amount", field=field)
    return tuple(Part(m, a) for m, a in merged.items())


async def post(
    kind: DocumentKind,
    parts: Sequence[Part],
    *,
    desk_id: int,
    shift_id: int | None,
    author_id: int | None,
    order_id: int | None = None,
    order_number: str = "",
    client_id: int | None = None,
    prepayment: bool = False,
    refund_of: int | None = None,
    reason: str = "",
) -> Posted:
    """Write the document and its parts (in the caller's transaction)."""
    amount = sum((p.amount for p in parts), ZERO)
    number = await next_number()
    rows = await CashDocument.insert(
        CashDocument(
            number=number,
            kind=kind.value,
            desk_id=desk_id,
            shift_id=shift_id,
            order_id=order_id,
            order_number=order_number,
            client_id=client_id,
            prepayment=prepayment,
            refund_of=refund_of,
            amount=amount,
            reason=reason,
            author_id=author_id,
            at=dt.datetime.now(dt.UTC),
        )
    ).returning(CashDocument.id)
    document_id = rows[0]["id"]
    await CashDocumentPart.insert(
        *(
            CashDocumentPart(document_id=document_id, method=p.method.value, amount=p.amount)
            for p in parts
        )
    )
    return Posted(document_id, number, amount, tuple(parts))


async def documents_out(rows: list[dict[str, Any]]) -> list[DocumentOut]:
    """Stored documents with their parts and authors' names, in the order given."""
    if not rows:
        return []
    parts = (
        await CashDocumentPart.select()
        .where(CashDocumentPart.document_id.is_in([r["id"] for r in rows]))
        .order_by(CashDocumentPart.id)
    )
    by_document: dict[int, list[PartOut]] = {}
    for part in parts:
        method = Method(part["method"])
        by_document.setdefault(part["document_id"], []).append(
            PartOut(method.value, gettext(METHOD_LABELS[method]), part["amount"])
        )
    names = await staff.names({r["author_id"] for r in rows if r["author_id"]})
    receipts = await _receipts([r["id"] for r in rows])
    return [
        DocumentOut(
            id=r["id"],
            number=r["number"],
            kind=r["kind"],
            kind_label=gettext(KIND_LABELS[DocumentKind(r["kind"])]),
            desk_id=r["desk_id"],
            shift_id=r["shift_id"],
            order_id=r["order_id"],
            order_number=r["order_number"],
            prepayment=r["prepayment"],
            refund_of=r["refund_of"],
            amount=r["amount"],
            parts=by_document.get(r["id"], []),
            reason=r["reason"],
            author_id=r["author_id"],
            author_name=names.get(r["author_id"], "") if r["author_id"] else "",
            at=r["at"],
            fiscal=receipts.get(r["id"]),
        )
        for r in rows
    ]


async def _receipts(document_ids: list[int]) -> dict[int, FiscalOut]:
    rows = (
        await CashReceipt.select()
        .where(CashReceipt.document_id.is_in(document_ids))
        .output(load_json=True)
    )
    found = {}
    for row in rows:
        data = row["fiscal"] or {}
        found[row["document_id"]] = FiscalOut(
            state=row["state"],
            document_number=data.get("fiscalDocumentNumber"),
            document_sign=str(data.get("fiscalDocumentSign") or ""),
            receipt_number=data.get("fiscalReceiptNumber"),
            storage_number=str(data.get("fnNumber") or ""),
            shift_number=data.get("shiftNumber"),
            at=str(data.get("fiscalDocumentDateTime") or ""),
            error=row["error"],
        )
    return found
