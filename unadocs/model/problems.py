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
    """The cross-field rules that can still run on the valid parts of a spec whose structure is broken.

    Validation stops before the cross-field rules when any value is
    malformed. So that a user sees every error in one pass, the spec is
    rebuilt from its valid parts (:func:`_salvage`: a broken value is left out,
    not replaced by a default) and every rule runs on it; a rule that reaches
    a part left out is skipped, so no rule speaks of what it could not see.
    """
    from unadocs.model.rules import partial_problems

    if any(not err["loc"] for err in exc.errors()):
        return []  # the document as a whole is wrong; nothing more to say
    broken = {_clean_loc(err["loc"]) for err in exc.errors()}
    return list(partial_problems(_salvage(spec, data, broken, ())))


def _salvage(model: type[BaseModel], data: Mapping[str, Any], broken: set[Location], at: Location) -> Any:
    """An instance of ``model`` with the fields of ``data`` that validate; broken ones are absent attributes.

    A nested model or a list of models is salvaged in turn, so that one bad
    partner or fee does not hide the others. The instance is built without
    validation (``model_construct``), so its own validators do not run.
    """
    from pydantic import TypeAdapter

    values: dict[str, Any] = {}
    unread: list[str] = []
    for name, field in model.model_fields.items():
        if name not in data:
            continue
        here = (*at, name)
        annotation = field.annotation if field.annotation is not None else Any
        value = data[name]
        if here not in broken:  # a value the user wrote wrong is left out, even when its type alone would pass
            inner = _inner_model(annotation)
            deeper = any(loc[:len(here)] == here for loc in broken)
            if not deeper:
                try:
                    values[name] = TypeAdapter(annotation).validate_python(value)
                    continue
                except (ValidationError, SpecError):
                    pass
            elif isinstance(inner, type) and issubclass(inner, BaseModel):
                if isinstance(value, Mapping) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    values[name] = _salvage(annotation, value, broken, here)
                    continue
                if isinstance(value, list) and typing.get_origin(annotation) is list:
                    values[name] = [_salvage(inner, item, broken, (*here, i)) if isinstance(item, Mapping) else item
                                    for i, item in enumerate(value)]
                    continue
        unread.append(name)
    instance = model.model_construct(**values)
    for name in unread:  # absent, not the default: a rule must not judge a value the user gave but we could not read
        instance.__dict__.pop(name, None)
    for name, field in model.model_fields.items():
        if name not in data and field.is_required():
            instance.__dict__.pop(name, None)
    return instance


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
    return Problem(loc, house_message(err))


#: pydantic's error types in the words of the rest of unadocs, with an example of the right form.
_HOUSE = {
    "decimal_parsing": "is not a number: write digits only, like 6 or 7.5, not {input!r}",
    "decimal_type": "is not a number: write digits only, like 6 or 7.5, not {input!r}",
    "float_parsing": "is not a number: write digits only, like 6 or 7.5, not {input!r}",
    "float_type": "is not a number: write digits only, like 6 or 7.5, not {input!r}",
    "int_parsing": "is not a whole number: write digits only, like 3, not {input!r}",
    "int_type": "is not a whole number: write digits only, like 3, not {input!r}",
    "int_from_float": "is not a whole number: write digits only, like 3, not {input!r}",
    "bool_parsing": "write true or false, not {input!r}",
    "bool_type": "write true or false, not {input!r}",
    "string_type": "must be text, not {input!r}",
    "list_type": "must be a list, one '- item' per line, not {input!r}",
    "tuple_type": "must be a list, one '- item' per line, not {input!r}",
    "dict_type": "must be a mapping of 'key: value' lines, not {input!r}",
    "model_type": "must be a mapping of 'key: value' lines, not {input!r}",
    "model_attributes_type": "must be a mapping of 'key: value' lines, not {input!r}",
    "greater_than": "must be more than {gt}, not {input!r}",
    "greater_than_equal": "must be {ge} or more, not {input!r}",
    "less_than": "must be less than {lt}, not {input!r}",
    "less_than_equal": "must be {le} or less, not {input!r}",
    "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} item(s)",
    "string_too_short": "must not be empty",
    "value_error": "{error}",
}


def house_message(err: ErrorDetails) -> str:
    """A validation error in unadocs' words: what is wrong and an example of the right form."""
    kind = err["type"]
    context = dict(err.get("ctx") or {})
    shown = err.get("input")
    if isinstance(shown, str) and len(shown) > 60:
        shown = shown[:57] + "..."
    if kind == "enum" and "expected" in context:
        choices = [part.strip(" '") for part in str(context["expected"]).replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(err.get("input")), choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"must be one of {', '.join(choices)}, not {shown!r}{hint}"
    template = _HOUSE.get(kind)
    if template is None:
        return err["msg"]
    try:
        return template.format(input=shown, **{k: v for k, v in context.items() if k != "input"})
    except (KeyError, IndexError, ValueError):
        return err["msg"]


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
