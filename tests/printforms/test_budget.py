"""Template budget: a print template past its limits is stopped early, with the limit it broke."""

from __future__ import annotations

import time

import pytest

import printforms
from printforms import OrderDocumentData, TemplateRenderError, check_template, render_html
from printforms.context import build_context
from printforms.sandbox import render_template
from tests.printforms.conftest import TODAY

MILLION_X = "{% set s = 'x' * 1000000 %}"
BOMBS = [
    ("{{ (((10 ** 64) ** 64) ** 64) ** 64 > 1 }}", "number"),
    ("{{ 9 ** (9 ** 9) }}", "number"),
    ("{{ (10 ** 200) * (10 ** 200) }}", "number"),
    ("{{ ('9' * 4000)|int }}", "number"),
    ("{{ 'x'|center(100000000) }}", "text"),
    ("{{ 'x' * 10**9 }}", "text"),
    ("{{ '%100000000s' % 'x' }}", "text"),
    ("{{ '%.100000000f' % 1.5 }}", "text"),
    ("{{ '%s'|format('x') }}{{ '%100000000s'|format('x') }}", "text"),
    ("{{ ('x' * 100000)|wordwrap(1, wrapstring='y' * 100) }}", "text"),
    ("{{ ('x\n' * 50000)|indent(100000) }}", "text"),
    ("{{ ('x\n' * 50000)|indent('y' * 1000) }}", "text"),
    ("{{ range(100000)|join('x' * 10000) }}", "text"),
    ("{{ ('ab' * 1000)|replace('a', 'x' * 10000) }}", "text"),
    (MILLION_X + "{{ s ~ s }}", "text"),
    (MILLION_X + "{{ [s, s] }}", "text"),
    (MILLION_X + "{{ ([s] * 100000)|string }}", "text"),
    (
        "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ f('xx', 40) }}",
        "text",
    ),
    ("{{ range(100001)|length }}", "items"),
    ("{{ [1] * 10**9 }}", "items"),
    ("{{ [1]|slice(100000000)|list }}", "items"),
    ("{{ [1]|batch(100000000, 'x')|list }}", "items"),
    ("{{ ('x' * 1000000)|list|length }}", "items"),
    ("{{ ([[1] * 100000] * 100000)|sum(start=[]) }}", "text"),
    ("{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}", "loops"),
    (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(30) }}",
        "loops",
    ),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "depth"),
    ("{% for i in range(3) recursive %}{{ loop(range(3)) }}{% endfor %}", "depth"),
    ("{{ range(100000)|map('string')|map('center', 1000000)|list|length }}", "text"),
    ("{{ range(1000)|list|tojson(1000000) }}", "text"),
    ("{% for i in range(100000) %}" + "y" * 100 + "{% endfor %}", "output"),
    ("{% set s = 'x' * 500000 %}{% for i in range(100) %}{{ s }}{% endfor %}", "output"),
    (
        "{% macro m() %}{% for i in range(10000) %}{{ 'x' * 1000 }}{% endfor %}{% endmacro %}"
        "{{ m()|length }}",
        "output",
    ),
]


@pytest.mark.parametrize(("source", "limit"), BOMBS)
def test_template_past_its_budget_is_stopped_with_the_limit(
    order: OrderDocumentData, source: str, limit: str
) -> None:
    context = build_context(order, TODAY)
    budget = printforms.Budget(max_seconds=60)  # the limit under test stops it, not the clock
    started = time.monotonic()
    with pytest.raises(TemplateRenderError) as caught:
        render_template(source, context, budget)
    assert getattr(caught.value, "limit", None) == limit, caught.value
    assert time.monotonic() - started < 8


def test_the_limit_is_reported_with_its_line(order: OrderDocumentData) -> None:
    context = build_context(order, TODAY)
    with pytest.raises(TemplateRenderError) as caught:
        render_template("<p>\n{{ order.number }}\n{{ 'x'|center(100000000) }}</p>", context)
    assert caught.value.line == 3
    assert "строка 3" in str(caught.value)


def test_wall_time_stops_a_template_of_many_cheap_steps(order: OrderDocumentData) -> None:
    source = MILLION_X + (
        "{% for i in range(100000) %}{% if s|replace('x', 'y') %}{% endif %}{% endfor %}"
    )
    budget = printforms.Budget(max_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(TemplateRenderError) as caught:
        render_html("receipt", order, source, TODAY, budget=budget)
    assert getattr(caught.value, "limit", None) == "time"
    assert time.monotonic() - started < 2


def test_markup_too_deep_for_the_pdf_is_a_render_error(order: OrderDocumentData) -> None:
    with pytest.raises(TemplateRenderError):
        printforms.render("receipt", order, "pdf", "{% for i in range(600) %}<div>{% endfor %}")


@pytest.mark.parametrize("source", ["{{ 1 / 0 }}", "{{ 1.5 ** 100000 }}", "{{ 10 // 0 }}"])
def test_python_errors_in_a_template_are_render_errors(
    order: OrderDocumentData, source: str
) -> None:
    with pytest.raises(TemplateRenderError):
        render_template(source, build_context(order, TODAY))


def test_work_within_the_budget_renders(order: OrderDocumentData) -> None:
    context = build_context(order, TODAY)
    source = (
        "{{ '-' * 3 }}{{ 2 ** 10 }}{{ range(100000)|length }}{{ '%05d' % 42 }}"
        "{{ 'ab'|center(6) }}|{{ lines|map(attribute='name')|join(', ')|length > 10 }}"
        "{% macro deep(n) %}{% if n %}{{ deep(n - 1) }}{% else %}!{% endif %}{% endmacro %}"
        "{{ deep(40) }}{% for a in range(300) %}{% for b in range(300) %}{% endfor %}{% endfor %}"
    )
    assert render_template(source, context) == "---102410000000042  ab  |True!"


@pytest.mark.parametrize(
    "source",
    [
        "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
        "{{ " + "[" * 3000 + "]" * 3000 + " }}",
        "{% if order.number %}" * 3000 + "x" + "{% endif %}" * 3000,
        "{{ " + "9" * 5000 + " }}",
    ],
)
def test_too_complex_source_is_a_problem_not_a_crash(source: str) -> None:
    [problem] = check_template(source)
    assert problem.line == 1
