"""Refuse a print template on save: syntax errors, unknown variables, attribute escapes.

The check is static (on the Jinja2 syntax tree), so it needs no order data and reports every
problem with its line. Only the paths documented in `variables.py` may be read; loop variables
are tracked, so `{% for line in lines %}{{ line.name }}` checks `lines[].name`.
"""

from __future__ import annotations

import re

import jinja2
import msgspec
from jinja2 import nodes

from printforms.sandbox import ENVIRONMENT, LOOP_ATTRIBUTES, compile_template
from printforms.variables import allowed_paths

BUILTIN_NAMES = frozenset({"range"})
FORBIDDEN_FILTERS = frozenset({"attr"})
LOOP = "loop"
OPAQUE = ""  # a local name with no documented path (a macro argument, a computed `set`)


class TemplateProblem(msgspec.Struct, frozen=True):
    """One reason a template is refused, with the line it is on."""

    line: int
    reason: str
    code: str
    """Machine-readable kind: syntax, unknown-variable, forbidden-attribute, forbidden-tag,
    too-complex."""


class TemplateValidationError(ValueError):
    """A template was refused; `problems` lists every reason with its line."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"строка {p.line}: {p.reason}" for p in problems))


Scope = dict[str, str]
TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "конец шаблона",
}
MESSAGES = [
    (r"unexpected '(.+)'", "лишний символ «{0}»"),
    (
        r"Unexpected end of template\..*innermost block that needs to be closed is '(\w+)'",
        "шаблон закончился, а блок «{0}» не закрыт",
    ),
    (
        r"Encountered unknown tag '(\w+)'\..*innermost block that needs to be closed is '(\w+)'",
        "неожиданный тег «{0}»: сначала закройте блок «{1}»",
    ),
    (r"Encountered unknown tag '(\w+)'", "неизвестный тег «{0}»"),
    (r"No filter named '(.+)'", "неизвестный фильтр «{0}»"),
    (r"No test named '(.+)'", "неизвестная проверка «{0}»"),
    (r"Expected an expression, got '(.+)'", "ожидалось выражение, а найдено «{0}»"),
    (r"expected token '(.+)', got '(.+)'", "ожидалось «{0}», а найдено «{1}»"),
]


def translate(message: str) -> str:
    """Jinja's English syntax message in Russian for the template editor (else unchanged)."""
    for pattern, russian in MESSAGES:
        match = re.search(pattern, message, flags=re.S)
        if match:
            return russian.format(*(TOKENS.get(g, g) for g in match.groups()))
    return message


def _show(name: str, parts: list[str]) -> str:
    """A chain as the author wrote it, roughly: `lines[].name`."""
    return name + "".join(part if part == "[]" else f".{part}" for part in parts)


