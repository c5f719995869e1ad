"""Fiscal receipts: with a register configured (SERVIO_FISCAL=atol), each payment and refund
taken at a desk gets a receipt row in the transaction that posts it, and a job sends it.

Sending is idempotent by the receipt's uuid: the task is queued at the register under it, so a
try whose answer was lost (a timeout) is tried again under the same uuid, which the register
knows (409), and the result is read by it. One receipt, however many tries."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from server.cashdesk.atol import DONE, FAILED, AtolWebServer, RegisterUnreachable
from server.cashdesk.choices import AT_DESK
from server.cashdesk.posting import Part
from server.cashdesk.receipts import Sale, return_task, sell_task
from server.cashdesk.tables import CashReceipt
from server.config import get_settings
from server.jobs.queue import defer_in_transaction

log = logging.getLogger("servio.fiscal")
QUEUE = "fiscal"
POLLS = 10  # reads of a task's result per try
POLL_EVERY = 0.3  # seconds between them


def enabled() -> bool:
    """Whether a register is configured."""
    return get_settings().fiscal == "atol"


def register() -> AtolWebServer:
    """The configured register's web server."""
    settings = get_settings()
    return AtolWebServer(settings.fiscal_url, settings.fiscal_timeout)


async def queue_receipt(
    document_id: int,
    refund: bool,
    sale: Sale,
    parts: Sequence[Part],
    cashier: str,
    *,
    electronically: bool = False,
) -> None:
    """Make the document's receipt and queue its sending (in the caller's transaction); none
    without a register or for money that went through no desk (a bank transfer). A payment
    taken away from the register (`electronically`) is sent to the client's contact."""
    if not enabled() or not any(p.method in AT_DESK for p in parts):
        return
    settings = get_settings()
    taxation, vat = settings.fiscal_taxation, settings.fiscal_vat
    if refund:
        task = return_task(sale, parts, cashier, taxation, vat)
    else:
        task = sell_task(sale, parts, cashier, taxation, vat, electronically=electronically)
    rows = await CashReceipt.insert(
        CashReceipt(
            document_id=document_id,
            uuid=str(uuid.uuid4()),
            kind=task["type"],
            task=task,
            created_at=dt.datetime.now(dt.UTC),
        )
    ).returning(CashReceipt.id)
    await defer_in_transaction("fiscal_send", queue=QUEUE, receipt_id=rows[0]["id"])


async def send(receipt_id: int) -> str:
    """One try at a receipt: queue it at the register (again, under its uuid) and read its
    result; answers the state it is left in (done, failed, or sent/pending: tried later)."""
    row = (
        await CashReceipt.select()
        .where(CashReceipt.id == receipt_id)
        .output(load_json=True)
        .first()
    )
    if row is None or row["state"] in ("done", "failed"):
        return row["state"] if row else "missing"
    await CashReceipt.update({CashReceipt.attempts: CashReceipt.attempts + 1}).where(
        CashReceipt.id == receipt_id
    )
    server = register()
    try:
        await server.register(row["uuid"], dict(row["task"]))
        await _mark(receipt_id, state="sent", error="")
        for _ in range(POLLS):
            result = await server.result(row["uuid"])
            if result.status == DONE:
                await _mark(receipt_id, state="done", fiscal=result.fiscal, error="")
                return "done"
            if result.status in FAILED:
                await _mark(receipt_id, state="failed", error=result.error or result.status)
                log.warning("receipt %s refused by the register: %s", row["uuid"], result.error)
                return "failed"
            await asyncio.sleep(POLL_EVERY)
        return "sent"
    except RegisterUnreachable as error:
        await _mark(receipt_id, error=str(error)[:500])
        log.warning("receipt %s not sent: %s", row["uuid"], error)
        return "pending" if row["state"] == "pending" else row["state"]


async def _mark(receipt_id: int, **values: Any) -> None:
    changes: dict[Any, Any] = {getattr(CashReceipt, k): v for k, v in values.items()}
    if values.get("state") == "done":
        changes[CashReceipt.done_at] = dt.datetime.now(dt.UTC)
    await CashReceipt.update(changes).where(CashReceipt.id == receipt_id)


async def unsent() -> list[int]:
    """Receipts still to be sent or read back, oldest first."""
    rows = (
        await CashReceipt.select(CashReceipt.id)
        .where(CashReceipt.state.is_in(["pending", "sent"]))
        .order_by(CashReceipt.id)
    )
    return [r["id"] for r in rows]
