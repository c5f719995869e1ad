"""The documented template variables: the only names a print template may use.

`lines[].name` means the `name` of each item of `lines`, as in
`{% for line in lines %}{{ line.name }}{% endfor %}`.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import msgspec

from printforms.context import build_context
from printforms.sample import sample_order

DESCRIPTIONS: dict[str, str] = {
    "center": "Сервисный центр (исполнитель)",
    "center.name": "Название сервисного центра",
    "center.legal_name": "Полное наименование организации",
    "center.inn": "ИНН организации",
    "center.kpp": "КПП организации",
    "center.ogrn": "ОГРН организации",
    "center.address": "Адрес сервисного центра",
    "center.phone": "Телефон сервисного центра",
    "center.email": "Электронная почта сервисного центра",
    "center.website": "Сайт сервисного центра",
    "center.director": "Руководитель (подпись в счёте)",
    "center.accountant": "Главный бухгалтер (подпись в счёте)",
    "center.bank": "Банковские реквизиты",
    "center.bank.name": "Название банка",
    "center.bank.bik": "БИК банка",
    "center.bank.account": "Расчётный счёт",
    "center.bank.corr_account": "Корреспондентский счёт банка",
    "order": "Заказ",
    "order.number": "Номер заказа",
    "order.public_code": "Код для проверки статуса на сайте",
    "order.status_url": "Ссылка на страницу статуса (её содержит QR-код)",
    "order.type": "Тип заказа",
    "order.created_at": "Дата и время приёма",
    "order.created_date": "Дата приёма",
    "order.created_long": "Дата приёма прописью месяца",
    "order.completed_at": "Дата и время готовности",
    "order.completed_date": "Дата готовности (дата акта выполненных работ)",
    "order.issued_at": "Дата и время выдачи",
    "order.issued_date": "Дата выдачи",
    "order.declared_fault": "Заявленная неисправность (со слов клиента)",
    "order.appearance": "Внешний вид изделия",
    "order.accessories": "Комплектация",
    "order.estimated_cost": "Ориентировочная стоимость (пусто, если не указана)",
    "order.estimated_date": "Ориентировочный срок готовности",
    "order.prepayment": "Предоплата",
    "order.has_prepayment": "Есть ли предоплата (да/нет)",
    "order.receiver": "Приёмщик",
    "order.master": "Мастер",
    "order.conclusion": "Заключение мастера: что обнаружено и сделано",
    "order.terms": "Условия приёма в ремонт",
    "order.warranty_terms": "Условия гарантии",
    "order.barcode_value": "Значение штрихкода на этикетке",
    "client": "Клиент",
    "client.name": "Имя клиента или название организации",
    "client.short_name": "Краткое имя клиента (Иванов И.)",
    "client.phone": "Телефон клиента",
    "client.email": "Электронная почта клиента",
    "client.address": "Адрес клиента",
    "client.is_company": "Клиент — организация (да/нет)",
    "client.inn": "ИНН клиента",
    "client.kpp": "КПП клиента",
    "device": "Изделие",
    "device.kind": "Тип изделия",
    "device.brand": "Производитель",
    "device.model": "Модель",
    "device.serial": "Серийный номер",
    "device.title": "Тип, производитель и модель одной строкой",
    "lines": "Строки заказа (работы, товары, запчасти) — список для {% for line in lines %}",
    "lines[].no": "Номер строки по порядку",
    "lines[].kind": "Вид строки: service, good или part",
    "lines[].kind_label": "Вид строки по-русски: Работа, Товар, Запчасть",
    "lines[].name": "Наименование",
    "lines[].qty": "Количество",
    "lines[].unit": "Единица измерения",
    "lines[].price": "Цена за единицу",
    "lines[].amount": "Сумма без скидки",
    "lines[].discount": "Скидка по строке",
    "lines[].total": "Сумма по строке со скидкой",
    "lines[].warranty_days": "Гарантия, дней (число)",
    "lines[].warranty": "Гарантия текстом (90 дней / нет)",
    "totals": "Итоги",
    "totals.count": "Количество строк",
    "totals.subtotal": "Сумма по строкам",
    "totals.discount": "Скидка на заказ",
    "totals.has_discount": "Есть ли скидка на заказ (да/нет)",
    "totals.total": "Итого к оплате за заказ",
    "totals.total_words": "Итого прописью",
    "totals.paid": "Оплачено (включая предоплату)",
    "totals.has_paid": "Была ли оплата (да/нет)",
    "totals.due": "Осталось оплатить",
    "totals.due_words": "Осталось оплатить, прописью",
    "totals.vat": "Сумма НДС в том числе, или «—» без НДС",
    "totals.vat_label": "Подпись строки НДС: «В том числе НДС 20%» или «Без налога (НДС)»",
    "invoice": "Счёт на оплату",
    "invoice.number": "Номер счёта",
    "invoice.date": "Дата счёта",
    "invoice.date_long": "Дата счёта прописью месяца",
    "invoice.due_date": "Оплатить до",
    "today": "Сегодняшняя дата",
    "qr_svg": "QR-код со ссылкой на статус заказа (вставлять как {{ qr_svg }})",
    "barcode_svg": "Штрихкод Code128 номера заказа (вставлять как {{ barcode_svg }})",
}


# Values the sample order leaves empty (its client is a person, not a company).
EXAMPLE_OVERRIDES: dict[str, str] = {"client.inn": "7728123450", "client.kpp": "772801001"}


class Variable(msgspec.Struct, frozen=True):
    """One documented variable for the template editor."""

    name: str
    description: str
    example: str
    is_list: bool = False


def lookup(context: dict[str, Any], path: str) -> Any:
    """The value at a catalogue path in a context (first item for `lines[]`)."""
    value: Any = context
    for part in path.split("."):
        if part.endswith("[]"):
            items = value[part[:-2]]
            value = items[0] if items else {}
            continue
        value = value[part]
    return value


def example_text(value: Any) -> str:
    """How the editor shows an example value."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return f"список из {len(value)}"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


@cache
def variable_catalogue() -> tuple[Variable, ...]:
    """Every template variable with its Russian description and an example value."""
    context = build_context(sample_order(), today=date(2025, 3, 11))
    return tuple(
        Variable(
            name=name,
            description=description,
            example=EXAMPLE_OVERRIDES.get(name) or example_text(lookup(context, name)),
            is_list=isinstance(lookup(context, name), list),
        )
        for name, description in DESCRIPTIONS.items()
    )


def allowed_paths() -> frozenset[str]:
    """The set of variable paths the validator accepts."""
    return frozenset(DESCRIPTIONS)