class _Checker:
    """Walks a template's syntax tree and collects problems."""

    def __init__(self, allowed: frozenset[str]) -> None:
        # `lines[].name` documents the list item `lines[]` too
        self.allowed = allowed | {p.rsplit("[]", 1)[0] + "[]" for p in allowed if "[]" in p}
        self.problems: list[TemplateProblem] = []

    def problem(self, node: nodes.Node, reason: str, code: str) -> None:
        self.problems.append(TemplateProblem(line=node.lineno, reason=reason, code=code))

    def chain(self, node: nodes.Node) -> tuple[nodes.Name, list[str]] | None:
        """`a.b['c'][0]` as (Name a, ['b', 'c', '[]']), or None when not rooted at a name."""
        parts: list[str] = []
        while True:
            if isinstance(node, nodes.Getattr):
                parts.append(node.attr)
                node = node.node
            elif isinstance(node, nodes.Getitem):
                arg = node.arg
                if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                    parts.append(arg.value)
                elif isinstance(arg, nodes.Slice):
                    return None
                else:
                    parts.append("[]")
                node = node.node
            elif isinstance(node, nodes.Name):
                return node, parts[::-1]
            else:
                return None

    def path_of(self, node: nodes.Node, scope: Scope) -> str | None:
        """The documented path an expression reads, or None (reporting why) if it may not."""
        found = self.chain(node)
        if found is None:
            return None
        name, parts = found
        if name.name in scope:
            base = scope[name.name]
        elif name.name in self.allowed or name.name in BUILTIN_NAMES:
            base = name.name
        else:
            self.problem(name, f"неизвестная переменная «{name.name}»", "unknown-variable")
            return None
        if base == LOOP:
            if parts and parts[0] not in LOOP_ATTRIBUTES:
                self.problem(node, f"у loop нет атрибута «{parts[0]}»", "forbidden-attribute")
            return LOOP
        path = base
        for part in parts:
            if part.startswith("_") or not base:
                shown = _show(name.name, parts)
                self.problem(
                    node,
                    f"обращение «{shown}» запрещено: доступны только документированные переменные",
                    "forbidden-attribute",
                )
                return None
            path = f"{path}{part}" if part == "[]" else f"{path}.{part}"
            if path not in self.allowed:
                shown = _show(name.name, parts)
                self.problem(node, f"неизвестная переменная «{shown}»", "unknown-variable")
                return None
        return path

    def visit(self, node: nodes.Node, scope: Scope) -> None:
        """Check a node and its children within a scope of local names."""
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is not None:
            method(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def read(self, node: nodes.Node, scope: Scope) -> str | None:
        """Check an expression; return the documented path it reads, if it is a plain chain."""
        if self.chain(node) is None:
            self.visit(node, scope)
            return None
        path = self.path_of(node, scope)
        for index in self.index_expressions(node):
            self.visit(index, scope)
        return path

    def visit_expression_chain(self, node: nodes.Expr, scope: Scope) -> None:
        if self.chain(node) is not None:
            self.read(node, scope)
            return
        attr = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = str(node.arg.value)
        if attr is not None:
            self.problem(
                node,
                f"обращение к атрибуту «{attr}» запрещено: доступны только документированные "
                "переменные",
                "forbidden-attribute",
            )
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def index_expressions(self, node: nodes.Node) -> list[nodes.Node]:
        found: list[nodes.Node] = []
        while isinstance(node, nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                found.append(node.arg)
            node = node.node
        return found

    visit_Getattr = visit_expression_chain
    visit_Getitem = visit_expression_chain

    def visit_Name(self, node: nodes.Name, scope: Scope) -> None:
        if node.ctx == "load":
            self.path_of(node, scope)

    def visit_For(self, node: nodes.For, scope: Scope) -> None:
        item = self.read(node.iter, scope)
        inner = dict(scope)
        is_list = item and f"{item}[]" in self.allowed
        self.bind(node.target, inner, f"{item}[]" if is_list else OPAQUE)
        inner[LOOP] = LOOP
        if node.test is not None:
            self.visit(node.test, inner)
        for child in node.body:
            self.visit(child, inner)
        for child in node.else_:
            self.visit(child, scope)

    def visit_Assign(self, node: nodes.Assign, scope: Scope) -> None:
        path = self.read(node.node, scope)
        self.bind(node.target, scope, path or OPAQUE)

    def visit_AssignBlock(self, node: nodes.AssignBlock, scope: Scope) -> None:
        for child in node.body:
            self.visit(child, scope)
        self.bind(node.target, scope, OPAQUE)

    def visit_Macro(self, node: nodes.Macro, scope: Scope) -> None:
        scope[node.name] = OPAQUE
        for default in node.defaults:
            self.visit(default, scope)
        inner = {**scope, "varargs": OPAQUE, "kwargs": OPAQUE, "caller": OPAQUE}
        for arg in node.args:
            self.bind(arg, inner, OPAQUE)
        for child in node.body:
            self.visit(child, inner)

    def visit_CallBlock(self, node: nodes.CallBlock, scope: Scope) -> None:
        self.visit(node.call, scope)
        inner = dict(scope)
        for arg in node.args:
            self.bind(arg, inner, OPAQUE)
        for child in node.body:
            self.visit(child, inner)

    def visit_With(self, node: nodes.With, scope: Scope) -> None:
        inner = dict(scope)
        for target, value in zip(node.targets, node.values, strict=True):
            path = self.read(value, scope)
            self.bind(target, inner, path or OPAQUE)
        for child in node.body:
            self.visit(child, inner)

    def visit_Filter(self, node: nodes.Filter, scope: Scope) -> None:
        if node.name in FORBIDDEN_FILTERS:
            self.problem(node, f"фильтр «{node.name}» запрещён", "forbidden-attribute")
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def refuse_tag(self, node: nodes.Node, scope: Scope) -> None:
        self.problem(node, "подключение других шаблонов запрещено", "forbidden-tag")

    visit_Include = refuse_tag
    visit_Extends = refuse_tag
    visit_Import = refuse_tag
    visit_FromImport = refuse_tag

    def bind(self, target: nodes.Node, scope: Scope, path: str) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = path
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, scope, OPAQUE)


def _syntax(error: jinja2.TemplateSyntaxError) -> list[TemplateProblem]:
    reason = f"синтаксическая ошибка: {translate(error.message or str(error))}"
    return [TemplateProblem(line=error.lineno, reason=reason, code="syntax")]


def _too_complex(error: Exception) -> list[TemplateProblem]:
    """Nesting past Python's recursion limit, a 5000-digit number: refused, not a crash."""
    if isinstance(error, RecursionError):
        reason = "шаблон вложен слишком глубоко: упростите выражения и блоки"
    else:
        reason = f"шаблон не разобрать: {error}"
    return [TemplateProblem(line=1, reason=reason, code="too-complex")]


def check_template(source: str, allowed: frozenset[str] | None = None) -> list[TemplateProblem]:
    """Every problem in a template (empty when it may be saved)."""
    try:
        tree = ENVIRONMENT.parse(source)
        checker = _Checker(allowed if allowed is not None else allowed_paths())
        checker.visit(tree, {})
        if not checker.problems:
            compile_template(source)  # unknown filters and tests surface here (and it is cached)
    except jinja2.TemplateSyntaxError as error:
        return _syntax(error)
    except (RecursionError, ValueError, OverflowError, MemoryError, SyntaxError) as error:
        return _too_complex(error)
    return sorted(checker.problems, key=lambda p: p.line)


def validate_template(source: str, allowed: frozenset[str] | None = None) -> None:
    """Raise TemplateValidationError listing every problem, or return if the template is fine."""
    problems = check_template(source, allowed)
    if problems:
        raise TemplateValidationError(problems)
