"""Choosing among several templates of one kind by order type and manufacturer."""

from __future__ import annotations

from printforms.selection import TemplateChoice, select_template

GENERAL = TemplateChoice(key="general", kind="receipt")
DEFAULT = TemplateChoice(key="default", kind="receipt", is_default=True)
WARRANTY = TemplateChoice(key="warranty", kind="receipt", order_types=("Гарантийный",))
SAMSUNG = TemplateChoice(key="samsung", kind="receipt", manufacturers=("Samsung",))
SAMSUNG_WARRANTY = TemplateChoice(
    key="samsung-warranty",
    kind="receipt",
    order_types=("Гарантийный",),
    manufacturers=("Samsung", "LG"),
)
ACT = TemplateChoice(key="act", kind="work-act")
ALL = [GENERAL, DEFAULT, WARRANTY, SAMSUNG, SAMSUNG_WARRANTY, ACT]


def test_most_specific_template_wins() -> None:
    assert select_template(ALL, "receipt", "Гарантийный", "samsung") == SAMSUNG_WARRANTY
    assert select_template(ALL, "receipt", "Гарантийный", "ASUS") == WARRANTY
    assert select_template(ALL, "receipt", "Платный ремонт", "SAMSUNG") == SAMSUNG


def test_default_wins_among_equally_specific() -> None:
    assert select_template(ALL, "receipt", "Платный ремонт", "ASUS") == DEFAULT


def test_only_templates_of_the_kind_are_considered() -> None:
    assert select_template(ALL, "work-act") == ACT
    assert select_template(ALL, "invoice") is None
    assert select_template([WARRANTY], "receipt", "Платный ремонт") is None
