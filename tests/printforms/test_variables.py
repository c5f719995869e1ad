"""The variable catalogue documents exactly what templates can read, with example values."""

from __future__ import annotations

from typing import Any

from printforms import OrderDocumentData, variable_catalogue
from printforms.context import build_context
from tests.printforms.conftest import TODAY


def context_paths(value: Any, prefix: str = "") -> set[str]:
    """Every path in a context, `lines[].name` style."""
    paths = {prefix} if prefix else set()
    if isinstance(value, dict):
        for key, item in value.items():
            paths |= context_paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value:
        paths |= context_paths(value[0], f"{prefix}[]")
    return paths - {p for p in paths if p.endswith("[]")}


def test_catalogue_documents_every_context_value_and_nothing_else(
    order: OrderDocumentData,
) -> None:
    documented = {variable.name for variable in variable_catalogue()}
    assert documented == context_paths(build_context(order, TODAY))


def test_every_variable_has_a_russian_description_and_an_example() -> None:
    for variable in variable_catalogue():
        assert any("а" <= ch <= "я" for ch in variable.description.lower()), variable.name
        is_namespace = "." not in variable.name and not variable.is_list
        if variable.name not in {"center.bank"} and not is_namespace:
            assert variable.example, f"{variable.name} has no example"


def test_examples_come_from_the_sample_order() -> None:
    by_name = {variable.name: variable for variable in variable_catalogue()}
    assert by_name["order.number"].example == "A-000123"
    assert by_name["client.short_name"].example == "Иванов И."
    assert by_name["totals.total_words"].example == "Пять тысяч четыреста рублей 50 копеек"
    assert by_name["lines[].name"].example == "Диагностика"
    assert by_name["lines"].is_list
    assert by_name["lines"].example == "список из 4"
    assert by_name["qr_svg"].example.startswith("<svg")
