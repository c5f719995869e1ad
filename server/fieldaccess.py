"""Field-level permissions: hide fields from a role, or make them read-only.

Roles store {"<entity>.<field>": "hidden" | "read"}; absent means read and write. Every
serializer of an entity passes its output through `visible`, and every write through
`check_writable`, so the API, the pages, search results and exports share one gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from server.actor import Actor
from server.errors import Forbidden, InvalidInput
from server.i18n import N_

HIDDEN = "hidden"
READ = "read"

# Fields a role may hide or make read-only, per entity (what identifies a record never is).
FIELD_CATALOGUE: dict[str, dict[str, str]] = {
    "order": {
        "priority": N_("Priority"),
        "client": N_("Client"),
        "device": N_("Device"),
        "declared_fault": N_("Declared fault"),
        "appearance": N_("Appearance and condition"),
        "accessories": N_("Accessories handed over"),
        "estimated_cost": N_("Estimated cost, ₽"),
        "due_at": N_("Due date"),
        "prepayment": N_("Prepayment, ₽"),
        "technician_id": N_("Technician"),
        "manager_id": N_("Manager"),
        "expert_id": N_("Technical expert"),
        "service_center_id": N_("Service center"),
        "discount_percent": N_("Discount"),
        "subtotal": N_("Lines"),
        "discount_amount": N_("Discount amount"),
        "total": N_("Total"),
        "paid": N_("Paid"),
        "amount_due": N_("To pay"),
        "custom": N_("Custom fields"),
    },
    "order_line": {
        "unit_price": N_("Line price"),
        "total": N_("Line total"),
        "list_price": N_("Price list price"),
        "price_reason": N_("Why a different price"),
        "purchase_price": N_("Purchase price, ₽"),
    },
    "client": {
        "legal_name": N_("Legal name"),
        "inn": N_("INN"),
        "kpp": N_("KPP"),
        "ogrn": N_("OGRN"),
        "legal_address": N_("Legal address"),
        "bank_name": N_("Bank"),
        "bik": N_("BIK"),
        "bank_account": N_("Account"),
        "corr_account": N_("Correspondent account"),
        "tags": N_("Tags"),
        "source": N_("Source"),
        "comment": N_("Comment"),
        "discount_percent": N_("Discount"),
        "custom": N_("Custom fields"),
    },
    "finance": {  # the period's figures; hiding either hides the profit too
        "income": N_("Income (and the profit)"),
        "expenses": N_("Expense totals (and the profit)"),
    },
    "expense": {
        "day": N_("Expense day (read-only: today only)"),
    },
}
ENTITY_LABELS = {
    "order": N_("Orders"),
    "order_line": N_("Order lines"),
    "client": N_("Clients"),
    "finance": N_("Finance"),
    "expense": N_("Expenses"),
}


def clean_field_permissions(value: Mapping[str, str]) -> dict[str, str]:
    """Checked {"entity.field": "hidden" | "read"}; unknown fields or levels are refused."""
    cleaned: dict[str, str] = {}
    for key, setting in value.items():
        entity, _, field = key.partition(".")
        if field not in FIELD_CATALOGUE.get(entity, {}):
            raise InvalidInput("Unknown field «{name}»", field="field_permissions", name=key[:100])
        if setting not in (HIDDEN, READ):
            raise InvalidInput("A field is «hidden» or «read»", field="field_permissions")
        cleaned[key] = setting
    return dict(sorted(cleaned.items()))


def level(actor: Actor, entity: str, field: str) -> str:
    """'hidden', 'read' or 'write' for one field of an entity."""
    return actor.field_permissions.get(f"{entity}.{field}", "write")


def hidden_fields(actor: Actor, entity: str) -> frozenset[str]:
    """Fields of `entity` the actor may not see."""
    prefix = f"{entity}."
    return frozenset(
        key.removeprefix(prefix)
        for key, value in actor.field_permissions.items()
        if key.startswith(prefix) and value == HIDDEN
    )


# Hiding an order's money hides the money of its lines too (they add up to it).
ORDER_MONEY = frozenset({"subtotal", "total"})
LINE_MONEY = frozenset({"unit_price", "total", "list_price", "purchase_price"})


def hidden_line_fields(actor: Actor) -> frozenset[str]:
    """Fields of order lines the actor may not see, money included when the order's is hidden."""
    hidden = hidden_fields(actor, "order_line")
    if ORDER_MONEY & hidden_fields(actor, "order"):
        hidden |= LINE_MONEY
    return hidden


def visible(actor: Actor, entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `data` without the fields hidden from the actor."""
    hidden = hidden_line_fields(actor) if entity == "order_line" else hidden_fields(actor, entity)
    return {k: v for k, v in data.items() if k not in hidden}


def check_writable(actor: Actor, entity: str, fields: Iterable[str]) -> None:
    """Refuse a write to a hidden or read-only field, naming it."""
    for field in fields:
        if level(actor, entity, field) != "write":
            raise Forbidden("You may not change the field «{field}»", field=field)
