"""A period as an XLSX workbook: the summary sheet, then a report sheet per employee and per
partner service center (sent to the partner to reconcile payouts), written off the event loop."""

from __future__ import annotations

import asyncio
import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from server.actor import Actor
from server.i18n import gettext
from server.payroll.reading import period_out
from server.payroll.schemas import PeriodOut
from server.staff.permissions import Action, Section

MONEY_FORMAT = "#,##0.00"
BOLD = Font(bold=True)


def _title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:28].strip() or "—"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:25]} {n}", n + 1
    taken.add(title)
    return title


def _cells(sheet: Any, values: list[Any], *, bold: bool = False, money: int | None = None) -> None:
    """One row of a write-only sheet: bold for headings, the money column formatted."""
    row = []
    for index, value in enumerate(values):
        cell = WriteOnlyCell(sheet, value=value)
        if bold:
            cell.font = BOLD
        if money is not None and index == money and value is not None:
            cell.number_format = MONEY_FORMAT
        row.append(cell)
    sheet.append(row)


def _workbook(period: PeriodOut) -> bytes:
    book = Workbook(write_only=True)  # streamed: a big center's month has tens of thousands
    summary = book.create_sheet(gettext("Summary")[:31])
    days = f"{period.first_day:%d.%m.%Y}–{period.last_day:%d.%m.%Y}"
    summary.column_dimensions["A"].width = 36
    _cells(summary, [gettext("Payroll period"), days, period.state_label])
    _cells(summary, [])
    _cells(summary, [gettext("Payee"), gettext("Orders"), gettext("Amount")], bold=True)
    for payee in period.payees:
        _cells(summary, [payee.name, payee.orders, float(payee.total)], money=2)
    _cells(summary, [gettext("Total"), None, float(period.total)], bold=True, money=2)
    taken = {summary.title}
    for payee in period.payees:
        sheet = book.create_sheet(_title(payee.name, taken))
        for column, width in zip("ABCDE", (20, 14, 40, 24, 14), strict=True):
            sheet.column_dimensions[column].width = width
        _cells(sheet, [payee.name, days])
        _cells(sheet, [])
        heading = [gettext("Kind"), gettext("Order"), gettext("How"), gettext("Corrects"),
                   gettext("Amount")]  # fmt: skip
        _cells(sheet, heading, bold=True)
        for line in payee.lines:
            _cells(sheet, [line.kind_label, line.order_number, line.basis, line.for_period,
                           float(line.amount)], money=4)  # fmt: skip
        _cells(sheet, [gettext("Total"), None, None, None, float(payee.total)], bold=True, money=4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def period_xlsx(actor: Actor, period_id: int) -> bytes:
    """The period's workbook."""
    actor.require(Section.PAYROLL, Action.EXPORT)
    period = await period_out(actor, period_id)
    return await asyncio.to_thread(_workbook, period)
