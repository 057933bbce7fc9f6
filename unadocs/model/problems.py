"""Validation errors in the words of unadocs: pydantic's errors as :class:`~unadocs.errors.Problem` s.

A spec is checked twice: its structure by pydantic, then its cross-field
rules (:mod:`unadocs.model.rules`). When a section is malformed pydantic
stops before the rules, so :func:`spec_problems` also runs every rule whose
sections are intact: a user sees every error in one pass. The messages are
the same whether the spec came from a YAML file (:mod:`unadocs.load`, which
adds the line of each) or from code (``Consortium.model_validate``).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from unadocs.errors import Location, Problem, SpecError

__all__ = ["spec_problems"]


def spec_problems(spec: Any, data: Mapping[str, Any], exc: ValidationError) -> list[Problem]:
    """Every problem of a spec whose structure pydantic refused: its errors, then the rules that can still run.

    ``spec`` is the model class of the whole spec (:class:`~unadocs.model.Consortium`).
    """
    problems = [_problem(spec, err) for err in exc.errors(include_url=False)]
    problems += _cross_field_problems(spec, data, exc)
    return list(dict.fromkeys(problems))


def _cross_field_problems(spec: Any, data: Mapping[str, Any], exc: ValidationError) -> list[Problem]:
    """The cross-field rules that can still run when some sections are broken.

    Validation stops before the model's cross-field rules when any section
    is malformed. So that a user sees every error in one pass, we validate
    the intact sections on their own and run each rule whose sections are
    all intact.
    """
    from pydantic import TypeAdapter

    from unadocs.model.rules import problems

    broken = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
    if any(not err["loc"] for err in exc.errors()):
        return []  # the document as a whole is wrong; nothing more to say
    sections: dict[str, Any] = {}
    for name, field in spec.model_fields.items():
        if name in broken:
            continue
        if name not in data:
            if field.is_required():
                continue
            sections[name] = field.get_default(call_default_factory=True)
            continue
        adapter: TypeAdapter[Any] = TypeAdapter(field.annotation if field.annotation is not None else Any)
        try:
            sections[name] = adapter.validate_python(data[name])
        except (ValidationError, SpecError):
            continue
    return list(problems(spec.model_construct(**sections), sections))


def _clean_loc(loc: tuple[int | str, ...]) -> Location:
    # pydantic adds markers such as "[key]" for dict keys and validator names in unions.
    return tuple(part for part in loc if not (isinstance(part, str) and (part == "[key]" or "[" in part)))


def _problem(spec: Any, err: ErrorDetails) -> Problem:
    loc = _clean_loc(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return Problem(loc, _unknown_key_message(spec, loc))
    if kind == "missing":
        if len(loc) >= 3 and loc[0] == "partners" and loc[-1] in ("name", "country"):
            return Problem(loc, f"required: a partner without `member:` must give its {loc[-1]}")
        return Problem(loc, "required field is missing")
    if kind == "unknown_member":
        return Problem((*loc, "member"), err["msg"])
    return Problem(loc, err["msg"])


def _model_at(spec: Any, loc: Location) -> type[BaseModel] | None:
    """The model class whose fields are expected at a path of the spec."""
    current: Any = spec
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        current = _inner_model(current)  # list indexes are transparent: list[Course] -> Course
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None:
        return annotation
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in args:
            found = _inner_model(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    if origin in (list, tuple, set, frozenset):
        return _inner_model(args[0]) if args else None
    if origin is dict:
        return _inner_model(args[1]) if len(args) == 2 else None
    return None


def _unknown_key_message(spec: Any, loc: Location) -> str:
    key = str(loc[-1])
    parent = loc[:-1]
    model = _model_at(spec, parent)
    allowed = list(model.model_fields) if model is not None else []
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r}; did you mean {close[0]!r}?"
    if allowed:
        return f"unknown key {key!r}; expected one of: {', '.join(allowed)}"
    return f"unknown key {key!r}"
