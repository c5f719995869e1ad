"""The sandboxed Jinja2 environment every print template (built-in or user-edited) runs in.

Two gates: `validate.py` refuses a template on save (syntax, unknown variables, attribute
escapes); at render time this environment allows no Python attribute access at all — templates
only read keys of the plain dicts built by `context.py` — and undefined names raise.

Every render also runs within a Budget (`budget.py`): operators, calls, filters, loop passes,
`~` and every output buffer go through hooks that size the work before doing it and watch the
clock, so a template cannot exhaust memory or hold a thread past its wall time.
"""

from __future__ import annotations

import sys
import types
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment

from printforms.budget import (
    DEFAULT_BUDGET,
    Budget,
    Metered,
    TemplateBudgetExceeded,
    TemplateRenderError,
    check_text,
    check_weight,
    meter,
    start,
    stop,
    weight,
)
from printforms.guarded import BINOPS, binop, budget_range, guarded_filters

__all__ = ["TemplateBudgetExceeded", "TemplateRenderError", "render_template"]

LOOP_ATTRIBUTES = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    }
)
TEMPLATE_FILE = "<template>"


def metered_iterable(node: nodes.Node) -> nodes.Expr:
    """`environment.metered(<iterable>)` as a syntax node (Jinja allows no custom node types)."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.EnvironmentAttribute):
        return node  # already wrapped
    return nodes.Call(
        nodes.EnvironmentAttribute("metered", lineno=node.lineno), [node], [], None, None,
        lineno=node.lineno,
    )  # fmt: skip


class BudgetCodeGenerator(CodeGenerator):
    """Jinja's code generator with loop iterables and `~` routed through the environment."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.iter = metered_iterable(node.iter)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = repr(bool(frame.eval_ctx.autoescape))
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


def _finalize(value: Any) -> Any:
    """Every `{{ … }}` value: its text must fit the budget."""
    current = meter()
    current.tick()
    check_weight(value, current.budget)
    return value


def _bounded_join(parts: Any) -> str:
    """Every output buffer (the document, a macro's body, a `set` block), up to max_output."""
    current = meter()
    limit = current.budget.max_output
    chunks: list[str] = []
    total = 0
    for part in parts:
        total += len(part)
        if total > limit:
            raise TemplateBudgetExceeded("output", limit)
        chunks.append(part)
    current.tick()
    return "".join(chunks)


class DocumentEnvironment(SandboxedEnvironment):
    """Sandbox that exposes dict items only, plus the `loop` helpers inside for-loops."""

    code_generator_class = BudgetCodeGenerator
    intercepted_binops = frozenset(BINOPS)
    concat = staticmethod(_bounded_join)  # type: ignore[assignment]

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=_finalize, **options)
        self.globals.clear()  # no lipsum, cycler, joiner, namespace or dict: only range
        self.globals["range"] = budget_range
        self.filters.update(guarded_filters())

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Deny every Python attribute except the loop helpers."""
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse `'x' * 10**9` and `(10 ** 64) ** 64 ** 64` before computing them."""
        return binop(operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Macro calls and recursive loop levels count as loop passes and nest max_depth deep."""
        current = meter()
        current.tick()
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (Metered(args[0]), *args[1:])
        if not isinstance(__obj, Macro | LoopContext):
            return super().call(__context, __obj, *args, **kwargs)
        current.step()
        current.depth += 1
        try:
            if current.depth > current.budget.max_depth:
                raise TemplateBudgetExceeded("depth", current.budget.max_depth)
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            current.depth -= 1

    @staticmethod
    def metered(iterable: Any) -> Metered:
        """A for-loop's iterable, every pass counted."""
        return Metered(iterable)

    @staticmethod
    def checked_concat(parts: tuple[Any, ...], markup: bool) -> str:
        """`a ~ b`: the joined text must fit the budget before it is built."""
        current = meter()
        current.tick()
        budget = current.budget
        size = 0
        for part in parts:
            size += weight(part, budget.max_text)
            check_text(size, budget)
        return markup_join(parts) if markup else str_join(parts)


def make_environment(autoescape: bool = True) -> DocumentEnvironment:
    """A fresh sandbox: HTML autoescape (off for plain text: mail, SMS, push), strict
    undefined, no loader (no includes)."""
    return DocumentEnvironment(
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


ENVIRONMENT = make_environment()
TEXT_ENVIRONMENT = make_environment(autoescape=False)


@lru_cache(maxsize=64)
def compile_template(source: str) -> jinja2.Template:
    """Compile template source once; rendering a compiled template is thread-safe."""
    return ENVIRONMENT.from_string(source)


@lru_cache(maxsize=64)
def compile_text_template(source: str) -> jinja2.Template:
    """The same for plain text: nothing escaped."""
    return TEXT_ENVIRONMENT.from_string(source)


def template_line(error: BaseException) -> int | None:
    """The template line an error was raised on (Jinja rewrites tracebacks to template lines)."""
    line = None
    trace: types.TracebackType | None = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == TEMPLATE_FILE:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def render_template(
    source: str, context: dict[str, Any], budget: Budget = DEFAULT_BUDGET, *, text: bool = False
) -> str:
    """Render template source with a document context within a budget; `text`: plain text,
    nothing HTML-escaped.

    Every failure becomes TemplateRenderError (TemplateBudgetExceeded past a limit), with the
    template line where it is known.
    """
    try:
        template = compile_text_template(source) if text else compile_template(source)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateRenderError(error.message or str(error), error.lineno) from error
    token = start(budget)
    try:
        return template.render(context)
    except TemplateBudgetExceeded as error:
        raise TemplateBudgetExceeded(error.limit, error.maximum, template_line(error)) from None
    except jinja2.TemplateError as error:
        raise TemplateRenderError(error.message or str(error), template_line(error)) from error
    except RecursionError:
        limit = sys.getrecursionlimit()
        raise TemplateRenderError(f"вложенность глубже {limit} уровней") from None
    except MemoryError:
        raise TemplateRenderError("не хватило памяти") from None
    except Exception as error:  # 1 / 0, an overflow, a type mismatch in the template's math
        reason = str(error) or type(error).__name__
        raise TemplateRenderError(reason, template_line(error)) from error
    finally:
        stop(token)
