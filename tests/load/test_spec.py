"""Reading a spec: every way a file can be unusable gets one clear message.

The property test at the end mutates the reference spec at random and checks
that loading either succeeds or raises SpecError, never anything else.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_SPEC
from tests.spec_problems import load_error
from unadocs import Consortium, SpecError, load_spec, parse_spec
from unadocs.checks import advisories

EXAMPLE_TEXT = EXAMPLE_SPEC.read_text(encoding="utf-8")


def only_problem(error: SpecError) -> tuple[str, int | None]:
    assert len(error.problems) == 1, error
    return error.problems[0].message, error.problems[0].line


# -- files ----------------------------------------------------------------------


def test_missing_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    error = load_error(path)
    assert only_problem(error) == ("no such file", None)
    assert error.source == str(path)
    assert str(error) == f"{path}: no such file"


def test_directory_is_an_error(tmp_path: Path) -> None:
    message, _ = only_problem(load_error(tmp_path))
    assert "is a directory" in message


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    message, _ = only_problem(load_error(path))
    assert "binary file" in message


def test_non_utf8_file_is_an_error_with_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    text = EXAMPLE_TEXT.replace("venue: Brussels", "venue: Bruxelles-Capitale, Région")
    path.write_bytes(text.encode("latin-1"))
    message, line = only_problem(load_error(path))
    assert "not UTF-8" in message
    assert line == EXAMPLE_TEXT.splitlines().index("  venue: Brussels") + 1


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_TEXT.encode("utf-8"))
    assert load_spec(path).credential.title == "Micro-credential in Sustainability"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file_is_an_error(text: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    message, _ = only_problem(load_error(path))
    assert message == "the spec is empty"


def test_top_level_list_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- agreement: {}\n- credential: {}\n", encoding="utf-8")
    message, line = only_problem(load_error(path))
    assert "must be a mapping of sections" in message and "not a list" in message
    assert line == 1


def test_top_level_scalar_is_an_error() -> None:
    message, _ = only_problem(load_error("just words\n"))
    assert "must be a mapping" in message and "single str value" in message


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    lines = EXAMPLE_TEXT.splitlines()
    n = lines.index("  chair: UH")
    lines[n] = "  chair: [UH"
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message, line = only_problem(load_error(path))
    assert message.startswith("YAML syntax error: ")
    assert line is not None and n + 1 <= line <= n + 2  # the parser notices at the line or the next


def test_tab_indentation_is_a_syntax_error_with_its_line() -> None:
    message, line = only_problem(load_error("agreement:\n\treference: X\n"))
    assert message.startswith("YAML syntax error") and "'\\t'" in message
    assert line == 2


def test_duplicate_yaml_key_is_an_error_naming_both_lines() -> None:
    text = EXAMPLE_TEXT.replace("  chair: UH\n", "  chair: UH\n  chair: UNIBO\n")
    first = EXAMPLE_TEXT.splitlines().index("  chair: UH") + 1
    error = load_error(text)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.path == "governance.chair"
    assert problem.line == first + 1
    assert f"first given on line {first}" in problem.message


def test_impossible_date_is_an_error_with_its_line_not_a_crash() -> None:
    text = EXAMPLE_TEXT.replace("date: 2025-05-15", "date: 2025-02-30")
    message, line = only_problem(load_error(text))
    assert "'2025-02-30' is not a valid date" in message
    assert line == EXAMPLE_TEXT.splitlines().index("  date: 2025-05-15                     # date of this version") + 1


def test_recursive_alias_is_an_error_not_a_crash() -> None:
    error = load_error(EXAMPLE_TEXT.replace("accessions: []", "accessions: &loop [*loop]"))
    assert [p.path for p in error.problems] == ["accession.accessions[0]"]


def test_alias_to_a_mapping_is_read_like_a_copy() -> None:
    text = EXAMPLE_TEXT.replace(
        "coordinator: { name: Aino Virtanen, email: aino.virtanen@helsinki.fi }",
        "coordinator: &uh { name: Aino Virtanen, email: aino.virtanen@helsinki.fi }",
    ).replace(
        "coordinator: { name: Marco Bianchi, email: marco.bianchi@unibo.it }",
        "coordinator: *uh",
    )
    assert load_spec(text).partner("UNIBO").coordinator.name == "Aino Virtanen"


# -- the three ways to give a spec ----------------------------------------------------


def test_load_spec_reads_a_path_given_as_str_or_path() -> None:
    assert load_spec(str(EXAMPLE_SPEC)).term.end == load_spec(EXAMPLE_SPEC).term.end == date(2029, 8, 31)


def test_load_spec_accepts_yaml_text() -> None:
    consortium = load_spec(EXAMPLE_TEXT)
    assert isinstance(consortium, Consortium)
    assert [p.id for p in consortium.partners] == ["UH", "UNIBO", "UJ"]


def test_load_spec_accepts_a_mapping(spec_data: dict[str, Any]) -> None:
    consortium = load_spec(spec_data)
    assert consortium.lead.id == "UH"


def test_errors_from_a_mapping_have_paths_but_no_lines(spec_data: dict[str, Any]) -> None:
    spec_data["term"]["duration_years"] = 9
    error = load_error(spec_data)  # type: ignore[arg-type]
    assert [(p.path, p.line) for p in error.problems] == [("term.duration_years", None)]
    assert error.source is None


def test_errors_from_yaml_text_have_lines() -> None:
    error = load_error(EXAMPLE_TEXT.replace("duration_years: 4", "duration_years: 9"))
    expected = next(n for n, text in enumerate(EXAMPLE_TEXT.splitlines(), 1) if "duration_years: 4" in text)
    assert [(p.path, p.line) for p in error.problems] == [("term.duration_years", expected)]


def test_parse_spec_names_its_source_in_the_message() -> None:
    with pytest.raises(SpecError, match=r"^my-spec.yaml: line 2: YAML syntax error"):
        parse_spec("a: 1\n  b: 2\n", source="my-spec.yaml")


def test_advisories_carry_the_yaml_line() -> None:
    by_code = {a.code: a for a in advisories(load_spec(EXAMPLE_SPEC))}
    status_line = next(n for n, text in enumerate(EXAMPLE_TEXT.splitlines(), 1) if text.startswith("  status: draft"))
    assert by_code["draft-specimens"].line == status_line


# -- property: only SpecError or a valid model ----------------------------------------------

REFERENCE = yaml.safe_load(EXAMPLE_TEXT)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["UH", "UNIBO", "UJ", "lead", "2025-09-01", "300 EUR", "-1 EUR", "CC-BY-ND-4.0", "draft",
                     "https://x.eu/", "helsinki", "NO", "0", "8"]),
    st.dates(),
)
keys = st.one_of(st.text(max_size=8), st.integers(), st.none())
junk = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(keys, inner, max_size=3)),
                    max_leaves=6)

Mutation = Callable[[Any], Any]


def _containers(node: Any, found: list[Any]) -> list[Any]:
    if isinstance(node, (dict, list)):
        found.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, found)
    return found


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(REFERENCE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        containers = _containers(data, [])
        target = draw(st.sampled_from(containers))
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        action = draw(st.sampled_from(["drop", "replace", "junk-key", "retype"]))
        if action == "junk-key" and isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=10))] = draw(junk)
        elif not keys:
            continue
        else:
            key = draw(st.sampled_from(keys))
            if action == "drop":
                del target[key]
            elif action == "replace":
                target[key] = draw(junk)
            else:  # the same value as another type
                value = target[key]
                target[key] = draw(st.sampled_from([str(value), [value], {"value": value}, None]))
    return data


def _load_or_spec_error(spec: Any) -> None:
    try:
        result = load_spec(spec)
    except SpecError as exc:
        assert exc.problems, "a SpecError lists at least one problem"
        for problem in exc.problems:
            assert problem.message
    else:
        assert isinstance(result, Consortium)
        advisories(result)  # a valid model supports every derived fact
        _ = (result.term.end, result.lead, result.issuer_countries_on(result.term.start))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_mutated_spec_data_gives_only_spec_error_or_a_valid_model(data: Any) -> None:
    _load_or_spec_error(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_mutated_spec_written_as_yaml_gives_only_spec_error_or_a_valid_model(data: Any) -> None:
    try:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        return
    _load_or_spec_error(text + "\n")
