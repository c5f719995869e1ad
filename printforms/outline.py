"""Receipt, handover act and work act as a neutral outline that DOCX and XLSX both render.

The PDF versions are HTML templates; DOCX and XLSX are editable office files with a fixed
layout, built from the same context so that every number and word matches the PDF.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import msgspec

from printforms.context import warranty_text
from printforms.model import OrderDocumentData

CellKind = Literal["text", "int", "qty", "money"]
Cell = str | int | Decimal


class TableColumn(msgspec.Struct, frozen=True):
    """A column of the lines table: header, value kind and relative width."""

    title: str
    kind: CellKind = "text"
    width: float = 10


class Outline(msgspec.Struct, kw_only=True):
    """Everything an office version of a document shows, top to bottom."""

    file_title: str
    header: list[str]
    title: str
    subtitle: str = ""
    fields: list[tuple[str, str]] = msgspec.field(default_factory=list)
    columns: list[TableColumn] = msgspec.field(default_factory=list)
    rows: list[list[Cell]] = msgspec.field(default_factory=list)
    totals: list[tuple[str, Cell]] = msgspec.field(default_factory=list)
    words: str = ""
    notes: list[tuple[str, str]] = msgspec.field(default_factory=list)
    signatures: list[tuple[str, str]] = msgspec.field(default_factory=list)
    qr_payload: str = ""


def center_header(ctx: dict[str, Any]) -> list[str]:
    """The service center block at the top of every document."""
    center = ctx["center"]
    legal = center["legal_name"] + (f", ИНН {center['inn']}" if center["inn"] else "")
    legal += f", ОГРН {center['ogrn']}" if center["ogrn"] else ""
    return [center["name"], legal, center["address"], f"Тел.: {center['phone']}"]


def receipt(data: OrderDocumentData, ctx: dict[str, Any]) -> Outline:
    """Квитанция о приёме в ремонт."""
    order, client, device = ctx["order"], ctx["client"], ctx["device"]
    estimated = "определяется после диагностики"
    return Outline(
        file_title=f"Квитанция № {order['number']}",
        header=center_header(ctx),
        title=f"Квитанция о приёме в ремонт № {order['number']} от {order['created_at']}",
        subtitle=f"Код для проверки статуса: {order['public_code']}",
        fields=[
            ("Клиент", client["name"]),
            ("Телефон", client["phone"]),
            ("Адрес", client["address"]),
            ("Изделие", device["title"]),
            ("Серийный номер", device["serial"] or "—"),
            ("Тип заказа", order["type"]),
            ("Заявленная неисправность", order["declared_fault"]),
            ("Внешний вид", order["appearance"] or "—"),
            ("Комплектация", order["accessories"] or "—"),
            (
                "Ориентировочная стоимость",
                f"{order['estimated_cost']} руб." if order["estimated_cost"] else estimated,
            ),
            ("Ориентировочный срок", order["estimated_date"] or estimated),
            ("Предоплата", f"{order['prepayment']} руб." if order["has_prepayment"] else "нет"),
            ("Приёмщик", order["receiver"]),
        ],
        notes=[
            ("Условия приёма в ремонт", order["terms"]),
            ("Статус ремонта онлайн", order["status_url"]),
        ],
        signatures=[
            ("Изделие сдал, с условиями согласен", client["name"]),
            ("Изделие принял", order["receiver"]),
        ],
        qr_payload=data.status_url,
    )


def line_rows(data: OrderDocumentData) -> list[list[Cell]]:
    """Order lines as table rows with raw numbers (formatted by each renderer)."""
    return [
        [
            i,
            line.name,
            line.qty,
            line.unit,
            line.unit_price,
            line.discount,
            line.total,
            warranty_text(line.warranty_days),
        ]
        for i, line in enumerate(data.lines, start=1)
    ]


LINE_COLUMNS = [
    TableColumn("№", "int", 4),
    TableColumn("Наименование", "text", 36),
    TableColumn("Кол-во", "qty", 7),
    TableColumn("Ед.", "text", 6),
    TableColumn("Цена, руб.", "money", 11),
    TableColumn("Скидка, руб.", "money", 10),
    TableColumn("Сумма, руб.", "money", 12),
    TableColumn("Гарантия", "text", 9),
]


def handover_act(data: OrderDocumentData, ctx: dict[str, Any]) -> Outline:
    """Акт выдачи изделия из ремонта."""
    order, client, device, totals = ctx["order"], ctx["client"], ctx["device"], ctx["totals"]
    issued = order["issued_at"] or ctx["today"]
    return Outline(
        file_title=f"Акт выдачи № {order['number']}",
        header=center_header(ctx),
        title="Акт выдачи изделия из ремонта",
        subtitle=f"к заказу № {order['number']} от {order['created_date']} · дата выдачи {issued}",
        fields=[
            ("Клиент", client["name"]),
            ("Телефон", client["phone"]),
            ("Изделие", device["title"]),
            ("Серийный номер", device["serial"] or "—"),
            ("Принято в ремонт", order["created_at"]),
            ("Заявленная неисправность", order["declared_fault"]),
            ("Комплектация", order["accessories"] or "—"),
            ("Заключение мастера", order["conclusion"]),
            ("Мастер", order["master"]),
        ],
        columns=LINE_COLUMNS,
        rows=line_rows(data),
        totals=_totals(data, due_label="К оплате при выдаче"),
        words=f"К оплате при выдаче: {totals['due_words']}",
        notes=[
            ("Условия гарантии", order["warranty_terms"]),
            (
                "",
                "Изделие получено, работоспособность и комплектность проверены в присутствии "
                "клиента. Претензий к внешнему виду, комплектности и качеству ремонта не имею.",
            ),
        ],
        signatures=[("Изделие выдал", order["receiver"]), ("Изделие получил", client["name"])],
    )


def work_act(data: OrderDocumentData, ctx: dict[str, Any]) -> Outline:
    """Акт выполненных работ."""
    order, client, device, center = ctx["order"], ctx["client"], ctx["device"], ctx["center"]
    totals = ctx["totals"]
    contractor = f"{center['legal_name']}, ИНН {center['inn']}" + (
        f", КПП {center['kpp']}" if center["kpp"] else ""
    )
    customer = client["name"] + (f", ИНН {client['inn']}" if client["inn"] else "")
    return Outline(
        file_title=f"Акт выполненных работ № {order['number']}",
        header=center_header(ctx),
        title=f"Акт выполненных работ № {order['number']} от "
        f"{order['completed_date'] or ctx['today']}",
        fields=[
            ("Исполнитель", f"{contractor}, {center['address']}"),
            ("Заказчик", customer),
            ("Основание", f"Заказ № {order['number']} от {order['created_date']}"),
            ("Изделие", f"{device['title']}, серийный № {device['serial'] or '—'}"),
        ],
        columns=LINE_COLUMNS,
        rows=line_rows(data),
        totals=_totals(data, due_label="К оплате"),
        words=f"Всего оказано услуг и отпущено товаров на сумму {totals['total']} руб. "
        f"({totals['total_words']})",
        notes=[
            ("Заключение", order["conclusion"]),
            ("Гарантийные обязательства", order["warranty_terms"]),
            (
                "",
                "Вышеперечисленные работы выполнены полностью и в срок. Заказчик претензий по "
                "объёму, качеству и срокам оказания услуг не имеет.",
            ),
        ],
        signatures=[
            ("Исполнитель", order["master"] or center["director"]),
            ("Заказчик", client["name"]),
        ],
    )


def _totals(data: OrderDocumentData, due_label: str) -> list[tuple[str, Cell]]:
    rows: list[tuple[str, Cell]] = [("Итого", data.subtotal)]
    if data.discount:
        rows.append(("Скидка на заказ", data.discount))
    rows.append(("Всего", data.total))
    vat = data.vat_amount
    rows.append(
        ("Без налога (НДС)", "—") if vat is None else (f"В т. ч. НДС {data.center.vat_rate}%", vat)
    )
    rows += [("Оплачено", data.paid), (due_label, data.amount_due)]
    return rows


OUTLINES = {"receipt": receipt, "handover-act": handover_act, "work-act": work_act}


def build_outline(kind: str, data: OrderDocumentData, ctx: dict[str, Any]) -> Outline:
    """The outline of an office document kind."""
    return OUTLINES[kind](data, ctx)
