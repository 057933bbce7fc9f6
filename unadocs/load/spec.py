"""Reading a consortium spec from YAML, with every problem mapped to its line.

This is the only place that reads spec files. It turns YAML errors,
pydantic validation errors and the model's own rule violations into one
:class:`~unadocs.errors.SpecError` whose problems carry the field path and
the YAML line, so that a user can fix every problem in one pass.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from unadocs.errors import Location, Problem, SpecError
from unadocs.model import Consortium

__all__ = ["load_spec", "parse_spec", "read_yaml"]

#: Lines of the nodes of a YAML document, by path.
LineMap = dict[Location, int]


class _SpecLoader(yaml.SafeLoader):
    """YAML 1.1 safe loading, except that only true/false are booleans.

    YAML 1.1 reads ``NO`` (Norway) and ``on`` as booleans, which would turn a
    country code into ``False``; YAML 1.2 fixed that, and so do we.
    """


_SpecLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError for a date-shaped value that is no date (2025-02-30).
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark) from None


_SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # Python refuses to read an integer of more than 4,300 digits (a guard against slow conversions).
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of {len(node.value)} digits is not a value any field takes", node.start_mark
        ) from None


_SpecLoader.add_constructor("tag:yaml.org,2002:int", _int)

#: A real spec is under 100 kB; a larger file is refused before it is parsed.
MAX_SPEC_BYTES = 1024 * 1024
#: Sections, lists and mappings nest a few levels deep; 50 is far beyond any spec.
MAX_DEPTH = 50
#: Nodes (values, lists, mappings) of a spec; the reference spec has about 600.
MAX_NODES = 100_000


def _line(event: yaml.Event) -> int | None:
    return event.start_mark.line + 1 if event.start_mark is not None else None


def _check_shape(text: str, source: str | None) -> None:
    """Refuse YAML nested too deeply or with too many nodes, reading its events without building anything.

    PyYAML's parser is iterative, its composer recursive: 500 nested ``[``
    would exhaust Python's stack there. Aliases are counted once per use, so
    that a "billion laughs" document is refused before it is expanded.
    """
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_SpecLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SpecError([Problem((), f"the spec nests more than {MAX_DEPTH} levels deep",
                                             _line(event))], source)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, (yaml.NodeEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise SpecError([Problem((), f"the spec has more than {MAX_NODES} values; a spec has "
                                             "hundreds", _line(event))], source)
    except yaml.YAMLError:
        return  # a syntax error: read_yaml reports it with its line


def _walk(node: yaml.Node, path: Location, lines: LineMap, problems: list[Problem],
          walked: set[int] | None = None) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    # An alias shares its anchor's node; walk each node once, so that a
    # recursive alias (a: &x [*x]) cannot recurse without end.
    walked = set() if walked is None else walked
    if id(node) in walked:
        return
    walked.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                problems.append(Problem((*path, key), f"duplicate key {key!r} (first given on line "
                                        f"{first_seen[key]}): only one value can count", line))
            first_seen[key] = line
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, problems, walked)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines, problems, walked)


def read_yaml(text: str, source: str | None = None) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data and the line of every node (depth and size bounded first)."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError([Problem((), f"the spec is larger than {MAX_SPEC_BYTES // 1024} kB; a spec is under 100 kB")],
                        source)
    _check_shape(text, source)
    try:
        root = yaml.compose(text, Loader=_SpecLoader)
        data = yaml.load(text, Loader=_SpecLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        kind = "invalid value" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
        raise SpecError([Problem((), f"{kind}: {what}", line)], source) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem((), f"YAML error: {exc}")], source) from None
    lines: LineMap = {}
    problems: list[Problem] = []
    if root is not None:
        _walk(root, (), lines, problems)
    if problems:
        raise SpecError(problems, source)
    return data, lines


def _read_file(path: Path) -> str:
    source = str(path)
    if not path.exists():
        raise SpecError([Problem((), "no such file")], source)
    if path.is_dir():
        raise SpecError([Problem((), "is a directory, not a spec file")], source)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise SpecError([Problem((), f"cannot read: {exc.strerror}")], source) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError([Problem((), f"larger than {MAX_SPEC_BYTES // 1024} kB: not a spec (a spec is under "
                                 "100 kB)")], source)
    if b"\x00" in raw:
        raise SpecError([Problem((), "is a binary file, not a YAML spec")], source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError([Problem((), "is not UTF-8 text; save it as UTF-8", line)], source) from None


def load_spec(spec: str | os.PathLike[str] | Mapping[str, Any]) -> Consortium:
    """Load and validate a consortium spec.

    ``spec`` is a path to a YAML file, YAML text (any string with a line
    break), or an already parsed mapping. Raises :class:`SpecError` listing
    every problem found, each with its field path and, for YAML, its line.
    """
    if isinstance(spec, Mapping):
        return _validate(spec, {}, None)
    if isinstance(spec, str) and "\n" in spec:
        return parse_spec(spec)
    path = Path(spec)
    return parse_spec(_read_file(path), source=str(path))


def parse_spec(text: str, source: str | None = None) -> Consortium:
    """Validate a spec given as YAML text."""
    data, lines = read_yaml(text, source)
    if data is None:
        raise SpecError([Problem((), "the spec is empty")], source)
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise SpecError([Problem((), f"the spec must be a mapping of sections (agreement:, credential:, ...), "
                                 f"not {kind}", 1)], source)
    return _validate(data, lines, source)


def _validate(data: Mapping[str, Any], lines: LineMap, source: str | None) -> Consortium:
    try:
        consortium = Consortium.model_validate(dict(data))
    except SpecError as exc:  # structure and cross-field rules, in the model's words; here with their lines
        found = [_with_line(p, lines) for p in exc.problems]
        raise SpecError(sorted(found, key=lambda p: (p.line is None, p.line or 0)), source) from None
    consortium._source_lines = lines
    return consortium


def _with_line(problem: Problem, lines: LineMap) -> Problem:
    loc = problem.loc
    while loc not in lines and loc:
        loc = loc[:-1]
    return Problem(problem.loc, problem.message, lines.get(loc) if loc else problem.line)
