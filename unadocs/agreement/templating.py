"""Jinja2 for clause files: a sandbox, strict undefined names, literal user data.

User data never becomes markup: every ``{{ value }}`` is swapped for a
private-use placeholder while the clause markup is parsed, and put back as
plain text afterwards (see :func:`protect` and
:func:`unadocs.agreement.markup.parse_blocks`). So a partner named
``**A** & [[ref:x]] {{ y }}`` reads exactly so in the agreement.

Errors in a clause (a missing field, a syntax error, an empty value) raise
:class:`~unadocs.errors.TemplateError` naming the clause file and line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

import unadocs.agreement.formatting as formatting
from unadocs.agreement.library import ClauseFile
from unadocs.errors import TemplateError
from unadocs.model.base import decimal_text

__all__ = ["Inline", "render_clause", "evaluate_condition", "explain_condition", "reference", "LITERAL_OPEN",
           "LITERAL_CLOSE", "ABOUT"]

LITERAL_OPEN = "\ue000"
LITERAL_CLOSE = "\ue001"
#: Separates a reference's target from what it cites, inside the reference marker.
ABOUT = "\ue002"

_literals: ContextVar[list[str] | None] = ContextVar("unadocs_clause_literals", default=None)


class Inline(str):
    """Clause markup produced by a helper (``ref``, ``num``): passes into the body as markup."""


def reference(kind: str, target: str, about: str | None = None) -> Inline:
    """The marker of ``ref("target", "what it cites")`` (kind ``ref``) or ``num(...)`` (kind ``num``)."""
    if not isinstance(target, str) or not isinstance(about, str | None):
        raise ValueError(f"{kind}() takes the id or label cited and, as text, what it cites")
    if about is None:
        return Inline(f"[[{kind}:{target}]]")
    about = " ".join(about.split())
    if not about or any(c in about for c in "|]*" + ABOUT):
        raise ValueError(f"{kind}({target!r}, ...): say what is cited in plain words, without '|', ']' or '*'")
    return Inline(f"[[{kind}:{target}{ABOUT}{about}]]")


class _EmptyValue(Exception):
    """A clause printed ``None``: the spec leaves the field empty but the clause needs it."""


def protect(value: Any) -> str:
    """Jinja2 ``finalize``: markup from helpers stays; every other value becomes a literal placeholder."""
    if isinstance(value, Inline):
        return str(value)
    if value is None:
        raise _EmptyValue("the clause prints a field that the spec leaves empty (None)")
    store = _literals.get()
    text = formatting.plain(value)
    if store is None:  # rendering outside a clause (conditions): no markup to protect against
        return text
    store.append(text)
    return f"{LITERAL_OPEN}{len(store) - 1}{LITERAL_CLOSE}"


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, finalize=protect, trim_blocks=False, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({
        "long_date": formatting.long_date,
        "money": formatting.money,
        "percent": formatting.percent,
        "join_and": formatting.join_and,
        "in_words": formatting.in_words,
        "country": formatting.country,
        "language": formatting.language,
        "words": formatting.words,
        "indefinite": formatting.indefinite,
    })
    return env


ENV = _environment()


@lru_cache(maxsize=1024)
def _compile(source: str, name: str, filename: str) -> Template:
    code = ENV.compile(source, name=name, filename=filename)
    return ENV.template_class.from_code(ENV, code, ENV.make_globals(None), None)


def _line_in(exc: BaseException, filename: str) -> int | None:
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def _clause_error(clause: ClauseFile, exc: BaseException, line: int | None = None) -> TemplateError:
    line = line if line is not None else _line_in(exc, str(clause.path))
    where = f"{clause.path.name}, line {line}" if line else clause.path.name
    message = getattr(exc, "message", None) or str(exc)
    return TemplateError(f"clause file {where}: {message}")


@contextmanager
def _collecting() -> Iterator[list[str]]:
    store: list[str] = []
    token = _literals.set(store)
    try:
        yield store
    finally:
        _literals.reset(token)


def render_clause(clause: ClauseFile, context: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Render a clause body to markup; return it with the literal values its placeholders stand for."""
    try:
        template = _compile(clause.source, clause.id, str(clause.path))
        with _collecting() as literals:
            text = template.render(context)
    except (JinjaError, _EmptyValue, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise _clause_error(clause, exc) from None
    return text, literals


@lru_cache(maxsize=1024)
def _compile_expression(expression: str) -> Callable[..., Any]:
    return ENV.compile_expression(expression, undefined_to_none=False)


def evaluate_condition(clause: ClauseFile, context: Mapping[str, Any]) -> bool:
    """Whether the clause's condition holds (a clause without one always applies)."""
    if clause.condition is None:
        return True
    try:
        return bool(_compile_expression(clause.condition)(**context))
    except (JinjaError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise _clause_error(clause, exc, clause.condition_line) from None


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _dotted(node.node)
        return f"{inner}.{node.attr}" if inner else None
    return None


@lru_cache(maxsize=1024)
def _tested_paths(condition: str) -> tuple[str, ...]:
    """The dotted names a condition tests (``finance.model``), outermost only."""
    tree = ENV.parse("{{ (" + condition + ") }}")
    paths: list[str] = []
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        path = _dotted(node)
        if path and "." in path and path not in paths:
            paths.append(path)
    return tuple(p for p in paths if not any(q.startswith(p + ".") for q in paths))


def explain_condition(clause: ClauseFile, context: Mapping[str, Any]) -> str:
    """The condition with the values it tested, as the spec writes them, when the condition does not already say
    them: ``finance.collecting_partner (finance.collecting_partner: UH)``, but ``finance.model == "centralised"``."""
    if clause.condition is None:
        return "always applies"
    values = []
    for path in _tested_paths(clause.condition):
        try:
            value = _compile_expression(path)(**context)
        except JinjaError:
            continue
        written = _as_written(value)
        if re.search(rf"{re.escape(path)}\s*==\s*[\"']{re.escape(written)}[\"']", clause.condition):
            continue  # the condition names the value it held with
        values.append(f"{path}: {written}")
    shown = f" ({'; '.join(values)})" if values else ""
    return f"{clause.condition}{shown}"


def _as_written(value: Any) -> str:
    """A spec value as a YAML spec writes it (``true``, ``centralised``, ``{UH: 50, UNIBO: 25}``)."""
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_as_written(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_as_written(item) for item in value) + "]"
    return str(value)
