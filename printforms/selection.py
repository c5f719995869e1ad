"""Which of several templates of one kind prints a given order.

A template may be limited to order types and to manufacturers (brands). The most specific
template that matches wins; with none matching, the caller prints the built-in template.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec


class TemplateChoice(msgspec.Struct, frozen=True, kw_only=True):
    """What selection needs to know about a stored template (the server keeps the rest)."""

    key: str
    kind: str
    order_types: tuple[str, ...] = ()
    """Order types the template is for; empty means any."""
    manufacturers: tuple[str, ...] = ()
    """Manufacturers the template is for (case-insensitive); empty means any."""
    is_default: bool = False
    """Preferred among equally specific matches."""


def specificity(choice: TemplateChoice, order_type: str, manufacturer: str) -> int | None:
    """2 points for a matched order type, 1 for a matched brand; None when it does not apply."""
    score = 0
    if choice.order_types:
        if order_type not in choice.order_types:
            return None
        score += 2
    if choice.manufacturers:
        brands = {brand.casefold() for brand in choice.manufacturers}
        if manufacturer.casefold() not in brands:
            return None
        score += 1
    return score


def select_template(
    candidates: Iterable[TemplateChoice], kind: str, order_type: str = "", manufacturer: str = ""
) -> TemplateChoice | None:
    """The most specific template of a kind for an order; ties go to the default, then first."""
    best: tuple[int, int] | None = None
    chosen = None
    for choice in candidates:
        if choice.kind != kind:
            continue
        score = specificity(choice, order_type, manufacturer)
        if score is None:
            continue
        rank = (score, int(choice.is_default))
        if best is None or rank > best:
            best, chosen = rank, choice
    return chosen
