"""Template sandbox: escapes, unknown variables and syntax errors are refused with their line."""

from __future__ import annotations

import pytest

from printforms import (
    DOCUMENT_KINDS,
    OrderDocumentData,
    TemplateRenderError,
    TemplateValidationError,
    check_template,
    default_template,
    render_html,
    validate_template,
)
from printforms.context import build_context
from printforms.sandbox import render_template
from tests.printforms.conftest import TODAY


def problems(source: str) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in check_template(source)]


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ().__class__.__mro__ }}",
        "{{ ().__class__.__mro__[1].__subclasses__() }}",
        "{{ order.__dict__ }}",
        "{{ order['__class__'] }}",
        "{{ lines[0].__class__ }}",
        "{{ qr_svg.__html__ }}",
        "{% for line in lines %}{{ line.__class__ }}{% endfor %}",
        "{{ order.number|attr('__class__') }}",
        "{{ order.number.upper() }}",
        "{% set x = order.number %}{{ x.__len__() }}",
        "{{ loop.__class__ }}",
    ],
)
def test_attribute_escapes_are_refused(source: str) -> None:
    with pytest.raises(TemplateValidationError) as refused:
        validate_template(source)
    assert refused.value.problems
    assert all(p.line == 1 for p in refused.value.problems)


@pytest.mark.parametrize(
    "source",
    [
        "{{ self }}",
        "{{ cycler }}",
        "{{ lipsum() }}",
        "{{ config }}",
        "{{ request }}",
        "{{ order.secret }}",
        "{{ center.bank.swift }}",
        "{% for line in lines %}{{ line.cost }}{% endfor %}",
    ],
)
def test_unknown_variables_are_refused(source: str) -> None:
    assert problems(source) == [(1, "unknown-variable")]


def test_unknown_variable_reports_its_line_and_name() -> None:
    source = "<p>{{ order.number }}</p>\n<p>{{ client.name }}</p>\n<p>{{ client.passport }}</p>\n"
    with pytest.raises(TemplateValidationError) as refused:
        validate_template(source)
    [problem] = refused.value.problems
    assert problem.line == 3
    assert problem.code == "unknown-variable"
    assert "client.passport" in problem.reason
    assert str(refused.value) == "строка 3: неизвестная переменная «client.passport»"


def test_every_problem_is_listed_in_line_order() -> None:
    source = "{{ a }}\n{{ order.number }}\n{{ ''.__class__ }}\n{{ b.c }}"
    assert problems(source) == [
        (1, "unknown-variable"),
        (3, "forbidden-attribute"),
        (4, "unknown-variable"),
    ]


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("<p>\n{% if order.number %}\n<b>x</b>\n", 3),  # unclosed block: at the last line
        ("line one\n{{ order.number }\n", 2),
        ("a\nb\n{% for %}\n", 3),
        ("{{ order.number }}\n{% endif %}", 2),
    ],
)
def test_syntax_errors_are_refused_with_line(source: str, line: int) -> None:
    [problem] = check_template(source)
    assert problem.code == "syntax"
    assert problem.line == line
    assert problem.reason.startswith("синтаксическая ошибка")


def test_unknown_filter_is_refused_with_line() -> None:
    [problem] = check_template("ok\n{{ order.number|shell }}")
    assert (problem.line, problem.code) == (2, "syntax")
    assert "shell" in problem.reason


@pytest.mark.parametrize("tag", ["{% include 'x' %}", "{% extends 'x' %}", "{% import 'x' as y %}"])
def test_including_other_templates_is_refused(tag: str) -> None:
    assert problems(tag) == [(1, "forbidden-tag")]


def test_documented_variables_loops_macros_and_filters_pass() -> None:
    source = """
    {% macro row(label, value) %}<tr><td>{{ label }}</td><td>{{ value }}</td></tr>{% endmacro %}
    {{ row("Номер", order.number) }}
    {% for line in lines if line.warranty_days > 0 %}
      {{ loop.index }}. {{ line.name|upper }} {{ line.total }}{% if not loop.last %};{% endif %}
    {% else %}нет строк{% endfor %}
    {% set bank = center.bank %}{{ bank.bik }} {{ lines[0].name }} {{ order["number"] }}
    {{ lines|map(attribute="total")|join(", ") }} {{ totals.count * 2 }} {{ qr_svg }}
    {% with c = client %}{{ c.short_name }}{% endwith %}
    """
    assert check_template(source) == []


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_builtin_templates_pass_the_validator(kind: str) -> None:
    validate_template(default_template(kind))


def test_render_refuses_an_invalid_custom_template(order: OrderDocumentData) -> None:
    with pytest.raises(TemplateValidationError):
        render_html("receipt", order, template_html="{{ ''.__class__.__mro__ }}")


def test_custom_template_renders_with_autoescape(order: OrderDocumentData) -> None:
    html = render_html("receipt", order, "<p>{{ order.number }} {{ client.name }}</p>", TODAY)
    assert html == "<p>A-000123 Иванов Иван Иванович</p>"


def test_runtime_sandbox_blocks_escapes_that_skip_the_validator(order: OrderDocumentData) -> None:
    context = build_context(order, TODAY)
    for source in ["{{ ''.__class__ }}", "{{ order.number.upper() }}", "{{ order.items() }}"]:
        with pytest.raises(TemplateRenderError):
            render_template(source, context)
    with pytest.raises(TemplateRenderError):
        render_template("{{ nothing_here }}", context)  # strict undefined


def test_runtime_sandbox_limits_huge_repetition_and_powers(order: OrderDocumentData) -> None:
    context = build_context(order, TODAY)
    with pytest.raises(TemplateRenderError):
        render_template("{{ 'x' * 100000000 }}", context)
    with pytest.raises(TemplateRenderError):
        render_template("{{ lines * 100000000 }}", context)
    with pytest.raises(TemplateRenderError):
        render_template("{{ 2 ** 100000000 }}", context)
    assert render_template("{{ '-' * 3 }}{{ 2 ** 10 }}", context) == "---1024"


def test_client_text_is_html_escaped(order: OrderDocumentData) -> None:
    import msgspec

    from printforms import Client

    evil = msgspec.structs.replace(order, client=Client(name="<script>alert(1)</script>"))
    html = render_html("receipt", evil, today=TODAY)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_syntax_reasons_are_in_russian() -> None:
    [unclosed] = check_template("<p>\n{% if order.number %}\n")
    assert unclosed.reason == "синтаксическая ошибка: шаблон закончился, а блок «if» не закрыт"
    [brace] = check_template("{{ order.number }")
    assert brace.reason == "синтаксическая ошибка: лишний символ «}»"
